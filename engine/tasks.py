"""One task per model: what each model the pages train does in a training (build it, take one step, draw its samples
and views, export it, hand over its weights). `training.Trainer` owns the thread, the state machine, the line, the
data and the snapshots and names no model: it asks `TASKS[config.model]`.

A task gets its data already prepared by the trainer (`Data`: images scaled as `data_range` asks, padded to a
multiple of four where `pad_fill` says with what) and builds its Keras models in `build()`.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine import cnn
from engine import data as datasets
from engine.errors import InputError
from engine.settings import CNN_EVAL_IMAGES, CNN_MISTAKES, LATENT_MAP_IMAGES, TrainConfig

KERNEL_HISTORY_POINTS = 400  # the CNN's kernel-similarity history, thinned by halves past this


def to_numpy(tensor) -> np.ndarray:
    """Any backend's tensor (PyTorch ones may carry gradients) as a NumPy array."""
    import keras
    return keras.ops.convert_to_numpy(tensor)


def infer(model, x):
    """`model` on one batch through its compiled predict step, as NumPy: what the live views draw. Two to six times
    faster than an eager call on a CPU (`bench/render.py`), and the training thread pays for every view. Only the
    thread that trains calls it (the compiled step is made on the first call)."""
    return model.predict_on_batch(x)


def knn_accuracy(z_ref, y_ref, z_query=None, y_query=None, k: int = 5) -> float:
    """Share of query points whose k nearest reference points (Euclidean) vote for the query's label, ties to the
    smaller label: how well a latent space keeps the classes apart. Without a query set, each reference point is
    classified by the others (leave one out).

    Examples
    --------
    >>> z = np.array([[0, 0], [0, 1], [1, 0], [5, 5], [5, 6], [6, 5], [0.5, 0.5]])  # the last one sits among the 0s
    >>> round(knn_accuracy(z, np.array([0, 0, 0, 1, 1, 1, 1]), k=3), 3)
    0.857
    """
    z_ref, y_ref = np.asarray(z_ref, np.float64), np.asarray(y_ref)
    loo = z_query is None
    z_query, y_query = (z_ref, y_ref) if loo else (np.asarray(z_query, np.float64), np.asarray(y_query))
    d2 = (z_query ** 2).sum(1)[:, None] - 2 * z_query @ z_ref.T + (z_ref ** 2).sum(1)[None, :]
    if loo:
        np.fill_diagonal(d2, np.inf)
    k = min(k, len(z_ref) - loo)
    nearest = np.argpartition(d2, k - 1, axis=1)[:, :k]
    lowest = y_ref.min()
    labels = y_ref[nearest] - lowest
    counts = (labels[:, :, None] == np.arange(labels.max() + 1)).sum(1)  # votes per class, one row per query
    votes = counts.argmax(1) + lowest  # argmax takes the first of equal counts: ties to the smaller label
    return float(np.mean(votes == y_query))


@dataclass
class Data:
    """A training's images as its task needs them: x (N, H, W, C), the held-out set, their labels (-1 unknown)."""
    x: np.ndarray
    x_test: np.ndarray
    y: np.ndarray
    labels_test: np.ndarray
    classes: int = 0


