"""Plotly figure builders that turn engine arrays into pictures. No math lives here.

Each figure is one plain dict, handed to st.plotly_chart as a `PlotSpec`. A validated go.Figure costs
~15 ms for a 256x256 heatmap (property validation and deep copies) against ~4 ms for the spec, and that was
most of a kernel-page rerun: with thirty students on one server it decides the latency. The specs are still
validated by plotly, once, in tests/unit/test_figures.py.
"""
from __future__ import annotations

import base64
import hashlib
import io
import threading
import unicodedata
from collections import OrderedDict

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
from _plotly_utils.utils import to_typed_array_spec
from PIL import Image
from plotly.colors import get_colorscale, hex_to_rgb, unlabel_rgb

from engine.settings import Status
from ui.markdown import visible

# The template go.Figure would add; Streamlit's theme restyles figures that carry it (line colours included)
_TEMPLATE = pio.templates[pio.templates.default].to_plotly_json()
# Colour scales as explicit stops: plotly.js alone does not know Python plotly's names such as "RdBu_r".
DIVERGING = get_colorscale("RdBu_r")  # negative blue, zero white, positive red: sign is visible at a glance
GREY = [[0.0, "#000000"], [1.0, "#ffffff"]]  # a picture: 0 black, 1 white, as the image itself is drawn
SEQUENTIAL = get_colorscale("Viridis")
PLOTLY_CONFIG = {"displaylogo": False, "modeBarButtonsToRemove": ["lasso2d", "select2d"]}
# A chart redrawn every few seconds while a network trains cannot be hovered or zoomed anyway: drawn static it
# costs the browser less (on a small server that also runs the browser, that is training time), and it turns
# interactive again when the run pauses or ends.
LIVE_PLOTLY_CONFIG = PLOTLY_CONFIG | {"staticPlot": True}


def plotly_config(status: str) -> dict:
    """The charts' configuration for a run in `status` (a snapshot's): static while it trains."""
    return LIVE_PLOTLY_CONFIG if status == Status.RUNNING else PLOTLY_CONFIG


_HIDDEN_AXIS = dict(showticklabels=False, showgrid=False, zeroline=False, ticks="")


def _scale() -> float:
    """Presenter mode (ui/shell.py) makes every figure taller and its text larger."""
    from ui.shell import presenter_active
    return 1.35 if presenter_active() else 1.0


def look() -> tuple[str, float]:
    """What decides a figure besides its data: the language of its titles and the presenter scale. Part of the
    key of every figure cache shared by sessions."""
    from ui.i18n import current
    return current(), _scale()


class PlotSpec(go.Figure):
    """A finished figure dict that st.plotly_chart takes as it is (it calls `to_dict()` on a go.Figure and
    sends the result). Build it, show it, do not modify it: none of go.Figure's other methods work on it."""

    def __init__(self, spec: dict):  # no super().__init__(): skipping plotly's object tree is the point
        for trace in spec["data"]:
            _typed_arrays(trace)
        self._spec = spec

    def to_dict(self) -> dict:
        return self._spec


def _typed_arrays(node: dict) -> None:
    """NumPy arrays travel as base64 typed arrays, as go.Figure sends them; only traces hold arrays, so
    the layout's many shapes are not walked (plotly's own convert_to_base64 walks everything)."""
    for key, value in node.items():
        if isinstance(value, np.ndarray):
            node[key] = to_typed_array_spec(value)
        elif isinstance(value, dict):
            _typed_arrays(value)


def plotly_text(text) -> str:
    """Text for a Plotly title or label. Plotly reads a subset of HTML there (links with <a href>, <b>,
    <span style>), and labels can come from a user's file (VOC object names): `<`, `>` and `&` are written
    as entities, so they show as themselves; invisible and text-reversing characters are written out
    (`markdown.visible`). Figures never use tags on purpose."""
    return visible(str(text)).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


LARGE_MAP_CELLS = 4096
PRESENTER_MIN_TEXT_PX = 14  # numbers in heatmap cells on a projector
PRESENTER_MAX_HEIGHT = 430  # px: under the title and tab bar of a 1280x720 projector, a figure still fits
PRESENTER_TITLE_CHARS = 34  # what a third of a 1280 px projector holds at the presenter title size


