"""Figures for the "What a network learns" lesson: learned kernels beside their closest presets, similarity over
training, feature maps, class scores, the confusion matrix and the train / held-out curves."""
from __future__ import annotations

import numpy as np

from engine import kernels
from engine.training import moving_average
from ui.figures import DIVERGING, OKABE_ITO, PAIR_STYLES, PlotSpec, _figure, _scale, line_chart, plotly_text
from ui.i18n import t

GREYS = [[0.0, "#ffffff"], [1.0, "#000000"]]  # ink on paper: a ReLU or pooled map reads like a drawing


def mosaic(maps: np.ndarray, cols: int, gap: int = 1) -> np.ndarray:
    """(N, h, w) maps tiled row by row into one array, NaN between them (drawn as background).

    >>> mosaic(np.ones((3, 2, 2)), cols=2).shape
    (5, 5)
    """
    n, h, w = maps.shape
    rows = -(-n // cols)
    out = np.full((rows * (h + gap) - gap, cols * (w + gap) - gap), np.nan)
    for i, m in enumerate(maps):
        r, c = divmod(i, cols)
        out[r * (h + gap): r * (h + gap) + h, c * (w + gap): c * (w + gap) + w] = m
    return out


def kernel_pairs_figure(learned: np.ndarray, matches, cols: int = 3) -> PlotSpec:
    """Each learned 3x3 kernel (its numbers in its cells) next to the preset it is closest to, titled with the
    |cosine| similarity. Colours are per kernel (each scaled to its own largest |value|) so a small learned kernel
    and an 8-centred edge preset are both legible; the numbers are the true weights."""
    n = len(learned)
    cols = min(cols, n)
    pair_w, pair_h = 3 + 1 + 3 + 2, 3 + 2  # learned, gap, preset, gutter; 3 rows + room for a title
    rows = -(-n // cols)
    z = np.full((rows * pair_h, cols * pair_w - 2), np.nan)
    text = np.full(z.shape, "", dtype=object)
    annotations = []
    scale = _scale()
    for i, (kernel, match) in enumerate(zip(learned, matches)):
        r, c = divmod(i, cols)
        top, left = r * pair_h + 1, c * pair_w
        preset = match.sign * kernels.PRESETS[match.preset].array.astype(np.float64)
        for offset, k in ((0, np.asarray(kernel, np.float64)), (4, preset)):
            bound = np.abs(k).max() or 1.0
            z[top:top + 3, left + offset:left + offset + 3] = k / bound
            fmt = ".2f" if offset == 0 else ".2g"  # learned weights to 2 decimals; presets as written (1/9: 0.11)
            text[top:top + 3, left + offset:left + offset + 3] = [[format(v + 0.0, fmt)[:5].replace("-0.00", "0.00")
                                                                    for v in row] for row in k]
        name = ("−" if match.sign < 0 else "") + t(match.preset.capitalize())
        annotations.append(dict(x=left + 3, y=top - 0.75, xref="x", yref="y", showarrow=False,
                                text=plotly_text(f"#{i + 1} ≈ {name} · {match.similarity:.2f}"),
                                font=dict(size=14 * scale)))
    trace = dict(type="heatmap", z=z, text=text.tolist(), texttemplate="%{text}", zmin=-1, zmax=1,
                 colorscale=DIVERGING, showscale=False, hoverinfo="skip", xgap=1, ygap=1,
                 textfont=dict(size=12 * scale))
    return _figure([trace], None, 200 * rows + 30, annotations=annotations, tall=True)


def similarity_figure(history, presets, kernel: int, top: int = 3, title: str = "") -> PlotSpec:
    """|cosine| of one learned kernel to the `top` presets it ends up closest to, over the training steps."""
    steps = [step for step, _ in history]
    sims = np.array([s[kernel] for _, s in history])  # (T, P)
    arrays = [kernels.PRESETS[name].array for name in presets]
    chosen, names = [], []
    for p in np.argsort(-sims[-1], kind="stable"):  # a preset's negative (right vs left Sobel) scores the same
        twins = [q for q in chosen if np.array_equal(arrays[q], -arrays[p])]
        if twins:
            names[chosen.index(twins[0])] += " / " + t(presets[p].capitalize())
        elif len(chosen) < top:
            chosen.append(int(p))
            names.append(t(presets[p].capitalize()))
    series = {name: (steps, sims[:, p]) for name, p in zip(names, chosen)}
    return line_chart(series, title, x_title=t("step"), y_title=t("|cosine similarity|"), y_range=(0, 1.02),
                      styled=True)


def feature_maps_figure(maps: np.ndarray, title: str, signed: bool, cols: int = 8) -> PlotSpec:
    """One layer's output channels (h, w, C) side by side. Signed maps (a convolution's output) use the diverging
    scale centred on 0; non-negative ones (after ReLU, after pooling) are drawn in grey like the image."""
    channels = np.moveaxis(np.asarray(maps, np.float64), -1, 0)
    cols = min(cols, len(channels))
    z = mosaic(channels, cols, gap=max(1, channels.shape[1] // 8))
    bound = float(np.nanmax(np.abs(z))) or 1.0
    trace = dict(type="heatmap", z=z, showscale=False, hovertemplate="%{z:.3g}<extra></extra>")
    trace.update(dict(zmin=-bound, zmax=bound, colorscale=DIVERGING) if signed else
                 dict(zmin=0, zmax=bound, colorscale=GREYS))
    rows = -(-len(channels) // cols)
    return _figure([trace], title, 40 + rows * 95)


def class_scores_figure(probabilities, label: int | None, title: str, class_names=None) -> PlotSpec:
    """The softmax output as bars; the predicted class in the accent colour, the true one outlined."""
    p = np.asarray(probabilities, np.float64)
    names = [str(c) for c in (class_names or range(len(p)))]
    colours = [OKABE_ITO["vermillion"] if i == p.argmax() else OKABE_ITO["blue"] for i in range(len(p))]
    widths = [4 if i == label else 0 for i in range(len(p))]
    trace = dict(type="bar", x=names, y=p, marker=dict(color=colours, line=dict(color="#000000", width=widths)),
                 hovertemplate="%{x}: %{y:.3f}<extra></extra>")
    return _figure([trace], title, 260, square=False, yaxis=dict(range=[0, 1.02], title=dict(text=t("probability"))),
                   xaxis=dict(type="category", title=dict(text=t("class"))))


def confusion_figure(counts: np.ndarray, title: str, names=None, height: int = 420) -> PlotSpec:
    """Rows: true class, columns: predicted; counts in the cells, the diagonal is what it got right. `names`
    labels the classes (default: their numbers)."""
    counts = np.asarray(counts)
    n = len(counts)
    names = [plotly_text(name) for name in names] if names is not None else [str(i) for i in range(n)]
    # white for none, light blue already for a few mistakes, dark blue for the diagonal's hundreds
    scale = [[0.0, "#ffffff"], [0.02, "#deebf7"], [0.15, "#9ecae1"], [0.5, "#4292c6"], [1.0, "#08306b"]]
    trace = dict(type="heatmap", z=counts, x=names, y=names, colorscale=scale, showscale=False, xgap=1, ygap=1,
                 hovertemplate=t("true {a}, predicted {b}: {c}", a="%{y}", b="%{x}", c="%{z}") + "<extra></extra>")
    if n <= 20:
        trace.update(text=counts.astype(str).tolist(), texttemplate="%{text}", textfont=dict(size=13 * _scale()))
    axis = dict(showticklabels=True, type="category", ticks="")
    return _figure([trace], title, height, xaxis=dict(title=dict(text=t("predicted class")), side="top", **axis),
                   yaxis=dict(title=dict(text=t("true class")), **axis))


def classifier_curves(history: dict, key: str, title: str, labels: tuple[str, str], smooth: int = 25,
                      y_range=None) -> PlotSpec:
    """A training metric (noisy per batch: mean of the last `smooth` steps) and its held-out value (scored at the
    sample steps) on one chart, in two colours and dashes."""
    steps = np.array(history["step"])
    train = moving_average(history.get(key, []), smooth)
    held = np.array(history.get(f"val_{key}", [np.nan] * len(steps)), dtype=float)
    series = {labels[0]: (steps[np.isfinite(train)], train[np.isfinite(train)]),
              labels[1]: (steps[np.isfinite(held)], held[np.isfinite(held)])}
    spec = line_chart(series, title, x_title=t("step"), y_range=y_range, styled=True)
    spec.to_dict()["data"][1]["mode"] = "lines+markers"
    spec.to_dict()["data"][1]["line"] = dict(color=PAIR_STYLES[1][0], dash=PAIR_STYLES[1][1], width=3)
    return spec
