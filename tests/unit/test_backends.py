"""The training engine uses the Keras 3 API only: every model trains and exports on JAX and PyTorch too.
Each backend runs in its own interpreter (KERAS_BACKEND is read once, at import). Skips where not installed."""
import importlib.util
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT

SCRIPT = """
import json, numpy as np, keras
from engine import data, training
x, y = data.builtin_digits(160, seed=5)
ds = data.Dataset("builtin", x[:128], y[:128], x[128:], y[128:])
out = {"backend": keras.backend.backend()}
for model in ["ae", "ae-transpose", "vae", "dcgan"]:
    t = training.Trainer(training.TrainConfig(model=model, epochs=2, seconds=None, gan_width=0.25, batch_size=32,
                                              learning_rate=2e-4 if model == "dcgan" else 1e-3), dataset=ds)
    t.run_blocking()
    s = t.snapshot()
    t.export_model(f"{TMP}/{model}.keras")
    out[model] = [s["status"], s["step"], t.samples_array(4).shape[1:], t.gif_bytes()[:3].decode()]
print(json.dumps(out, default=list))
"""


@pytest.mark.parametrize("backend, package", [("jax", "jax"), ("torch", "torch")])
def test_training_runs_on_other_backends(backend, package, tmp_path):
    if importlib.util.find_spec(package) is None:
        pytest.skip(f"{package} is not installed (pip install {package} to run this check)")
    result = subprocess.run([sys.executable, "-c", SCRIPT.replace("{TMP}", str(tmp_path))], cwd=ROOT,
                            capture_output=True, text=True, timeout=600,
                            env={**os.environ, "KERAS_BACKEND": backend})
    assert result.returncode == 0, result.stderr[-3000:]
    import json
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out["backend"] == backend
    for model in ("ae", "ae-transpose", "vae", "dcgan"):
        status, steps, shape, gif = out[model]
        assert (status, steps, shape, gif) == ("finished", 8, [28, 28, 1], "GIF"), (model, out[model])


STEP_SCRIPT = """
import json, sys, numpy as np, keras
from engine import models
from engine.gan import GAN
tmp, loss = sys.argv[1], sys.argv[2]
G, D = models.build_dcgan((28, 28, 1), 16, 0.25, d_dropout=0.0)
start = np.load(f"{tmp}/start.npz")
values = [start[f"arr_{i}"] for i in range(len(start.files))]
G.set_weights(values[:len(G.weights)])
D.set_weights(values[len(G.weights):])
gan = GAN(G, D, loss=loss, smoothing=0.1 if loss == "ns" else 0.0, ema=0.9)
gan.compile(keras.optimizers.Adam(2e-3, beta_1=0.5), keras.optimizers.Adam(1e-3, beta_1=0.5))
batch = np.load(f"{tmp}/batch.npz")
metrics = [gan.step(batch["real"], batch["z_d"], batch["z_g"], "both"),                     # k = 2
           gan.step(batch["real"][:8], batch["z_d"][:8], batch["z_g"], "d"),
           gan.step(batch["real"][:8], batch["z_d"][:8], batch["z_g"], "g")]
after = [keras.ops.convert_to_numpy(v) for v in G.weights + D.weights + gan.ema_weights]
np.savez(f"{tmp}/{keras.backend.backend()}.npz", *after)
print(json.dumps(metrics))
"""


@pytest.mark.parametrize("loss", ["ns", "hinge", "lsgan"])
def test_gan_steps_agree_across_backends(loss, tmp_path):
    """The compiled GAN step (k = 2 D updates then G, then D only, then G only) from the same weights, batch and
    noise gives the same losses, accuracies, weights and moving average on TensorFlow, JAX and PyTorch.
    TensorFlow always runs; JAX and PyTorch where installed."""
    import keras
    import numpy as np

    from engine import models
    keras.utils.set_random_seed(11)
    G, D = models.build_dcgan((28, 28, 1), 16, 0.25, d_dropout=0.0)
    np.savez(tmp_path / "start.npz", *(G.get_weights() + D.get_weights()))
    rng = np.random.default_rng(4)
    np.savez(tmp_path / "batch.npz", real=rng.uniform(-1, 1, (16, 28, 28, 1)).astype(np.float32),
             z_d=rng.normal(size=(16, 16)).astype(np.float32), z_g=rng.normal(size=(8, 16)).astype(np.float32))
    results = {}
    for backend in ("tensorflow", "jax", "torch"):
        if backend != "tensorflow" and importlib.util.find_spec(backend) is None:
            continue
        run = subprocess.run([sys.executable, "-c", STEP_SCRIPT, str(tmp_path), loss], cwd=ROOT, capture_output=True,
                             text=True, timeout=300, env={**os.environ, "KERAS_BACKEND": backend})
        assert run.returncode == 0, run.stderr[-3000:]
        import json
        saved = np.load(tmp_path / f"{backend}.npz")
        results[backend] = (json.loads(run.stdout.strip().splitlines()[-1]),
                            [saved[f"arr_{i}"] for i in range(len(saved.files))])
    reference_metrics, reference_weights = results.pop("tensorflow")
    start = np.load(tmp_path / "start.npz")
    moved = sum(not np.allclose(a, start[f"arr_{i}"]) for i, a in enumerate(reference_weights[:len(start.files)]))
    assert moved >= 10, "the steps must move the weights for the comparison to mean anything"
    for backend, (metrics, weights) in results.items():
        for ref, got in zip(reference_metrics, metrics):
            assert ref.keys() == got.keys()
            for name in ref:
                assert got[name] == pytest.approx(ref[name], abs=2e-4, nan_ok=True), (backend, name)
        for i, (ref, got) in enumerate(zip(reference_weights, weights)):
            # Adam's first steps move each weight by about the learning rate whatever the gradient's size, so a
            # gradient that is zero up to rounding may step either way: allow that for a tiny share of weights.
            off = np.abs(ref - got) > 1e-4
            assert off.mean() <= 0.01, (backend, i, off.mean(), np.abs(ref - got).max())