def on_screen(px: float) -> int:
    """A figure's size on screen: as given, or in presenter mode larger but never above PRESENTER_MAX_HEIGHT."""
    scale = _scale()
    return int(px if scale == 1 else min(px * scale, PRESENTER_MAX_HEIGHT))


def _figure(traces: list, title: str | None, height: int, *, square: bool = True, shapes=(), annotations=(),
            tall: bool = False, title_chars: int = 0, title_lines: int = 1, **layout) -> PlotSpec:
    """`tall`: a figure meant to be scrolled through (a grid of many small panels), exempt from the presenter
    height limit that keeps every other figure on a projector's first screen."""
    scale = _scale()
    height = height * scale if tall else on_screen(height)
    base = dict(height=int(height), font=dict(size=12 * scale),
                margin=dict(l=4, r=4, t=int((36 if title else 4) * scale), b=4), template=_TEMPLATE)
    if shapes:
        base["shapes"] = list(shapes)
    if annotations:
        base["annotations"] = list(annotations)
    if title:
        text = plotly_text(title)
        if scale > 1:  # a projector's larger title in a third of the screen: two lines, not one cut off
            text = "<br>".join(wrap_by_width(text, title_chars or PRESENTER_TITLE_CHARS)) or text
            base["margin"]["t"] = int(36 * scale * max(text.count("<br>") + 1, title_lines))
        base["title"] = dict(text=text, x=0.02, font=dict(size=15 * scale))
    if square:
        base["yaxis"] = dict(scaleanchor="x", autorange="reversed", **_HIDDEN_AXIS)
        base["xaxis"] = dict(constrain="domain", **_HIDDEN_AXIS)
    for key, value in layout.items():  # merge, so callers can add to the axes
        base[key] = {**base.get(key, {}), **value} if isinstance(value, dict) and key in base else value
    return PlotSpec(dict(data=traces, layout=base))


def wrap_by_width(text: str, width: int) -> list[str]:
    """Lines of at most `width` columns, broken between words, where a Hangul or CJK character takes two columns
    (it is about twice as wide as a Latin letter).

    >>> wrap_by_width("Flat image → resize, then Conv2D", 16), wrap_by_width("평평한 이미지 → 크기 조정", 10)
    (['Flat image →', 'resize, then', 'Conv2D'], ['평평한', '이미지 →', '크기 조정'])
    """
    lines, line, used = [], [], 0
    for word in text.split():
        cols = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in word)
        if line and used + 1 + cols > width:
            lines.append(" ".join(line))
            line, used = [], 0
        used += cols + (1 if line else 0)
        line.append(word)
    return lines + [" ".join(line)] if line else lines


def signed_bound(z: np.ndarray, robust: bool = False, zmax: float | None = None) -> float:
    """The diverging scale runs from -bound to +bound: `zmax`, else the largest |value| (robust: its 99.5th
    percentile, so a few extreme pixels do not wash out the rest); 1 when that is 0 or nothing is finite."""
    if zmax is None:
        finite = np.abs(z[np.isfinite(z)])
        zmax = (float(np.percentile(finite, 99.5)) if robust else float(finite.max())) if finite.size else 1.0
    return zmax if zmax > 0 else 1.0


def _rgb(colour: str) -> tuple:
    """A colour as written in a Plotly scale ("#e69f00" or "rgb(5,48,97)") as its three numbers."""
    return hex_to_rgb(colour) if colour.startswith("#") else unlabel_rgb(colour)


def _stops(scale: list) -> tuple[np.ndarray, np.ndarray]:
    return np.array([float(at) for at, _ in scale]), np.array([_rgb(colour) for _, colour in scale], np.float64)


def coloured(values: np.ndarray, *, robust: bool = False, picture: bool = False,
             zmax: float | None = None) -> tuple[np.ndarray, float]:
    """(8-bit RGB image, bound): `values` coloured on the server exactly as `heatmap` colours them in the browser
    (the same scale, range and linear RGB interpolation between its stops), for maps shown as plain images. A
    picture is grey from 0 to 1 (bound 1); a signed response runs from blue at -bound through white to red at
    +bound (`zmax`, else as `heatmap` finds it). Values beyond the range take the end colour; NaN is white."""
    z = np.asarray(values, dtype=np.float64)
    bound = 1.0 if picture else signed_bound(z, robust, zmax)
    at = np.clip(z, 0, 1) if picture else np.clip((z / bound + 1) / 2, 0, 1)
    at = np.where(np.isfinite(z), at, 1.0 if picture else 0.5)  # NaN: white, as Plotly leaves it (blank)
    positions, colours = _stops(GREY if picture else DIVERGING)
    rgb = np.stack([np.interp(at, positions, colours[:, c]) for c in range(3)], axis=-1)
    return (rgb + 0.5).astype(np.uint8), bound