class Task:
    """The model-specific half of a training. Subclasses set `data_range` ("unit": [0, 1], "tanh": [-1, 1]) and
    `pad_fill` (the value that pads H and W to a multiple of four, or None for no padding)."""
    data_range = "unit"
    pad_fill: float | None = 0.0

    def __init__(self, config: TrainConfig, data: Data, rng: np.random.Generator):
        self.config, self.data, self.rng = config, data, rng
        self.fixed_test = data.x_test[:8]

    @classmethod
    def scaled(cls, x: np.ndarray) -> np.ndarray:
        """Images in [0, 1] as the model takes them: [0, 1] (sigmoid outputs) or [-1, 1] (tanh outputs)."""
        return (x * 2 - 1).astype(np.float32) if cls.data_range == "tanh" else x.astype(np.float32)

    @classmethod
    def prepared(cls, x: np.ndarray, config: TrainConfig) -> np.ndarray:
        """Images in [0, 1] as this model learns from them, before `scaled`: the same images unless a model says
        otherwise."""
        return x

    @classmethod
    def labels(cls, dataset: datasets.Dataset, config: TrainConfig) -> tuple[np.ndarray, int]:
        """The training labels and the number of classes (0: the model does not use them)."""
        return dataset.y_train, 0

    def build(self, shape: tuple) -> None:
        raise NotImplementedError

    def train_step(self, batch: np.ndarray, idx: np.ndarray, mode: str, more_indices) -> dict:
        """One update on `batch` (its indices `idx`); `more_indices(k)` gives k more batches' indices if needed."""
        raise NotImplementedError

    def render(self, step: int) -> dict:
        """The samples and views the page shows at `step`."""
        raise NotImplementedError

    def main_model(self):
        """What a download holds, built from Keras' own layers only so that plain Keras loads it."""
        return self.model

    def weights(self) -> list:
        return [self.model.get_weights()]

    def set_weights(self, weights: list, extra: dict) -> None:
        self.model.set_weights(weights[0])

    def extra_state(self) -> dict:
        return {}

    def samples_array(self, n: int) -> np.ndarray:
        """n generated or reconstructed images in [0, 1], (n, H, W, C)."""
        return np.clip(to_numpy(self.model(self.data.x_test[:n], training=False)), 0, 1)

    # what only some models can do
    def decode_latent(self, z) -> np.ndarray:
        raise InputError("Latent decoding needs a VAE that has started training.")

    def latent_grid(self, n: int = 8, span: float = 2.5) -> np.ndarray:
        raise InputError("Latent decoding needs a VAE that has started training.")

    def held_out(self, index: int) -> tuple[np.ndarray, int]:
        return self.data.x_test[int(index)], int(self.data.labels_test[int(index)])


def _adam(rate: float, **kwargs):
    import keras
    return keras.optimizers.Adam(rate, **kwargs)


class AutoencoderTask(Task):
    """The autoencoder (UpSampling2D or Conv2DTranspose decoder): rebuild the input."""

    def build(self, shape):
        from engine import models
        c = self.config
        self.model = models.build_autoencoder(shape, "transpose" if c.model == "ae-transpose" else "upsampling",
                                              c.preset)
        self.model.compile(optimizer=_adam(c.learning_rate), loss=models.ae_loss(c.preset))

    def train_step(self, batch, idx, mode, more_indices):
        return {"loss": float(to_numpy(self.model.train_on_batch(batch, batch, return_dict=True)["loss"]))}

    def render(self, step):
        recon = infer(self.model, self.fixed_test)
        return {"step": step, "originals": datasets.image_grid(self.fixed_test, cols=8),
                "grid": datasets.image_grid(recon, cols=8)}


