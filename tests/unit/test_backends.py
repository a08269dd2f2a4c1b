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
