"""Training quality and speed on the real MNIST test set (../shared/data/mnist): 8,000 digits to train on, 2,000
held out. Each model starts from the defaults the page uses on a CPU (engine.training's recipes).

CPU (default):
- AE: held-out reconstruction MSE after --ae-seconds of training (better and classic layouts);
- VAE: 5-nearest-neighbour accuracy of the held-out digits' 2-D latent means (neighbours among the training
  digits' latent means) after 30 and 60 s, and the page's own caption (leave one out among the 400 digits on
  the offline page's latent map);
- DCGAN: the share of 256 samples that a small MNIST classifier (trained here on the 8,000) labels with
  confidence >= 0.9 after 30, 60 and 120 s, next to the same share for real held-out digits; and seconds per
  iteration next to a plain PyTorch step of the same networks (bench/torch_dcgan.py, its own process, 2 threads),
  measured in the same run.

--gpu: seconds per 60,000-image DCGAN epoch at batch 256 (reference width 1.0) for ConvLab's Keras trainer
and for a plain PyTorch implementation of the same networks (bench/torch_dcgan.py), and their ratio.
Run it with KERAS_BACKEND=jax on the GPU machine.
"""
import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
from _common import SHARED_DATA

from engine import data as datasets  # noqa: E402
from engine import device, training  # noqa: E402
from engine.data import BUNDLED_TEST  # noqa: E402
from engine.settings import LATENT_MAP_IMAGES  # noqa: E402


def load_mnist_test():
    folder = SHARED_DATA / "mnist"
    images = folder / "t10k-images-idx3-ubyte.gz"
    if not images.exists():
        sys.exit(f"skipped: {images} is absent (the shared data folder lives beside the checkout)")
    x = datasets.read_idx(images.read_bytes()).astype(np.float32)[..., None] / 255.0
    y = datasets.read_idx((folder / "t10k-labels-idx1-ubyte.gz").read_bytes()).astype(np.int64)
    return x, y


def train_classifier(x, y, epochs=3):
    import keras
    from keras import layers
    model = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(16, 3, activation="relu"), layers.MaxPooling2D(),
                              layers.Conv2D(32, 3, activation="relu"), layers.MaxPooling2D(), layers.Flatten(),
                              layers.Dense(64, activation="relu"), layers.Dense(10, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x, y, batch_size=128, epochs=epochs, verbose=0)
    return model


def confident_share(classifier, images, threshold=0.9) -> float:
    probs = np.asarray(classifier.predict(images, batch_size=500, verbose=0))
    return float(np.mean(probs.max(1) >= threshold))


def latent_knn_accuracy(encoder, x_ref, y_ref, x_query, y_query, k: int = 5) -> float:
    """Share of query digits whose k nearest reference digits (latent means, Euclidean) vote for their label."""
    import keras
    z_ref = keras.ops.convert_to_numpy(encoder.predict(x_ref, batch_size=500, verbose=0)[0])
    z_query = keras.ops.convert_to_numpy(encoder.predict(x_query, batch_size=500, verbose=0)[0])
    return training.knn_accuracy(z_ref, y_ref, z_query, y_query, k)


def page_knn_accuracy(encoder, x_test, y_test) -> float:
    """The page's caption under its latent map: each of the first LATENT_MAP_IMAGES held-out digits classified by
    its 5 nearest neighbours among the others (engine.tasks.VAETask.render)."""
    import keras
    z = keras.ops.convert_to_numpy(encoder.predict(x_test[:LATENT_MAP_IMAGES], verbose=0)[0])
    return training.knn_accuracy(z, y_test[:LATENT_MAP_IMAGES])


def vae_scores(trainer, x, y) -> str:
    """Both 5-NN figures of a VAE trained on the first 8,000 digits: among the training digits, and the page's
    caption on the digits the offline page shows (the last BUNDLED_TEST are its held-out set). The digits go
    through what the trainer did to its own (straightened unless the config says not)."""
    encoder, x = trainer.encoder, trainer.task.prepared(x, trainer.config)
    return (f"5-NN accuracy {latent_knn_accuracy(encoder, x[:8000], y[:8000], x[8000:], y[8000:]):.3f}, "
            f"page's caption {page_knn_accuracy(encoder, x[-BUNDLED_TEST:], y[-BUNDLED_TEST:]):.3f}")


def train_until(trainer, marks, score):
    """Train (time counted by the trainer: steps only) and call score() at each mark in seconds."""
    trainer._prepare()
    out = []
    for mark in marks:
        while trainer.elapsed < mark:
            trainer._one_step()
        out.append((mark, trainer.step_count, score()))
    return out


def torch_seconds_per_iteration(config) -> float | None:
    """A plain PyTorch step of the same DCGAN on two threads, in its own process; None without PyTorch."""
    import importlib.util
    import subprocess
    if importlib.util.find_spec("torch") is None:
        return None
    out = subprocess.run([sys.executable, str(Path(__file__).with_name("torch_dcgan.py")), "--width",
                          str(config.gan_width), "--batch", str(config.batch_size), "--dropout", str(config.d_dropout)],
                         capture_output=True, text=True, timeout=600)
    return float(out.stdout.strip().splitlines()[-1]) if out.returncode == 0 else None