class VAETask(AutoencoderTask):
    """The VAE: rebuild the input through a latent distribution; its latent map, walk and prior samples."""

    @classmethod
    def prepared(cls, x, config):
        """Grayscale images straightened first (`vae_deskew`): with two numbers to describe a digit, the VAE
        otherwise spends one on how it leans, and the digits overlap more on the map (decision 44)."""
        return datasets.deskew(x) if config.vae_deskew and x.shape[-1] == 1 else x

    def build(self, shape):
        from engine import models
        c = self.config
        self.model, self.encoder, self.decoder = models.build_vae(shape, c.latent_dim, c.vae_beta)
        self.model.compile(optimizer=_adam(c.learning_rate), loss="binary_crossentropy")

    def render(self, step):
        samples = super().render(step)
        x = self.data.x_test[:LATENT_MAP_IMAGES]
        z_mean = infer(self.encoder, x)[0]
        labels = self.data.labels_test[: len(z_mean)]
        samples.update(latent=z_mean[:, :2], latent_labels=labels)
        if len(labels) > 5 and labels.min() >= 0:  # labels known: how well the classes separate (leave one out)
            samples["latent_knn"] = knn_accuracy(z_mean, labels)
        if self.config.latent_dim == 2:
            samples["latent_grid"] = self.latent_grid(8)
        else:
            prior = np.random.default_rng(3).normal(size=(16, self.config.latent_dim)).astype(np.float32)
            samples["prior_samples"] = datasets.image_grid(infer(self.decoder, prior), cols=8)
        return samples

    def latent_grid(self, n: int = 8, span: float = 2.5) -> np.ndarray:
        axis = np.linspace(-span, span, n, dtype=np.float32)
        zs = np.array([[x, y] for y in axis[::-1] for x in axis], np.float32)
        return datasets.image_grid(infer(self.decoder, zs), cols=n, pad=0)

    def decode_latent(self, z) -> np.ndarray:
        """One image from a latent point (the caller holds no lock: decoding is read-only)."""
        z = np.asarray(z, np.float32).reshape(1, -1)
        return to_numpy(self.decoder(z, training=False))[0]

    def main_model(self):
        """Image -> encoder mean -> decoder (deterministic; `get_layer("encoder")` and `get_layer("decoder")` are
        inside), without the Sampling layer."""
        import keras
        image = keras.Input(self.data.x.shape[1:], name="image")
        return keras.Model(image, self.decoder(self.encoder(image)[0]), name="vae_mean")

    def samples_array(self, n):
        z = np.random.default_rng(self.config.seed + 2).normal(size=(n, self.config.latent_dim)).astype(np.float32)
        return np.clip(to_numpy(self.decoder(z, training=False)), 0, 1)


