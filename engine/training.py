"""Trainer: trains one model in a background thread owned by one user session (never calls Streamlit).

play / pause / single step / stop / reset; metrics (losses, real/fake accuracy, images/s, ETA), periodic
samples, NaN/inf detection, checkpoints, model export (.keras) and a GIF of the samples over time.
A server-wide cap limits how many trainings run at once.
"""
from __future__ import annotations

import io
import json
import logging
import math
import os
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import numpy as np

from engine import data as datasets
from engine.errors import ConvLabError, InputError, Message, shown
from engine.memory import release_library_pages

MAX_CONCURRENT = int(os.environ.get("CONVLAB_MAX_TRAININGS", "2"))
PAUSED_IDLE_LIMIT_S = 600
HISTORY_POINTS = 4000  # loss-curve points kept per metric; older ones are thinned out by halves
RELEASE_PAGES_AFTER_STEP = 5  # library code used only while the first steps build the graph leaves RSS then
_slots = threading.BoundedSemaphore(MAX_CONCURRENT)
# The one registry of models and autoencoder layouts (keras-free, so pages and the CLI can list them).
MODEL_LABELS = {"ae": "AE · UpSampling2D", "ae-transpose": "AE · Conv2DTranspose", "vae": "VAE", "dcgan": "DCGAN"}
MODELS = tuple(MODEL_LABELS)
# (encoder filters, bottleneck filters), loss: "classic" is the 16-8-4 layout and loss of the original tutorial.
AE_PRESETS = {"better": ((16, 32), 8, "bce"), "classic": ((16, 8), 4, "mse")}
def default_learning_rate(model: str) -> float:
    """Adam's step size by model: 2e-4 for the DCGAN (Radford et al.), 1e-3 for the autoencoders.

    Examples
    --------
    >>> default_learning_rate('dcgan'), default_learning_rate('vae')
    (0.0002, 0.001)
    """
    return 2e-4 if model == "dcgan" else 1e-3


AE_PRESET_LABELS = {name: f"{name.capitalize()}: {f1}-{f2}-{b} + {loss.upper()}"
                    for name, ((f1, f2), b, loss) in AE_PRESETS.items()}
# Divergence without NaN: a loss this large has exploded (BCE of a sigmoid is at most ~16 with Keras' clipping).
LOSS_EXPLODED = 1e4
# A GAN whose D loss stays below this while G's stays above that, this many steps running, has collapsed.
GAN_COLLAPSE_D_LOSS, GAN_COLLAPSE_G_LOSS, GAN_COLLAPSE_STEPS = 1e-3, 15.0, 100


def _to_numpy(tensor) -> np.ndarray:
    """Any backend's tensor (PyTorch ones may carry gradients) as a NumPy array."""
    import keras
    return keras.ops.convert_to_numpy(tensor)


class TrainingBusy(ConvLabError, RuntimeError):
    """All training slots on this server are in use."""


def training_mode_forward(model):
    """`model(x, training=True)` as a compiled function where the backend has one (BatchNorm uses the batch
    statistics and updates its moving averages, as in the eager call). On TensorFlow this made the
    generator's pass for the discriminator step ~4x faster at the page's default size; PyTorch stays eager.

    Examples
    --------
    >>> import keras
    >>> model = keras.Sequential([keras.Input((3,)), keras.layers.BatchNormalization()])
    >>> forward = training_mode_forward(model)
    >>> keras.ops.convert_to_numpy(forward(np.ones((2, 3), np.float32))).tolist()  # batch statistics
    [[0.0, 0.0, 0.0], [0.0, 0.0, 0.0]]
    """
    import keras

    backend = keras.backend.backend()
    if backend == "tensorflow":
        import tensorflow as tf
        # autograph=False: nothing to convert in a model call, and autograph writes one temp file per function
        return tf.function(lambda x: model(x, training=True), autograph=False)
    if backend == "jax":
        import jax

        forward = jax.jit(lambda trainable, non_trainable, x: model.stateless_call(trainable, non_trainable, x,
                                                                                   training=True))

        def call(x):
            out, non_trainable = forward([v.value for v in model.trainable_variables],
                                         [v.value for v in model.non_trainable_variables], x)
            for variable, value in zip(model.non_trainable_variables, non_trainable):
                variable.assign(value)  # the moving averages, as the eager call would update them
            return out
        return call
    return lambda x: model(x, training=True)


