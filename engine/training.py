"""Trainer: trains one model in a background thread owned by one user session (never calls Streamlit).

play / pause / single step (for the GAN: both networks, D only or G only) / stop / reset; metrics (losses,
real/fake accuracy, images/s, ETA), periodic samples, NaN/inf detection, model export (.keras) and a
GIF of the samples over time. A fair server-wide queue (engine.slots) limits how many trainings run at once; a
paused run gives its slot back after PAUSED_RELEASE_S, a run whose session is gone at once. Any run can be
watched read-only by its id (`find_run`).
"""
from __future__ import annotations

import io
import logging
import math
import os
import secrets
import threading
import time
import weakref
from collections import deque
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from engine import data as datasets
from engine import slots
from engine.errors import ConvLabError, InputError, Message, shown
from engine.memory import release_library_pages
from engine.settings import (  # noqa: F401  (the trainer's public names, as callers import them)
    AE_PRESET_LABELS,
    AE_PRESETS,
    CNN_EVAL_IMAGES,
    CNN_LEARNING_RATE,
    CNN_MISTAKES,
    ENDED,
    GAN_LOSSES,
    GAN_MODES,
    GAN_RECIPE,
    GAN_RECIPE_GPU,
    GENERATIVE_MODELS,
    MODEL_LABELS,
    MODELS,
    VAE_BETA,
    VAE_LEARNING_RATE,
    LineNotice,
    Snapshot,
    Status,
    TrainConfig,
    default_learning_rate,
    gan_recipe,
)
from engine.tasks import TASKS, Data, Task, knn_accuracy  # noqa: F401  (knn_accuracy: callers import it from here)

# A paused run gives its slot back after this long (and queues again on Play); a run whose browser session has
# been gone this long is stopped.
PAUSED_RELEASE_S = float(os.environ.get("CONVLAB_PAUSED_RELEASE_S", "60"))
ABANDONED_AFTER_S = 3.0
HISTORY_POINTS = 4000  # loss-curve points kept per metric; older ones are thinned out by halves
RELEASE_PAGES_AFTER_STEP = 5  # library code used only while the first steps build the graph leaves RSS then
SLOTS = slots.SlotQueue(slots.capacity_from_environment(), on_grant=lambda trainer: trainer._slot_granted(),
                        wanted=lambda trainer: trainer.wants_slot(), on_drop=lambda trainer: trainer._left_line())
_RUNS: weakref.WeakValueDictionary = weakref.WeakValueDictionary()  # run id -> Trainer, for watchers
# Divergence without NaN: a loss this large has exploded (BCE of a sigmoid is at most ~16 with Keras' clipping).
LOSS_EXPLODED = 1e4
# A GAN whose D loss stays below this while G's stays above that, this many steps running, has collapsed.
GAN_COLLAPSE_D_LOSS, GAN_COLLAPSE_G_LOSS, GAN_COLLAPSE_STEPS = 1e-3, 15.0, 100


def _lower_thread_priority(niceness: int = 10) -> None:
    """Let the web server's threads win the CPU over this training thread (Linux: per-thread nice value)."""
    try:
        thread = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, thread, max(niceness, os.getpriority(os.PRIO_PROCESS, thread)))
    except (AttributeError, OSError):
        pass


def moving_average(values, window: int) -> np.ndarray:
    """Trailing mean over the last `window` finite values at each point (NaN where none is finite yet): the GAN's
    per-step accuracies jump between 0 and 1 and read as noise unless averaged.

    Examples
    --------
    >>> moving_average([1, 0, 1, float("nan"), 1], 2).tolist()
    [1.0, 0.5, 0.5, 1.0, 1.0]
    """
    x = np.asarray(values, dtype=float)
    ok = np.isfinite(x)
    sums = np.concatenate([[0.0], np.cumsum(np.where(ok, x, 0.0))])
    counts = np.concatenate([[0], np.cumsum(ok)])
    hi = np.arange(1, len(x) + 1)
    lo = np.maximum(hi - max(1, int(window)), 0)
    n = counts[hi] - counts[lo]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 0, (sums[hi] - sums[lo]) / np.maximum(n, 1), np.nan)


