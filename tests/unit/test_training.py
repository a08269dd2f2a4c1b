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
from tests.conftest import ROOT, tiny_digits, wait_for

pytest.importorskip("keras")


@pytest.fixture(scope="module")
def tiny():
    return tiny_digits()


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
    assert ds.name == "builtin" and time.monotonic() - start < 30
    assert str(ds.note) == ("Offline: MNIST digits could not be downloaded, so this trains on the bundled 10,000 "
                            "MNIST test digits.")  # plain words, never an exception's class name
    assert len(ds.x_train) + len(ds.x_test) == 10_000 and ds.y_train[:3].tolist() == [7, 2, 1]  # the real test set


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
    shipped = ROOT / "engine" / "assets" / "mnist"  # the copy the app ships: present in every checkout
    labels = data.read_idx((shipped / "t10k-labels-idx1-ubyte.gz").read_bytes())
    assert np.bincount(labels).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    images = data.read_idx((shipped / "t10k-images-idx3-ubyte.gz").read_bytes())
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
    if model == "vae":  # the download is the deterministic path: encoder mean, then decoder
        ours, theirs = trainer.decoder(trainer.encoder(x)[0]), reloaded(x)
    else:
        ours, theirs = trainer.model(x), reloaded(x)
    np.testing.assert_allclose(keras.ops.convert_to_numpy(theirs), keras.ops.convert_to_numpy(ours), atol=1e-5)
    assert trainer.gif_bytes()[:6] == b"GIF89a"


PLAIN_KERAS = """
import importlib.util, sys
import numpy as np, keras
assert importlib.util.find_spec("engine") is None, "this Python must not see ConvLab"
model = keras.saving.load_model(sys.argv[1])
x = np.load(sys.argv[2])
np.save(sys.argv[3], keras.ops.convert_to_numpy(model(x, training=False)))
"""