def heatmap(values: np.ndarray, title: str | None = None, *, diverging: bool = True, height: int = 320,
            annotate: bool = False, fmt: str = ".2g", zmax: float | None = None, colorbar: bool = True,
            robust: bool = False, shapes=(), picture: bool = False, hover=None) -> PlotSpec:
    """A 2-D array as a heatmap; diverging scales are centred on zero so sign reads directly.
    robust=True sets the range from the 99.5th percentile of |value| so a few extreme pixels do not wash
    out the rest (values beyond it show at full colour). picture=True draws it as a grey image (0 black,
    1 white, values beyond clipped), for outputs that are pictures rather than signed responses."""
    z = np.asarray(values, dtype=np.float64)
    # Large maps travel as float32: half the bytes for the browser to decode (a 256x256 map was 0.7 MB), and
    # hover shows 4 significant digits, far inside float32's 7. Small maps, whose numbers are printed, stay exact.
    trace = dict(type="heatmap", z=z.astype(np.float32) if z.size > LARGE_MAP_CELLS else z, showscale=colorbar,
                 hovertemplate="row %{y}, col %{x}: %{z:.4g}<extra></extra>")
    if hover is not None:  # (template, numbers per cell): the browser writes each cell's text from its numbers
        template, numbers = hover
        trace.update(customdata=np.asarray(numbers, dtype=np.float64).round(6).tolist(),
                     hovertemplate=template + "<extra></extra>", hoverlabel=dict(font=dict(size=14 * _scale())))
    if picture:
        trace.update(zmin=0, zmax=1, colorscale=GREY)
    elif diverging:
        bound = signed_bound(z, robust, zmax)
        trace.update(zmin=-bound, zmax=bound, colorscale=DIVERGING)
    else:
        trace.update(colorscale=SEQUENTIAL)
        if zmax is not None:
            trace.update(zmin=0, zmax=zmax)
    if annotate:
        # + 0.0 turns -0.0 into 0.0; cells not computed yet (NaN) stay blank
        text = [["" if not np.isfinite(v) else format(v + 0.0, fmt) for v in row] for row in z]
        # numbers fit their cells: a square map's cell is about (height - margins) / cells wide
        longest = max((len(cell) for row in text for cell in row), default=1)
        cell = (height - 50) / max(z.shape)
        size = float(np.clip(cell / (0.62 * max(longest, 2)), 8, 13 if z.shape[1] <= 8 else 10))
        if _scale() > 1:  # on a projector no number is under 14 px, whatever the cell count
            size = max(size * _scale(), PRESENTER_MIN_TEXT_PX)
        trace.update(text=text, texttemplate="%{text}", textfont=dict(size=size))
    return _figure([trace], title, height, shapes=shapes)


_PNG_CACHE: OrderedDict = OrderedDict()  # (shape, lossy, digest of the 8-bit pixels) -> data URI; recent pictures
_PNG_CACHE_SIZE = 16
_PNG_LOCK = threading.Lock()


def image_data_uri(image: np.ndarray, lossy: bool = False) -> str:
    """The image inline: PNG, exact to the 8-bit pixel, where the pixels are the lesson (a kernel's input);
    lossy=True gives a JPEG (quality 90), for a photograph or scene under boxes: a 448x448 scene is 30 kB
    instead of 390 kB, which the browser of every visitor has to decode. Encoding an 800x800 PNG takes ~75 ms
    and a page draws the same picture under several overlays on every rerun, so recent encodings are kept
    (keyed by a digest of the pixels)."""
    arr = eight_bit(image)
    key = (arr.shape, lossy, hashlib.blake2b(arr.tobytes(), digest_size=16).digest())
    with _PNG_LOCK:
        if key in _PNG_CACHE:
            _PNG_CACHE.move_to_end(key)
            return _PNG_CACHE[key]
    buf = io.BytesIO()
    picture = Image.fromarray(arr, "RGB" if arr.ndim == 3 else "L")
    if lossy:
        picture.save(buf, "JPEG", quality=90)
    else:
        picture.save(buf, "PNG", compress_level=1)  # fast; sent once
    uri = f"data:image/{'jpeg' if lossy else 'png'};base64," + base64.b64encode(buf.getvalue()).decode("ascii")
    with _PNG_LOCK:
        _PNG_CACHE[key] = uri
        while len(_PNG_CACHE) > _PNG_CACHE_SIZE:
            _PNG_CACHE.popitem(last=False)
    return uri