@dataclass
class History:
    """Loss and accuracy curves, step by step; thinned by halves past HISTORY_POINTS points."""
    step: list = field(default_factory=list)
    epoch: list = field(default_factory=list)
    values: dict = field(default_factory=dict)   # metric name -> list aligned with step

    def add(self, step: int, epoch: float, metrics: dict, cap: int = HISTORY_POINTS):
        self.step.append(step)
        self.epoch.append(epoch)
        for k, v in metrics.items():
            self.values.setdefault(k, [math.nan] * (len(self.step) - 1)).append(float(v))
        for k in self.values:
            if len(self.values[k]) < len(self.step):
                self.values[k].append(math.nan)
        if len(self.step) > cap:  # thin evenly so memory stays bounded on long runs
            self.step, self.epoch = self.step[::2], self.epoch[::2]
            self.values = {k: v[::2] for k, v in self.values.items()}

    def update_last(self, metrics: dict):
        """Set values at the newest step (held-out scores computed after the step was recorded)."""
        if self.step:
            for k, v in metrics.items():
                self.values.setdefault(k, [math.nan] * len(self.step))[-1] = float(v)


def find_run(run_id) -> Trainer | None:
    """The run with this id (from a "watch" link), or None; ids are opaque, so anything else finds nothing.

    >>> find_run("no-such-run") is None
    True
    """
    if not isinstance(run_id, str) or not 8 <= len(run_id) <= 64:
        return None
    return _RUNS.get(run_id)


