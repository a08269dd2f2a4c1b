"""Headless training: python -m engine.train --model ae|ae-transpose|vae|dcgan --data mnist|fashion|cifar10|builtin|PATH
   (--epochs N | --seconds S) --batch-size B --out DIR

Prints progress and images/s; writes model.keras, samples.npz (values in [0, 1]) and samples.gif to DIR.
Uses the GPU when the Keras backend sees one.
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

from engine.settings import Status


def parse_args(argv=None) -> argparse.Namespace:
    """The command line's options (see the module docstring).

    Examples
    --------
    >>> parse_args(['--model', 'vae', '--seconds', '30']).model
    'vae'
    """
    p = argparse.ArgumentParser(prog="python -m engine.train", description=__doc__.splitlines()[0])
    from engine.training import AE_PRESETS, GAN_LOSSES, MODELS
    p.add_argument("--model", choices=MODELS, default="ae")
    p.add_argument("--data", default="mnist", help="mnist, fashion, cifar10, builtin, or a path to .npz / IDX / .zip")
    limit = p.add_mutually_exclusive_group()
    limit.add_argument("--epochs", type=float, help="stop after this many epochs")
    limit.add_argument("--seconds", type=float, help="stop after this many seconds of training")
    p.add_argument("--batch-size", type=int, help="default 64 (the DCGAN: its recipe's)")
    p.add_argument("--learning-rate", type=float, help="default 1e-3 (AE, VAE); the DCGAN: its recipe's, for G")
    p.add_argument("--preset", choices=list(AE_PRESETS), default="better", help="autoencoder layout")
    p.add_argument("--latent-dim", type=int, default=2)
    p.add_argument("--no-deskew", action="store_true",
                   help="VAE: learn the digits as they are, not straightened first (engine.data.deskew)")
    gan = p.add_argument_group("DCGAN (defaults: the recipe the page uses, engine.training.gan_recipe)")
    gan.add_argument("--gan-width", type=float, help="filter multiplier (recipe: 0.25 on a CPU, 1.0 on a GPU)")
    gan.add_argument("--gan-loss", choices=list(GAN_LOSSES))
    gan.add_argument("--d-learning-rate", type=float, help="the discriminator's Adam step")
    gan.add_argument("--d-steps", type=int, help="discriminator updates per generator update (k)")
    gan.add_argument("--label-smoothing", type=float)
    gan.add_argument("--ema", type=float, help="moving average of G's weights for the samples (0: off)")
    gan.add_argument("--unconditional", action="store_true",
                     help="the plain DCGAN, not told which class to draw (needed for a data set without labels)")
    p.add_argument("--samples", type=int, default=64, help="images written to samples.npz")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--out", type=Path, default=Path("runs/latest"))
    args = p.parse_args(argv)
    if args.epochs is None and args.seconds is None:
        args.epochs = 1.0
    return args


def main(argv=None) -> int:
    """Train from the command line; returns the exit status (2 for bad options or files).

    Examples
    --------
    >>> main(['--data', 'no/such/file.npz'])  # the reason goes to stderr
    2
    """
    args = parse_args(argv)
    from engine import data, training
    from engine.errors import ConvLabError

    if args.data in data.DATASETS:
        dataset = data.load_dataset(args.data)
    else:
        path = Path(args.data)
        if not path.is_file():
            print(f"error: --data {args.data!r} is neither a dataset name nor a file", file=sys.stderr)
            return 2
        try:
            dataset = data.load_user_dataset(path.read_bytes(), path.name)
        except ConvLabError as exc:  # a refused file (too large, damaged, bad labels) has its own message
            print(f"error: {exc}", file=sys.stderr)
            return 2
    if dataset.note:
        print(f"note: {dataset.note}")
    gan = {}
    if args.model == "dcgan":
        from engine import device
        gan = training.gan_recipe(on_gpu=not device.framework_accelerator().startswith("CPU"))
        given = dict(gan_width=args.gan_width, gan_loss=args.gan_loss, d_learning_rate=args.d_learning_rate,
                     d_steps=args.d_steps, label_smoothing=args.label_smoothing, ema=args.ema,
                     batch_size=args.batch_size, learning_rate=args.learning_rate)
        gan.update({key: value for key, value in given.items() if value is not None})
        gan["conditional"] = gan["conditional"] and not args.unconditional and dataset.labelled
    settings = dict(batch_size=args.batch_size or 64,
                    learning_rate=args.learning_rate or training.default_learning_rate(args.model)) | gan
    try:
        config = training.TrainConfig(model=args.model, dataset=dataset.name, preset=args.preset,
                                      latent_dim=args.latent_dim, vae_deskew=not args.no_deskew,
                                      epochs=args.epochs, seconds=args.seconds,
                                      seed=args.seed, sample_every=200, **settings)
        trainer = training.Trainer(config, dataset=dataset)
    except ValueError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    def progress(s):
        losses = ", ".join(f"{k} {v[-1]:.4f}" for k, v in s["history"].items() if k not in ("step", "epoch") and v)
        eta = f", ETA {s['eta']:.0f} s" if s["eta"] is not None else ""
        print(f"step {s['step']:6d}  epoch {s['epoch']:6.2f}  {losses}  {s['images_per_s']:8.0f} images/s{eta}",
              flush=True)

    print(f"training {args.model} on {dataset.name} {dataset.shape}, {len(dataset.x_train):,} images, "
          f"batch {config.batch_size}" + (f", recipe {gan}" if gan else ""), flush=True)
    start = time.perf_counter()
    trainer.run_blocking(on_progress=progress)
    snap = trainer.snapshot()
    progress(snap)
    print(f"device: {snap['device']}")
    if snap["status"] == Status.ERROR:
        print(f"error: {snap['message']}", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    trainer.export_model(args.out / "model.keras")
    np.savez_compressed(args.out / "samples.npz", samples=trainer.samples_array(args.samples))
    (args.out / "samples.gif").write_bytes(trainer.gif_bytes())
    print(f"done in {time.perf_counter() - start:.1f} s: {snap['step']} steps, "
          f"{snap['images_per_s']:.0f} images/s; wrote {args.out}/model.keras, samples.npz, samples.gif")
    return 0


if __name__ == "__main__":
    sys.exit(main())
