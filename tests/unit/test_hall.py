"""engine.hall and engine.hall_worker: trainings shared through a real redis-server by pages on any replica and
workers in their own processes (the line, the controls, watchers, a worker that dies, Redis that restarts)."""
import base64
import io
import json
import math
import os
import signal
import subprocess
import sys
import time

import numpy as np
import pytest

from engine import cnn, data, hall, slots
from engine.errors import InputError, Message
from engine.settings import HallSnapshot, LineNotice, Status, TrainConfig
from tests import conftest, services
from tests.conftest import tiny_digits

if not services.have("redis-server"):
    if os.environ.get("CONVLAB_REQUIRE_BROWSER") == "1":
        pytest.fail("redis-server is missing (scripts/test.sh installs it)", pytrace=False)
    pytest.skip("redis-server is not installed", allow_module_level=True)
pytest.importorskip("keras")
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CONFIG = TrainConfig(model="ae", seconds=120, batch_size=32)


def wait_for(predicate, timeout=90.0):  # a worker imports Keras before its first job
    return conftest.wait_for(predicate, timeout)


@pytest.fixture(scope="module")
def redis_server():
    server = services.RedisServer()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("CONVLAB_REDIS_URL", server.url)
        hall.client.cache_clear()
        yield server
    server.stop()
    hall.client.cache_clear()