class Trainer:
    """One training run in a background thread: play, pause, step, stop and reset from any thread, a snapshot for
    the page and exports. Runs only while it holds one of the server's slots (SLOTS, a fair queue).

    `is_alive` (optional) says whether the browser session that owns the run is still there; a run whose session
    has been gone for ABANDONED_AFTER_S is stopped and gives its slot back."""
    def __init__(self, config: TrainConfig, dataset: datasets.Dataset | None = None,
                 is_alive: Callable[[], bool] | None = None, run_id: str | None = None):
        self.config = config.validate()
        self._dataset = dataset
        self._is_alive = is_alive
        self._cond = threading.Condition()
        self._shared_lock, self._shared = threading.Lock(), None  # shared_snapshot(): (taken at, snapshot)
        self._thread: threading.Thread | None = None
        self.run_id = run_id or secrets.token_urlsafe(9)  # kept across Reset: watchers follow the next run
        _RUNS[self.run_id] = self
        self._reset_state()

    def _reset_state(self):
        self.status = Status.IDLE          # idle, queued, preparing, running, paused, stopped, finished, error
        self.message = ""
        self.note = ""
        self.step_count = 0
        self.epoch = 0.0
        self.elapsed = 0.0
        self.images_per_s = 0.0
        self.history = History()
        self.samples: dict = {}
        self.frames: list[np.ndarray] = []
        self.device = ""
        self._stop = False
        self._pending: deque[str] = deque()  # single steps asked for: "both", "d" or "g"
        self._paused_since = None
        self._gone_since = None
        self._built = False
        self._collapse_streak = 0
        self._want_running = False
        self._has_slot = False
        # built by _prepare() in the worker thread
        self.task: Task | None = None  # the model's half of the training (engine.tasks)
        self._x = self._x_test = None
        self._rng = self._order = None
        self._n_train = self._bs = self._steps_per_epoch = self._cursor = 0
        self._t_last = 0.0

    # -- controls (any thread) ------------------------------------------------------------------
    def play(self):
        with self._cond:
            if self.status in ENDED:
                return
            self._want_running = True
            self._demand_slot()

    def pause(self):
        with self._cond:
            self._want_running = False
            if self.status in (Status.RUNNING, Status.QUEUED):
                self.status = Status.PAUSED if self._built else (Status.IDLE if not self._has_slot else self.status)
                self._paused_since = time.monotonic()
            leave_line = not self._pending and not self._has_slot
            self._cond.notify_all()
        if leave_line:
            SLOTS.release(self)  # nothing to run: give up the place in line

    def step(self, n: int = 1, mode: str = "both"):
        """Queue `n` single iterations; for the DCGAN `mode` "d" or "g" trains only that network."""
        if mode not in GAN_MODES:
            raise InputError("Unknown step {mode}; choose one of {gan_modes}.", mode=repr(mode),
                             gan_modes=", ".join(GAN_MODES))
        with self._cond:
            if self.status in ENDED:
                return
            self._want_running = False
            self._pending.extend([mode] * max(1, min(int(n), 1000)))
            if self.status == Status.RUNNING:
                self.status = Status.PAUSED
                self._paused_since = time.monotonic()
            self._demand_slot()

    def stop(self, message: str = "Stopped."):
        with self._cond:
            self._stop = True
            if self.status not in (Status.FINISHED, Status.ERROR):
                self.status = Status.STOPPED
                self.message = message
            self._cond.notify_all()
        self._give_back_slot()

    def reset(self, config: TrainConfig | None = None):
        self.stop()
        self.join(timeout=30)
        with self._cond:
            if config is not None:
                self.config = config.validate()
            self._thread = None
            self._reset_state()

    def close(self):
        """Stop for good and free what the run holds (a worker process, for `engine.worker.WorkerTrainer`)."""
        self.stop()
        self.join(timeout=30)

    def join(self, timeout: float | None = None):
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    @property
    def input_shape(self) -> tuple | None:
        """(H, W, C) of the images the model takes, once built."""
        return tuple(self._x.shape[1:]) if self._built else None

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- the slot (fair queue) ------------------------------------------------------------------
    def _demand_slot(self):
        """Called with the lock held: hold a slot (now or when our turn comes) and wake the worker."""
        if not self._has_slot:
            if SLOTS.request(self):
                self._has_slot = True
            else:
                self.status = Status.QUEUED
        if self._has_slot:
            self._on_slot_locked()
        self._cond.notify_all()

    def _on_slot_locked(self):
        if self._thread is None:
            self.status = Status.PREPARING
            self._thread = threading.Thread(target=self._thread_main, name="convlab-trainer", daemon=True)
            self._thread.start()
        elif self.status in (Status.QUEUED, Status.PAUSED, Status.IDLE) and self._built:
            self.status = Status.RUNNING if self._want_running else Status.PAUSED
        elif self.status == Status.QUEUED:
            self.status = Status.PREPARING

    def _slot_granted(self):
        """SLOTS calls this when our turn has come (from whichever thread released a slot)."""
        with self._cond:
            if self._stop:
                SLOTS.release(self)
                return
            self._has_slot = True
            self._on_slot_locked()
            self._cond.notify_all()

    def _give_back_slot(self):
        with self._cond:
            self._has_slot = False
        SLOTS.release(self)

    def wants_slot(self) -> bool:
        """False once the run is stopped, has nothing to do, or its session is not connected now (SLOTS skips it
        then). Takes no lock: SLOTS asks while holding its own."""
        return not self._stop and (self._want_running or bool(self._pending)) and not self._session_gone(grace=0)

    def _left_line(self):
        """SLOTS skipped us (our tab was not connected when our turn came): back to where we were, not waiting."""
        with self._cond:
            self._want_running = False
            self._pending.clear()
            if self.status == Status.QUEUED:
                self.status = Status.PAUSED if self._built else Status.IDLE
                self._paused_since = time.monotonic()

    def _session_gone(self, grace: float | None = None) -> bool:
        """True when the owning session has been gone `grace` seconds (ABANDONED_AFTER_S by default)."""
        if self._is_alive is None:
            return False
        try:
            alive = bool(self._is_alive())
        except Exception:  # a liveness probe that fails must not stop a class's run
            alive = True
        if alive:
            self._gone_since = None
            return False
        self._gone_since = self._gone_since or time.monotonic()
        return time.monotonic() - self._gone_since >= (ABANDONED_AFTER_S if grace is None else grace)

    def queue_position(self) -> int | None:
        return SLOTS.position(self)

    def _thread_main(self):
        self._lower_priority()
        try:
            self._prepare()
            with self._cond:
                if self.status == Status.PREPARING:
                    self.status = Status.RUNNING if self._want_running else Status.PAUSED
                    self._paused_since = time.monotonic()
            self._loop()
        except ConvLabError as exc:  # a dataset or setting the engine refused: its message is for the user
            with self._cond:
                self.status = Status.ERROR
                self.message = exc.message
        except Exception as exc:  # the page shows it; the server keeps running, the log keeps the traceback
            logging.getLogger("convlab").exception("Training failed")
            with self._cond:
                self.status = Status.ERROR
                self.message = Message("Training failed: {kind}: {exc}", kind=type(exc).__name__,
                                       exc=shown(str(exc), 200))
        finally:
            self._give_back_slot()

    def _lower_priority(self):
        """The training thread yields the CPU to the web server's threads."""
        _lower_thread_priority()

    # -- snapshot for the UI --------------------------------------------------------------------
    def snapshot(self) -> Snapshot:
        in_use, waiting = SLOTS.counts()
        with self._cond:
            steps_per_epoch = self._steps_per_epoch
            return {
                "status": self.status, "message": self.message, "note": self.note, "step": self.step_count,
                "epoch": self.epoch, "elapsed": self.elapsed, "images_per_s": self.images_per_s,
                "eta": self._eta(), "device": self.device, "steps_per_epoch": steps_per_epoch,
                "history": {"step": list(self.history.step), "epoch": list(self.history.epoch),
                            **{k: list(v) for k, v in self.history.values.items()}},
                "samples": dict(self.samples), "frames": len(self.frames), "config": asdict(self.config),
                "queue_position": SLOTS.position(self), "slots_in_use": in_use, "waiting": waiting,
                "slots": SLOTS.capacity, "has_slot": self._has_slot, "run_id": self.run_id,
                "pending": len(self._pending),
                "gave_slot_back": self.status == Status.PAUSED and not self._has_slot and self._built,
                "queue": self.queue_details() if self.status == Status.QUEUED else None,
            }

    def queue_details(self) -> LineNotice:
        """Who holds the server's slots, for the line's notice: how many run and how many are paused, the seconds
        until the soonest paused one gives its slot back, and an estimated wait for this run's place in line (the
        time until that many slots free up, from the holders' time limits and pause clocks; None when unknown)."""
        now, holders = time.monotonic(), []
        for holder in SLOTS.holders():
            if holder is not self:
                paused = holder.status == Status.PAUSED and holder._paused_since is not None and not holder._pending
                holders.append((now - holder._paused_since, None) if paused else (None, holder._eta()))
        return slots.line_notice(holders, SLOTS.position(self), PAUSED_RELEASE_S)

    def shared_snapshot(self, max_age_s: float = 0.5) -> Snapshot:
        """The run's latest snapshot as its watchers see it: taken at most once every `max_age_s` for all of them
        together, so fifty watchers cost the training one copy of its history under its lock twice a second, not
        fifty. Read-only: every watcher gets the same dict."""
        with self._shared_lock:
            now = time.monotonic()
            if self._shared is None or now - self._shared[0] >= max_age_s:
                self._shared = (now, self.snapshot())
            return self._shared[1]

    def _eta(self) -> float | None:
        remaining = []
        if self.config.seconds:
            remaining.append(max(self.config.seconds - self.elapsed, 0.0))
        if self.config.epochs and self.images_per_s > 0 and self._n_train:
            remaining.append(max(self.config.epochs - self.epoch, 0) * self._n_train / self.images_per_s)
        return min(remaining) if remaining else None

    # -- the worker thread ----------------------------------------------------------------------
    def _idle_checks_locked(self):
        """While waiting: give the slot back after PAUSED_RELEASE_S paused; stop when the session is gone."""
        if self._session_gone():
            self._stop = True
            self.status = Status.STOPPED
            self.message = Message("Stopped: the browser tab that started this training was closed.")
            return
        if (self._has_slot and not self._want_running and not self._pending and self._paused_since
                and time.monotonic() - self._paused_since >= PAUSED_RELEASE_S):
            self._has_slot = False
            # under our lock, so a Play pressed now cannot see a slot the queue no longer counts. No deadlock: the
            # queue calls back only waiting trainers, and one that holds a slot is not waiting
            SLOTS.release(self)

    def _loop(self):
        last_check = time.monotonic()
        while True:
            if self._built and not self._want_running and self.samples.get("step") != self.step_count:
                self._make_samples()  # paused between two sample steps: show what the model does now
            with self._cond:
                while not self._stop and not (self._has_slot and (self._want_running or self._pending)):
                    self._cond.wait(timeout=0.5)
                    self._idle_checks_locked()
                if not self._stop and time.monotonic() - last_check >= 1.0:
                    last_check = time.monotonic()
                    self._idle_checks_locked()
                if self._stop:
                    return
                single = not self._want_running
                mode = self._pending[0] if single else "both"  # counted as pending until it is done (the page
            if not self._one_step(force_sample=single, mode=mode):  # reruns when the count drops: then the step
                return                                              # and its samples are there to show)
            if single:
                with self._cond:
                    if self._pending:
                        self._pending.popleft()
                    self._paused_since = time.monotonic()  # the pause clock counts from the last single step
            if self._limits_reached():
                with self._cond:
                    self.status = Status.FINISHED
                    self.message = Message("Finished after {step_count} steps ({epoch} epochs).",
                                           step_count=self.step_count, epoch=format(self.epoch, ".2f"))
                self._make_samples()
                return

    def run_blocking(self, on_progress=None, progress_every: float = 2.0) -> None:
        """Train in the calling thread until the epoch/seconds limit (used by the command line)."""
        self._prepare()
        self.status = Status.RUNNING
        last = time.monotonic()
        while not self._limits_reached():
            if not self._one_step():
                break
            if on_progress and time.monotonic() - last >= progress_every:
                last = time.monotonic()
                on_progress(self.snapshot())
        if self.status == Status.RUNNING:
            self.status = Status.FINISHED
        self._make_samples()

    def _limits_reached(self) -> bool:
        c = self.config
        return bool((c.seconds and self.elapsed >= c.seconds) or (c.epochs and self.epoch >= c.epochs))

    # -- model work (worker thread only) --------------------------------------------------------
    def _prepare(self):
        import keras

        from engine import device

        c = self.config
        task_class = TASKS[c.model]
        data = self._dataset or datasets.load_dataset(c.dataset)
        self.note = data.note
        y, classes = task_class.labels(data, c)
        self._x, self._x_test = (task_class.scaled(task_class.prepared(x, c)) for x in (data.x_train, data.x_test))
        self._n_train = len(self._x)
        bs = min(c.batch_size, self._n_train)
        self._bs = bs
        self._steps_per_epoch = max(1, self._n_train // bs)
        self._rng = np.random.default_rng(c.seed)
        self._order = self._rng.permutation(self._n_train)
        self._cursor = 0
        shape = self._x.shape[1:]
        pad = [(0, 0)] + [(0, (-s) % 4) for s in shape[:2]] + [(0, 0)]
        if any(p[1] for p in pad[1:3]) and task_class.pad_fill is not None:  # H, W divisible by 4 for up-sampling
            self._x = np.pad(self._x, pad, constant_values=task_class.pad_fill)
            self._x_test = np.pad(self._x_test, pad, constant_values=task_class.pad_fill)
            shape = self._x.shape[1:]
        self.device = f"{device.framework_accelerator()} · Keras {keras.__version__} on {keras.backend.backend()}"
        task = task_class(c, Data(self._x, self._x_test, y, data.y_test, classes), self._rng)
        task.build(shape)
        self.task = task
        self._built = True
        self._t_last = time.monotonic()

    def _next_indices(self) -> np.ndarray:
        if self._cursor + self._bs > self._n_train:
            self._order = self._rng.permutation(self._n_train)
            self._cursor = 0
        idx = self._order[self._cursor: self._cursor + self._bs]
        self._cursor += self._bs
        return idx

    def _next_batch(self) -> np.ndarray:
        return self._x[self._next_indices()]

    def _one_step(self, force_sample: bool = False, mode: str = "both", render: bool = True) -> bool:
        """One iteration; its samples are drawn with it when due (every `sample_every` steps), unless not `render`
        (a worker draws them on a wall-clock cadence instead)."""
        t0 = time.perf_counter()
        idx = self._next_indices()
        batch = self._x[idx]
        metrics = self.task.train_step(batch, idx, mode, lambda k: [self._next_indices() for _ in range(k)])
        dt = time.perf_counter() - t0
        if self.step_count + 1 == RELEASE_PAGES_AFTER_STEP:  # the first steps trace and optimise the graph
            release_library_pages()
        diverged = self._divergence(metrics)
        step = self.step_count + 1
        due = force_sample or (render and (step % self.config.sample_every == 0 or step == 1))
        samples = self._render_samples(step) if due and not diverged else None  # published with the step below
        with self._cond:
            self.step_count += 1
            self.elapsed += dt
            self.epoch = self.step_count / self._steps_per_epoch
            rate = len(batch) / max(dt, 1e-9)
            self.images_per_s = rate if self.step_count < 3 else 0.9 * self.images_per_s + 0.1 * rate
            if diverged:
                self.status = Status.ERROR
                self.message = diverged
                return False
            self.history.add(self.step_count, self.epoch, metrics)
            if samples is not None:
                self._publish_samples(samples)
        return True

    def _divergence(self, metrics: dict) -> str | None:
        """Why training cannot go on, or None: a loss that is NaN or infinite, one that exploded past
        LOSS_EXPLODED, or a GAN whose discriminator has won outright for GAN_COLLAPSE_STEPS steps in a row
        (D's loss near 0, G's loss huge: G gets no useful gradient any more)."""
        step = self.step_count + 1
        for name, value in metrics.items():
            if name.endswith("loss") and (not math.isfinite(value) or abs(value) > LOSS_EXPLODED):
                message = Message("The {loss} became {value} at step {step}: training diverged. The learning rate "
                                  "({learning_rate}) is probably too high; press Reset and try a smaller one.",
                                  loss=name.replace("_", " "), value=format(value, ".4g"), step=step,
                                  learning_rate=format(self.config.learning_rate, "g"))
                return message
        if "d_loss" in metrics:
            won = metrics["d_loss"] < GAN_COLLAPSE_D_LOSS and metrics["g_loss"] > GAN_COLLAPSE_G_LOSS
            self._collapse_streak = self._collapse_streak + 1 if won else 0
            if self._collapse_streak >= GAN_COLLAPSE_STEPS:
                message = Message("The discriminator has won outright for {gan_collapse_steps} steps (D loss "
                                  "{d_loss}, G loss {g_loss} at step {step}): the generator no longer learns. Press "
                                  "Reset and try a smaller learning rate.", gan_collapse_steps=GAN_COLLAPSE_STEPS,
                                  d_loss=format(metrics["d_loss"], ".2g"), g_loss=format(metrics["g_loss"], ".3g"),
                                  step=step)
                return message
        return None

    def _gan_step(self, real: np.ndarray, mode: str = "both") -> dict:
        """One DCGAN iteration (tests drive it directly): the task's step on `real`."""
        return self.task.train_step(real, None, mode, lambda k: [self._next_indices() for _ in range(k)])

    def _make_samples(self):
        if not self._built:
            return
        samples = self._render_samples(self.step_count)
        with self._cond:
            self._publish_samples(samples)

    def _publish_samples(self, samples: dict):
        """With the lock held: the page sees a step's numbers and its samples together, never one without the other.
        A classifier's held-out scores join the curves at the step they were computed for."""
        self.samples = samples
        if "val_loss" in samples and self.history.step and self.history.step[-1] == samples["step"]:
            self.history.update_last({"val_loss": samples["val_loss"], "val_accuracy": samples["val_accuracy"]})
        if len(self.frames) < 120:
            self.frames.append(samples["grid"])

    def _render_samples(self, step: int) -> dict:
        return self.task.render(step)

    # -- the model's work, asked by pages and workers (read-only) ------------------------------------------------
    def _task(self) -> Task:
        if not self._built or self.task is None:
            raise InputError("Train at least one step first.")
        return self.task

    def latent_grid(self, n: int = 8, span: float = 2.5) -> np.ndarray:
        return self._task().latent_grid(n, span)

    def decode_latent(self, z) -> np.ndarray:
        """One image from a latent point (VAE only; the caller holds no lock: decoding is read-only)."""
        if not self._built:
            raise InputError("Latent decoding needs a VAE that has started training.")
        return self.task.decode_latent(z)

    def held_out(self, index: int) -> tuple[np.ndarray, int]:
        """Held-out image `index` (H, W, C) and its label, as the model sees it (read-only)."""
        return self._task().held_out(index)

    def model_state(self) -> dict:
        """The trained weights (and the counters they belong to), to rebuild this run elsewhere: a training worker
        that gives its process back keeps this. Optimizer moments are not kept: Adam warms up again on resume."""
        task = self._task()
        return {"weights": task.weights(), "step": self.step_count, "epoch": self.epoch, "elapsed": self.elapsed,
                **task.extra_state()}

    def restore_model_state(self, state: dict) -> None:
        """The inverse of `model_state()`, on a run built (`_prepare`) with the same config."""
        self._task().set_weights(state["weights"], state)
        self.step_count, self.epoch, self.elapsed = state["step"], state["epoch"], state["elapsed"]

    # the task's Keras models, by their usual names (tests and scripts look at them)
    model = property(lambda self: getattr(self.task, "model", None))
    encoder = property(lambda self: getattr(self.task, "encoder", None))
    decoder = property(lambda self: getattr(self.task, "decoder", None))
    generator = property(lambda self: getattr(self.task, "generator", None))
    discriminator = property(lambda self: getattr(self.task, "discriminator", None))
    gan = property(lambda self: getattr(self.task, "gan", None))

    # -- files ----------------------------------------------------------------------------------
    def _main_model(self):
        """What a download holds (the task says: built from Keras' own layers only, so that plain Keras loads it)."""
        return self.task.main_model()

    def export_model(self, path) -> Path:
        if not self._built:
            raise InputError("Train at least one step before exporting the model.")
        path = Path(path)
        self._main_model().save(path)
        return path

    def export_model_bytes(self) -> bytes:
        import tempfile
        with tempfile.TemporaryDirectory() as tmp:
            return self.export_model(Path(tmp) / "model.keras").read_bytes()

    def gif_bytes(self, scale: int = 3, ms_per_frame: int = 150) -> bytes:
        from PIL import Image
        if not self.frames:
            raise InputError("No samples yet: train a few steps first.")
        with self._cond:
            frames = list(self.frames)
        pil = [Image.fromarray((np.clip(f, 0, 1) * 255).astype(np.uint8)).resize(
            (f.shape[1] * scale, f.shape[0] * scale), Image.Resampling.NEAREST) for f in frames]
        buf = io.BytesIO()
        pil[0].save(buf, "GIF", save_all=True, append_images=pil[1:], duration=ms_per_frame, loop=0)
        return buf.getvalue()

    def samples_array(self, n: int = 64, label: int | None = None) -> np.ndarray:
        """n generated (GAN, VAE) or reconstructed (AE) images in [0, 1], (n, H, W, C); a conditional GAN's of
        class `label` when given."""
        task = self._task()
        return task.samples_array(n) if label is None else task.samples_array(n, label=label)
