"""Training recipes compared on the real MNIST test set (../shared/data/mnist): 8,000 digits to train on, 2,000
held out. DCGAN: the share of 256 samples (from the shown generator: G or its moving average) that the bench's own
classifier labels with confidence >= 0.9. VAE (--vae): the 5-nearest-neighbour accuracy of the held-out digits in
the 2-D latent space (neighbours among the training digits), and the page's own caption (bench/train.py). Each
at given iteration counts or training seconds.

    python bench/recipes.py --steps 1000 2000 4000             # compare recipes by iterations (any load)
    python bench/recipes.py --seconds 30 60 120 --only NAME     # time budgets: run it on an idle machine
    python bench/recipes.py --vae --steps 250 500 1000
    python bench/recipes.py --vae --seconds 30 60 --only beta0.5-lr3e-3 --vae-decoder 64 32   # another decoder
    python bench/recipes.py --vae --seconds 30 60 --only beta0.5-lr3e-3 --vae-prior mixture   # bench/vae_priors.py
    python bench/recipes.py --vae --seconds 30 60 --only beta0.5-lr3e-3 --no-deskew           # digits as written
"""
import argparse
import functools
import os
import sys
import time

import numpy as np
from _common import SHARED_DATA  # noqa: F401  (puts the project on sys.path)

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

from train import confident_share, load_mnist_test, train_classifier, vae_scores  # noqa: E402

from engine import data as datasets  # noqa: E402
from engine import training  # noqa: E402

BASE = dict(training.GAN_RECIPE)
OLD = dict(BASE, learning_rate=2e-4, d_learning_rate=2e-4, d_dropout=0.3, ema=0.0)  # the page's default before
PLAIN = dict(BASE, learning_rate=1e-3, d_learning_rate=1e-3, d_dropout=0.0, ema=0.0)
RECIPES = {
    "old-default": OLD,
    "lr1e-3": PLAIN,
    "lr1e-3-ema.999": dict(PLAIN, ema=0.999),
    "lr1e-3-ema.99": dict(PLAIN, ema=0.99),
    "lr2e-3": dict(PLAIN, learning_rate=2e-3, d_learning_rate=2e-3),
    "ttur-d2e-3": dict(PLAIN, d_learning_rate=2e-3),
    "ttur-g2e-3": dict(PLAIN, learning_rate=2e-3),
    "lsgan": dict(PLAIN, gan_loss="lsgan"),
    "hinge": dict(PLAIN, gan_loss="hinge"),
    "smooth0.1": dict(PLAIN, label_smoothing=0.1),
    "dropout0.3": dict(PLAIN, d_dropout=0.3),
    "batch32": dict(PLAIN, batch_size=32),
    "batch128": dict(PLAIN, batch_size=128),
    "noise32": dict(PLAIN, noise_dim=32),
    "width0.5": dict(PLAIN, gan_width=0.5),
    "default": BASE,
    "conditional": dict(BASE, conditional=True),
}
VAE_RECIPES = {
    "beta1-lr1e-3": dict(vae_beta=1.0, learning_rate=1e-3),
    "beta1": dict(vae_beta=1.0),
    "beta0.5": dict(vae_beta=0.5),
    "beta0.25": dict(vae_beta=0.25),
    "beta0.1": dict(vae_beta=0.1),
    "beta1-lr3e-3": dict(vae_beta=1.0, learning_rate=3e-3),
    "beta0.25-lr3e-3": dict(vae_beta=0.25, learning_rate=3e-3),
    "beta0.25-batch128": dict(vae_beta=0.25, batch_size=128),
    "lr5e-3": dict(vae_beta=1.0, learning_rate=5e-3),
    "lr3e-3-batch128": dict(vae_beta=1.0, learning_rate=3e-3, batch_size=128),
    "beta0.5-lr3e-3": dict(vae_beta=0.5, learning_rate=3e-3),
    "lr3e-3-batch32": dict(vae_beta=1.0, learning_rate=3e-3, batch_size=32),
    "beta0.5-lr3e-3-batch128": dict(vae_beta=0.5, learning_rate=3e-3, batch_size=128),
    "beta0.5-lr5e-3-batch128": dict(vae_beta=0.5, learning_rate=5e-3, batch_size=128),
    "beta2-lr3e-3": dict(vae_beta=2.0, learning_rate=3e-3),
    "beta0.05-lr3e-3": dict(vae_beta=0.05, learning_rate=3e-3),
}