def eight_bit(image: np.ndarray) -> np.ndarray:
    """An image as 8-bit pixels: floats are 0..1 (clipped, rounded), 8-bit images stay as they are."""
    image = np.asarray(image)
    if image.dtype == np.uint8:
        return image
    return (np.clip(image.astype(np.float32), 0, 1) * 255 + 0.5).astype(np.uint8)


def png(image: np.ndarray) -> bytes:
    """An image (see eight_bit) as PNG bytes for st.image, pixel for pixel. Shown in a `shell.crisp_pixels`
    container, the browser enlarges it as square pixels. (Scaling up here instead cost ~20 ms per 768 px map, and
    st.image then shrank it again, smoothly, to the width asked for.)"""
    arr = eight_bit(image)
    buf = io.BytesIO()
    Image.fromarray(arr, "RGB" if arr.ndim == 3 else "L").save(buf, "PNG", compress_level=1)
    return buf.getvalue()


def framed(rgb: np.ndarray, top: int, left: int, height: int, width: int, colour: str = "#E69F00") -> np.ndarray:
    """A copy of an 8-bit RGB image with a one-pixel frame around the `height` x `width` window at (`top`, `left`):
    just outside the window, or on its own edge where the image ends there. Okabe-Ito orange, which neither the
    grey nor the red-blue maps use."""
    out = np.array(rgb, dtype=np.uint8, copy=True)
    h, w = out.shape[:2]
    r0, r1 = max(top - 1, 0), min(top + height, h - 1)
    c0, c1 = max(left - 1, 0), min(left + width, w - 1)
    paint = _rgb(colour)
    out[[r0, r1], c0:c1 + 1] = paint
    out[r0:r1 + 1, [c0, c1]] = paint
    return out


def _image_trace(image: np.ndarray, lossy: bool = False) -> dict:
    return dict(type="image", source=image_data_uri(image, lossy),
                hovertemplate="row %{y}, col %{x}<extra></extra>")


def _image_axes(arr: np.ndarray) -> dict:
    return dict(xaxis=dict(range=[-0.5, arr.shape[1] - 0.5]), yaxis=dict(range=[arr.shape[0] - 0.5, -0.5]))


def rgb_image(image: np.ndarray, title: str | None = None, *, height: int = 320, title_chars: int = 0,
              title_lines: int = 1) -> PlotSpec:
    """An image as a PNG inside the figure: a few kB instead of a JSON array of every pixel value. On a projector
    the title wraps at `title_chars` characters (a narrow column) and takes the room of `title_lines` lines at least
    (a row of figures whose pictures line up)."""
    arr = np.asarray(image)
    return _figure([_image_trace(arr)], title, height, title_chars=title_chars, title_lines=title_lines,
                   **_image_axes(arr))


# Okabe & Ito's colour-blind-safe palette; each line of a pair also gets its own dash, so print and projector work
OKABE_ITO = {"blue": "#0072B2", "vermillion": "#D55E00", "green": "#009E73", "orange": "#E69F00",
             "sky": "#56B4E9", "purple": "#CC79A7", "yellow": "#F0E442", "black": "#000000"}
# Ten classes (digits): Okabe-Ito's eight plus Tol's wine and grey, in saturated colours that read on a projector;
# a second symbol from the sixth class on, so neighbours differ in shape as well as colour
CLASS_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#E69F00", "#56B4E9", "#CC79A7", "#000000", "#882255", "#F0E442",
                 "#999999")
CLASS_SYMBOLS = ("circle",) * 5 + ("diamond",) * 5
PAIR_STYLES = ((OKABE_ITO["blue"], "solid"), (OKABE_ITO["vermillion"], "dash"), (OKABE_ITO["green"], "dot"))


# Points drawn per line at most: more than a chart's width in pixels shows nothing new, and a live training's curves
# (up to 4,000 steps a series, redrawn every 3 s) cost the browser, on the cores the training shares, per point
LINE_POINTS = 600


