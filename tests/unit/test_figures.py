"""Every figure builder's spec passes plotly's full validation.

The pages send plain dicts (ui.figures.PlotSpec) to skip plotly's validation on every rerun, so a misspelt
property would otherwise be ignored silently in the browser; here go.Figure checks each spec once."""
import base64
import copy
import json

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from ui import figures, training_view

rng = np.random.default_rng(7)
IMAGE = rng.random((40, 50, 3))
HISTORY = {"step": [1, 2, 3], "loss": [0.9, 0.5, 0.4], "d_loss": [1.0, 0.8, 0.7], "g_loss": [0.7, 0.9, 1.1],
           "real_acc": [0.5, 0.7, float("nan")], "fake_acc": [0.4, 0.6, 0.8]}

BUILDERS = {
    "heatmap": lambda: figures.heatmap(rng.normal(size=(12, 9)), "t", annotate=True,
                                       shapes=[figures.rect((0, 0, 2, 2), "red")]),
    "heatmap robust, sequential": lambda: figures.heatmap(rng.random((30, 30)), robust=True, diverging=False, zmax=2.0),
    "heatmap with NaN": lambda: figures.heatmap(np.array([[np.nan, 1.0], [2.0, -1.0]])),
    "rgb image": lambda: figures.rgb_image(IMAGE, "picture"),
    "grey image": lambda: figures.rgb_image(IMAGE[..., 0]),
    "line chart": lambda: figures.line_chart({"a": ([1, 2, 3], [3, 2, 1])}, "lines", x_title="x", log_y=True),
    "scatter groups": lambda: figures.scatter_groups({"0": rng.normal(size=(20, 2))}, "pts", x_title="z1"),
    "image with boxes": lambda: figures.image_with_boxes(
        (IMAGE * 255).astype(np.uint8), [[2, 3, 20, 30]], ["dog"], lambda label: (200, 30, 30), grid=7,
        highlight_cells=[(1, 2)], extra_boxes=[((0, 0, 5, 5), "blue", 2, "dash")]),
    "loss": lambda: training_view.loss_figure(HISTORY),
    "accuracy": lambda: training_view.accuracy_figure(HISTORY),
    "accuracy averaged": lambda: training_view.accuracy_figure(HISTORY, smooth=2),
    "styled line pairs": lambda: figures.line_chart({"a": ([1, 2], [1, 2]), "b": ([1, 2], [2, 1])}, styled=True),
    "D's score histogram": lambda: training_view.score_histogram(rng.random(50), rng.random(50), 0.5,
                                                                 probability=True),
    "D's raw score histogram": lambda: training_view.score_histogram(rng.normal(size=50), rng.normal(size=50), 0.0,
                                                                     probability=False),
}


@pytest.mark.parametrize("name", BUILDERS)
def test_spec_is_what_a_validated_plotly_figure_would_send(name):
    spec = BUILDERS[name]().to_dict()
    validated = go.Figure(copy.deepcopy(spec))  # raises on any unknown property or bad value
    expected = json.loads(pio.to_json(validated, validate=False))
    sent = json.loads(pio.to_json(spec, validate=False))  # what st.plotly_chart sends for a PlotSpec
    # Validation also normalises values (a colour scale name becomes its colours), and go.Figure adds plotly's
    # default template, which Streamlit's theme restyles (without it, lines lost the app's colours)
    assert sent == expected


def test_numpy_arrays_travel_as_typed_binary_like_plotly_sends_them():
    values = rng.normal(size=(64, 64))
    sent = json.loads(pio.to_json(figures.heatmap(values).to_dict(), validate=False))
    reference = json.loads(pio.to_json(go.Figure(dict(type="heatmap", z=values)), validate=False))
    assert sent["data"][0]["z"] == reference["data"][0]["z"]
    assert set(sent["data"][0]["z"]) == {"dtype", "bdata", "shape"}