def run(name, recipe, train, score, steps=(), seconds=(), model="dcgan", before_step=None):
    config = training.TrainConfig(model=model, seconds=None, epochs=None, sample_every=10_000, **recipe)
    trainer = training.Trainer(config, dataset=train)
    trainer._prepare()
    results = []
    marks = sorted(steps) or sorted(seconds)
    by_steps = bool(steps)
    for mark in marks:
        while (trainer.step_count if by_steps else trainer.elapsed) < mark:
            if before_step:
                before_step(trainer)
            trainer._one_step()
        results.append((trainer.step_count, trainer.elapsed, score(trainer)))
    per_iter = trainer.elapsed / max(trainer.step_count, 1)
    cells = "  ".join(f"{s:5d} it {e:5.0f} s {share if isinstance(share, str) else f'{share:.1%}'}"
                      for s, e, share in results)
    print(f"{name:14s} {per_iter * 1000:5.1f} ms/it  {cells}", flush=True)
    return results


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--steps", type=int, nargs="*", default=[])
    p.add_argument("--seconds", type=float, nargs="*", default=[])
    p.add_argument("--only", nargs="*", default=None)
    p.add_argument("--vae", action="store_true")
    p.add_argument("--repeat", type=int, default=1, help="run each recipe this many times (results vary run to run)")
    p.add_argument("--vae-decoder", type=int, nargs=2, metavar=("F1", "F2"),
                   help="the VAE decoder's filters (engine.models.build_vae's decoder_filters) instead of the default")
    p.add_argument("--vae-prior", choices=["mixture", "mmd", "warmup"],
                   help="shape the VAE's latent space another way (bench/vae_priors.py)")
    p.add_argument("--no-deskew", action="store_true", help="the VAE learns the digits as written, not straightened")
    args = p.parse_args()
    before_step = None
    if args.vae_prior:
        import vae_priors

        from engine import models
        models.Sampling = vae_priors.sampling_layer(args.vae_prior)
        before_step = functools.partial(vae_priors.before_step, prior=args.vae_prior)
        print(f"VAE prior: {args.vae_prior}", flush=True)
    if args.vae_decoder:
        from engine import models
        models.build_vae = functools.partial(models.build_vae, decoder_filters=tuple(args.vae_decoder))
        print(f"VAE decoder filters {args.vae_decoder}", flush=True)
    table = VAE_RECIPES if args.vae else RECIPES
    if not args.steps and not args.seconds:
        args.steps = [1000, 2000, 4000]
    x, y = load_mnist_test()
    train = datasets.Dataset("mnist-test", x[:8000], y[:8000], x[8000:], y[8000:])
    if args.vae:
        def score(trainer):
            return vae_scores(trainer, x, y)
    else:
        classifier = train_classifier(x[:8000], y[:8000])
        print(f"real held-out digits with confidence >= 0.9: {confident_share(classifier, x[8000:]):.1%}", flush=True)

        def score(trainer):
            images = trainer.samples_array(256)
            share = f"{confident_share(classifier, images):.0%}"
            if not trainer.config.conditional:
                return share
            asked = np.arange(len(images)) % 10  # a conditional generator draws every class in turn
            probs = np.asarray(classifier.predict(images, batch_size=500, verbose=0))
            return f"{share} ({np.mean((probs.max(1) >= 0.9) & (probs.argmax(1) == asked)):.0%} the asked digit)"
    t = time.perf_counter()
    for name in args.only or list(table):
        for _ in range(args.repeat):
            recipe = dict(table[name], vae_deskew=False) if args.no_deskew else table[name]
            run(name, recipe, train, score, args.steps, args.seconds, "vae" if args.vae else "dcgan", before_step)
    print(f"({time.perf_counter() - t:.0f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