@pytest.fixture
def workers(redis_server):
    """Start training workers (`python -m engine.worker`) on the test's Redis; all stopped after the test."""
    started: list[subprocess.Popen] = []
    hall.client().flushall()

    def start(name: str, **env) -> subprocess.Popen:
        process = subprocess.Popen([sys.executable, "-m", "engine.worker", "--redis", redis_server.url, "--id", name],
                                   cwd=ROOT, env=dict(os.environ, PYTHONPATH=ROOT, **env),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        started.append(process)
        assert wait_for(lambda: any(w["name"] == name for w in hall.live_workers(hall.client())), 30)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(10)


def test_values_cross_as_json_without_pickle():
    value = {"a": np.arange(6, dtype=np.float32).reshape(2, 3), "u": np.ones(3, np.uint8), "s": np.float64(2.5),
             "m": Message("{message} of {value}", message=Message("{value} steps", value=3), value="x"),
             "st": Status.PAUSED, "t": (1, (2, "b")),
             "b": b"\x00PK", "nan": math.nan, "l": [np.int64(4), None, True]}
    back = hall.unpack(hall.pack(value))
    assert back["a"].dtype == np.float32 and np.array_equal(back["a"], value["a"]) and back["u"].dtype == np.uint8
    assert back["m"] == "3 steps of x" and back["m"].values["message"].template == "{value} steps"
    assert back["st"] is Status.PAUSED and back["t"] == (1, (2, "b")) and back["b"] == b"\x00PK"
    assert math.isnan(back["nan"]) and back["l"] == [4, None, True] and back["s"] == 2.5
    match = cnn.KernelMatch("top sobel", 0.93, -1)
    assert hall.unpack(hall.pack({"m": [match]}))["m"] == [match]
    with pytest.raises(TypeError):  # only the engine's own listed dataclasses cross
        hall.pack(data.Dataset("x", np.zeros(1), np.zeros(1), np.zeros(1), np.zeros(1)))
    with pytest.raises(KeyError):  # and a class named by what Redis holds is never looked up
        hall.unpack(b'{"__dc__": ["Popen", {"args": "ls"}]}')
    with pytest.raises(ValueError):  # an object array would need pickle: refused on the way in
        hall.pack({"o": np.array([{"x": 1}], dtype=object)})
    buf = io.BytesIO()
    np.save(buf, np.array([{"x": 1}], dtype=object), allow_pickle=True)
    with pytest.raises(ValueError):  # and on the way out: what Redis holds is never unpickled
        hall.unpack(json.dumps({"__nd__": base64.b64encode(buf.getvalue()).decode()}).encode())


def test_dataset_round_trip_keeps_8_bit_images():
    dataset = tiny_digits()
    back = hall.unpack_dataset(hall.pack_dataset(dataset))
    assert back.x_train.shape == dataset.x_train.shape and back.x_train.dtype == np.float32
    assert np.abs(back.x_train - dataset.x_train).max() <= 0.5 / 255 + 1e-6
    assert np.array_equal(back.y_test, dataset.y_test)


@pytest.mark.parametrize("run_id", ["", "short", "../../etc", "a" * 65, "run*", "x:y:zzzzzz", "가나다라마바사아",
                                    "convlab:queue", "abcdefgh\n", None, 12345678, ["abcdefghij"]])
def test_a_watch_link_reaches_no_other_key(redis_server, run_id):
    hall.client().set("convlab:queue", b"x")
    assert hall.find_run(run_id) is None
    with pytest.raises(InputError):
        hall.run_key(run_id if isinstance(run_id, str) else "")
    with pytest.raises(InputError):
        hall.job_key(f"{run_id}.1" if isinstance(run_id, str) else "", "snap")


def test_a_reset_after_redis_restarted_empty_makes_a_new_job_and_the_owner_writes_its_run_back(redis_server):
    """Redis that restarted empty forgets a run's generation count; the old job's keys may be back already (its
    worker writes its snapshot). The owner writes the count back within a heartbeat, and a Reset never takes the
    id of a job in use (it would show the old run's steps as the new one's)."""
    r = hall.client()
    r.flushall()
    first = hall.RemoteTrainer(CONFIG, dataset=tiny_digits(), is_alive=lambda: True)
    first.play()  # no worker: it waits in line, its keys written
    r.delete(hall.run_key(first.run_id))  # the count is lost
    assert wait_for(lambda: r.hget(hall.run_key(first.run_id), "gen") == str(first.gen).encode(), 5)
    assert hall.find_run(first.run_id).job == first.job  # a watch link finds the job again
    r.delete(hall.run_key(first.run_id))
    first.close()  # the Reset: the old run says it stopped (no worker holds it)
    second = hall.RemoteTrainer(CONFIG, is_alive=lambda: True, run_id=first.run_id)
    assert second.job != first.job and second.gen > first.gen
    assert second.snapshot(0)["status"] == Status.IDLE and second.snapshot(0)["step"] == 0
    second.close()


def test_line_notice():
    assert slots.line_notice([(None, 30.0), (48.0, None)], 2, 60.0)["wait_s"] == 30.0
    assert slots.line_notice([(None, 30.0)], 2, 60.0)["wait_s"] is None
    assert slots.line_notice([], None, 60.0)["wait_s"] is None


def test_controls_watchers_downloads_and_reset(workers):
    workers("w1")
    owner = hall.RemoteTrainer(CONFIG, dataset=tiny_digits(), is_alive=lambda: True)
    assert owner.snapshot()["status"] == Status.IDLE and not hall.client().exists(hall.job_key(owner.job, "config"))
    owner.play()
    assert owner.snapshot(0)["status"] in (Status.QUEUED, Status.PREPARING, Status.RUNNING)
    assert wait_for(lambda: owner.snapshot(0)["step"] >= 5), owner.snapshot(0)["message"]
    snap = owner.snapshot(0)
    assert snap["status"] == Status.RUNNING and snap["slots"] == 1 and snap["slots_in_use"] == 1
    assert snap["input_shape"] == (28, 28, 1) and owner.input_shape == (28, 28, 1)
    # a watcher on another replica: the run by its id alone, read-only
    watcher = hall.find_run(owner.run_id)
    assert watcher is not None and watcher.config.model == "ae" and hall.find_run(owner.run_id) is watcher
    assert wait_for(lambda: watcher.shared_snapshot(0)["samples"].get("grid") is not None)
    with pytest.raises(InputError):
        watcher.play()
    owner.pause()
    assert wait_for(lambda: owner.snapshot(0)["status"] == Status.PAUSED)
    time.sleep(0.6)
    paused_at = owner.snapshot(0)["step"]
    time.sleep(0.6)
    assert owner.snapshot(0)["step"] == paused_at
    owner.step(3)
    assert wait_for(lambda: owner.snapshot(0)["step"] == paused_at + 3 and not owner.snapshot(0)["pending"])
    history = owner.snapshot(0)["history"]
    assert history["step"] == list(range(1, paused_at + 4)) and np.all(np.isfinite(history["loss"]))
    assert owner.export_model_bytes()[:2] == b"PK" and owner.samples_array(4).shape == (4, 28, 28, 1)
    with pytest.raises(InputError):  # a method the worker does not offer is refused, not called
        owner._call("model_state")
    # Reset: the owner's next trainer keeps the run id; the watcher's view is replaced so it moves to the new run
    owner.close()
    assert wait_for(lambda: owner.snapshot(0)["status"] == Status.STOPPED)
    again = hall.RemoteTrainer(CONFIG, dataset=tiny_digits(), is_alive=lambda: True, run_id=owner.run_id)
    moved = hall.find_run(owner.run_id)
    assert moved is not watcher and moved.gen == again.gen == watcher.gen + 1
    again.play()
    assert wait_for(lambda: moved.shared_snapshot(0)["step"] >= 1)
    again.close()


def test_the_owners_browser_takes_its_run_back_on_another_replica_when_its_replica_dies(workers):
    """A teacher's replica dies: the proxy's sticky cookie stays in the browser, whose tab reconnects to another
    replica as a new session; that page takes the run back before the worker takes the tab for closed, and the
    old replica's tab lets go of it. Nobody else's cookie, and no other lesson, reaches the run."""
    workers("w1")
    owner = hall.browser_owner("8f14e45fceea167a5a36dedd4bea2543", "train")
    assert owner == hall.browser_owner("8f14e45fceea167a5a36dedd4bea2543", "train") and len(owner) == 32
    assert owner != hall.browser_owner("8f14e45fceea167a5a36dedd4bea2543", "learn")
    assert {hall.browser_owner(c, "train") for c in (None, "", "short", "x" * 300, 42, ["a" * 10])} == {None}
    assert hall.adopt(owner) is None  # nothing started yet
    first = hall.RemoteTrainer(CONFIG, dataset=tiny_digits(), is_alive=lambda: True, owner=owner)
    first.play()
    assert wait_for(lambda: first.snapshot(0)["step"] >= 3)
    wait = hall.adopt(owner)
    assert isinstance(wait, float) and 0 < wait <= hall.OWNER_STALE_S  # its tab beats: held, ask again later
    assert hall.adopt(owner, own_run=first.run_id) is None  # the page that owns it has nothing to take back
    first._closed = True  # its replica dies: no more heartbeats, no Stop either
    assert hall.adopt(hall.browser_owner("someone-elses-cookie", "train")) is None
    assert hall.adopt(hall.browser_owner("8f14e45fceea167a5a36dedd4bea2543", "learn")) is None
    taken = None

    def take():
        nonlocal taken
        taken = hall.adopt(owner, is_alive=lambda: True)
        return isinstance(taken, hall.RemoteTrainer)

    assert wait_for(take, hall.OWNER_TTL_S - 2)
    assert taken.job == first.job and taken.config == first.config and taken.owner == owner
    at = taken.snapshot(0)["step"]
    time.sleep(hall.OWNER_TTL_S + 2)  # past the time after which the worker stops a run whose tab is gone
    snap = taken.snapshot(0)
    assert snap["status"] == Status.RUNNING and snap["step"] > at, snap["message"]
    # the old replica's session, were it still there, lets go of the run: it never takes it out of the line
    first._closed, first._is_alive = False, lambda: False
    first.owner_heartbeat(hall.client())
    assert first._closed and first not in hall._OWNED
    taken.pause()
    assert wait_for(lambda: taken.snapshot(0)["status"] == Status.PAUSED)
    assert isinstance(hall.adopt(owner), float)  # held by the new page now
    taken.close()  # Reset or Stop: nothing left to take back
    assert hall.adopt(owner) is None


def test_one_line_for_the_class_a_closed_tab_leaves_it_and_a_dead_worker_is_reported(workers):
    w1 = workers("w1")
    first = hall.RemoteTrainer(CONFIG, dataset=tiny_digits(), is_alive=lambda: True)
    first.play()
    assert wait_for(lambda: first.snapshot(0)["step"] >= 1)
    tab = {"open": True}
    leaving = hall.RemoteTrainer(CONFIG, dataset=tiny_digits(), is_alive=lambda: tab["open"])
    second = hall.RemoteTrainer(CONFIG, dataset=tiny_digits(), is_alive=lambda: True)
    leaving.play()
    second.play()
    snap = second.snapshot(0)
    assert snap["status"] == Status.QUEUED and snap["queue_position"] == 2 and snap["waiting"] == 2
    typed = HallSnapshot.__required_keys__
    assert typed <= set(snap) <= typed | HallSnapshot.__optional_keys__  # the snapshot has the keys of its type
    assert set(first.snapshot(0)) - set(snap) == {"worker"} and set(snap["queue"]) == LineNotice.__required_keys__
    assert snap["queue"]["running"] == 1 and snap["queue"]["wait_s"] is None  # one slot frees before it: unknown
    tab["open"] = False  # the tab closes: it leaves the line within a heartbeat
    assert wait_for(lambda: second.snapshot(0)["queue_position"] == 1, 5)
    assert 0 < second.snapshot(0)["queue"]["wait_s"] <= CONFIG.seconds  # the runner's time limit
    # the worker dies: its run says so in words, and the next in line gets the next worker
    os.killpg(w1.pid, signal.SIGKILL)
    assert wait_for(lambda: first.snapshot(0)["status"] == Status.ERROR, 2 * hall.WORKER_TTL_S + 5)
    assert "stopped answering" in first.snapshot(0)["message"]
    assert second.snapshot(0)["status"] == Status.QUEUED
    workers("w1")  # started again under the same name (a supervisor, a pod): not the worker that ran `first`
    assert wait_for(lambda: second.snapshot(0)["step"] >= 1)
    assert hall.unpack(hall.client().get(hall.job_key(second.job, "snap")))["worker"] == "w1"
    assert first.snapshot(0)["status"] == Status.ERROR and "stopped answering" in first.snapshot(0)["message"]
    second.close()


def test_paused_past_the_limit_gives_the_worker_back_and_resumes_from_its_weights(workers):
    workers("w1", CONVLAB_PAUSED_RELEASE_S="2")
    run = hall.RemoteTrainer(CONFIG, dataset=tiny_digits(), is_alive=lambda: True)
    run.step(4)
    assert wait_for(lambda: run.snapshot(0)["step"] == 4 and not run.snapshot(0)["pending"])
    assert wait_for(lambda: run.snapshot(0)["gave_slot_back"], 15)
    assert run.snapshot(0)["status"] == Status.PAUSED
    assert wait_for(lambda: not hall.holder_alive(hall.client(), run.job)[1], 10)  # published first, then let go
    assert hall.client().exists(hall.job_key(run.job, "state"))
    run.step(2)  # back in line, taken again, trained on from step 4 with its curve
    assert wait_for(lambda: run.snapshot(0)["step"] == 6 and not run.snapshot(0)["pending"])
    assert run.snapshot(0)["history"]["step"] == [1, 2, 3, 4, 5, 6]
    run.close()


def test_redis_restart_needs_no_restart_of_pages_or_workers(workers, redis_server):
    workers("w1")
    run = hall.RemoteTrainer(CONFIG, dataset=tiny_digits(), is_alive=lambda: True)
    run.play()
    assert wait_for(lambda: run.snapshot(0)["step"] >= 5)
    redis_server.stop()
    down = run.snapshot(0)
    assert down.get("hall_unavailable") and down["step"] >= 5  # the last view stays, with the reason
    with pytest.raises(hall.HallUnavailable):
        run.pause()
    redis_server.start()  # empty: the worker's heartbeat and snapshots put the run back
    assert wait_for(lambda: not run.snapshot(0).get("hall_unavailable") and run.snapshot(0)["step"] > down["step"],
                    30)
    assert wait_for(lambda: hall.find_run(run.run_id) is not None, 5)  # watch links work again
    run.pause()
    assert wait_for(lambda: run.snapshot(0)["status"] == Status.PAUSED)
    run.close()


def test_a_worker_told_to_stop_hands_its_training_to_the_next(workers):
    """A rolling update or a scale-down (SIGTERM): the run goes back to the head of the line with its weights, and
    the next worker trains on from the same step."""
    w1 = workers("w1")
    run = hall.RemoteTrainer(CONFIG, dataset=tiny_digits(), is_alive=lambda: True)
    run.play()
    assert wait_for(lambda: run.snapshot(0)["step"] >= 5)
    os.killpg(w1.pid, signal.SIGTERM)
    assert w1.wait(30) == 0
    handed = run.snapshot(0)
    assert handed["status"] == Status.QUEUED and handed["queue_position"] == 1
    workers("w2")
    assert wait_for(lambda: run.snapshot(0)["step"] > handed["step"] and run.snapshot(0)["status"] == Status.RUNNING)
    steps = run.snapshot(0)["history"]["step"]
    assert steps == list(range(1, len(steps) + 1))  # the curve goes on from where it was: no step lost or twice
    run.close()


@pytest.mark.parametrize("model", ["ae", "ae-transpose", "vae", "dcgan", "cnn"])
def test_every_models_snapshot_and_samples_cross_redis(model):
    """What a worker publishes, for every model the pages train: packed and unpacked whole (a sample the codec
    cannot carry would stop the run on its worker)."""
    from engine import training
    trainer = training.Trainer(TrainConfig(model=model, dataset="builtin", seconds=60, batch_size=32),
                               dataset=tiny_digits())
    trainer.step(2)
    assert wait_for(lambda: trainer.snapshot()["step"] == 2 and not trainer.snapshot()["pending"]
                    and trainer.snapshot()["samples"].get("step") == 2), trainer.snapshot()["message"]
    snap = trainer.snapshot()
    back = hall.unpack(hall.pack(snap))
    assert back.keys() == snap.keys() and back["samples"].keys() == snap["samples"].keys()
    assert np.array_equal(back["samples"]["grid"], snap["samples"]["grid"])
    assert hall.unpack(hall.pack(trainer.model_state()))["step"] == 2
    trainer.close()
