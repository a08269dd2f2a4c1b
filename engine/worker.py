"""Trainings in worker processes: the model lives in its own Python process, the page only reads snapshots.

A training's heavy work (Keras, its data, its graph) runs in a process started with the spawn method, so no page
run ever waits on a training step for the GIL and a training never waits on a page. `WorkerTrainer` is a
`training.Trainer` whose state machine, fair queue, history and snapshots stay in the server: only the model work
(build, a chunk of steps, samples, exports) is sent to its worker, which answers with the chunk's metrics and
samples at a fixed wall-clock rate (CHUNK_S). A worker that dies is reported in plain words and its slot is freed
by the trainer's own error path.

Memory is bounded by construction: at most MAX_WORKERS processes hold a model. When one more is needed, the
least recently used worker of a run that holds no training slot (paused past the limit, stopped, finished) hands
its weights to its trainer and ends; that run is rebuilt from them on its next Play, step or download. One spare
worker with Keras already imported waits for the next Play, so a new run does not pay the import (on a server
with room for two models or fewer, only while no other model is held).
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import threading
import time
import weakref

import numpy as np

from engine import slots, training
from engine.errors import ConvLabError, InputError
from engine.settings import Status

CHUNK_S = 0.25          # steps run in the worker between two snapshots (a Pause is honoured within this)
SAMPLE_PERIOD_S = 3.0   # samples are drawn at most this often while running (a page redraws at this period)
WORKER_NICENESS = 10   # the web server's page runs win the CPU over a training
START_TIMEOUT_S = 120.0  # a worker that cannot import Keras in this long is reported as failed


def _int_from_environment(name: str, default: int, low: int, high: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value.isdigit() and low <= int(value) <= high else default


MAX_WORKERS = _int_from_environment("CONVLAB_MAX_WORKERS", slots.capacity_from_environment() + 1, 1, 64)
SPARE_WORKERS = _int_from_environment("CONVLAB_SPARE_WORKERS", 1, 0, 8)


def in_process() -> bool:
    """CONVLAB_TRAIN_IN_PROCESS=1 trains in a thread of the server (tests that look inside a model use it)."""
    return os.environ.get("CONVLAB_TRAIN_IN_PROCESS", "") == "1"


def trainer_class() -> type[training.Trainer]:
    """Where this server's trainings run: on a lecture hall's workers (CONVLAB_REDIS_URL, `engine.hall`), in a
    worker process of this server (the default), or in a thread of it (CONVLAB_TRAIN_IN_PROCESS=1)."""
    from engine import hall
    if hall.enabled():
        return hall.RemoteTrainer
    return training.Trainer if in_process() else WorkerTrainer


def find_run(run_id):
    """The run a watch link names, wherever trainings run (None when there is none)."""
    from engine import hall
    return hall.find_run(run_id) if hall.enabled() else training.find_run(run_id)


def slot_capacity() -> int:
    """How many trainings can run at once: the hall's live workers, or this server's slots."""
    from engine import hall
    return hall.capacity() if hall.enabled() else training.SLOTS.capacity


class WorkerDied(ConvLabError):
    """The worker process ended without being asked to."""


# -- the worker process ----------------------------------------------------------------------------------------
class _Job:
    """The worker's side: one `training.Trainer` driven step by step, without a thread or a slot of its own.
    Requests other than REQUESTS are the trainer's own read-only methods (decode_latent, export_model_bytes...)."""
    REQUESTS = ("info", "run", "render")

    def __init__(self, config: training.TrainConfig, dataset, state: dict | None):
        self.trainer = training.Trainer(config, dataset=dataset)
        self.trainer._prepare()
        if state is not None:
            self.trainer.restore_model_state(state)
        self._sent_samples = None
        self._due, self._drawn_at = False, 0.0

    def info(self) -> dict:
        t = self.trainer
        return {"device": t.device, "note": t.note, "steps_per_epoch": t._steps_per_epoch, "n_train": t._n_train,
                "input_shape": t.input_shape}

    def run(self, seconds: float, mode: str, single: bool) -> dict:
        """Steps for about `seconds` (one step when `single`), until the run's limits or an error."""
        t = self.trainer
        t.status = Status.RUNNING
        start = time.monotonic()
        while True:
            step = t.step_count + 1
            self._due = self._due or step == 1 or step % t.config.sample_every == 0
            ok = t._one_step(force_sample=single, mode=mode, render=single)
            if not ok or single or t._limits_reached() or time.monotonic() - start >= seconds:
                break
        now = time.monotonic()
        if ok and not single and self._due and (t.step_count == 1 or now - self._drawn_at >= SAMPLE_PERIOD_S):
            t._make_samples()  # samples drawn more often than the page redraws would never be seen
            self._due, self._drawn_at = False, now
        return self._progress()

    def render(self) -> dict:
        self.trainer._make_samples()
        return self._progress()

    def _progress(self) -> dict:
        t = self.trainer
        samples = t.samples if t.samples is not self._sent_samples else None  # images cross only when new
        self._sent_samples = t.samples
        history, t.history = t.history, training.History()  # new points only: the server keeps the run's curves
        return {"history": history, "samples": samples, "step": t.step_count, "epoch": t.epoch,
                "elapsed": t.elapsed, "images_per_s": t.images_per_s, "status": t.status, "message": t.message}