def test_validation_here_can_fail():
    spec = figures.heatmap(np.eye(3)).to_dict()
    spec["layout"]["heigth"] = 300
    with pytest.raises(ValueError, match="heigth"):
        go.Figure(spec)


def test_png_cache_returns_the_same_picture_and_never_another_one():
    from ui import figures
    rng = np.random.default_rng(0)
    a = rng.random((40, 30, 3)).astype(np.float32)
    b = a.copy()
    b[5, 5, 0] = 1 - b[5, 5, 0]  # one pixel differs
    first = figures.image_data_uri(a)
    assert figures.image_data_uri(a.copy()) == first
    assert figures.image_data_uri(b) != first
    lossy = figures.image_data_uri(a, lossy=True)  # the same pixels as a JPEG are another entry, not the PNG
    assert lossy.startswith("data:image/jpeg;base64,") and first.startswith("data:image/png;base64,")
    import base64
    import io

    from PIL import Image
    decoded = np.asarray(Image.open(io.BytesIO(base64.b64decode(first.split(",", 1)[1]))))
    np.testing.assert_array_equal(decoded, (np.clip(a, 0, 1) * 255 + 0.5).astype(np.uint8))
    smooth = np.repeat(np.linspace(0, 1, 64), 64).reshape(64, 64)  # a JPEG of a smooth picture is close
    jpeg = np.asarray(Image.open(io.BytesIO(base64.b64decode(figures.image_data_uri(smooth, True).split(",")[1]))))
    assert np.abs(jpeg.astype(float) - smooth * 255).max() < 8


def test_large_maps_travel_as_float32_and_small_ones_exactly():
    import base64
    rng = np.random.default_rng(1)
    for shape, dtype in (((256, 256), "f4"), ((64, 64), "f8"), ((5, 5), "f8")):
        values = rng.normal(size=shape) * 300
        z = figures.heatmap(values).to_dict()["data"][0]["z"]
        assert z["dtype"] == dtype and tuple(map(int, str(z["shape"]).split(","))) == shape
        sent = np.frombuffer(base64.b64decode(z["bdata"]), dtype=dtype).reshape(shape)
        np.testing.assert_allclose(sent, values, rtol=1e-6 if dtype == "f4" else 0)  # hover shows 4 digits


@pytest.mark.parametrize("seed", range(5))
@pytest.mark.parametrize("picture", [False, True])
def test_maps_coloured_on_the_server_match_what_plotly_draws(seed, picture):
    """The Kernels maps are plain images coloured here: every pixel must be the colour Plotly's heatmap would give
    the same value with the same scale and range (plotly's own sample_colorscale as the reference)."""
    from plotly.colors import sample_colorscale, unlabel_rgb
    rng = np.random.default_rng(seed)
    values = rng.normal(0, rng.uniform(0.1, 5), size=(int(rng.integers(1, 40)), int(rng.integers(1, 40))))
    values.flat[0] = 40.0  # one extreme pixel, beyond a robust range
    rgb, bound = figures.coloured(values, robust=True, picture=picture)
    spec = figures.heatmap(values, robust=True, picture=picture).to_dict()["data"][0]
    assert (spec["zmin"], spec["zmax"]) == ((0, 1) if picture else (-bound, bound))
    at = np.clip((values - spec["zmin"]) / (spec["zmax"] - spec["zmin"]), 0, 1)
    expected = np.array([unlabel_rgb(c) for c in sample_colorscale(spec["colorscale"], at.ravel().tolist())])
    assert rgb.shape == (*values.shape, 3) and rgb.dtype == np.uint8
    assert np.abs(rgb.reshape(-1, 3).astype(float) - expected).max() <= 1  # rounding to 8 bits