def thin_line(x, y, points: int = LINE_POINTS) -> tuple[np.ndarray, np.ndarray]:
    """At most `points` evenly spaced points of a line, its first and last always among them, as NumPy arrays (they
    travel as compact typed arrays, not JSON numbers).

    Examples
    --------
    >>> [a.tolist() for a in thin_line(range(10), range(10, 20), points=4)]
    [[0, 3, 6, 9], [10, 13, 16, 19]]
    """
    x, y = np.asarray(x), np.asarray(y)
    if len(x) <= points:
        return x, y
    keep = np.unique(np.linspace(0, len(x) - 1, points).round().astype(int))
    return x[keep], y[keep]


def line_chart(series: dict[str, tuple], title: str | None = None, *, x_title: str = "", y_title: str = "",
               height: int = 320, log_y: bool = False, y_range: tuple | None = None, styled: bool = False) -> PlotSpec:
    """Lines by name; `styled` gives each its own Okabe-Ito colour and dash (for lines meant to be compared). A
    line of more than LINE_POINTS points is drawn through LINE_POINTS of them, evenly spaced."""
    traces = []
    for name, line in series.items():
        x, y = thin_line(*line)
        traces.append(dict(type="scatter", x=x, y=y, mode="lines", name=name))
    if styled:
        for trace, (colour, dash) in zip(traces, PAIR_STYLES * 3):
            trace["line"] = dict(color=colour, dash=dash, width=2.5)
    yaxis = dict(title=dict(text=y_title), type="log" if log_y else "linear")
    if y_range is not None:
        yaxis["range"] = list(y_range)
    return _figure(traces, title, height, square=False, xaxis=dict(title=dict(text=x_title)), yaxis=yaxis,
                   legend=dict(orientation="h", y=-0.25))


def scatter_groups(groups: dict[str, np.ndarray], title: str | None = None, *, x_title: str = "",
                   y_title: str = "", height: int = 380) -> PlotSpec:
    # SVG, not WebGL: a thousand points redraw in a few ms either way, but a browser without a GPU (a projector
    # laptop, a headless one) emulates WebGL on the CPU that a live training shares, and each tab has few contexts
    traces = [dict(type="scatter", x=pts[:, 0], y=pts[:, 1], mode="markers", name=name,
                   marker=dict(size=7, opacity=0.9, color=colour, symbol=symbol, line=dict(width=0)))
              for (name, pts), colour, symbol in zip(groups.items(), CLASS_COLOURS * 4, CLASS_SYMBOLS * 4)]
    return _figure(traces, title, height, square=False, xaxis=dict(title=dict(text=x_title)),
                   yaxis=dict(title=dict(text=y_title)))


def rect(box, colour: str, width: float = 3, dash: str = "solid", fill: str | None = None) -> dict:
    shape = dict(type="rect", x0=box[0], y0=box[1], x1=box[2], y1=box[3],
                 line=dict(color=colour, width=width, dash=dash))
    if fill:
        shape.update(fillcolor=fill, line=dict(width=0))
    return shape


def image_with_boxes(image: np.ndarray, boxes, labels, colours, *, title: str | None = None, height: int = 460,
                     grid: int | None = None, highlight_cells=(), dash: str = "solid", widths=None,
                     extra_boxes=()) -> PlotSpec:
    """Image with labelled boxes (xyxy pixels), an optional S x S grid and highlighted cells; the picture is
    a JPEG (detection is about boxes, not pixels).
    extra_boxes: (box, colour, width, dash) tuples drawn on top."""
    arr = np.asarray(image)
    h, w = arr.shape[:2]
    shapes, notes = [], []
    for row, col in highlight_cells:
        cell = (col * w / grid, row * h / grid, (col + 1) * w / grid, (row + 1) * h / grid)
        shapes.append(rect(cell, "", fill="rgba(255, 200, 0, 0.35)"))
    for i in range(1, grid or 0):
        white = dict(color="white", width=1)
        shapes.append(dict(type="line", x0=i * w / grid, x1=i * w / grid, y0=0, y1=h, line=white))
        shapes.append(dict(type="line", x0=0, x1=w, y0=i * h / grid, y1=i * h / grid, line=white))
    for i, (box, label) in enumerate(zip(np.asarray(boxes).reshape(-1, 4), labels)):
        colour = "rgb({},{},{})".format(*colours(label)) if callable(colours) else colours
        shapes.append(rect(box, colour, widths[i] if widths is not None else 3, dash))
        if label:
            notes.append(dict(x=box[0], y=box[1], text=plotly_text(label), showarrow=False, xanchor="left",
                              yanchor="bottom", font=dict(color="white", size=12 * _scale()), bgcolor=colour))
    shapes += [rect(box, colour, width, box_dash) for box, colour, width, box_dash in extra_boxes]
    return _figure([_image_trace(arr, lossy=True)], title, height, shapes=shapes, annotations=notes,
                   **_image_axes(arr))


