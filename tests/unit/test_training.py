import glob
import gzip
import io
import os
import sys
import tempfile
import threading
import time
import zipfile

import numpy as np
import pytest
from PIL import Image

from engine import data, training
from tests.conftest import SHARED_DATA

pytest.importorskip("keras")


@pytest.fixture(scope="module")
def tiny():
    x, y = data.builtin_digits(256, seed=5)
    return data.Dataset("builtin", x[:192], y[:192], x[192:], y[192:])


def wait_for(predicate, timeout=60.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return False


def test_builtin_digits_look_like_mnist():
    x, y = data.builtin_digits(50, seed=0)
    assert x.shape == (50, 28, 28, 1) and x.dtype == np.float32 and set(y) <= set(range(10))
    assert 0 <= x.min() and x.max() <= 1 and 0.05 < x.mean() < 0.35  # mostly black, white strokes
    assert np.all(x[:, :2].max(axis=(1, 2, 3)) < 0.05)               # 20x20 glyph centred in 28x28: empty margins


def test_offline_loader_falls_back_fast(monkeypatch):
    def offline():
        raise Exception("URL fetch failure")
    monkeypatch.setattr(data, "_keras_loader", lambda name: offline)
    start = time.monotonic()
    ds = data.load_dataset("mnist")
    assert ds.name == "builtin" and "built-in" in ds.note and time.monotonic() - start < 30


def test_hanging_loader_times_out(monkeypatch):
    monkeypatch.setattr(data, "_keras_loader", lambda name: (lambda: time.sleep(5)))
    start = time.monotonic()
    ds = data.load_dataset("fashion", timeout_s=0.5)
    assert ds.name == "builtin" and "did not download" in ds.note and time.monotonic() - start < 4.5


def test_user_files_npz_idx_zip():
    x = (np.random.default_rng(0).random((40, 28, 28)) * 255).astype(np.uint8)
    buf = io.BytesIO()
    np.savez(buf, x_train=x, y_train=np.arange(40) % 10)
    ds = data.load_user_dataset(buf.getvalue(), "mine.npz")
    assert ds.x_train.shape == (36, 28, 28, 1) and ds.x_train.max() <= 1 and ds.y_test.tolist() == [0, 1, 2, 3]
    idx = b"\x00\x00\x08\x03" + np.array([40, 28, 28], ">u4").tobytes() + x.tobytes()
    assert len(data.load_user_dataset(gzip.compress(idx), "imgs-idx3-ubyte.gz").x_train) == 36
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as zf:
        for i in range(25):
            png = io.BytesIO()
            Image.fromarray(x[i]).save(png, "PNG")
            zf.writestr(f"d/{i}.png", png.getvalue())
    assert data.load_user_dataset(zbuf.getvalue(), "pics.zip").x_test.shape[1:] == (28, 28, 1)


def test_user_pixels_are_read_exactly():
    """8-bit pixels become p / 255 exactly, in the order of the file (first 10 % held out)."""
    x = (np.arange(40 * 28 * 28) % 256).astype(np.uint8).reshape(40, 28, 28)
    ds = data.load_user_dataset(gzip.compress(b"\x00\x00\x08\x03" + np.array([40, 28, 28], ">u4").tobytes()
                                              + x.tobytes()), "x-idx3-ubyte.gz")
    np.testing.assert_array_equal(np.concatenate([ds.x_test, ds.x_train])[..., 0], x.astype(np.float32) / 255)
    assert "divided by 255" in ds.note


def test_an_idx_header_declaring_too_much_is_refused_before_decompressing():
    header = b"\x00\x00\x08\x03" + np.array([2_000_000, 28, 28], ">u4").tobytes()
    with pytest.raises(data.TooLargeError, match="1,568,000,000 values"):
        data.read_idx(gzip.compress(header + bytes(1000)))


@pytest.mark.parametrize("payload, name, fragment", [
    (b"", "a.npz", "empty"),
    (b"garbage", "a.npz", "Cannot read"),
    (b"\x00\x00\x08\x03" + np.array([40, 28, 28], ">u4").tobytes() + b"\x00" * 10, "a.idx", "promises"),
    (b"PK not really", "a.zip", "damaged"),
])
def test_user_files_bad(payload, name, fragment):
    with pytest.raises(data.DatasetError, match=fragment):
        data.load_user_dataset(payload, name)


def test_real_mnist_idx_reads_with_documented_label_counts():
    path = SHARED_DATA / "mnist" / "t10k-labels-idx1-ubyte.gz"
    if not path.exists():
        pytest.skip(f"{path} is absent (shared data lives beside the checkout)")
    labels = data.read_idx(path.read_bytes())
    assert np.bincount(labels).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    images = data.read_idx((SHARED_DATA / "mnist" / "t10k-images-idx3-ubyte.gz").read_bytes())
    assert images.shape == (10_000, 28, 28) and images.dtype == np.uint8


@pytest.mark.parametrize("model", ["ae", "ae-transpose", "vae"])
def test_autoencoders_learn_and_export(tiny, tmp_path, model):
    keras = pytest.importorskip("keras")
    trainer = training.Trainer(training.TrainConfig(model=model, epochs=3, seconds=None, batch_size=32), dataset=tiny)
    trainer.run_blocking()
    snap = trainer.snapshot()
    losses = snap["history"]["loss"]
    assert snap["status"] == "finished" and len(losses) == 18
    assert np.mean(losses[-3:]) < losses[0]
    assert snap["samples"]["grid"].shape == snap["samples"]["originals"].shape
    if model == "vae":
        assert snap["samples"]["latent"].shape == (64, 2) and "latent_grid" in snap["samples"]
        assert trainer.decode_latent([0.0, 0.0]).shape == (28, 28, 1)
    path = trainer.export_model(tmp_path / "m.keras")
    reloaded = keras.models.load_model(path)
    x = tiny.x_test[:4]
    if model == "vae":  # the VAE samples z; compare the deterministic encoder means
        ours, theirs = trainer.encoder(x)[0], reloaded.get_layer("encoder")(x)[0]
    else:
        ours, theirs = trainer.model(x), reloaded(x)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(theirs), keras.ops.convert_to_numpy(ours), atol=1e-5)
    assert trainer.gif_bytes()[:6] == b"GIF89a"