def test_coloured_edge_cases_white_for_nan_ends_for_beyond_and_a_given_range():
    rgb, bound = figures.coloured(np.array([[np.nan, -1e9, 1e9, 0.0]]), zmax=2.0)
    assert bound == 2.0
    assert rgb[0, 0].tolist() == rgb[0, 3].tolist() == [247, 247, 247]  # NaN and 0: the scale's white
    assert rgb[0, 1].tolist() == [5, 48, 97] and rgb[0, 2].tolist() == [103, 0, 31]  # the scale's two ends
    assert figures.coloured(np.zeros((2, 2)))[1] == 1.0  # nothing to scale by: a unit range, not a division by 0
    grey, _ = figures.coloured(np.array([[-0.5, 0.5, 2.0, np.nan]]), picture=True)
    assert grey[0, :, 0].tolist() == [0, 128, 255, 255] and (grey[..., 0] == grey[..., 2]).all()


@pytest.mark.parametrize("shape", [(256, 256, 3), (64, 128), (1, 1), (300, 7, 3), (2000, 3, 3)])
def test_png_keeps_every_pixel(shape):
    import io

    from PIL import Image
    pixels = np.random.default_rng(0).integers(0, 256, size=shape, dtype=np.uint8)
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(figures.png(pixels)))), pixels)
    floats = figures.png(pixels / 255.0)  # 0..1 floats give the same picture
    assert np.array_equal(np.asarray(Image.open(io.BytesIO(floats))), pixels)


def test_figures_grow_on_a_projector_but_stay_within_its_first_screen(monkeypatch):
    assert figures.on_screen(360) == 360
    monkeypatch.setattr(figures, "_scale", lambda: 1.35)
    assert figures.on_screen(300) == 405 and figures.on_screen(360) == figures.PRESENTER_MAX_HEIGHT


@pytest.mark.parametrize("window", [(120, 120, 16, 16), (0, 0, 16, 16), (240, 0, 16, 16), (0, 0, 256, 256),
                                    (3, 250, 5, 6)])
def test_framed_draws_a_closed_frame_around_the_window_and_leaves_the_rest(window):
    top, left, height, width = window
    rgb = np.zeros((256, 256, 3), np.uint8)
    out = figures.framed(rgb, top, left, height, width)
    orange = (out == [230, 159, 0]).all(axis=-1)
    r0, r1 = max(top - 1, 0), min(top + height, 255)
    c0, c1 = max(left - 1, 0), min(left + width, 255)
    ring = np.zeros_like(orange)
    ring[r0:r1 + 1, c0:c1 + 1] = True
    ring[r0 + 1:r1, c0 + 1:c1] = False
    assert (orange == ring).all() and not rgb.any(), "the frame and nothing else; the input is not changed"
    inside = np.zeros_like(orange)
    inside[top:top + height, left:left + width] = True
    if top > 0 and left > 0 and top + height < 256 and left + width < 256:
        assert not (orange & inside).any(), "away from the edges the frame does not cover the window"


def test_plotly_text_writes_out_hidden_characters_and_tags():
    """A layer or object name from a user's file can hold a right-to-left override or HTML: both show as text."""
    assert figures.plotly_text("conv\u202e1 <a href=x>") == "conv⟨U+202E⟩1 &lt;a href=x&gt;"


def sent_values(value) -> np.ndarray:
    """A trace's array as the browser gets it: a base64 typed array or a JSON list."""
    if isinstance(value, dict):
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
    return np.asarray(value)


def test_a_long_line_is_drawn_through_evenly_spaced_points_of_its_own_and_keeps_its_ends():
    steps = np.arange(1, 4001)
    loss = rng.random(4000)
    spec = figures.line_chart({"loss": (steps, loss), "short": ([1, 2, 3], [3, 2, 1])}).to_dict()
    long, short = json.loads(pio.to_json(spec, validate=False))["data"]
    x, y = sent_values(long["x"]), sent_values(long["y"])
    assert len(x) == figures.LINE_POINTS and x[0] == 1 and x[-1] == 4000
    assert np.all(np.diff(x) > 0) and np.ptp(np.diff(x)) <= 1  # evenly spaced, to the step
    assert np.array_equal(y, loss[x - 1])  # each drawn point is the line's own value at that step
    assert sent_values(short["y"]).tolist() == [3, 2, 1]  # a short line: whole