def _serve(conn, niceness: int) -> None:
    """The worker's main loop: one request at a time, answered ("ok", value) or ("error", exception)."""
    try:  # absolute, not relative: a worker started from a lowered thread must not end up lower still
        os.setpriority(os.PRIO_PROCESS, 0, max(niceness, os.getpriority(os.PRIO_PROCESS, 0)))
    except (AttributeError, OSError):
        pass
    import keras  # noqa: F401  (imported while the worker waits, so Play does not pay for it)
    job = None
    while True:
        try:
            method, args = conn.recv()
        except (EOFError, OSError):
            return
        if method == "exit":
            return
        try:
            if method == "prepare":
                job = None  # the old model goes before the new one is built
                job = _Job(*args)
                value = job.info()
            elif job is None:
                raise InputError("Train at least one step first.")
            elif method in _Job.REQUESTS:
                value = getattr(job, method)(*args)
            else:
                value = getattr(job.trainer, method)(*args)
            reply = ("ok", value)
        except ConvLabError as exc:
            reply = ("error", exc)
        except Exception as exc:  # noqa: BLE001  (the server reports it; the worker goes on serving)
            logging.getLogger("convlab").exception("Training worker request %s failed", method)
            reply = ("error", RuntimeError(f"{type(exc).__name__}: {exc}"))
        conn.send(reply)


class Worker:
    """A spawned process that serves one model; `call()` from any thread, one request at a time."""

    def __init__(self):
        context = multiprocessing.get_context("spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child, WORKER_NICENESS), name="convlab-worker",
                                        daemon=True)
        self._process.start()
        child.close()
        self._lock = threading.Lock()

    @property
    def pid(self) -> int | None:
        return self._process.pid

    @property
    def alive(self) -> bool:
        return self._process.is_alive()

    def call(self, method: str, *args, timeout: float | None = None):
        with self._lock:
            try:
                self._conn.send((method, args))
                deadline = None if timeout is None else time.monotonic() + timeout
                while not self._conn.poll(0.2):
                    if not self._process.is_alive():
                        raise EOFError
                    if deadline is not None and time.monotonic() > deadline:
                        self.close()
                        raise WorkerDied("The training's worker process did not answer within {timeout} s and was "
                                         "stopped.", timeout=format(timeout, "g"))
                kind, value = self._conn.recv()
            except (EOFError, OSError, BrokenPipeError):
                self._process.join(1.0)
                if self._process.exitcode == -9:  # SIGKILL: the kernel's OOM killer, as a rule
                    raise WorkerDied("The training's worker process was stopped by the system, most likely for "
                                     "lack of memory. Press Reset to start again.") from None
                raise WorkerDied("The training's worker process ended unexpectedly (exit code {exitcode}). Press "
                                 "Reset to start again.", exitcode=self._process.exitcode) from None
        if kind == "error":
            raise value
        return value

    def close(self) -> None:
        """Ask the process to exit; end it if it does not within a second (it may be mid-step)."""
        try:
            if self._lock.acquire(timeout=0.05):
                try:
                    self._conn.send(("exit", ()))
                finally:
                    self._lock.release()
        except (OSError, ValueError):
            pass
        self._process.join(1.0)
        if self._process.is_alive():
            self._process.kill()
            self._process.join(1.0)
        self._conn.close()


