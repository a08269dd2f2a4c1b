"""The trainer: autoencoders and the VAE learn and export (downloads load in plain Keras), play / pause / step /
stop / reset on its thread, divergence stopped with an explanation, the fair queue of training slots, watchers,
the command line."""
import os
import sys
import threading
import time

import numpy as np
import pytest

from engine import data, training
from engine.settings import LineNotice, Snapshot
from tests.conftest import ROOT, tiny_digits, wait_for

pytest.importorskip("keras")


@pytest.fixture(scope="module")
def tiny():
    return tiny_digits()


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


@pytest.mark.parametrize("model", ["ae", "vae", "dcgan", "conditional dcgan"])
def test_downloads_load_in_plain_keras_and_give_the_same_outputs(tiny, tmp_path, model):
    """In a Python that cannot import ConvLab (isolated mode, run from elsewhere), so no custom class is known."""
    import subprocess
    keras = pytest.importorskip("keras")
    extra = dict(gan_width=0.25, ema=0.99, conditional=model.startswith("conditional")) if "dcgan" in model else {}
    model = model.split()[-1]
    trainer = training.Trainer(training.TrainConfig(model=model, seconds=None, epochs=None, batch_size=32, **extra),
                               dataset=tiny)
    trainer._prepare()
    for _ in range(3):
        trainer._one_step()
    path = tmp_path / "download.keras"
    path.write_bytes(trainer.export_model_bytes())
    if model == "dcgan":  # a conditional generator takes the noise followed by the digit's one-hot
        x = trainer.task.noise(np.random.default_rng(0), np.arange(4))
        ours = trainer.task.sampler()(x, training=False)
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
    snap = second.snapshot()
    queue = snap["queue"]
    assert set(snap) == Snapshot.__required_keys__ and set(queue) == LineNotice.__required_keys__  # as typed
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
                                    dict(epochs=-1), dict(learning_rate=50.0), dict(vae_deskew="no"),
                                    dict(conditional=1)])
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


def test_the_vae_decoder_is_light_by_default_and_its_filters_can_be_chosen():
    from engine import models
    for filters in ((32, 16), (64, 32)):
        _, _, decoder = models.build_vae(decoder_filters=filters) if filters != (32, 16) else models.build_vae()
        widths = [decoder.get_layer(name).filters for name in ("dec_deconv1", "dec_deconv2")]
        assert widths == list(filters) and decoder.output_shape == (None, 28, 28, 1)


def test_the_vae_learns_straightened_digits_unless_told_not_and_leaves_colour_alone(tiny):
    for deskew in (True, False):
        trainer = training.Trainer(training.TrainConfig(model="vae", vae_deskew=deskew, seconds=None, epochs=1),
                                   dataset=tiny)
        trainer._prepare()
        expected = data.deskew if deskew else np.asarray
        np.testing.assert_array_equal(trainer._x, expected(tiny.x_train))
        np.testing.assert_array_equal(trainer.task.data.x_test, expected(tiny.x_test))
        held_out, _ = trainer.task.held_out(0)  # what the latent walk and the map encode
        np.testing.assert_array_equal(held_out, expected(tiny.x_test)[0])
    ae = training.Trainer(training.TrainConfig(model="ae", seconds=None, epochs=1), dataset=tiny)
    ae._prepare()
    np.testing.assert_array_equal(ae._x, tiny.x_train)  # only the VAE straightens
    colour = np.random.default_rng(0).random((6, 8, 8, 3)).astype(np.float32)
    vae = training.TASKS["vae"]
    assert vae.prepared(colour, training.TrainConfig(model="vae")) is colour
