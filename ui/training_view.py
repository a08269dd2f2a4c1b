"""Figures for the training lesson: loss curves, accuracy, latent scatter."""
from __future__ import annotations

import numpy as np

from ui.figures import PlotSpec, line_chart, scatter_groups
from ui.i18n import t

LOSS_NAMES = ("loss", "d loss", "g loss")  # the series a training history holds, as shown (translated)


def loss_figure(history: dict, height: int = 300, title: str = "Loss") -> PlotSpec:
    keys = [k for k in history if k.endswith("loss")]
    series = {t(k.replace("_", " ")): (history["step"], history[k]) for k in keys}
    return line_chart(series, title, x_title=t("step"), y_title=t("loss"), height=height)


def accuracy_figure(history: dict, height: int = 300,
                    labels=("D accuracy on real", "D accuracy on fake", "Discriminator accuracy (0.5 = it cannot tell)")
                    ) -> PlotSpec:
    steps = np.array(history["step"])
    series = {}
    for key, name in (("real_acc", labels[0]), ("fake_acc", labels[1])):
        values = np.array(history.get(key, []), dtype=float)
        ok = np.isfinite(values)
        series[name] = (steps[ok], values[ok])
    return line_chart(series, labels[2], x_title=t("step"), height=height, y_range=(0, 1.02))


def latent_figure(latent: np.ndarray, labels: np.ndarray, height: int = 380,
                  title: str = "Test images in the 2-D latent space") -> PlotSpec:
    groups = {str(label): latent[labels == label] for label in np.unique(labels)}
    return scatter_groups(groups, title, x_title="z₁", y_title="z₂", height=height)