def test_gan_discriminator_trains_on_its_step_only(tiny):
    trainer = training.Trainer(training.TrainConfig(model="dcgan", gan_width=0.25, learning_rate=2e-4, epochs=1,
                                                    seconds=None), dataset=tiny)
    trainer._prepare()
    d_before = [w.copy() for w in trainer.discriminator.get_weights()]
    g_before = [w.copy() for w in trainer.generator.get_weights()]
    batch = trainer._next_batch()
    n = len(batch)
    z = np.random.default_rng(0).normal(size=(n, 100)).astype(np.float32)
    fake = np.asarray(trainer.generator(z, training=True))
    trainer.discriminator.trainable = True
    trainer.discriminator.train_on_batch(np.concatenate([batch, fake]),
                                         np.concatenate([np.ones((n, 1)), np.zeros((n, 1))]).astype(np.float32))
    d_after_d = trainer.discriminator.get_weights()
    assert any(not np.allclose(a, b) for a, b in zip(d_before, d_after_d)), "D must change on its own step"
    # compared with the copy taken before D's step; BatchNorm's moving averages (not trained) move with
    # every training-mode pass of G, so only G's trainable weights are compared
    paths = [w.path for w in trainer.generator.weights]
    trainable = {w.path for w in trainer.generator.trainable_weights}
    before = dict(zip(paths, g_before))
    after_d = dict(zip(paths, trainer.generator.get_weights()))
    assert trainable and all(np.array_equal(before[p], after_d[p]) for p in trainable), \
        "G's trainable weights must not change on the discriminator step"
    trainer.discriminator.trainable = False
    trainer.combined.train_on_batch(z, np.ones((n, 1), np.float32))
    for a, b in zip(d_after_d, trainer.discriminator.get_weights()):
        np.testing.assert_array_equal(a, b)  # D frozen during the generator step
    after_g = dict(zip(paths, trainer.generator.get_weights()))
    assert all(not np.allclose(after_g[p], before[p]) for p in trainable if "kernel" in p), \
        "every trainable kernel of G must change on the generator step"


def test_gan_loop_reports_losses_and_accuracy(tiny):
    trainer = training.Trainer(training.TrainConfig(model="dcgan", gan_width=0.25, learning_rate=2e-4, epochs=2,
                                                    seconds=None, batch_size=32), dataset=tiny)
    trainer.run_blocking()
    h = trainer.snapshot()["history"]
    assert len(h["d_loss"]) == 12 and np.all(np.isfinite(h["g_loss"]))
    acc = np.array(h["real_acc"])
    assert np.isfinite(acc).sum() >= 2 and np.nanmax(acc) <= 1
    assert trainer.samples_array(8).shape == (8, 28, 28, 1)


