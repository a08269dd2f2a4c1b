"""Plotly figure builders that turn engine arrays into pictures. No math lives here."""
from __future__ import annotations

import base64
import io

import numpy as np
import plotly.graph_objects as go
from PIL import Image

DIVERGING = "RdBu_r"  # negative blue, zero white, positive red: sign is visible at a glance
SEQUENTIAL = "Viridis"


def _scale() -> float:
    """Presenter mode (ui/shell.py) makes every figure taller and its text larger."""
    from ui.shell import presenter_active
    return 1.35 if presenter_active() else 1.0


def _layout(fig: go.Figure, title: str | None, height: int, square: bool = True) -> go.Figure:
    scale = _scale()
    fig.update_layout(title=dict(text=title, x=0.02, font=dict(size=15 * scale)) if title else None,
                      height=int(height * scale), font=dict(size=12 * scale),
                      margin=dict(l=4, r=4, t=int((36 if title else 4) * scale), b=4))
    if square:
        fig.update_yaxes(scaleanchor="x", autorange="reversed", showticklabels=False, showgrid=False, zeroline=False,
                         ticks="")
        fig.update_xaxes(showticklabels=False, showgrid=False, zeroline=False, constrain="domain", ticks="")
    return fig


def heatmap(values: np.ndarray, title: str | None = None, *, diverging: bool = True, height: int = 320,
            annotate: bool = False, fmt: str = ".2g", zmax: float | None = None, colorbar: bool = True,
            showscale: bool | None = None, robust: bool = False) -> go.Figure:
    """A 2-D array as a heatmap; diverging scales are centred on zero so sign reads directly.
    robust=True sets the range from the 99.5th percentile of |value| so a few extreme pixels do not wash
    out the rest (values beyond it show at full colour)."""
    z = np.asarray(values, dtype=np.float64)
    kwargs = {}
    if diverging:
        finite = np.abs(z[np.isfinite(z)])
        default = (float(np.percentile(finite, 99.5)) if robust else float(finite.max())) if finite.size else 1.0
        bound = zmax if zmax is not None else default
        bound = bound if bound > 0 else 1.0
        kwargs = dict(zmin=-bound, zmax=bound, colorscale=DIVERGING)
    else:
        kwargs = dict(colorscale=SEQUENTIAL)
        if zmax is not None:
            kwargs.update(zmin=0, zmax=zmax)
    trace = go.Heatmap(z=z, showscale=colorbar if showscale is None else showscale,
                       hovertemplate="row %{y}, col %{x}: %{z:.4g}<extra></extra>", **kwargs)
    if annotate:
        # + 0.0 turns -0.0 into 0.0; cells not computed yet (NaN) stay blank
        text = [["" if not np.isfinite(v) else format(v + 0.0, fmt) for v in row] for row in z]
        trace.update(text=text, texttemplate="%{text}",
                     textfont=dict(size=13 if z.shape[1] <= 8 else 10))
    return _layout(go.Figure(trace), title, height)


def png_data_uri(image: np.ndarray) -> str:
    arr = (np.clip(np.asarray(image, dtype=np.float32), 0, 1) * 255 + 0.5).astype(np.uint8)
    buf = io.BytesIO()
    Image.fromarray(arr if arr.ndim == 3 else arr, "RGB" if arr.ndim == 3 else "L").save(buf, "PNG", compress_level=1)  # fast; the image travels once
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode("ascii")


def rgb_image(image: np.ndarray, title: str | None = None, *, height: int = 320) -> go.Figure:
    """An image as a PNG inside the figure: a few kB instead of a JSON array of every pixel value."""
    arr = np.asarray(image)
    fig = go.Figure(go.Image(source=png_data_uri(arr), hovertemplate="row %{y}, col %{x}<extra></extra>"))
    fig.update_xaxes(range=[-0.5, arr.shape[1] - 0.5])
    fig.update_yaxes(range=[arr.shape[0] - 0.5, -0.5])
    return _layout(fig, title, height)


def line_chart(series: dict[str, tuple], title: str | None = None, *, x_title: str = "", y_title: str = "",
               height: int = 320, log_y: bool = False) -> go.Figure:
    fig = go.Figure()
    for name, (x, y) in series.items():
        fig.add_trace(go.Scatter(x=list(x), y=list(y), mode="lines", name=name))
    fig.update_layout(xaxis_title=x_title, yaxis_title=y_title, legend=dict(orientation="h", y=-0.25))
    if log_y:
        fig.update_yaxes(type="log")
    return _layout(fig, title, height, square=False)


PLOTLY_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}


def image_with_boxes(image: np.ndarray, boxes, labels, colours, *, title: str | None = None, height: int = 460,
                     grid: int | None = None, highlight_cells=(), dash: str = "solid", widths=None,
                     extra_boxes=()) -> go.Figure:
    """Image with labelled boxes (xyxy pixels), an optional S x S grid and highlighted cells.
    extra_boxes: (box, colour, width, dash) tuples drawn on top. Shapes are set in one layout update:
    fig.add_shape costs ~10 ms per call, which made box-heavy figures slow."""
    fig = rgb_image(image, title, height=height)
    h, w = np.asarray(image).shape[:2]
    shapes, notes = [], []
    for row, col in highlight_cells:
        shapes.append(dict(type="rect", x0=col * w / grid, x1=(col + 1) * w / grid, y0=row * h / grid,
                           y1=(row + 1) * h / grid, fillcolor="rgba(255, 200, 0, 0.35)", line=dict(width=0)))
    if grid:
        for i in range(1, grid):
            shapes.append(dict(type="line", x0=i * w / grid, x1=i * w / grid, y0=0, y1=h, line=dict(color="white", width=1)))
            shapes.append(dict(type="line", x0=0, x1=w, y0=i * h / grid, y1=i * h / grid, line=dict(color="white", width=1)))
    for i, (box, label) in enumerate(zip(np.asarray(boxes).reshape(-1, 4), labels)):
        colour = "rgb(%d,%d,%d)" % colours(label) if callable(colours) else colours
        shapes.append(dict(type="rect", x0=box[0], y0=box[1], x1=box[2], y1=box[3],
                           line=dict(color=colour, width=(widths[i] if widths is not None else 3), dash=dash)))
        if label:
            notes.append(dict(x=box[0], y=box[1], text=str(label), showarrow=False, xanchor="left", yanchor="bottom",
                              font=dict(color="white", size=12), bgcolor=colour))
    for box, colour, width, box_dash in extra_boxes:
        shapes.append(dict(type="rect", x0=box[0], y0=box[1], x1=box[2], y1=box[3],
                           line=dict(color=colour, width=width, dash=box_dash)))
    fig.update_layout(shapes=shapes, annotations=notes)
    return fig