class GANTask(Task):
    """The DCGAN (engine.gan's compiled step): k discriminator updates then one generator update, or one network."""
    data_range = "tanh"
    pad_fill = -1.0

    @classmethod
    def labels(cls, dataset, config):
        """A conditional DCGAN is told each image's class: it needs labelled images."""
        if not config.conditional:
            return dataset.y_train, 0
        if not dataset.labelled:
            raise InputError("A conditional GAN is told each image's class, and this data set has no labels. Turn "
                             "off \"Tell it which digit to draw\", or add a 'y' array (one whole number per image) "
                             "to the file.")
        classes = dataset.classes
        if not 2 <= classes <= 100:
            raise InputError("A conditional GAN needs between 2 and 100 classes, got {classes}.", classes=classes)
        return dataset.y_train, classes

    def build(self, shape):
        from engine import models
        from engine.gan import GAN
        c, classes = self.config, self.data.classes
        if classes:  # G's output for D carries the label's planes; `generator` draws the images
            self.generator, conditioned, self.discriminator = models.build_conditional_dcgan(
                shape, c.noise_dim, classes, c.gan_width, c.d_dropout)
        else:
            self.generator, self.discriminator = models.build_dcgan(shape, c.noise_dim, c.gan_width, c.d_dropout)
            conditioned = self.generator
        self.gan = GAN(conditioned, self.discriminator, loss=c.gan_loss, smoothing=c.label_smoothing, ema=c.ema)
        self.gan.compile(d_optimizer=_adam(c.d_learning_rate or c.learning_rate, beta_1=0.5),
                         g_optimizer=_adam(c.learning_rate, beta_1=0.5))
        # the grid: 16 samples, or four rows that each draw every class in order (column k draws class k)
        shown = np.arange(4 * classes) % classes if classes else np.zeros(16, int)
        self.fixed_noise = self.noise(np.random.default_rng(c.seed + 1), shown)

    def noise(self, rng: np.random.Generator, labels: np.ndarray) -> np.ndarray:
        """G's input for one image of each label: normal noise, then the label one-hot when conditional."""
        z = rng.normal(size=(len(labels), self.config.noise_dim)).astype(np.float32)
        if not self.data.classes:
            return z
        return np.concatenate([z, np.eye(self.data.classes, dtype=np.float32)[labels]], axis=1)

    def as_seen_by_d(self, images: np.ndarray, labels: np.ndarray) -> np.ndarray:
        """Real images as D takes them: with their labels' planes when conditional."""
        from engine import models
        return models.label_planes(images, labels, self.data.classes) if self.data.classes else images

    def train_step(self, batch, idx, mode, more_indices):
        n, k = len(batch), (self.config.d_steps if mode == "both" else 1)
        idx = self.rng.integers(len(self.data.x), size=n) if idx is None and self.data.classes else idx
        if k > 1:
            more = more_indices(k - 1)
            batch = np.concatenate([batch, *(self.data.x[i] for i in more)])
            idx = None if idx is None else np.concatenate([idx, *more])
        classes = self.data.classes
        fake_labels = self.rng.integers(classes, size=k * n + n) if classes else np.zeros(k * n + n, int)
        z_d, z_g = self.noise(self.rng, fake_labels[:k * n]), self.noise(self.rng, fake_labels[k * n:])
        real = self.as_seen_by_d(batch, self.data.y[idx]) if classes else batch
        metrics = self.gan.step(real, z_d, z_g, mode)
        not_run = {"d": ("g_loss",), "g": ("d_loss", "real_acc")}.get(mode, ())  # NaN by design, not divergence
        return {name: value for name, value in metrics.items() if name not in not_run}

    def sampler(self):
        """The generator whose samples are shown and downloaded (its moving average when there is one), drawing
        images only."""
        shown = self.gan.sample_generator()
        return shown.get_layer(self.generator.name) if self.data.classes else shown

    def render(self, step):
        fake = infer(self.sampler(), self.fixed_noise)
        return {"step": step, "grid": datasets.image_grid((fake + 1) / 2, cols=self.data.classes or 4),
                "grid_classes": self.data.classes, **self.discriminator_scores()}

    def discriminator_scores(self, n: int = 256) -> dict:
        """What D thinks: its scores on n held-out real images and n fakes (inference mode), as probabilities
        'real' for the BCE loss and as raw outputs for hinge and least squares, with the decision threshold."""
        from engine.gan import decision_threshold
        real = self.data.x_test[:n]
        rng = np.random.default_rng(self.config.seed + 3)
        labels = self.data.labels_test[:len(real)] if self.data.classes else np.zeros(len(real), int)
        fake = infer(self.gan.generator, self.noise(rng, labels))
        real = self.as_seen_by_d(real, labels)
        scores = [infer(self.discriminator, x).reshape(-1) for x in (real, fake)]
        threshold = decision_threshold(self.config.gan_loss)
        if self.config.gan_loss == "ns":
            scores, threshold = [1 / (1 + np.exp(-np.clip(s, -60, 60))) for s in scores], 0.5
        return {"d_real": scores[0], "d_fake": scores[1], "d_threshold": threshold}

    def main_model(self):
        """The generator (its moving average when there is one); a conditional one takes the noise followed by the
        class one-hot."""
        return self.sampler()

    def weights(self):
        return [self.generator.get_weights(), self.discriminator.get_weights(),
                [to_numpy(v) for v in self.gan.ema_weights]]

    def set_weights(self, weights, extra):
        generator, discriminator, ema = weights
        self.generator.set_weights(generator)
        self.discriminator.set_weights(discriminator)
        for variable, value in zip(self.gan.ema_weights, ema):
            variable.assign(value)
        self.gan.g_updates = extra.get("g_updates", 0)

    def extra_state(self):
        return {"g_updates": int(getattr(self.gan, "g_updates", 0))}

    def samples_array(self, n, label: int | None = None):
        """n samples; a conditional generator's of one class, or of every class in turn."""
        classes = self.data.classes
        if label is not None and not (classes and 0 <= int(label) < classes):
            raise InputError("Class {label} is not one this generator was told about (0..{classes}).", label=label,
                             classes=max(classes - 1, 0))
        labels = np.full(n, int(label)) if label is not None else np.arange(n) % max(classes, 1)
        z = self.noise(np.random.default_rng(self.config.seed + 2), labels)
        return np.clip((to_numpy(self.sampler()(z, training=False)) + 1) / 2, 0, 1)


