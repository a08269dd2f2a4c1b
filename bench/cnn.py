"""The "What a network learns" CNN on the real MNIST test set (../shared/data/mnist: 8,000 digits to train on,
2,000 held out), from the page's defaults (engine.training: small network, Adam 3e-3, batch 64, scored every 50
steps as the page does).

For each run: held-out accuracy at 10, 20, 30 and 60 s of wall-clock time (everything the page's trainer does:
steps, held-out scoring, kernel snapshots), and when it first reached 95 %. Reference, measured in the same run:
a plain Keras `model.fit` of the same network (same batch and optimizer, no scoring) on the same data, images per
second; the ratio says what the live views cost.

    python bench/cnn.py [--repeat 3] [--size small]
"""
import argparse
import time

import numpy as np
from _common import ROOT  # noqa: F401  (puts the checkout on sys.path)
from train import load_mnist_test

from engine import data as datasets
from engine import training

MARKS = (10, 20, 30, 60)


def live_run(train: datasets.Dataset, size: str, seed: int) -> tuple[list, float | None, float, float]:
    config = training.TrainConfig(model="cnn", cnn_size=size, seconds=None, sample_every=50, seed=seed,
                                  learning_rate=training.CNN_LEARNING_RATE)
    trainer = training.Trainer(config, dataset=train)
    trainer._prepare()
    start = time.perf_counter()
    marks, reached, last_scored = [], None, -1
    while len(marks) < len(MARKS):
        trainer._one_step()
        wall = time.perf_counter() - start
        history = trainer.history.values.get("val_accuracy", [])
        if reached is None and history and trainer.step_count != last_scored and np.nanmax(history) >= 0.95:
            reached = wall
        last_scored = trainer.step_count
        if wall >= MARKS[len(marks)]:
            trainer._make_samples()  # score the network as it is at the mark
            marks.append((MARKS[len(marks)], trainer.step_count, trainer.samples["val_accuracy"]))
    wall_rate = trainer.step_count * trainer._bs / (time.perf_counter() - start)
    return marks, reached, trainer.step_count * trainer._bs / trainer.elapsed, wall_rate


def plain_fit_images_per_s(train: datasets.Dataset, size: str, seconds: float = 10) -> float:
    import keras

    from engine import models
    model = models.build_cnn(train.shape, size, 10)
    model.compile(optimizer=keras.optimizers.Adam(training.CNN_LEARNING_RATE), metrics=["accuracy"],
                  loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
    model.fit(train.x_train[:640], train.y_train[:640], batch_size=64, epochs=1, verbose=0)  # compile
    start, images = time.perf_counter(), 0
    while time.perf_counter() - start < seconds:
        model.fit(train.x_train, train.y_train, batch_size=64, epochs=1, verbose=0, shuffle=True)
        images += len(train.x_train)
    return images / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--size", default="small", choices=list(training.CNN_SIZES))
    args = parser.parse_args()
    x, y = load_mnist_test()
    train = datasets.Dataset("mnist-test", x[:8000], y[:8000], x[8000:], y[8000:])
    for seed in range(args.repeat):
        marks, reached, step_rate, wall_rate = live_run(train, args.size, seed)
        reference = plain_fit_images_per_s(train, args.size)
        first = f"95 % held-out first at {reached:.1f} s" if reached else "95 % not reached"
        print(f"run {seed + 1} ({args.size}): " + ", ".join(f"{s} s ({n} steps): {a:.1%}" for s, n, a in marks)
              + f"; {first}", flush=True)
        print(f"  images/s: live trainer {wall_rate:,.0f} over the wall clock ({step_rate:,.0f} in its steps alone) "
              f"vs plain Keras fit {reference:,.0f} (ratios {wall_rate / reference:.2f} and "
              f"{step_rate / reference:.2f})", flush=True)


if __name__ == "__main__":
    main()
