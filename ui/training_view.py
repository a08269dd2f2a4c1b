"""Figures for the training lesson: loss curves, accuracy, what the discriminator thinks, latent scatter."""
from __future__ import annotations

import numpy as np

from engine.training import moving_average
from ui.figures import OKABE_ITO, PlotSpec, _figure, line_chart, scatter_groups
from ui.i18n import t

LOSS_NAMES = ("loss", "d loss", "g loss")  # the series a training history holds, as shown (translated)


def loss_figure(history: dict, height: int = 300, title: str = "Loss", smooth: int = 1) -> PlotSpec:
    """The losses by step; `smooth` > 1 draws each as the mean of its last `smooth` steps."""
    keys = [k for k in history if k.endswith("loss")]
    series = {t(k.replace("_", " ")): (history["step"], moving_average(history[k], smooth)) for k in keys}
    return line_chart(series, title, x_title=t("step"), y_title=t("loss"), height=height, styled=True)


ACCURACY_LABELS = ("D accuracy on real", "D accuracy on fake", "Discriminator accuracy (0.5 = it cannot tell)")


def accuracy_figure(history: dict, height: int = 300, labels=ACCURACY_LABELS, smooth: int = 1) -> PlotSpec:
    steps = np.array(history["step"])
    series = {}
    for key, name in (("real_acc", labels[0]), ("fake_acc", labels[1])):
        values = moving_average(history.get(key, []), smooth)
        ok = np.isfinite(values)
        series[name] = (steps[ok], values[ok])
    return line_chart(series, labels[2], x_title=t("step"), height=height, y_range=(0, 1.02), styled=True)


def score_histogram(real: np.ndarray, fake: np.ndarray, threshold: float, *, probability: bool, height: int = 300,
                    labels=("real images", "generated images", "What D thinks: its score on real and generated "
                            "images", "D's score")) -> PlotSpec:
    """Overlaid histograms of D's scores on held-out real images and on fakes, with D's decision threshold."""
    scores = np.concatenate([real, fake])
    lo, hi = (0.0, 1.0) if probability else (float(scores.min()), float(scores.max()) + 1e-6)
    bins = dict(start=lo, end=hi, size=max((hi - lo) / 30, 1e-6))
    traces = [dict(type="histogram", x=values, name=name, xbins=bins, opacity=0.65,
                   marker=dict(color=colour, line=dict(color=colour, width=1.5), pattern=dict(shape=pattern)))
              for values, name, colour, pattern in ((real, labels[0], OKABE_ITO["blue"], ""),
                                                     (fake, labels[1], OKABE_ITO["vermillion"], "/"))]
    line = dict(type="line", x0=threshold, x1=threshold, y0=0, y1=1, yref="paper",
                line=dict(color=OKABE_ITO["black"], width=2, dash="dash"))
    return _figure(traces, labels[2], height, square=False, shapes=[line], barmode="overlay",
                   xaxis=dict(title=dict(text=labels[3])), yaxis=dict(title=dict(text=t("images"))),
                   legend=dict(orientation="h", y=-0.25))


def latent_figure(latent: np.ndarray, labels: np.ndarray, height: int = 380,
                  title: str = "Test images in the 2-D latent space") -> PlotSpec:
    groups = {str(label): latent[labels == label] for label in np.unique(labels)}
    return scatter_groups(groups, title, x_title="z₁", y_title="z₂", height=height)