def _lower_thread_priority(niceness: int = 10) -> None:
    """Let the web server's threads win the CPU over this training thread (Linux: per-thread nice value)."""
    try:
        thread = threading.get_native_id()
        os.setpriority(os.PRIO_PROCESS, thread, max(niceness, os.getpriority(os.PRIO_PROCESS, thread)))
    except (AttributeError, OSError):
        pass


@dataclass
class TrainConfig:
    """Everything that defines one training run; `validate()` refuses values outside safe ranges."""
    model: str = "ae"
    dataset: str = "mnist"
    preset: str = "better"          # autoencoders: "classic" (16-8-4, MSE) or "better"
    latent_dim: int = 2             # VAE
    noise_dim: int = 100            # DCGAN
    gan_width: float = 1.0          # DCGAN filter multiplier (1.0 = the reference layout)
    batch_size: int = 64
    learning_rate: float = 1e-3
    epochs: float | None = None     # stop after this many epochs ...
    seconds: float | None = 300.0   # ... or this many seconds of training, whichever comes first
    sample_every: int = 20          # steps between sample grids
    seed: int = 0

    def validate(self) -> TrainConfig:
        rules = [
            (self.model in MODELS, f"model must be one of {', '.join(MODELS)}"),
            (self.preset in AE_PRESETS, f"preset must be one of {', '.join(AE_PRESETS)}"),
            (1 <= self.latent_dim <= 64, "latent_dim must be between 1 and 64"),
            (1 <= self.noise_dim <= 512, "noise_dim must be between 1 and 512"),
            (0.05 <= self.gan_width <= 4, "gan_width must be between 0.05 and 4"),
            (1 <= self.batch_size <= 1024, "batch_size must be between 1 and 1024"),
            (math.isfinite(self.learning_rate) and 1e-6 <= self.learning_rate <= 1.0,
             "learning_rate must be between 1e-6 and 1"),
            (self.epochs is None or 0 < self.epochs <= 1000, "epochs must be between 0 and 1000"),
            (self.seconds is None or 0 < self.seconds <= 86_400, "seconds must be between 0 and 86,400"),
            (1 <= self.sample_every <= 10_000, "sample_every must be between 1 and 10,000"),
        ]
        for ok, rule in rules:
            if not ok:
                raise InputError("Invalid training setting: {}.", rule)
        return self


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