def iou_pair(box_a, box_b, intersection, labels: tuple[str, str, str], title: str | None = None,
             height: int = 420) -> PlotSpec:
    """Two typed boxes on pixel axes (y down, as in an image): A blue, B orange, their intersection green; the
    union is everything shaded."""
    shapes = [rect(box_a, "", fill="rgba(0, 114, 178, 0.22)"), rect(box_a, "#0072B2", 3),
              rect(box_b, "", fill="rgba(230, 159, 0, 0.22)"), rect(box_b, "#E69F00", 3, "dash")]
    notes = [dict(x=box_a[0], y=box_a[1], text=plotly_text(labels[0]), showarrow=False, xanchor="left",
                  yanchor="bottom", font=dict(color="white", size=14 * _scale()), bgcolor="#0072B2"),
             dict(x=box_b[2], y=box_b[3], text=plotly_text(labels[1]), showarrow=False, xanchor="right",
                  yanchor="top", font=dict(color="black", size=14 * _scale()), bgcolor="#E69F00")]
    if intersection is not None:
        shapes.insert(4, rect(intersection, "", fill="rgba(0, 158, 115, 0.75)"))
        notes.append(dict(x=(intersection[0] + intersection[2]) / 2, y=(intersection[1] + intersection[3]) / 2,
                          text=plotly_text(labels[2]), showarrow=False, font=dict(color="white", size=14 * _scale())))
    corners = np.array([box_a, box_b], dtype=float)
    lo, hi = corners[:, :2].min(), corners[:, 2:].max()
    pad = max((hi - lo) * 0.08, 1.0)
    axis = dict(showgrid=True, gridcolor="#e5e5e5", zeroline=False, showticklabels=True, ticks="outside")
    return _figure([dict(type="scatter", x=[lo - pad, hi + pad], y=[lo - pad, hi + pad], mode="markers",
                         marker=dict(opacity=0), hoverinfo="skip", showlegend=False)], title, height,
                   shapes=shapes, annotations=notes, xaxis=dict(axis, range=[lo - pad, hi + pad], side="top"),
                   yaxis=dict(axis, range=[hi + pad, lo - pad], autorange=False))


def anchor_cloud(image: np.ndarray, boxes, title: str | None = None, height: int = 460) -> PlotSpec:
    """Every anchor box drawn at once: one SVG path of NaN-separated rectangles (float32, so 22,500
    anchors travel as ~1 MB), thin and translucent, over the image."""
    arr = np.asarray(image)
    b = np.asarray(boxes, np.float32).reshape(-1, 4)
    x = np.stack([b[:, 0], b[:, 2], b[:, 2], b[:, 0], b[:, 0], np.full(len(b), np.nan, np.float32)], 1).ravel()
    y = np.stack([b[:, 1], b[:, 1], b[:, 3], b[:, 3], b[:, 1], np.full(len(b), np.nan, np.float32)], 1).ravel()
    lines = dict(type="scatter", x=x, y=y, mode="lines", hoverinfo="skip", showlegend=False,
                 line=dict(color="rgba(0, 114, 178, 0.05)", width=0.6))  # faint: density shows where they pile up
    centres = dict(type="scatter", x=(b[:, 0] + b[:, 2]) / 2, y=(b[:, 1] + b[:, 3]) / 2, mode="markers",
                   hoverinfo="skip", showlegend=False, marker=dict(color="#D55E00", size=2))
    h, w = arr.shape[:2]
    pad = float(max(np.abs(b).max(initial=0) - max(h, w), 0))  # anchors reach past the image's edges
    axes = dict(xaxis=dict(range=[-0.5 - pad, w - 0.5 + pad]), yaxis=dict(range=[h - 0.5 + pad, -0.5 - pad]))
    return _figure([_image_trace(arr, lossy=True), lines, centres], title, height, **axes)