def test_threaded_controls_play_pause_step_stop_reset(tiny):
    trainer = training.Trainer(training.TrainConfig(model="ae", seconds=60, batch_size=32), dataset=tiny)
    trainer.play()
    assert wait_for(lambda: trainer.snapshot()["step"] >= 3), trainer.snapshot()["message"]
    trainer.pause()
    assert wait_for(lambda: trainer.status == "paused")
    time.sleep(0.5)
    paused_at = trainer.step_count
    time.sleep(0.5)
    assert trainer.step_count == paused_at
    trainer.step()
    assert wait_for(lambda: trainer.step_count == paused_at + 1)
    # a single step refreshes the samples (drawn right after the step counter moves)
    assert wait_for(lambda: trainer.snapshot()["samples"].get("step") == paused_at + 1)
    trainer.play()
    assert wait_for(lambda: trainer.step_count > paused_at + 3)
    trainer.stop()
    trainer.join(10)
    assert not trainer.alive and trainer.status == "stopped"
    trainer.reset()
    assert trainer.status == "idle" and trainer.step_count == 0 and not trainer.history.step


def test_nan_loss_stops_with_explanation(tiny):
    x = tiny.x_train.copy()
    x[:] = np.nan
    bad = data.Dataset("builtin", x, tiny.y_train, tiny.x_test, tiny.y_test)
    trainer = training.Trainer(training.TrainConfig(model="ae", epochs=1, seconds=None), dataset=bad)
    trainer.run_blocking()
    snap = trainer.snapshot()
    assert snap["status"] == "error" and "became nan" in snap["message"] and "learning rate" in snap["message"]


@pytest.mark.parametrize("series, fragment", [
    ([{"loss": 0.2}] * 5 + [{"loss": 5e6}], "became 5e+06 at step 6"),
    ([{"d_loss": 0.7, "g_loss": 0.8}] * 10 + [{"d_loss": 1e-5, "g_loss": 40.0}] * training.GAN_COLLAPSE_STEPS,
     "won outright"),
    ([{"d_loss": 0.0, "g_loss": 8e6}], "became 8e+06"),
], ids=["exploded AE loss", "GAN collapse", "GAN G loss 8e6"])
def test_divergence_without_nan_is_detected(series, fragment):
    trainer = training.Trainer(training.TrainConfig(model="dcgan" if "d_loss" in series[0] else "ae"))
    verdicts = []
    for metrics in series:
        verdicts.append(trainer._divergence(metrics))
        trainer.step_count += 1
    assert all(v is None for v in verdicts[:-1]) and fragment in verdicts[-1], verdicts[-3:]


def test_a_gan_that_recovers_is_not_stopped():
    trainer = training.Trainer(training.TrainConfig(model="dcgan"))
    won, fair = {"d_loss": 1e-5, "g_loss": 40.0}, {"d_loss": 0.6, "g_loss": 1.0}
    series = ([won] * (training.GAN_COLLAPSE_STEPS - 1) + [fair]) * 3
    assert all(trainer._divergence(m) is None for m in series)


def test_concurrency_cap(tiny, monkeypatch):
    monkeypatch.setattr(training, "_slots", threading.BoundedSemaphore(1))
    first = training.Trainer(training.TrainConfig(model="ae", seconds=30), dataset=tiny)
    second = training.Trainer(training.TrainConfig(model="ae", seconds=30), dataset=tiny)
    first.play()
    with pytest.raises(training.TrainingBusy, match="already running"):
        second.play()
    first.stop()
    first.join(30)
    second.play()  # the slot is free again
    second.stop()
    second.join(30)


@pytest.mark.parametrize("kwargs", [dict(learning_rate=float("nan")), dict(batch_size=0), dict(model="gpt"),
                                    dict(epochs=-1), dict(learning_rate=50.0)])
def test_invalid_configs(kwargs):
    with pytest.raises(ValueError, match="Invalid training setting"):
        training.TrainConfig(**kwargs).validate()


def test_checkpoint_resume(tiny, tmp_path):
    config = training.TrainConfig(model="ae", epochs=1, seconds=None, batch_size=32)
    trainer = training.Trainer(config, dataset=tiny)
    trainer.run_blocking()
    trainer.save_checkpoint(tmp_path / "ckpt")
    resumed = training.Trainer(config, dataset=tiny)
    resumed.load_checkpoint(tmp_path / "ckpt")
    assert resumed.step_count == trainer.step_count and resumed.history.step == trainer.history.step
    for a, b in zip(trainer.model.get_weights(), resumed.model.get_weights()):
        np.testing.assert_array_equal(a, b)