@pytest.mark.parametrize("model", ["ae", "vae", "dcgan"])
def test_downloads_load_in_plain_keras_and_give_the_same_outputs(tiny, tmp_path, model):
    """In a Python that cannot import ConvLab (isolated mode, run from elsewhere), so no custom class is known."""
    import subprocess
    keras = pytest.importorskip("keras")
    extra = dict(gan_width=0.25, ema=0.99) if model == "dcgan" else {}
    trainer = training.Trainer(training.TrainConfig(model=model, seconds=None, epochs=None, batch_size=32, **extra),
                               dataset=tiny)
    trainer._prepare()
    for _ in range(3):
        trainer._one_step()
    path = tmp_path / "download.keras"
    path.write_bytes(trainer.export_model_bytes())
    if model == "dcgan":
        x = np.random.default_rng(0).normal(size=(4, 100)).astype(np.float32)
        ours = trainer.gan.sample_generator()(x, training=False)
    else:
        x = tiny.x_test[:4]
        ours = trainer.decoder(trainer.encoder(x)[0]) if model == "vae" else trainer.model(x, training=False)
    np.save(tmp_path / "x.npy", x)
    script = tmp_path / "load.py"
    script.write_text(PLAIN_KERAS)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"} | {"TF_CPP_MIN_LOG_LEVEL": "3"}
    done = subprocess.run([sys.executable, "-I", str(script), str(path), str(tmp_path / "x.npy"),
                           str(tmp_path / "y.npy")], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    np.testing.assert_allclose(np.load(tmp_path / "y.npy"), keras.ops.convert_to_numpy(ours), atol=1e-5)


def _gan_trainer(tiny, **kwargs):
    config = dict(model="dcgan", gan_width=0.25, learning_rate=2e-4, epochs=1, seconds=None, batch_size=32)
    trainer = training.Trainer(training.TrainConfig(**(config | kwargs)), dataset=tiny)
    trainer._prepare()
    return trainer


def _weights(model, trainable_only=True):
    variables = model.trainable_variables if trainable_only else model.weights
    return {v.path: np.array(v.numpy()) for v in variables}


def _changed(before, after):
    return {p for p in before if not np.array_equal(before[p], after[p])}


def test_gan_step_modes_train_only_their_network(tiny):
    """One compiled step per mode: "d" moves only D's weights, "g" only G's, "both" both. BatchNorm's moving
    averages (not trained) move with every training-mode pass of G, so only trainable weights are compared."""
    trainer = _gan_trainer(tiny)
    temp_before = set(glob.glob(os.path.join(tempfile.gettempdir(), "__autograph_generated_file*")))
    for mode, moves in (("d", "D"), ("g", "G"), ("both", "GD")):
        g0, d0 = _weights(trainer.generator), _weights(trainer.discriminator)
        metrics = trainer._gan_step(trainer._next_batch(), mode)
        g_moved, d_moved = _changed(g0, _weights(trainer.generator)), _changed(d0, _weights(trainer.discriminator))
        assert (g_moved == set(g0)) == ("G" in moves) and (not g_moved) == ("G" not in moves), (mode, g_moved)
        assert (d_moved == set(d0)) == ("D" in moves) and (not d_moved) == ("D" not in moves), (mode, d_moved)
        assert ("d_loss" in metrics) == ("D" in moves) and ("g_loss" in metrics) == ("G" in moves), metrics
        assert all(np.isfinite(v) for v in metrics.values()) and 0 <= metrics["fake_acc"] <= 1
    # tf.function without autograph: no temp file per trainer in /tmp
    assert set(glob.glob(os.path.join(tempfile.gettempdir(), "__autograph_generated_file*"))) == temp_before


def test_gan_both_step_equals_d_step_then_g_step(tiny):
    """The fused step is exactly D's update followed by G's update on the same noise (no hidden extra work)."""
    import keras
    fused, split = _gan_trainer(tiny, d_dropout=0.0), _gan_trainer(tiny, d_dropout=0.0)
    for a, b in ((fused.generator, split.generator), (fused.discriminator, split.discriminator)):
        b.set_weights(a.get_weights())
    rng = np.random.default_rng(1)
    real = rng.uniform(-1, 1, (32, 28, 28, 1)).astype(np.float32)
    z_d, z_g = rng.normal(size=(32, 100)).astype(np.float32), rng.normal(size=(32, 100)).astype(np.float32)
    both = fused.gan.step(real, z_d, z_g, "both")
    d_only = split.gan.step(real, z_d, z_g, "d")
    g_only = split.gan.step(real, z_d, z_g, "g")
    assert both["d_loss"] == pytest.approx(d_only["d_loss"], abs=1e-6)
    assert both["g_loss"] == pytest.approx(g_only["g_loss"], abs=1e-5)
    for a, b in zip(fused.generator.weights + fused.discriminator.weights,
                    split.generator.weights + split.discriminator.weights):
        np.testing.assert_allclose(keras.ops.convert_to_numpy(a), keras.ops.convert_to_numpy(b), atol=1e-6)


@pytest.mark.parametrize("loss", ["ns", "hinge", "lsgan"])
def test_gan_losses_match_their_formulas(loss):
    """Each loss against its textbook formula in NumPy (log-sigmoid written out, not softplus)."""
    from engine.gan import gan_losses
    rng = np.random.default_rng(7)
    r, f = rng.normal(0, 3, 50).astype(np.float32), rng.normal(0, 3, 50).astype(np.float32)
    sigmoid = lambda x: 1 / (1 + np.exp(-x.astype(np.float64)))  # noqa: E731
    expected = {
        "ns": (-np.mean(0.9 * np.log(sigmoid(r)) + 0.1 * np.log(1 - sigmoid(r))) - np.mean(np.log(1 - sigmoid(f))),
               -np.mean(np.log(sigmoid(f)))),
        "hinge": (np.mean(np.maximum(0, 1 - r)) + np.mean(np.maximum(0, 1 + f)), -np.mean(f)),
        "lsgan": (0.5 * np.mean((r - 1) ** 2) + 0.5 * np.mean(f ** 2), 0.5 * np.mean((f - 1) ** 2)),
    }[loss]
    d, g = gan_losses(loss, r, f, smoothing=0.1 if loss == "ns" else 0.0)
    np.testing.assert_allclose([float(d), float(g)], expected, rtol=1e-5)


def test_gan_ema_follows_the_generator(tiny):
    """The shown generator's weights are the running average, updated inside each G step with the warm-up decay
    (0.1 at the first update, then 2/11, ... up to `ema`)."""
    trainer = _gan_trainer(tiny, ema=0.5)
    w0 = [np.array(w) for w in trainer.generator.get_weights()]
    trainer._gan_step(trainer._next_batch(), "both")
    w1 = trainer.generator.get_weights()
    shown = trainer.gan.sample_generator().get_weights()
    for a, b, s in zip(w0, w1, shown):
        np.testing.assert_allclose(s, 0.1 * a + 0.9 * b, atol=1e-6)
    trainer._gan_step(trainer._next_batch(), "g")
    w2 = trainer.generator.get_weights()
    shown = [np.array(w) for w in shown]
    for s, b, c in zip(shown, w2, trainer.gan.sample_generator().get_weights()):
        np.testing.assert_allclose(c, 2 / 11 * s + 9 / 11 * b, atol=1e-6)
    shown = trainer.gan.sample_generator().get_weights()
    trainer._gan_step(trainer._next_batch(), "d")  # D only: the average does not move
    for s, t in zip(shown, trainer.gan.sample_generator().get_weights()):
        np.testing.assert_array_equal(s, t)


def test_gan_loop_reports_losses_and_accuracy(tiny):
    trainer = training.Trainer(training.TrainConfig(model="dcgan", gan_width=0.25, learning_rate=2e-4, epochs=2,
                                                    seconds=None, batch_size=32), dataset=tiny)
    trainer.run_blocking()
    snap = trainer.snapshot()
    h = snap["history"]
    assert len(h["d_loss"]) == 12 and np.all(np.isfinite(h["g_loss"]))
    acc = np.array(h["real_acc"] + h["fake_acc"])
    assert np.all(np.isfinite(acc)) and np.all((0 <= acc) & (acc <= 1))  # computed inside every step
    assert trainer.samples_array(8).shape == (8, 28, 28, 1)
    scores = snap["samples"]
    assert len(scores["d_real"]) == len(tiny.x_test) and len(scores["d_fake"]) == len(tiny.x_test)
    assert np.all((0 <= scores["d_real"]) & (scores["d_real"] <= 1)) and scores["d_threshold"] == 0.5


def test_trainer_steps_one_network(tiny):
    trainer = training.Trainer(training.TrainConfig(model="dcgan", gan_width=0.25, seconds=60, batch_size=32),
                               dataset=tiny)
    trainer.step(mode="d")
    assert wait_for(lambda: trainer.step_count == 1 and trainer.status == "paused"), trainer.snapshot()["message"]
    assert "d_loss" in trainer.history.values and all(np.isnan(trainer.history.values.get("g_loss", [np.nan])))
    trainer.step(2, mode="g")
    assert wait_for(lambda: trainer.step_count == 3)
    assert np.isfinite(trainer.history.values["g_loss"][-1]) and np.isnan(trainer.history.values["d_loss"][-1])
    with pytest.raises(ValueError, match="Unknown step"):
        trainer.step(mode="x")
    trainer.stop()
    trainer.join(10)


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
    # paused between two sample steps: the samples shown catch up with the model as it is now
    assert wait_for(lambda: trainer.snapshot()["samples"].get("step") == paused_at)
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


@pytest.fixture
def one_slot(monkeypatch):
    """A server with one training slot, a paused run giving it back after 0.5 s."""
    from engine import slots
    queue = slots.SlotQueue(1, on_grant=lambda trainer: trainer._slot_granted(),
                            wanted=lambda trainer: trainer.wants_slot())
    monkeypatch.setattr(training, "SLOTS", queue)
    monkeypatch.setattr(training, "PAUSED_RELEASE_S", 0.5)
    monkeypatch.setattr(training, "ABANDONED_AFTER_S", 0.2)
    return queue


def test_fair_queue_paused_run_releases_its_slot(tiny, one_slot):
    first = training.Trainer(training.TrainConfig(model="ae", seconds=30), dataset=tiny)
    second = training.Trainer(training.TrainConfig(model="ae", seconds=30), dataset=tiny)
    first.play()
    assert wait_for(lambda: first.step_count >= 2)
    second.play()
    snap = second.snapshot()
    assert snap["status"] == "queued" and snap["queue_position"] == 1 and snap["waiting"] == 1
    first.pause()
    assert wait_for(lambda: second.step_count >= 2, timeout=30), second.snapshot()  # its turn after 0.5 s
    assert first.status == "paused" and not first.snapshot()["has_slot"] and first.snapshot()["gave_slot_back"]
    first.play()  # back into the line, not ahead of the running one
    assert first.snapshot()["status"] == "queued" and first.queue_position() == 1
    paused_at = first.step_count
    second.stop()
    assert wait_for(lambda: first.step_count > paused_at + 2), first.snapshot()  # resumed where it was
    first.stop()
    for t in (first, second):
        t.join(10)
    assert one_slot.counts() == (0, 0)


def test_the_line_is_told_who_holds_the_slots_and_how_long_it_may_wait(tiny, one_slot, monkeypatch):
    monkeypatch.setattr(training, "PAUSED_RELEASE_S", 30.0)
    first = training.Trainer(training.TrainConfig(model="ae", seconds=20), dataset=tiny)
    second = training.Trainer(training.TrainConfig(model="ae", seconds=20), dataset=tiny)
    first.play()
    assert wait_for(lambda: first.step_count >= 2)
    second.play()
    queue = second.snapshot()["queue"]
    assert queue["running"] == 1 and queue["paused"] == 0 and queue["paused_release_s"] is None
    assert 0 < queue["wait_s"] <= 20 - first.elapsed + 0.5  # the holder's time limit, less what it has trained
    first.pause()
    assert wait_for(lambda: first.status == "paused")
    queue = second.snapshot()["queue"]
    assert queue["running"] == 0 and queue["paused"] == 1
    assert 25 < queue["paused_release_s"] <= 30 and queue["wait_s"] == queue["paused_release_s"]
    assert first.snapshot()["queue"] is None and not first.snapshot()["gave_slot_back"]
    for t in (first, second):
        t.stop()
        t.join(10)


def test_fair_queue_closed_session_releases_at_once(tiny, one_slot):
    alive = {"first": True}
    first = training.Trainer(training.TrainConfig(model="ae", seconds=30), dataset=tiny,
                             is_alive=lambda: alive["first"])
    second = training.Trainer(training.TrainConfig(model="ae", seconds=30), dataset=tiny)
    waiting_gone = training.Trainer(training.TrainConfig(model="ae", seconds=30), dataset=tiny,
                                    is_alive=lambda: False)
    first.play()
    assert wait_for(lambda: first.step_count >= 1)
    waiting_gone.play()
    second.play()
    assert second.queue_position() == 2
    alive["first"] = False  # the tab is closed while training runs
    assert wait_for(lambda: second.step_count >= 2, timeout=20), second.snapshot()
    assert first.status == "stopped" and "closed" in first.message
    assert waiting_gone.step_count == 0 and not waiting_gone.snapshot()["has_slot"]  # skipped: its tab is gone
    second.stop()
    for t in (first, second):
        t.join(10)


def test_step_from_idle_while_the_server_is_busy_waits_its_turn(tiny, one_slot):
    first = training.Trainer(training.TrainConfig(model="ae", seconds=30), dataset=tiny)
    second = training.Trainer(training.TrainConfig(model="ae", seconds=30), dataset=tiny)
    first.play()
    second.step()
    assert second.status == "queued"
    first.stop()
    assert wait_for(lambda: second.step_count == 1 and second.status == "paused"), second.snapshot()
    assert second.snapshot()["samples"]["step"] == 1  # the samples shown are this step's
    second.stop()
    first.join(10)
    second.join(10)


def test_watchers_find_a_run_by_its_id(tiny):
    trainer = training.Trainer(training.TrainConfig(model="ae", seconds=30), dataset=tiny)
    assert training.find_run(trainer.run_id) is trainer and len(trainer.run_id) >= 12
    assert training.find_run("nope") is None and training.find_run("") is None and training.find_run(None) is None
    assert training.find_run("x" * 10_000) is None


@pytest.mark.parametrize("kwargs", [dict(learning_rate=float("nan")), dict(batch_size=0), dict(model="gpt"),
                                    dict(epochs=-1), dict(learning_rate=50.0)])
def test_invalid_configs(kwargs):
    with pytest.raises(ValueError, match="Invalid training setting"):
        training.TrainConfig(**kwargs).validate()


def test_command_line(tmp_path, tiny):
    import subprocess
    import sys
    npz = tmp_path / "d.npz"
    np.savez(npz, x=(tiny.x_train[..., 0] * 255).astype(np.uint8))
    out = tmp_path / "run"
    result = subprocess.run([sys.executable, "-m", "engine.train", "--model", "ae", "--data", str(npz), "--epochs", "1",
                             "--batch-size", "32", "--out", str(out)], capture_output=True, text=True, timeout=300,
                            cwd=str(ROOT))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "images/s" in result.stdout
    samples = np.load(out / "samples.npz")["samples"]
    assert samples.shape[1:] == (28, 28, 1) and 0 <= samples.min() and samples.max() <= 1
    assert (out / "model.keras").stat().st_size > 0 and (out / "samples.gif").read_bytes()[:3] == b"GIF"
    bad = subprocess.run([sys.executable, "-m", "engine.train", "--data", "/nope"], capture_output=True, text=True,
                         timeout=120, cwd=str(ROOT))
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
        from engine.gan import GAN
        return ae + [vae, names(gen), names(disc), names(GAN(gen, disc))]

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


def test_a_single_step_counts_as_pending_until_its_numbers_are_published(tiny):
    """The page reruns when `pending` drops to 0; if that happened before the step's numbers were published, the
    page would redraw the old numbers with nothing polling any more (the 'Step from idle' bug)."""
    trainer = training.Trainer(training.TrainConfig(model="ae", seconds=30), dataset=tiny)
    inside, release = threading.Event(), threading.Event()
    real_step = trainer._one_step

    def slow_step(**kwargs):
        inside.set()
        release.wait(30)
        return real_step(**kwargs)
    trainer._one_step = slow_step
    trainer.step()
    assert inside.wait(60), trainer.snapshot()["message"]
    snap = trainer.snapshot()
    assert snap["pending"] == 1 and snap["step"] == 0
    release.set()
    assert wait_for(lambda: trainer.snapshot()["pending"] == 0)
    snap = trainer.snapshot()
    assert snap["step"] == 1 and snap["samples"]["step"] == 1
    trainer.stop()
    trainer.join(10)


def test_knn_accuracy_matches_a_loop_reference():
    """Against a plain loop (sorted distances, majority vote, ties to the smaller label) on random clusters."""
    rng = np.random.default_rng(3)
    for _ in range(5):
        y_ref = rng.integers(0, 4, 120)
        z_ref = rng.normal(size=(120, 2)) + y_ref[:, None] * rng.uniform(0.5, 3)
        y_q = rng.integers(0, 4, 40)
        z_q = rng.normal(size=(40, 2)) + y_q[:, None] * 1.5

        def loop(zr, yr, zq, yq, k, loo):
            hits = 0
            for i, (point, label) in enumerate(zip(zq, yq)):
                order = [j for j in np.argsort(((zr - point) ** 2).sum(1), kind="stable") if not (loo and j == i)]
                counts = np.bincount(yr[order[:k]], minlength=4)
                hits += int(np.argmax(counts) == label)
            return hits / len(zq)
        assert training.knn_accuracy(z_ref, y_ref, z_q, y_q, 5) == pytest.approx(loop(z_ref, y_ref, z_q, y_q, 5, False))
        assert training.knn_accuracy(z_ref, y_ref, k=5) == pytest.approx(loop(z_ref, y_ref, z_ref, y_ref, 5, True))


def test_watchers_share_one_snapshot_per_interval(monkeypatch):
    """Fifty watchers polling a run cost it one snapshot (a copy of its history under its lock) per interval."""
    trainer = training.Trainer(training.TrainConfig(model="ae", seconds=5))
    taken = []
    real = trainer.snapshot
    monkeypatch.setattr(trainer, "snapshot", lambda: taken.append(1) or real())
    first = [trainer.shared_snapshot(max_age_s=0.3) for _ in range(50)]
    assert len(taken) == 1 and all(snap is first[0] for snap in first)
    time.sleep(0.35)
    assert trainer.shared_snapshot(max_age_s=0.3) is not first[0] and len(taken) == 2


def test_user_dataset_labels_are_checked_before_the_images_are_read():
    """A label array of the wrong length is refused from its header: the images' data is never read (here it is
    not even there: the header declares 60,000 digits that the file does not hold)."""
    from tests.hostile import npy, npy_header, npz_members
    payload = npz_members(x=npy_header((60_000, 28, 28), "|u1"), y=npy(np.zeros(59_999, np.int64)))
    with pytest.raises(data.DatasetError, match=r"shape \(59999,\); 60,000 images need one label each"):
        data.load_user_dataset(payload, "d.npz")


def test_user_dataset_in_float64_and_int32_reads_the_same_as_uint8(monkeypatch):
    """Pieces of the conversion join up: every value in its place, across piece boundaries (pieces of 10 kB here,
    read in this process so that the small pieces apply)."""
    monkeypatch.setenv("CONVLAB_READ_IN_PROCESS", "1")
    monkeypatch.setattr(data, "PIECE_BYTES", 10_000)
    rng = np.random.default_rng(5)
    pixels = rng.integers(0, 256, (700, 28, 28)).astype(np.uint8)
    expected = pixels.astype(np.float32) / 255
    for dtype, code in ((np.float64, 0x0E), (np.int32, 0x0C), (np.uint8, 0x08)):
        stored = pixels.astype(np.dtype(dtype).newbyteorder(">"))
        idx = bytes([0, 0, code, 3]) + np.array([700, 28, 28], ">u4").tobytes() + stored.tobytes()
        ds = data.load_user_dataset(gzip.compress(idx), "x-idx3-ubyte.gz")
        np.testing.assert_allclose(np.concatenate([ds.x_test, ds.x_train])[..., 0], expected, rtol=0, atol=1e-6)
        ds = data.load_user_dataset(npz_of(x=pixels.astype(dtype)), "x.npz")
        np.testing.assert_allclose(np.concatenate([ds.x_test, ds.x_train])[..., 0], expected, rtol=0, atol=1e-6)


def npz_of(**arrays) -> bytes:
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()