def cpu_quality(args):
    x, y = load_mnist_test()
    train = datasets.Dataset("mnist-test", x[:8000], y[:8000], x[8000:], y[8000:])
    for preset in ("better", "classic"):
        trainer = training.Trainer(training.TrainConfig(model="ae", preset=preset, seconds=args.ae_seconds,
                                                        batch_size=64), dataset=train)
        trainer.run_blocking()
        recon = np.asarray(trainer.model.predict(x[8000:], batch_size=500, verbose=0))
        mse = float(np.mean((recon - x[8000:]) ** 2))
        print(f"AE ({preset}) after {args.ae_seconds:.0f} s: {trainer.step_count} steps, "
              f"{trainer.images_per_s:.0f} images/s, held-out reconstruction MSE {mse:.4f}", flush=True)
    vae = training.Trainer(training.TrainConfig(model="vae", seconds=None, sample_every=10_000,
                                                learning_rate=training.default_learning_rate("vae")), dataset=train)
    knn = train_until(vae, (30, 60), lambda: vae_scores(vae, x, y))
    print(f"VAE (2-D latent, beta {vae.config.vae_beta}): " + ", ".join(
        f"{s:.0f} s ({n} steps): {a}" for s, n, a in knn), flush=True)
    classifier = train_classifier(x[:8000], y[:8000])
    acc = float(np.mean(np.asarray(classifier.predict(x[8000:], verbose=0)).argmax(1) == y[8000:]))
    real_share = confident_share(classifier, x[8000:])
    print(f"classifier: held-out accuracy {acc:.3f}; real held-out digits classified with confidence >= 0.9: "
          f"{real_share:.3f}", flush=True)
    recipe = training.gan_recipe() | ({"gan_width": args.gan_width} if args.gan_width else {})
    config = training.TrainConfig(model="dcgan", seconds=None, sample_every=10_000, **recipe)
    gan = training.Trainer(config, dataset=train)
    shares = train_until(gan, (30, 60, args.gan_seconds), lambda: confident_share(classifier, gan.samples_array(256)))
    per_iteration = gan.elapsed / gan.step_count
    print(f"DCGAN (recipe {recipe}): " + ", ".join(f"{s:.0f} s ({n} iterations): {share:.1%} confident"
                                                   for s, n, share in shares), flush=True)
    reference = torch_seconds_per_iteration(config)
    ratio = f", ratio {per_iteration / reference:.2f}" if reference else " (PyTorch absent)"
    print(f"DCGAN seconds per iteration: ConvLab (Keras {device.keras_backend()}) {per_iteration * 1000:.1f} ms; "
          f"plain PyTorch step, 2 threads, {reference * 1000 if reference else float('nan'):.1f} ms{ratio}")


def gpu_speed(args):
    import keras
    x, _ = load_mnist_test()
    x60 = np.concatenate([x] * 6)                               # 60,000 images, like the MNIST training set
    steps = args.steps or len(x60) // args.batch
    warmup = 10
    dataset = datasets.Dataset("mnist-test-x6", x60, np.zeros(len(x60), np.int64), x[:100], np.zeros(100, np.int64))
    trainer = training.Trainer(training.TrainConfig(model="dcgan", gan_width=1.0, learning_rate=2e-4, epochs=None,
                                                    seconds=None, batch_size=args.batch, sample_every=10_000),
                               dataset=dataset)
    trainer._prepare()
    for _ in range(warmup):
        trainer._one_step()
    t = time.perf_counter()
    for _ in range(steps):
        trainer._one_step()
    keras_epoch = time.perf_counter() - t
    keras_epoch *= (len(x60) // args.batch) / steps  # per 60,000-image epoch when --steps measured fewer
    print(f"Keras {keras.__version__} on {keras.backend.backend()} ({trainer.device}): "
          f"{keras_epoch:.2f} s per 60,000-image epoch at batch {args.batch}")
    import torch
    from torch_dcgan import train_steps
    device = "cuda" if torch.cuda.is_available() else "cpu"
    xt = torch.tensor(np.transpose(x60 * 2 - 1, (0, 3, 1, 2)), device=device)
    train_steps(xt, warmup, args.batch, device=device)
    if device == "cuda":
        torch.cuda.synchronize()
    t = time.perf_counter()
    train_steps(xt, steps, args.batch, device=device)
    if device == "cuda":
        torch.cuda.synchronize()
    torch_epoch = (time.perf_counter() - t) * (len(x60) // args.batch) / steps
    print(f"PyTorch {torch.__version__} on {device}: {torch_epoch:.2f} s per epoch")
    print(f"ratio Keras / PyTorch: {keras_epoch / torch_epoch:.2f} (target <= 1.0)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--ae-seconds", type=float, default=30)
    parser.add_argument("--gan-seconds", type=float, default=120)
    parser.add_argument("--gan-width", type=float, default=None, help="default: the recipe's")
    parser.add_argument("--gpu", action="store_true")
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--steps", type=int, default=None,
                        help="--gpu: time this many iterations instead of a whole epoch (a quick check of the harness)")
    args = parser.parse_args()
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    gpu_speed(args) if args.gpu else cpu_quality(args)