class ClassifierTask(Task):
    """The small CNN: class scores; its live weights, first-layer kernels against the presets, held-out scores."""
    pad_fill = None

    def __init__(self, config, data, rng):
        super().__init__(config, data, rng)
        self.kernel_history: list = []  # (step, |cosine| of each learned kernel to each preset)

    @classmethod
    def labels(cls, dataset, config):
        """A classifier cannot learn from unlabelled images."""
        if not dataset.labelled:
            raise InputError("A classifier learns from labelled images, and this data set has no labels. Add a "
                             "'y' array (one whole number per image) to the file.")
        classes = dataset.classes
        cnn.check_cnn_input(dataset.shape, max(classes, 2))
        return dataset.y_train, max(classes, 2)

    def build(self, shape):
        import keras

        from engine import models
        self.model = models.build_cnn(shape, self.config.cnn_size, self.data.classes)
        self.model.compile(optimizer=_adam(self.config.learning_rate), metrics=["accuracy"],
                           loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))

    def train_step(self, batch, idx, mode, more_indices):
        logs = self.model.train_on_batch(batch, self.data.y[idx], return_dict=True)
        return {name: float(to_numpy(logs[name])) for name in ("loss", "accuracy")}

    def render(self, step):
        weights = {layer.name: tuple(np.array(w) for w in layer.get_weights())
                   for layer in self.model.layers if layer.get_weights()}
        learned = cnn.first_layer_kernels(weights["conv1"][0])
        sims = cnn.preset_similarities(learned)
        self.kernel_history.append((step, sims))
        if len(self.kernel_history) > KERNEL_HISTORY_POINTS:
            self.kernel_history = self.kernel_history[::2]
        x, y = self.data.x_test[:CNN_EVAL_IMAGES], self.data.labels_test[:CNN_EVAL_IMAGES]
        logits = np.concatenate([infer(self.model, x[i:i + 500]) for i in range(0, len(x), 500)])
        p = cnn.softmax(logits)
        val_loss = float(-np.mean(np.log(np.clip(p[np.arange(len(y)), y], 1e-12, None))))
        scale = np.abs(learned).max(axis=(1, 2), keepdims=True) + 1e-12  # each kernel in its own grey scale
        tiles = np.repeat(np.repeat((learned / scale + 1) / 2, 8, axis=1), 8, axis=2)
        return {"step": step, "grid": datasets.image_grid(tiles, cols=min(8, len(tiles))), "weights": weights,
                "kernels": learned, "matches": cnn.closest_presets(learned),
                "kernel_history": list(self.kernel_history), "val_loss": val_loss,
                "val_accuracy": float(np.mean(p.argmax(1) == y)),
                "confusion": cnn.confusion_matrix(y, p.argmax(1), self.data.classes),
                "mistakes": cnn.confident_mistakes(p, y, CNN_MISTAKES), "classes": self.data.classes,
                "eval_images": len(y)}

    def held_out(self, index):
        n = min(len(self.data.x_test), CNN_EVAL_IMAGES)
        if not 0 <= int(index) < n:
            raise InputError("Test image {index} is outside 0..{n}.", index=index, n=n - 1)
        return super().held_out(index)


TASKS: dict[str, type[Task]] = {"ae": AutoencoderTask, "ae-transpose": AutoencoderTask, "vae": VAETask,
                                "dcgan": GANTask, "cnn": ClassifierTask}