class WorkerPool:
    """The server's worker processes: at most `limit` hold a model; `spares` wait, Keras imported, for the next."""

    def __init__(self, limit: int = MAX_WORKERS, spares: int = SPARE_WORKERS):
        self.limit, self.spares = max(1, limit), max(0, spares)
        self._lock = threading.Lock()
        self._spare: list[Worker] = []
        self._users: dict[int, weakref.ref] = {}  # id(trainer) -> the trainer, for every trainer with a worker

    def take(self, trainer: WorkerTrainer) -> Worker:
        """A worker for `trainer`; makes room by parking the least recently used idle run when at the limit. When
        every worker trains for a slot it goes one over the limit rather than wait (never a deadlock)."""
        while True:
            with self._lock:
                users = [t for t in (ref() for ref in self._users.values()) if t is not None and t is not trainer]
                victim = None
                if len(users) >= self.limit:
                    victim = min((t for t in users if t.parkable()), key=lambda t: t.last_used, default=None)
                if victim is None:
                    self._users[id(trainer)] = weakref.ref(trainer)
                    worker = self._spare.pop() if self._spare else None
                    break
            victim.park()
        return worker if worker is not None and worker.alive else Worker()

    def warm(self) -> None:
        """Start the spare workers now (a lesson that trains calls this on its first run, before any Play)."""
        self._top_up()

    def done(self, trainer: WorkerTrainer) -> None:
        with self._lock:
            self._users.pop(id(trainer), None)
        self._top_up()

    def live(self) -> int:
        with self._lock:
            return sum(ref() is not None for ref in self._users.values()) + len(self._spare)

    def _top_up(self) -> None:
        with self._lock:
            self._spare = [w for w in self._spare if w.alive]
            users = sum(ref() is not None for ref in self._users.values())
            # a spare only where it leaves room for a model besides it, or while no model is held at all: on a
            # small server it is the one TensorFlow process, not a second one beside a training's
            while len(self._spare) < self.spares and (users + len(self._spare) < self.limit - 1
                                                      or (users == 0 and not self._spare)):
                self._spare.append(Worker())

    def close(self) -> None:
        with self._lock:
            spare, self._spare = self._spare, []
        for worker in spare:
            worker.close()


POOL = WorkerPool()


