"""What a training is, without Keras: the registries of models, autoencoder layouts and GAN losses, the measured
recipes, and TrainConfig. Pages, the command line, the worker and the model builders import these; importing this
module loads neither Keras nor the trainer, so there is no import circle between the trainer and the models."""
from __future__ import annotations

import enum
import math
from dataclasses import dataclass
from typing import TypedDict

from engine import cnn
from engine.errors import InputError, Message


class Status(enum.StrEnum):
    """Where a training stands. A StrEnum: it is its own name in snapshots, links and translations ("Running")."""
    IDLE = "idle"
    QUEUED = "queued"
    PREPARING = "preparing"
    RUNNING = "running"
    PAUSED = "paused"
    STOPPED = "stopped"
    FINISHED = "finished"
    ERROR = "error"


ENDED = (Status.FINISHED, Status.ERROR, Status.STOPPED)  # a run that Play cannot resume


class LineNotice(TypedDict):
    """Who holds the training slots, for a run waiting in line (`slots.line_notice`)."""
    running: int
    paused: int
    paused_release_s: float | None  # until the soonest paused holder gives its slot back
    wait_s: float | None            # estimated wait for this run's place in line; None when unknown


class Snapshot(TypedDict):
    """A training as a page sees it at one moment (`training.Trainer.snapshot`, `hall.RemoteRun.snapshot`). Plain
    values only, so that it crosses process boundaries and Redis; pages read it and never the trainer's fields."""
    status: Status
    message: str                    # an errors.Message (translatable) or ""
    note: str                       # the same, for what is not an error (offline data, a slot given back)
    step: int
    epoch: float
    elapsed: float                  # seconds of training, pauses excluded
    images_per_s: float
    eta: float | None               # seconds until its time or epoch limit
    device: str
    steps_per_epoch: int
    history: dict[str, list]        # "step", "epoch" and one list per metric, same length
    samples: dict                   # the task's latest views (images, latent map, kernels), by name
    frames: int                     # sample grids kept for the GIF
    config: dict                    # the TrainConfig, as a dict
    queue_position: int | None      # 1 = next in line; None when not waiting
    slots_in_use: int
    waiting: int
    slots: int
    has_slot: bool
    run_id: str
    pending: int                    # single steps asked for and not taken yet
    gave_slot_back: bool            # paused long enough that its slot went to the next in line
    queue: LineNotice | None        # only while queued


class HallSnapshot(Snapshot, total=False):
    """What a lecture hall's snapshot adds (engine.hall): the samples' step, the input shape, the worker's name,
    and whether Redis could not be reached (the page keeps the last view and says why it stands still)."""
    samples_step: int | None
    input_shape: list | None
    worker: str
    hall_unavailable: bool

# The one registry of models and autoencoder layouts (keras-free, so pages and the CLI can list them).
MODEL_LABELS = {"ae": "AE · UpSampling2D", "ae-transpose": "AE · Conv2DTranspose", "vae": "VAE", "dcgan": "DCGAN",
                "cnn": "Small CNN classifier"}
MODELS = tuple(MODEL_LABELS)
GENERATIVE_MODELS = ("ae", "ae-transpose", "vae", "dcgan")  # the Train lesson's; "cnn" is the Learned-kernels one
# (encoder filters, bottleneck filters), loss: "classic" is the 16-8-4 layout and loss of the original tutorial.
AE_PRESETS = {"better": ((16, 32), 8, "bce"), "classic": ((16, 8), 4, "mse")}
# The DCGAN's losses and single-network steps (GAN Lab's "step D" / "step G").
GAN_LOSSES = {"ns": "Non-saturating (BCE)", "hinge": "Hinge", "lsgan": "Least squares"}
GAN_MODES = ("both", "d", "g")
# The DCGAN recipe the page (on a CPU) and the command line start from, chosen by bench/recipes.py on real
# MNIST: see docs/PERFORMANCE.md. learning_rate is G's, d_learning_rate D's.
GAN_RECIPE = {"gan_width": 0.25, "batch_size": 64, "learning_rate": 1e-3, "d_learning_rate": 1e-3,
              "gan_loss": "ns", "d_steps": 1, "label_smoothing": 0.0, "d_dropout": 0.0, "ema": 0.999,
              "noise_dim": 100, "conditional": True}
# The VAE's KL weight (beta) and learning rate, chosen by bench/recipes.py --vae: see docs/PERFORMANCE.md.
VAE_BETA, VAE_LEARNING_RATE = 0.5, 3e-3
# The small CNN's Adam step (bench/train.py --model cnn: 96-98 % held-out accuracy within 10-20 s on 2 cores).
CNN_LEARNING_RATE = 3e-3
# Held-out digits on the VAE's live latent map (and in its 5-NN score): 40 of each digit show the clusters, and
# the browser redraws every point each snapshot (1,000 cost the page 0.78-0.81 of the command line's steps, 300
# 0.85-0.93: bench/page_training.py --models vae).
LATENT_MAP_IMAGES = 400
CNN_EVAL_IMAGES = 2000      # held-out images scored at every sample step (accuracy, loss, confusion matrix)
CNN_MISTAKES = 12           # the most confidently wrong held-out images shown
# On a GPU the full-width reference DCGAN (Radford et al.: Adam 2e-4, beta_1 0.5) is affordable.
GAN_RECIPE_GPU = dict(GAN_RECIPE, gan_width=1.0, learning_rate=2e-4, d_learning_rate=2e-4)