class Trainer:
    """One training run in a background thread: play, pause, step, stop and reset from any thread, a snapshot for
    the page, checkpoints and exports. At most MAX_CONCURRENT run per server."""
    def __init__(self, config: TrainConfig, dataset: datasets.Dataset | None = None):
        self.config = config.validate()
        self._dataset = dataset
        self._cond = threading.Condition()
        self._thread: threading.Thread | None = None
        self._holds_slot = False
        self._reset_state()

    def _reset_state(self):
        self.status = "idle"          # idle, preparing, running, paused, stopped, finished, error
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
        self._pending_steps = 0
        self._paused_since = None
        self._built = False
        self._collapse_streak = 0
        self._want_running = False
        # built by _prepare() in the worker thread
        self.model = self.encoder = self.decoder = None
        self.generator = self.discriminator = self.combined = self._fakes_for_d = None
        self._x = self._x_test = self._labels_test = self._fixed_test = self._fixed_noise = None
        self._rng = self._order = None
        self._n_train = self._bs = self._steps_per_epoch = self._cursor = 0
        self._t_last = 0.0

    # -- controls (any thread) ------------------------------------------------------------------
    def play(self):
        with self._cond:
            if self.status in ("finished", "error", "stopped"):
                return
            self._ensure_thread()
            if self.status != "preparing":  # still building: the worker switches to running when ready
                self.status = "running"
            self._want_running = True
            self._cond.notify_all()

    def pause(self):
        with self._cond:
            self._want_running = False
            if self.status == "running":
                self.status = "paused"
                self._paused_since = time.monotonic()
            self._cond.notify_all()

    def step(self, n: int = 1):
        with self._cond:
            if self.status in ("finished", "error", "stopped"):
                return
            self._want_running = False
            self._pending_steps += max(1, int(n))
            self._ensure_thread()
            if self.status == "running":
                self.status = "paused"
            self._cond.notify_all()

    def stop(self, message: str = "Stopped."):
        with self._cond:
            self._stop = True
            if self.status not in ("finished", "error"):
                self.status = "stopped"
                self.message = message
            self._cond.notify_all()

    def reset(self, config: TrainConfig | None = None):
        self.stop()
        self.join(timeout=30)
        with self._cond:
            if config is not None:
                self.config = config.validate()
            self._thread = None
            self._reset_state()

    def join(self, timeout: float | None = None):
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(timeout)

    @property
    def alive(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def _ensure_thread(self):
        if self._thread is not None:
            return
        if not _slots.acquire(blocking=False):
            raise TrainingBusy("{} trainings are already running on this server. Please wait for one to finish "
                               "(or pause it), then press Play again.", MAX_CONCURRENT)
        self._holds_slot = True
        self._want_running = False
        self.status = "preparing"
        self._thread = threading.Thread(target=self._thread_main, name="convlab-trainer", daemon=True)
        self._thread.start()

    # -- snapshot for the UI --------------------------------------------------------------------
    def snapshot(self) -> dict:
        with self._cond:
            steps_per_epoch = self._steps_per_epoch
            return {
                "status": self.status, "message": self.message, "note": self.note, "step": self.step_count,
                "epoch": self.epoch, "elapsed": self.elapsed, "images_per_s": self.images_per_s,
                "eta": self._eta(), "device": self.device, "steps_per_epoch": steps_per_epoch,
                "history": {"step": list(self.history.step), "epoch": list(self.history.epoch),
                            **{k: list(v) for k, v in self.history.values.items()}},
                "samples": dict(self.samples), "frames": len(self.frames), "config": asdict(self.config),
            }

    def _eta(self) -> float | None:
        remaining = []
        if self.config.seconds:
            remaining.append(max(self.config.seconds - self.elapsed, 0.0))
        if self.config.epochs and self.images_per_s > 0 and self._n_train:
            remaining.append(max(self.config.epochs - self.epoch, 0) * self._n_train / self.images_per_s)
        return min(remaining) if remaining else None

    # -- the worker thread ----------------------------------------------------------------------
    def _thread_main(self):
        _lower_thread_priority()
        try:
            self._prepare()
            with self._cond:
                if self.status == "preparing":
                    self.status = "running" if self._want_running else "paused"
                    self._paused_since = time.monotonic()
            self._loop()
        except ConvLabError as exc:  # a dataset or setting the engine refused: its message is for the user
            with self._cond:
                self.status = "error"
                self.message = exc.message
        except Exception as exc:  # the page shows it; the server keeps running, the log keeps the traceback
            logging.getLogger("convlab").exception("Training failed")
            with self._cond:
                self.status = "error"
                self.message = Message("Training failed: {}: {}", type(exc).__name__, shown(str(exc), 200))
        finally:
            if self._holds_slot:
                self._holds_slot = False
                _slots.release()

    def _loop(self):
        while True:
            with self._cond:
                while not self._stop and not self._want_running and self._pending_steps == 0:
                    self._cond.wait(timeout=1.0)
                    if self._paused_since and time.monotonic() - self._paused_since > PAUSED_IDLE_LIMIT_S:
                        self._stop = True
                        self.status = "stopped"
                        self.message = Message("Stopped after {} minutes paused, to free the server for others.",
                                               PAUSED_IDLE_LIMIT_S // 60)
                if self._stop:
                    return
                single = not self._want_running
                if single:
                    self._pending_steps -= 1
            if not self._one_step(force_sample=single):
                return
            if self._limits_reached():
                with self._cond:
                    self.status = "finished"
                    self.message = Message("Finished after {} steps ({} epochs).",
                                           self.step_count, format(self.epoch, ".2f"))
                self._make_samples()
                return

    def run_blocking(self, on_progress=None, progress_every: float = 2.0) -> None:
        """Train in the calling thread until the epoch/seconds limit (used by the command line)."""
        self._prepare()
        self.status = "running"
        last = time.monotonic()
        while not self._limits_reached():
            if not self._one_step():
                break
            if on_progress and time.monotonic() - last >= progress_every:
                last = time.monotonic()
                on_progress(self.snapshot())
        if self.status == "running":
            self.status = "finished"
        self._make_samples()

    def _limits_reached(self) -> bool:
        c = self.config
        return bool((c.seconds and self.elapsed >= c.seconds) or (c.epochs and self.epoch >= c.epochs))

    # -- model work (worker thread only) --------------------------------------------------------
    def _prepare(self):
        import keras

        from engine import device, models

        c = self.config
        data = self._dataset or datasets.load_dataset(c.dataset)
        self.note = data.note
        self._labels_test = data.y_test
        self._x = datasets.normalise_for(c.model, data.x_train)
        self._x_test = datasets.normalise_for(c.model, data.x_test)
        self._n_train = len(self._x)
        bs = min(c.batch_size, self._n_train)
        self._bs = bs
        self._steps_per_epoch = max(1, self._n_train // bs)
        self._rng = np.random.default_rng(c.seed)
        self._order = self._rng.permutation(self._n_train)
        self._cursor = 0
        shape = self._x.shape[1:]
        pad = [(0, 0)] + [(0, (-s) % 4) for s in shape[:2]] + [(0, 0)]
        if any(p[1] for p in pad[1:3]):  # models need H, W divisible by 4
            fill = -1.0 if c.model == "dcgan" else 0.0
            self._x = np.pad(self._x, pad, constant_values=fill)
            self._x_test = np.pad(self._x_test, pad, constant_values=fill)
            shape = self._x.shape[1:]
        self.device = f"{device.framework_accelerator()} · Keras {keras.__version__} on {keras.backend.backend()}"
        if c.model in ("ae", "ae-transpose"):
            self.model = models.build_autoencoder(shape, "transpose" if c.model == "ae-transpose" else "upsampling",
                                                  c.preset)
            self.model.compile(optimizer=keras.optimizers.Adam(c.learning_rate), loss=models.ae_loss(c.preset))
        elif c.model == "vae":
            self.model, self.encoder, self.decoder = models.build_vae(shape, c.latent_dim)
            self.model.compile(optimizer=keras.optimizers.Adam(c.learning_rate), loss="binary_crossentropy")
        else:
            self.generator, self.discriminator = models.build_dcgan(shape, c.noise_dim, c.gan_width)
            self.combined = models.compile_gan(self.generator, self.discriminator, c.learning_rate)
            self._fakes_for_d = training_mode_forward(self.generator)
            self._fixed_noise = np.random.default_rng(c.seed + 1).normal(size=(16, c.noise_dim)).astype(np.float32)
        self._fixed_test = self._x_test[:8]
        self._built = True
        self._t_last = time.monotonic()

    def _next_batch(self) -> np.ndarray:
        if self._cursor + self._bs > self._n_train:
            self._order = self._rng.permutation(self._n_train)
            self._cursor = 0
        idx = self._order[self._cursor: self._cursor + self._bs]
        self._cursor += self._bs
        return self._x[idx]

    def _one_step(self, force_sample: bool = False) -> bool:
        t0 = time.perf_counter()
        batch = self._next_batch()
        if self.config.model == "dcgan":
            metrics = self._gan_step(batch)
        else:
            metrics = {"loss": float(_to_numpy(self.model.train_on_batch(batch, batch, return_dict=True)["loss"]))}
        dt = time.perf_counter() - t0
        if self.step_count + 1 == RELEASE_PAGES_AFTER_STEP:  # the first steps trace and optimise the graph
            release_library_pages()
        diverged = self._divergence(metrics)
        with self._cond:
            self.step_count += 1
            self.elapsed += dt
            self.epoch = self.step_count / self._steps_per_epoch
            rate = len(batch) / max(dt, 1e-9)
            self.images_per_s = rate if self.step_count < 3 else 0.9 * self.images_per_s + 0.1 * rate
            if diverged:
                self.status = "error"
                self.message = diverged
                return False
            self.history.add(self.step_count, self.epoch, metrics)
        if force_sample or self.step_count % self.config.sample_every == 0 or self.step_count == 1:
            self._make_samples()
        return True

    def _divergence(self, metrics: dict) -> str | None:
        """Why training cannot go on, or None: a loss that is NaN or infinite, one that exploded past
        LOSS_EXPLODED, or a GAN whose discriminator has won outright for GAN_COLLAPSE_STEPS steps in a row
        (D's loss near 0, G's loss huge: G gets no useful gradient any more)."""
        step = self.step_count + 1
        for name, value in metrics.items():
            if name.endswith("loss") and (not math.isfinite(value) or abs(value) > LOSS_EXPLODED):
                message = Message("The {} became {} at step {}: training diverged. The learning rate ({}) is "
                                  "probably too high; press Reset and try a smaller one.",
                                  name.replace("_", " "), format(value, ".4g"), step,
                                  format(self.config.learning_rate, "g"))
                return message
        if "d_loss" in metrics:
            won = metrics["d_loss"] < GAN_COLLAPSE_D_LOSS and metrics["g_loss"] > GAN_COLLAPSE_G_LOSS
            self._collapse_streak = self._collapse_streak + 1 if won else 0
            if self._collapse_streak >= GAN_COLLAPSE_STEPS:
                message = Message("The discriminator has won outright for {} steps (D loss {}, G loss {} at step "
                                  "{}): the generator no longer learns. Press Reset and try a smaller learning "
                                  "rate.", GAN_COLLAPSE_STEPS, format(metrics["d_loss"], ".2g"),
                                  format(metrics["g_loss"], ".3g"), step)
                return message
        return None

    def _gan_step(self, real: np.ndarray) -> dict:
        n = len(real)
        z = self._rng.normal(size=(n, self.config.noise_dim)).astype(np.float32)
        fake = _to_numpy(self._fakes_for_d(z))  # training mode: see docs/KERAS3_NOTES.md
        self.discriminator.trainable = True
        d_loss = self.discriminator.train_on_batch(np.concatenate([real, fake]),
                                                   np.concatenate([np.ones((n, 1)), np.zeros((n, 1))])
                                                   .astype(np.float32))
        self.discriminator.trainable = False
        z = self._rng.normal(size=(n, self.config.noise_dim)).astype(np.float32)
        g_loss = self.combined.train_on_batch(z, np.ones((n, 1), np.float32))
        metrics = {"d_loss": float(_to_numpy(d_loss)), "g_loss": float(_to_numpy(g_loss))}
        if self.step_count % 5 == 0:  # accuracy costs two extra forward passes; sample it
            real_logits = _to_numpy(self.discriminator(real, training=False))
            fake_logits = _to_numpy(self.discriminator(fake, training=False))
            metrics["real_acc"] = float(np.mean(real_logits > 0))
            metrics["fake_acc"] = float(np.mean(fake_logits < 0))
        return metrics

    def _make_samples(self):
        if not self._built:
            return
        model = self.config.model
        to_unit = (lambda x: (x + 1) / 2) if model == "dcgan" else (lambda x: x)
        samples = {"step": self.step_count}
        if model == "dcgan":
            fake = _to_numpy(self.generator(self._fixed_noise, training=False))
            samples["grid"] = datasets.image_grid(to_unit(fake), cols=4)
        else:
            recon = _to_numpy(self.model(self._fixed_test, training=False))
            samples["originals"] = datasets.image_grid(self._fixed_test, cols=8)
            samples["grid"] = datasets.image_grid(recon, cols=8)
            if model == "vae":
                samples.update(self._vae_views())
        with self._cond:
            self.samples = samples
            if len(self.frames) < 120:
                self.frames.append(samples["grid"])

    def _vae_views(self) -> dict:
        x = self._x_test[:1000]
        z_mean = _to_numpy(self.encoder(x, training=False)[0])
        out = {"latent": z_mean[:, :2], "latent_labels": self._labels_test[: len(z_mean)]}
        if self.config.latent_dim == 2:
            out["latent_grid"] = self.latent_grid(8)
        else:
            prior = np.random.default_rng(3).normal(size=(16, self.config.latent_dim)).astype(np.float32)
            out["prior_samples"] = datasets.image_grid(_to_numpy(self.decoder(prior, training=False)), cols=8)
        return out

    def latent_grid(self, n: int = 8, span: float = 2.5) -> np.ndarray:
        axis = np.linspace(-span, span, n, dtype=np.float32)
        zs = np.array([[x, y] for y in axis[::-1] for x in axis], np.float32)
        return datasets.image_grid(_to_numpy(self.decoder(zs, training=False)), cols=n, pad=0)

    def decode_latent(self, z) -> np.ndarray:
        """One image from a latent point (VAE only; the caller holds no lock: decoding is read-only)."""
        if self.config.model != "vae" or not self._built:
            raise InputError("Latent decoding needs a VAE that has started training.")
        z = np.asarray(z, np.float32).reshape(1, -1)
        return _to_numpy(self.decoder(z, training=False))[0]

    # -- files ----------------------------------------------------------------------------------
    def _main_model(self):
        return self.generator if self.config.model == "dcgan" else self.model

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

    def samples_array(self, n: int = 64) -> np.ndarray:
        """n generated (GAN, VAE) or reconstructed (AE) images in [0, 1], (n, H, W, C)."""
        if not self._built:
            raise InputError("Train at least one step first.")
        c = self.config
        if c.model == "dcgan":
            z = np.random.default_rng(c.seed + 2).normal(size=(n, c.noise_dim)).astype(np.float32)
            return np.clip((_to_numpy(self.generator(z, training=False)) + 1) / 2, 0, 1)
        if c.model == "vae":
            z = np.random.default_rng(c.seed + 2).normal(size=(n, c.latent_dim)).astype(np.float32)
            return np.clip(_to_numpy(self.decoder(z, training=False)), 0, 1)
        return np.clip(_to_numpy(self.model(self._x_test[:n], training=False)), 0, 1)

    def save_checkpoint(self, directory) -> Path:
        """Weights of every model plus counters, history and config. Optimizer state restarts on resume."""
        directory = Path(directory)
        directory.mkdir(parents=True, exist_ok=True)
        if self.config.model == "dcgan":
            self.generator.save_weights(directory / "generator.weights.h5")
            self.discriminator.save_weights(directory / "discriminator.weights.h5")
        else:
            self.model.save_weights(directory / "model.weights.h5")
        state = {"config": asdict(self.config), "step": self.step_count, "epoch": self.epoch,
                 "elapsed": self.elapsed, "history": asdict(self.history)}
        (directory / "state.json").write_text(json.dumps(state))
        return directory

    def load_checkpoint(self, directory) -> None:
        directory = Path(directory)
        state = json.loads((directory / "state.json").read_text())
        if TrainConfig(**state["config"]).model != self.config.model:
            raise InputError("The checkpoint belongs to a different model type.")
        if not self._built:
            self._prepare()
        if self.config.model == "dcgan":
            self.generator.load_weights(directory / "generator.weights.h5")
            self.discriminator.load_weights(directory / "discriminator.weights.h5")
        else:
            self.model.load_weights(directory / "model.weights.h5")
        with self._cond:
            self.step_count, self.epoch, self.elapsed = state["step"], state["epoch"], state["elapsed"]
            self.history = History(**state["history"])