class WorkerTrainer(training.Trainer):
    """A `training.Trainer` whose model lives in a worker process (see the module's docstring)."""

    def __init__(self, *args, **kwargs):
        self._worker_lock = threading.RLock()  # before Trainer.__init__, whose _reset_state() releases the worker
        super().__init__(*args, **kwargs)

    def _reset_state(self):
        self._release_worker()
        super()._reset_state()
        self._parked: dict | None = None
        self._info: dict = {}
        self.last_used = time.monotonic()

    # -- the worker --------------------------------------------------------------------------------------------
    def _call(self, method: str, *args):
        with self._worker_lock:
            if getattr(self, "_worker", None) is None:
                if self._built and self._parked is None:  # a worker that died, or parked without its weights
                    raise WorkerDied("This run's model is no longer on the server. Press Reset to train again.")
                self._start_worker()
            self.last_used = time.monotonic()
            worker = self._worker
        return worker.call(method, *args)

    def _start_worker(self):
        """A worker with this run's model: built from the config, and from the parked weights when there are."""
        self._release_worker()
        worker = POOL.take(self)
        try:
            self._info = worker.call("prepare", self.config, self._dataset, self._parked, timeout=START_TIMEOUT_S)
        except BaseException:
            worker.close()
            POOL.done(self)
            raise
        self._worker = worker
        self._finalizer = weakref.finalize(self, worker.close)
        self._parked = None

    def _release_worker(self):
        with self._worker_lock:
            worker, self._worker = getattr(self, "_worker", None), None
            finalizer = getattr(self, "_finalizer", None)
        if worker is not None:
            if finalizer is not None:
                finalizer.detach()
            worker.close()
            POOL.done(self)

    def parkable(self) -> bool:
        """True when the run neither holds a slot nor works: its worker can be given back."""
        return not self._has_slot and not self._pending and getattr(self, "_worker", None) is not None

    def park(self):
        """Keep the weights in the server and give the worker process back (see the module's docstring)."""
        with self._worker_lock:
            worker = getattr(self, "_worker", None)
            if worker is None:
                return
            try:
                self._parked = worker.call("model_state")
            except ConvLabError:
                self._parked = None
            self._release_worker()

    def close(self):
        super().close()
        self._release_worker()

    def _lower_priority(self):
        """Nothing to lower here: this thread only waits for the worker, whose process has its own niceness (a
        lowered thread would also hand its niceness down to the workers it starts)."""

    # -- the Trainer's model work, done by the worker --------------------------------------------------------
    def _prepare(self):
        self._call("info")  # starts the worker, which builds the model
        self.note = self._info["note"]
        self.device = self._info["device"]
        self._steps_per_epoch, self._n_train = self._info["steps_per_epoch"], self._info["n_train"]
        self._built = True

    @property
    def input_shape(self) -> tuple | None:
        return tuple(self._info["input_shape"]) if self._built and self._info else None

    def _one_step(self, force_sample: bool = False, mode: str = "both") -> bool:
        """A chunk of steps (one when `force_sample`: a single step) in the worker, then its results here."""
        progress = self._call("run", CHUNK_S, mode, force_sample)
        return self._apply(progress)

    def _make_samples(self):
        if self._built:
            self._apply(self._call("render"))

    def _apply(self, progress: dict) -> bool:
        chunk: training.History = progress["history"]
        with self._cond:
            for i, step in enumerate(chunk.step):
                self.history.add(step, chunk.epoch[i], {k: v[i] for k, v in chunk.values.items()})
            self.step_count, self.epoch, self.elapsed = progress["step"], progress["epoch"], progress["elapsed"]
            self.images_per_s = progress["images_per_s"]
            if progress["samples"] is not None:
                self._publish_samples(progress["samples"])
            if progress["status"] == Status.ERROR:
                self.status, self.message = Status.ERROR, progress["message"]
                return False
        return True

    def decode_latent(self, z) -> np.ndarray:
        if not self._built:  # the task refuses a model without a latent space
            raise InputError("Latent decoding needs a VAE that has started training.")
        return self._call("decode_latent", np.asarray(z, np.float32))

    def held_out(self, index: int) -> tuple[np.ndarray, int]:
        if not self._built:
            raise InputError("Train at least one step first.")
        return self._call("held_out", int(index))

    def latent_grid(self, n: int = 8, span: float = 2.5) -> np.ndarray:
        return self._call("latent_grid", n, span)

    def export_model_bytes(self) -> bytes:
        if not self._built:
            raise InputError("Train at least one step before exporting the model.")
        return self._call("export_model_bytes")

    def export_model(self, path):
        from pathlib import Path
        path = Path(path)
        path.write_bytes(self.export_model_bytes())
        return path

    def samples_array(self, n: int = 64, label: int | None = None) -> np.ndarray:
        if not self._built:
            raise InputError("Train at least one step first.")
        return self._call("samples_array", n, label)

    def model_state(self) -> dict:
        if self._parked is not None:
            return self._parked
        return self._call("model_state")


def main(argv: list[str] | None = None) -> None:
    """`python -m engine.worker --redis redis://host:6379/0`: a lecture hall's training worker (engine.hall_worker)."""
    import argparse

    parser = argparse.ArgumentParser(description="A ConvLab training worker: takes trainings from Redis' line.")
    parser.add_argument("--redis", default=os.environ.get("CONVLAB_REDIS_URL", ""),
                        help="Redis URL (default: CONVLAB_REDIS_URL)")
    parser.add_argument("--id", default=None, help="a name for this worker (default: host-pid)")
    args = parser.parse_args(argv)
    if not args.redis:
        parser.error("a worker needs Redis: --redis redis://host:6379/0 or CONVLAB_REDIS_URL")
    from engine import hall_worker
    hall_worker.main(args.redis, args.id)


if __name__ == "__main__":
    main()


__all__ = ["CHUNK_S", "MAX_WORKERS", "POOL", "Worker", "WorkerDied", "WorkerPool", "WorkerTrainer",
           "find_run", "in_process", "main", "slot_capacity", "trainer_class"]
