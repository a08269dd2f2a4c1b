"""engine.worker: trainings whose model lives in a spawned worker process, driven by the server's state machine."""
import multiprocessing
import os
import signal
import time

import numpy as np
import pytest

from engine import data, slots, training, worker
from tests import conftest
from tests.conftest import tiny_digits

pytest.importorskip("keras")


@pytest.fixture(scope="module")
def tiny():
    return tiny_digits()


@pytest.fixture
def pool(monkeypatch):
    """A pool of its own (no spare starting in the background), one training slot, a short pause release."""
    own = worker.WorkerPool(limit=2, spares=0)
    queue = slots.SlotQueue(1, on_grant=lambda t: t._slot_granted(), wanted=lambda t: t.wants_slot(),
                            on_drop=lambda t: t._left_line())
    monkeypatch.setattr(worker, "POOL", own)
    monkeypatch.setattr(training, "SLOTS", queue)
    monkeypatch.setattr(training, "PAUSED_RELEASE_S", 0.5)
    yield own
    own.close()


def wait_for(predicate, timeout=90.0):  # a worker process imports Keras before its first step
    return conftest.wait_for(predicate, timeout)


def test_commands_reach_the_worker_and_every_step_is_recorded_once(tiny, pool):
    trainer = worker.WorkerTrainer(training.TrainConfig(model="ae", seconds=60, batch_size=32), dataset=tiny)
    trainer.play()
    assert wait_for(lambda: trainer.snapshot()["step"] >= 3), trainer.snapshot()["message"]
    assert trainer._worker.pid != os.getpid() and "Keras" in trainer.device
    trainer.pause()
    assert wait_for(lambda: trainer.status == "paused")
    time.sleep(worker.CHUNK_S + 0.3)
    paused_at = trainer.step_count
    time.sleep(0.5)
    assert trainer.step_count == paused_at
    assert wait_for(lambda: trainer.snapshot()["samples"].get("step") == paused_at)  # samples catch up on pause
    trainer.step(3)
    assert wait_for(lambda: trainer.step_count == paused_at + 3 and not trainer.snapshot()["pending"])
    assert trainer.snapshot()["samples"]["step"] == paused_at + 3
    history = trainer.snapshot()["history"]
    assert history["step"] == list(range(1, trainer.step_count + 1))  # one point per step: none twice, none lost
    assert np.all(np.isfinite(history["loss"]))
    assert trainer.input_shape == (28, 28, 1)
    assert trainer.samples_array(4).shape == (4, 28, 28, 1)
    assert trainer.export_model_bytes()[:2] == b"PK"  # a .keras file is a zip
    trainer.stop()
    trainer.join(10)
    assert trainer.status == "stopped" and training.SLOTS.counts() == (0, 0)
    trainer.close()
    assert trainer._worker is None and pool.live() == 0


def test_gan_single_network_steps_in_the_worker(tiny, pool):
    trainer = worker.WorkerTrainer(training.TrainConfig(model="dcgan", gan_width=0.25, batch_size=16, seconds=60),
                                   dataset=tiny)
    trainer.step(mode="d")
    assert wait_for(lambda: trainer.step_count == 1 and not trainer.snapshot()["pending"]), trainer.message
    trainer.step(mode="g")
    assert wait_for(lambda: trainer.step_count == 2 and not trainer.snapshot()["pending"]), trainer.message
    values = trainer.snapshot()["history"]
    assert np.isfinite(values["d_loss"][0]) and np.isnan(values["g_loss"][0])  # step D trained D only
    assert np.isnan(values["d_loss"][1]) and np.isfinite(values["g_loss"][1])  # step G trained G only
    assert trainer.snapshot()["samples"]["grid"].ndim >= 2 and "d_real" in trainer.snapshot()["samples"]
    trainer.close()


def test_a_worker_that_dies_is_reported_and_its_slot_goes_to_the_next(tiny, pool):
    first = worker.WorkerTrainer(training.TrainConfig(model="ae", seconds=60, batch_size=32), dataset=tiny)
    second = worker.WorkerTrainer(training.TrainConfig(model="ae", seconds=60, batch_size=32), dataset=tiny)
    first.play()
    assert wait_for(lambda: first.step_count >= 2), first.message
    second.play()
    assert second.snapshot()["status"] == "queued"
    os.kill(first._worker.pid, signal.SIGKILL)  # what the kernel's OOM killer does
    assert wait_for(lambda: first.status == "error")
    assert "stopped by the system" in first.message and "Reset" in first.message
    assert wait_for(lambda: second.step_count >= 2), second.snapshot()  # the slot went to the next in line
    for t in (first, second):
        t.close()


def test_a_parked_run_gives_its_process_back_and_resumes_from_its_weights(tiny, pool):
    pool.limit = 1
    first = worker.WorkerTrainer(training.TrainConfig(model="vae", seconds=60, batch_size=32), dataset=tiny)
    first.step(5)
    assert wait_for(lambda: first.step_count == 5 and not first.snapshot()["pending"]), first.message
    weights = first.model_state()["weights"][0]
    assert wait_for(lambda: not first.snapshot()["has_slot"])  # paused past PAUSED_RELEASE_S
    second = worker.WorkerTrainer(training.TrainConfig(model="ae", seconds=60, batch_size=32), dataset=tiny)
    second.step()
    assert wait_for(lambda: second.step_count == 1), second.message
    assert first._worker is None and first._parked is not None and pool.live() == 1  # one model process at a time
    second.close()
    restored = first.model_state()  # the parked copy, unchanged
    assert all(np.array_equal(a, b) for a, b in zip(weights, restored["weights"][0]))
    assert first.decode_latent([0.0, 0.0]).shape == (28, 28, 1)  # rebuilt in a new worker from those weights
    first.step()
    assert wait_for(lambda: first.step_count == 6 and not first.snapshot()["pending"]), first.message
    first.close()


def test_errors_from_the_worker_keep_their_template_for_translation(tiny, pool):
    unlabelled = data.Dataset("upload", tiny.x_train, np.full(192, -1), tiny.x_test, np.full(64, -1))
    trainer = worker.WorkerTrainer(training.TrainConfig(model="cnn", seconds=60), dataset=unlabelled)
    trainer.step()
    assert wait_for(lambda: trainer.status == "error")
    assert trainer.message.template.startswith("A classifier learns from labelled images")
    assert training.SLOTS.counts() == (0, 0)
    trainer.close()


def test_runs_started_and_reset_leave_no_process_behind(tiny, pool):
    before = {p.pid for p in multiprocessing.active_children()}
    for _ in range(3):
        trainer = worker.WorkerTrainer(training.TrainConfig(model="ae", seconds=60, batch_size=32), dataset=tiny)
        trainer.step()
        assert wait_for(lambda t=trainer: t.step_count == 1), trainer.message
        trainer.close()
    assert {p.pid for p in multiprocessing.active_children()} - before == set()
    assert pool.live() == 0


def test_the_worker_runs_at_its_own_priority_whoever_started_it(tiny, pool):
    """The trainer's thread starts the worker: the worker's niceness is WORKER_NICENESS, not that plus the thread's."""
    trainer = worker.WorkerTrainer(training.TrainConfig(model="ae", seconds=60, batch_size=32), dataset=tiny)
    trainer.step()
    assert wait_for(lambda: trainer.step_count == 1), trainer.message
    niceness = int(open(f"/proc/{trainer._worker.pid}/stat").read().rsplit(")", 1)[1].split()[16])
    assert niceness == max(worker.WORKER_NICENESS, os.getpriority(os.PRIO_PROCESS, 0))
    trainer.close()