def test_command_line(tmp_path, tiny):
    import subprocess
    import sys
    npz = tmp_path / "d.npz"
    np.savez(npz, x=(tiny.x_train[..., 0] * 255).astype(np.uint8))
    out = tmp_path / "run"
    result = subprocess.run([sys.executable, "-m", "engine.train", "--model", "ae", "--data", str(npz), "--epochs", "1",
                             "--batch-size", "32", "--out", str(out)], capture_output=True, text=True, timeout=300,
                            cwd=str(__import__("tests.conftest").conftest.ROOT))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "images/s" in result.stdout
    samples = np.load(out / "samples.npz")["samples"]
    assert samples.shape[1:] == (28, 28, 1) and 0 <= samples.min() and samples.max() <= 1
    assert (out / "model.keras").stat().st_size > 0 and (out / "samples.gif").read_bytes()[:3] == b"GIF"
    bad = subprocess.run([sys.executable, "-m", "engine.train", "--data", "/nope"], capture_output=True, text=True,
                         timeout=120, cwd=str(__import__("tests.conftest").conftest.ROOT))
    assert bad.returncode == 2 and "neither a dataset name nor a file" in bad.stderr


def test_model_layer_names_are_explicit_unique_and_stable():
    """Names must not depend on Keras' global auto-naming counters: in the app a VAE built in the trainer's
    thread once failed with 'The name "conv2d" is used 2 times in the model'."""
    from engine import models

    def names(model):
        out = []
        for layer in model.layers:
            out.append(layer.name)
            if hasattr(layer, "layers"):
                out += names(layer)
        return out

    def all_names():
        ae = [names(models.build_autoencoder(decoder=d)) for d in ("upsampling", "transpose")]
        vae = names(models.build_vae()[0])
        gen, disc = models.build_dcgan(width=0.25)
        return ae + [vae, names(gen), names(disc), names(models.compile_gan(gen, disc))]

    first, second = all_names(), all_names()
    assert first == second, "a second build must reuse exactly the same layer names"
    for model_names in first:
        assert len(model_names) == len(set(model_names)), model_names


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="per-thread nice values are a Linux feature")
def test_training_thread_yields_the_cpu_to_the_server_threads():
    seen = {}

    def worker():
        training._lower_thread_priority()
        seen["worker"] = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())

    before = os.getpriority(os.PRIO_PROCESS, threading.get_native_id())
    thread = threading.Thread(target=worker)
    thread.start()
    thread.join()
    assert seen["worker"] == max(10, before)
    assert os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) == before  # only that thread


def test_compiled_training_mode_forward_matches_the_eager_call():
    """The discriminator's fakes come from a compiled generator pass: same output and the same BatchNorm
    moving-average update as G(z, training=True), and not the inference-mode output."""
    import keras

    from engine import models

    keras.utils.set_random_seed(3)
    eager_g, _ = models.build_dcgan((28, 28, 1), 16, 0.25)
    compiled_g, _ = models.build_dcgan((28, 28, 1), 16, 0.25)
    compiled_g.set_weights(eager_g.get_weights())
    z = np.random.default_rng(0).normal(size=(8, 16)).astype(np.float32)
    inference = keras.ops.convert_to_numpy(compiled_g(z, training=False))
    forward = training.training_mode_forward(compiled_g)
    temp_before = set(glob.glob(os.path.join(tempfile.gettempdir(), "__autograph_generated_file*")))
    for _ in range(2):  # twice: the second call sees the moving averages the first one updated
        expected = keras.ops.convert_to_numpy(eager_g(z, training=True))
        got = keras.ops.convert_to_numpy(forward(z))
        np.testing.assert_allclose(got, expected, atol=1e-5)
    assert np.abs(got - inference).max() > 1e-3
    # no autograph conversion: it left one temp file per trainer in /tmp
    assert set(glob.glob(os.path.join(tempfile.gettempdir(), "__autograph_generated_file*"))) == temp_before
    for a, b in zip(eager_g.non_trainable_variables, compiled_g.non_trainable_variables):
        np.testing.assert_allclose(keras.ops.convert_to_numpy(a), keras.ops.convert_to_numpy(b), atol=1e-6)
    assert any(np.abs(keras.ops.convert_to_numpy(v)).sum() > 0 and "moving_mean" in v.path
               for v in compiled_g.non_trainable_variables)