def gan_recipe(on_gpu: bool = False) -> dict:
    """The DCGAN settings a new run starts from (TrainConfig fields).

    >>> gan_recipe()["gan_width"], gan_recipe(on_gpu=True)["gan_width"]
    (0.25, 1.0)
    """
    return dict(GAN_RECIPE_GPU if on_gpu else GAN_RECIPE)


def default_learning_rate(model: str, on_gpu: bool = False) -> float:
    """Adam's step size by model: the DCGAN recipe's (generator) rate, the VAE's measured one, 1e-3 for the AEs.

    Examples
    --------
    >>> default_learning_rate('dcgan'), default_learning_rate('vae'), default_learning_rate('ae')
    (0.001, 0.003, 0.001)
    """
    if model == "dcgan":
        return gan_recipe(on_gpu)["learning_rate"]
    return {"vae": VAE_LEARNING_RATE, "cnn": CNN_LEARNING_RATE}.get(model, 1e-3)


AE_PRESET_LABELS = {name: f"{name.capitalize()}: {f1}-{f2}-{b} + {loss.upper()}"
                    for name, ((f1, f2), b, loss) in AE_PRESETS.items()}

@dataclass
class TrainConfig:
    """Everything that defines one training run; `validate()` refuses values outside safe ranges."""
    model: str = "ae"
    dataset: str = "mnist"
    preset: str = "better"          # autoencoders: "classic" (16-8-4, MSE) or "better"
    latent_dim: int = 2             # VAE
    vae_beta: float = VAE_BETA      # VAE: weight of the KL term (1 = the ELBO)
    vae_deskew: bool = True         # VAE: straighten grayscale images first (engine.data.deskew)
    noise_dim: int = 100            # DCGAN
    gan_width: float = 1.0          # DCGAN filter multiplier (1.0 = the reference layout)
    gan_loss: str = "ns"            # DCGAN: one of GAN_LOSSES
    d_learning_rate: float | None = None  # DCGAN: D's Adam step (None: learning_rate, which is G's)
    d_steps: int = 1                # DCGAN: discriminator updates per generator update (k)
    label_smoothing: float = 0.0    # DCGAN, ns loss: real target 1 - this
    d_dropout: float = 0.3          # DCGAN: dropout after each discriminator convolution
    ema: float = 0.0                # DCGAN: decay of the moving average of G's weights used for samples (0: off)
    conditional: bool = False       # DCGAN: told which class to draw (G and D see the label; needs labels)
    cnn_size: str = "small"         # CNN classifier: one of engine.cnn.CNN_SIZES
    batch_size: int = 64
    learning_rate: float = 1e-3
    epochs: float | None = None     # stop after this many epochs ...
    seconds: float | None = 300.0   # ... or this many seconds of training, whichever comes first
    sample_every: int = 20          # steps between sample grids
    seed: int = 0

    def validate(self) -> TrainConfig:
        def one_of(name, options):
            return Message("{name} must be one of {options}", name=name, options=", ".join(options))

        def between(name, lo, hi):
            return Message("{name} must be between {lo} and {hi}", name=name, lo=lo, hi=hi)

        rules = [
            (self.model in MODELS, one_of("model", MODELS)),
            (self.preset in AE_PRESETS, one_of("preset", AE_PRESETS)),
            (1 <= self.latent_dim <= 64, between("latent_dim", 1, 64)),
            (0.01 <= self.vae_beta <= 10, between("vae_beta", 0.01, 10)),
            (1 <= self.noise_dim <= 512, between("noise_dim", 1, 512)),
            (0.05 <= self.gan_width <= 4, between("gan_width", 0.05, 4)),
            (self.gan_loss in GAN_LOSSES, one_of("gan_loss", GAN_LOSSES)),
            (self.d_learning_rate is None or (math.isfinite(self.d_learning_rate)
                                              and 1e-6 <= self.d_learning_rate <= 1.0),
             between("d_learning_rate", "1e-6", 1)),
            (1 <= self.d_steps <= 10, between("d_steps", 1, 10)),
            (0 <= self.label_smoothing <= 0.5, between("label_smoothing", 0, 0.5)),
            (0 <= self.d_dropout <= 0.9, between("d_dropout", 0, 0.9)),
            (self.ema == 0 or 0.5 <= self.ema < 1, Message("{name} must be 0 (off) or between {lo} and {hi}",
                                                           name="ema", lo=0.5, hi=1)),
            (isinstance(self.conditional, bool), Message("{name} must be true or false", name="conditional")),
            (isinstance(self.vae_deskew, bool), Message("{name} must be true or false", name="vae_deskew")),
            (self.cnn_size in cnn.CNN_SIZES, one_of("cnn_size", cnn.CNN_SIZES)),
            (1 <= self.batch_size <= 1024, between("batch_size", 1, 1024)),
            (math.isfinite(self.learning_rate) and 1e-6 <= self.learning_rate <= 1.0,
             between("learning_rate", "1e-6", 1)),
            (self.epochs is None or 0 < self.epochs <= 1000, between("epochs", 0, 1000)),
            (self.seconds is None or 0 < self.seconds <= 86_400, between("seconds", 0, "86,400")),
            (1 <= self.sample_every <= 10_000, between("sample_every", 1, "10,000")),
        ]
        for ok, rule in rules:
            if not ok:
                raise InputError("Invalid training setting: {rule}.", rule=rule)
        return self
