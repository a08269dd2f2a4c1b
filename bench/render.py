"""What the live views cost the training: one snapshot's samples and views (`Task.render`: reconstructions, the
VAE's latent map and its 5-NN score, the DCGAN's grid and D's scores, the CNN's held-out scoring), drawn through
the models' compiled predict step (`engine.tasks.infer`, what the trainer runs) and, as the reference measured in
the same run, through eager calls. A worker draws one every `engine.worker.SAMPLE_PERIOD_S` while a page watches,
so its share of that period is training time the page loses.

    python bench/render.py --repeat 3
"""
import argparse
import time

import numpy as np
from _common import best_of  # (puts the project on sys.path)

from engine import tasks, training, worker  # noqa: E402
from engine.settings import TrainConfig, gan_recipe  # noqa: E402


def eager(model, x):
    out = model(x, training=False)
    return [tasks.to_numpy(o) for o in out] if isinstance(out, (list, tuple)) else tasks.to_numpy(out)


def timed(fn) -> float:
    """Median seconds of `fn` after two calls that build and warm it."""
    return float(best_of(fn, 7, warmup=2, statistic=np.median))


def measure(model: str) -> tuple[float, float, float]:
    """(seconds per training step, seconds per render compiled, seconds per render eager)."""
    config = TrainConfig(model=model, seconds=None, epochs=None, sample_every=10_000,
                         **(gan_recipe() if model == "dcgan" else {}))
    trainer = training.Trainer(config)
    trainer._prepare()
    for _ in range(60):  # past the first steps, which trace and optimise the graph
        trainer._one_step(render=False)
    start, steps = time.perf_counter(), 0
    while time.perf_counter() - start < 3:
        trainer._one_step(render=False)
        steps += 1
    per_step = (time.perf_counter() - start) / steps
    compiled = timed(lambda: trainer.task.render(trainer.step_count))
    tasks.infer, original = eager, tasks.infer
    try:
        reference = timed(lambda: trainer.task.render(trainer.step_count))
    finally:
        tasks.infer = original
    return per_step, compiled, reference


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["ae", "vae", "dcgan", "cnn"])
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    period = worker.SAMPLE_PERIOD_S
    rows = {m: [] for m in args.models}
    for _ in range(args.repeat):
        for model in args.models:
            per_step, compiled, reference = measure(model)
            rows[model].append((compiled, reference, compiled / reference, compiled / period))
            print(f"{model:6s} step {per_step * 1e3:5.1f} ms  render {compiled * 1e3:5.1f} ms"
                  f" (eager {reference * 1e3:5.1f} ms, ratio {compiled / reference:.2f})"
                  f"  share of a {period:g} s period {compiled / period:.1%} (eager {reference / period:.1%})",
                  flush=True)

    def span(values, fmt):
        low, high = fmt.format(min(values)), fmt.format(max(values))
        return low if low == high else f"{low}-{high}"

    print(f"\n| model | render, ms | eager reference, ms | ratio | share of a {period:g} s period (eager) |")
    print("|---|---|---|---|---|")
    for model, runs in rows.items():
        c, r, q, s = zip(*runs)
        print(f"| {model} | {span([v * 1e3 for v in c], '{:.0f}')} | {span([v * 1e3 for v in r], '{:.0f}')} | "
              f"{span(q, '{:.2f}')} | {span(s, '{:.1%}')} ({span([v / period for v in r], '{:.1%}')}) |")


if __name__ == "__main__":
    main()
