"""Each page through streamlit.testing's AppTest: renders, reads and writes its URL state, shows clear notices."""
import json
import subprocess
import sys

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT, wait_for
from ui.markdown import unescape

APP = str(ROOT / "streamlit_app.py")
PAGES = ["lessons/home.py", "lessons/kernels.py", "lessons/upsampling.py", "lessons/detection.py", "lessons/train.py",
         "lessons/learn.py"]


def open_page(page: str, **params) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page)
    at.run()
    return at


def errors(at):
    return [e.value for e in at.exception]


def step_once(trainer) -> None:
    """One training step, waited for until its numbers are published (the page's views need a started network)."""
    trainer.step()
    wait_for(lambda: trainer.snapshot()["step"] >= 1 and not trainer.snapshot()["pending"], timeout=120)


@pytest.mark.parametrize("page", PAGES)
def test_page_renders_without_exception(page):
    from tests.unit.test_turns import turn_is_free
    at = open_page(page, data="builtin")
    assert not errors(at), errors(at)
    assert at.title, "every page has a title"
    assert turn_is_free(), "the run gave its turn back (ui.shell.taking_turns)"


def test_home_introduces_every_lesson_in_a_first_class_s_order_and_the_device():
    from ui.lessons import LESSONS
    at = open_page("lessons/home.py")
    text = " ".join(m.value for m in at.markdown) + " ".join(c.value for c in at.caption)
    for lesson in ("Slide a small grid", "upsample", "autoencoder", "anchor boxes", "first-layer kernels"):
        assert lesson in text
    assert f"{len(LESSONS)} lessons" in text
    links = [link.proto.page for link in at.get("page_link")]  # the cards, then the start-here path, in one order
    assert links == [lesson.key for lesson in LESSONS] * 2, links
    labels = [m.label for m in at.metric]
    assert "Accelerator" in labels and "Keras backend" in labels


def test_home_counts_its_lessons_in_korean_from_the_registry():
    at = open_page("lessons/home.py", lang="ko")
    assert "수업 5개" in " ".join(m.value for m in at.markdown)


@pytest.mark.parametrize("gpus, installed, says", [
    ((), {"tensorflow-cpu": "2.21.0"}, False),
    (("NVIDIA H200",), {"tensorflow-cpu": "2.21.0"}, True),  # a GPU that the installed build cannot use
    (("NVIDIA H200",), {"tensorflow": "2.21.0"}, False),
])
def test_home_says_when_a_gpu_is_there_but_the_installed_build_cannot_use_it(monkeypatch, gpus, installed, says):
    from engine import device
    monkeypatch.setenv("KERAS_BACKEND", "tensorflow")
    monkeypatch.setattr(device, "gpu_names", lambda: gpus)
    monkeypatch.setattr(device, "package_versions", lambda: {"python": "3.12.1", **installed})
    at = open_page("lessons/home.py")
    accelerator = next(m.value for m in at.metric if m.label == "Accelerator")
    assert accelerator == ("NVIDIA H200" if gpus and "tensorflow" in installed else "CPU")
    shown = " ".join(unescape(i.value) for i in at.info)
    assert ("NVIDIA H200" in shown and "requirements-gpu.txt" in shown) == says, shown


def test_kernels_reads_url_and_writes_changes_back():
    at = open_page("lessons/kernels.py", kernel="emboss", stride="2", pad="valid")
    assert at.selectbox(key="kernels.kernel").value == "emboss"
    assert at.slider(key="kernels.stride").value == 2
    assert not at.warning
    at.slider(key="kernels.dil").set_value(2).run()
    assert at.query_params["dil"] == "2"
    at.selectbox(key="kernels.kernel").set_value("edge").run()  # the default drops out of the URL
    assert "kernel" not in at.query_params


@pytest.mark.parametrize("params, shown", [
    ({"stride": "abc"}, "stride=abc"),
    ({"stride": "99"}, "stride=99"),
    ({"kernel": "<script>"}, "kernel=<script>"),
    ({"kernel": "custom", "kc": "1,nan;0,1"}, "kc="),
    ({"boundary": "bounce"}, "boundary=bounce"),
])
def test_invalid_url_values_fall_back_with_visible_notice(params, shown):
    at = open_page("lessons/kernels.py", **params)
    assert not errors(at)
    notices = " ".join(unescape(w.value) for w in at.warning)
    assert shown in notices and "using the default" in notices


def test_kernels_closer_look_hover_shows_each_pixel_s_window_and_sum():
    from scipy import ndimage

    from engine import images
    at = open_page("lessons/kernels.py", img="camera", kernel="left sobel", zr="100", zc="40", tab="closer")
    assert not errors(at), errors(at)
    spec = next(json.loads(c.proto.spec) for c in at.get("plotly_chart")
                if "Output rows 100–115, columns 40–55" in c.proto.spec)
    trace = spec["data"][0]
    gray = images.to_gray(images.sample_image("camera", 256))
    reference = ndimage.correlate(gray.astype(np.float64), [[1, 0, -1], [2, 0, -2], [1, 0, -1]], mode="constant")
    checked = set()
    for i, j in [(0, 0), (7, 3), (15, 15)]:
        lines = hover_text(trace, i, j).split("<br>")
        assert lines[0] == f"out[{100 + i}, {40 + j}] = Σ window × kernel" and len(lines) == 5  # head, 3 rows, sum
        assert float(lines[-1].removeprefix("= ")) == pytest.approx(reference[100 + i, 40 + j], abs=1e-3)
        window = gray[100 + i - 1:100 + i + 2, 40 + j - 1:40 + j + 2]  # each row of terms: a row of the window
        for terms, pixels, weights in zip(lines[1:4], window, [[1, 0, -1], [2, 0, -2], [1, 0, -1]]):
            assert terms == " + ".join(f"({p:.2f}×{k:.2g})" for p, k in zip(pixels, weights))
        checked.add(len({f"{p:.2f}" for p in window.ravel()}))
    assert max(checked) > 3, "at least one window has pixels that differ, so a shifted window would be noticed"


def hover_text(trace: dict, i: int, j: int) -> str:
    """Cell (i, j)'s hover text as Plotly writes it from the trace's hovertemplate: %{customdata[n]:fmt} and
    %{z:fmt} with d3 formats (".2f"; ".4~g", whose "~" trims zeros as Python's "g" does)."""
    import re
    z = trace["z"]
    z = z if isinstance(z, list) else np.frombuffer(__import__("base64").b64decode(z["bdata"]), z["dtype"]).reshape(
        [int(n) for n in str(z["shape"]).split(",")]).tolist()

    def fill(match):
        value = z[i][j] if match[1] == "z" else trace["customdata"][i][j][int(match[2])]
        spec = (match[3] or "").replace("~", "")
        return format(value, spec) if spec else f"{value:g}"
    return re.sub(r"%\{(z|customdata\[(\d+)\])(?::([^}]*))?\}", fill, trace["hovertemplate"]).removesuffix(
        "<extra></extra>")


def titled_images(block) -> dict[str, str]:
    """{title: URL} of a block's images (st.image), each titled by the bold markdown line just before it. A URL
    names the image's bytes (Streamlit's media id is their hash): the same URL, the same picture."""
    found, title = {}, None

    def walk(node):
        nonlocal title
        if node.type == "markdown":
            title = node.value.strip("*")
        elif node.type == "image":
            found[title] = node.value[0]
        for child in getattr(node, "children", {}).values():
            walk(child)
    walk(block)
    return found


def test_kernels_figures_shared_by_sessions_follow_language_presenter_and_settings():
    """The Filter/Detect/Condense maps and the closer look are drawn once for all sessions showing the same view; a
    session in another language, in presenter mode or with another stride must get its own."""
    def view(**params):
        at = open_page("lessons/kernels.py", **{"img": "cat", "kernel": "emboss", **params})
        assert not errors(at), errors(at)
        return titled_images(at.tabs[0]), [m.value.strip("$\n") for m in at.latex]

    def closer(**params):  # at the window that was the default before it followed the output (see below)
        at = open_page("lessons/kernels.py", **{"img": "cat", "kernel": "emboss", "tab": "closer", "zr": "120",
                                                "zc": "120", **params})
        assert not errors(at), errors(at)
        specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]  # a projector's title wraps: one line
        return {spec["layout"]["title"]["text"].replace("<br>", " "): spec for spec in specs}, titled_images(at.tabs[1])

    english, kernel = view()
    assert list(english) == ["Input (256×256)", "Filter: conv 256×256", "Detect: ReLU",
                             "Condense: max-pool 2×2 → 128×128",
                             "The same kernel on each colour channel (clipped to 0..1)"]
    # emboss makes a picture, drawn in grey with negatives black: ReLU, which zeroes them, changes no pixel of it
    assert english["Filter: conv 256×256"] == english["Detect: ReLU"] and all(english.values())
    assert len(set(english.values())) == 4, "the other pictures differ, each served"
    assert view() == (english, kernel)  # a second session: the same figures
    korean = view(lang="ko")[0]
    assert not set(korean) & set(english) and list(korean.values()) == list(english.values()), sorted(korean)
    assert list(view(stride="2")[0])[1] == "Filter: conv 128×128"
    assert kernel == [r"\begin{bmatrix} -2 & -1 & 0 \\ -1 & 1 & 1 \\ 0 & 1 & 2 \end{bmatrix}"]
    assert view(op="convolution")[1] == [r"\begin{bmatrix} 2 & 1 & 0 \\ 1 & 1 & -1 \\ 0 & -1 & -2 \end{bmatrix}"]
    assert view(kernel="sharpen")[0]["Filter: conv 256×256"] != english["Filter: conv 256×256"]
    assert view(img="coffee")[0]["Input (256×256)"] != english["Input (256×256)"]

    charts, where = closer()
    look = "Output rows 120–135, columns 120–135"
    assert list(charts) == [look] and len(where) == 1, (list(charts), where)
    assert closer() == (charts, where)
    assert closer(present="1")[0][look]["layout"]["height"] > charts[look]["layout"]["height"]
    moved = closer(zr="100", zc="40")
    assert moved[0]["Output rows 100–115, columns 40–55"]["data"][0]["z"] != charts[look]["data"][0]["z"]
    assert moved[1] != where, "the frame moves with the window"

    def terms(trace):  # what a hover shows: the window (customdata), the weights (template) and the sums (z)
        return trace["customdata"], trace["hovertemplate"], trace["z"]
    for other in ({"kernel": "sharpen"}, {"op": "convolution"}, {"img": "coffee"}):
        assert terms(closer(**other)[0][look]["data"][0]) != terms(charts[look]["data"][0]), other
    corner = "Output rows 0–15, columns 0–15"  # where the boundary mode makes up pixels
    assert terms(closer(zr="0", zc="0", boundary="reflect")[0][corner]["data"][0]) != \
        terms(closer(zr="0", zc="0")[0][corner]["data"][0])


def test_kernels_signed_maps_share_one_colour_range_stated_in_the_caption(monkeypatch):
    """Filter, ReLU and max-pool are coloured on one scale (the filter's robust range), so the same response has
    the same colour in all three; the caption gives that range, as a colour bar would."""
    from engine import conv, images, kernels
    from ui import figures
    shown, real_png = [], figures.png
    monkeypatch.setattr(figures, "png", lambda pixels: shown.append(pixels) or real_png(pixels))
    at = open_page("lessons/kernels.py", img="camera", kernel="bottom sobel", pool="3")  # a view no other test draws
    caption = " ".join(c.value for c in at.tabs[0].caption)
    assert not errors(at) and "full red at " in caption
    stated = caption.split("full red at ")[1].split(" ")[0]
    response = conv.conv2d(images.to_gray(images.sample_image("camera", 256)), kernels.get_kernel("bottom sobel"),
                           padding="same")  # the page's defaults
    bound = figures.signed_bound(response.astype(np.float64), robust=True)
    assert stated == f"{bound:.3g}"
    detected = conv.relu(response)
    expected = [figures.coloured(response, zmax=bound)[0], figures.coloured(detected, zmax=bound)[0],
                figures.coloured(conv.max_pool2d(detected, 3), zmax=bound)[0]]
    assert len(shown) == 5 and all(np.array_equal(a, b) for a, b in zip(shown[1:4], expected))


def test_kernels_second_session_gets_the_drawn_figures_replayed_in_the_open_tab(monkeypatch):
    """A second session showing the same view colours and encodes no picture and builds no figure: Streamlit
    replays what the shared cache drew (its images included), in the open tab, in the same order."""
    import plotly.io

    from ui import figures
    encoded, serialized = [], []
    real_png, real_json = figures.png, plotly.io.to_json
    monkeypatch.setattr(figures, "png", lambda *a, **k: encoded.append(1) or real_png(*a, **k))
    monkeypatch.setattr(plotly.io, "to_json", lambda *a, **k: serialized.append(1) or real_json(*a, **k))
    view = {"kernel": "random", "seed": "4243", "zr": "7"}  # a view no other test draws

    first = open_page("lessons/kernels.py", **view)
    drawn = len(encoded)
    second = open_page("lessons/kernels.py", **view)
    assert drawn == 5 and len(encoded) == drawn, "the second session encoded pictures again"
    assert len(titled_images(first.tabs[0])) == 5 and titled_images(second.tabs[0]) == titled_images(first.tabs[0])
    assert not errors(second) and any("Output size" in m.value for m in second.tabs[0].markdown)

    first = open_page("lessons/kernels.py", tab="closer", **view)
    drawn, charts = len(encoded), len(serialized)
    second = open_page("lessons/kernels.py", tab="closer", **view)
    assert len(encoded) == drawn and charts == 1 and len(serialized) == charts, "the closer look was drawn again"
    assert [c.proto.spec for c in second.tabs[1].get("plotly_chart")] == \
        [c.proto.spec for c in first.tabs[1].get("plotly_chart")] and titled_images(second.tabs[1])


def test_custom_kernel_from_url_is_used():
    at = open_page("lessons/kernels.py", kernel="custom", kc="0,0,0;0,2,0;0,0,0", tab="pipe")
    assert not errors(at) and not at.warning
    assert at.query_params["kc"] == "0,0,0;0,2,0;0,0,0"


def test_kernels_check_panel_agrees_with_scipy():
    at = open_page("lessons/kernels.py", kernel="right sobel", boundary="mirror", stride="2", dil="2", tab="check")
    diff = next(m for m in at.metric if m.label == "Largest difference from SciPy").value
    assert float(diff) < 1e-4


def latex_numbers(latex: str) -> np.ndarray:
    body = latex.split(r"\begin{bmatrix}")[1].split(r"\end{bmatrix}")[0]
    return np.array([[float(v) for v in row.split("&")] for row in body.split(r"\\")])


TEXTBOOK_LINK = dict(tab="numbers", src="typed", demo="0", kernel="custom", kc="1,1;1,1", boundary="nearest")


def test_kernels_textbook_example_opens_from_a_link_and_from_its_button():
    at = open_page("lessons/kernels.py", **TEXTBOOK_LINK)
    assert not errors(at) and not at.warning
    matrices = [latex_numbers(m.value) for m in at.get("latex")]
    np.testing.assert_array_equal(matrices[-1], [[8, 12, 14], [20, 24, 26], [26, 30, 32]])
    np.testing.assert_array_equal(matrices[-3], np.arange(9).reshape(3, 3))
    at = open_page("lessons/kernels.py", tab="numbers")
    next(b for b in at.button if b.label.startswith("Textbook example")).click().run()
    assert not errors(at)
    assert {k: at.query_params[k] for k in TEXTBOOK_LINK} == TEXTBOOK_LINK
    np.testing.assert_array_equal(latex_numbers(at.get("latex")[-1].value), [[8, 12, 14], [20, 24, 26], [26, 30, 32]])


def test_kernels_typed_matrix_output_matches_scipy_for_random_cases(rng):
    from scipy import ndimage
    for _ in range(4):
        h, w = (int(v) for v in rng.integers(1, 8, 2))
        x = rng.integers(-9, 10, (h, w))
        k = rng.integers(-3, 4, (3, 3))
        boundary = str(rng.choice(["constant", "nearest", "reflect", "mirror", "wrap"]))
        text = ";".join(",".join(map(str, row)) for row in x)
        kc = ";".join(",".join(map(str, row)) for row in k)
        at = open_page("lessons/kernels.py", tab="numbers", src="typed", mat=text, demo="0", kernel="custom", kc=kc,
                       boundary=boundary)
        assert not errors(at) and not at.warning, (text, kc, boundary)
        expected = ndimage.correlate(x.astype(float), k.astype(float), mode=boundary, cval=0.0)
        shown = latex_numbers(at.get("latex")[-1].value)
        np.testing.assert_allclose(shown, expected, rtol=5e-3, atol=1e-9, err_msg=f"{text} {kc} {boundary}")


@pytest.mark.parametrize("raw", ["1,nan;2,3", ";".join(["1,2,3,4,5,6,7,8"] * 8), "<script>alert(1)</script>",
                                 "1," * 1500, "1e400,0", "", "1,2;3"])
def test_kernels_typed_matrix_bad_link_falls_back_with_a_notice(raw):
    at = open_page("lessons/kernels.py", tab="numbers", src="typed", mat=raw)
    assert not errors(at)
    notices = " ".join(unescape(w.value) for w in at.warning)
    assert "mat=" in notices and "using the default" in notices
    np.testing.assert_array_equal(latex_numbers(at.get("latex")[0].value), np.arange(9).reshape(3, 3))


def test_kernels_typed_matrix_that_is_not_numbers_is_explained_and_the_example_kept():
    at = open_page("lessons/kernels.py", tab="numbers", src="typed")
    at.text_input(key="kernels.mat").set_value("1,two;3,4").run()
    assert not errors(at)
    assert "not a number" in " ".join(e.value for e in at.error)
    np.testing.assert_array_equal(latex_numbers(at.get("latex")[0].value), np.arange(9).reshape(3, 3))


def test_a_link_can_hide_the_tab_bar_and_chosen_controls_and_keep_their_values():
    at = open_page("lessons/kernels.py", **TEXTBOOK_LINK, tab_hide="1", boundary_hide="1", src_hide="1",
                   stride="2", stride_hide="true")
    assert not errors(at) and not at.warning
    assert len(at.tabs) == 0, "the open tab alone, no tab bar"
    keys = {w.key for w in at.slider} | {w.key for w in at.selectbox} | {w.key for w in at.radio}
    assert not {"kernels.boundary", "kernels.stride", "kernels.src"} & keys, keys
    assert "kernels.dil" in keys, "controls the link does not name stay"
    # the hidden settings still apply: nearest boundary, stride 2 on 0..8 with a 2x2 kernel of ones
    np.testing.assert_array_equal(latex_numbers(at.get("latex")[-1].value), [[8, 14], [26, 32]])


def test_a_bad_tab_id_with_the_tab_bar_hidden_is_told_and_opens_the_first_tab():
    at = open_page("lessons/kernels.py", tab="<b>nope</b>", tab_hide="1")
    assert not errors(at) and len(at.tabs) == 0
    assert "tab=" in " ".join(unescape(w.value) for w in at.warning)
    assert "tab" not in at.query_params, "a bad tab id leaves the link"


def test_a_link_can_hide_the_sidebar():
    hidden = open_page("lessons/kernels.py", sidebar_hide="1")
    shown = open_page("lessons/kernels.py")
    styles = [h.proto.body for h in hidden.get("html")]
    assert any("stSidebar" in body and "display: none" in body for body in styles)
    assert not any("stSidebar" in h.proto.body and "display: none" in h.proto.body for h in shown.get("html"))


@pytest.mark.parametrize("page, lesson", [("lessons/kernels.py", "kernels"), ("lessons/upsampling.py", "upsampling"),
                                          ("lessons/detection.py", "detection"), ("lessons/train.py", "train"),
                                          ("lessons/learn.py", "learn")])
def test_every_lesson_has_a_guided_exercise_with_answers_on_demand(page, lesson):
    from ui.exercises import EXERCISES
    at = open_page(page, data="builtin")
    questions = EXERCISES[lesson]
    assert 3 <= len(questions) <= 5
    assert any(e.label == f"Guided exercise: {len(questions)} questions" for e in at.expander)
    toggles = [w for w in at.toggle if w.key.startswith(f"{lesson}.exercise.")]
    assert len(toggles) == len(questions)
    assert not any(questions[0][1] in s.value for s in at.success), "answers stay hidden until asked for"
    toggles[0].set_value(True).run()
    assert not errors(at)
    assert any(questions[0][1] in s.value for s in at.success)


def test_exercise_answers_are_what_the_engine_computes():
    """The numbers the answers give, recomputed: an answer a student checks on the page must be right."""
    from engine import conv, kernels, transpose
    from engine.detection import anchors, boxes
    out = conv.conv2d(np.arange(9, dtype=np.float32).reshape(3, 3), np.ones((2, 2)), padding="same",
                      boundary="nearest")
    assert out[0, 0] == 8 == 0 + 1 + 3 + 4
    assert kernels.get_kernel("edge").sum() == 0
    assert np.array_equal(kernels.get_kernel("left sobel")[::-1, ::-1], -kernels.get_kernel("left sobel"))
    filtered = conv.conv2d(np.zeros((256, 256)), kernels.get_kernel("edge"), stride=2, padding="same")
    assert filtered.shape == (128, 128) and conv.max_pool2d(filtered, 2).shape == (64, 64)
    assert conv.conv2d_params(5, 3, 16, use_bias=False) == 1_200 and conv.dense_params(1080 * 1920 * 3, 16, False) \
        == 99_532_800
    assert conv.conv2d_params(3, 1, 8) == 80
    assert transpose.conv_transpose1d([1, 2, 3], [-1, 1]).tolist() == [-1, -1, -1, 3]
    assert transpose.conv_transpose2d(np.ones((5, 5)), np.ones((3, 3)), stride=2, padding=1).shape == (9, 9)
    assert transpose.conv_transpose2d(np.ones((5, 5)), np.ones((3, 3)), stride=2, padding=1,
                                      output_padding=1).shape == (10, 10)
    assert transpose.conv_matrix((4, 4), np.ones((3, 3))).shape == (4, 16)
    even = [k for k in range(1, 7) if len(np.unique(transpose.overlap_map(8, k, 2)[k:-k, k:-k])) == 1]
    assert even == [2, 4, 6], even
    parts = boxes.iou_parts([0, 0, 4, 4], [2, 2, 6, 6])
    assert (parts.intersection, parts.union, round(parts.iou, 4)) == (4, 28, 0.1429)
    assert len(anchors.generate_anchors((800, 800), 16)) == 22_500


def test_kernels_shapes_tab_default_example():
    at = open_page("lessons/kernels.py", tab="shapes")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Conv2D output"] == "216 × 384 × 16"
    assert metrics["Conv2D parameters"] == "1,200"
    assert metrics["Dense(16) on the flattened input"] == "99,532,800"


def test_upsampling_psnr_ordering():
    at = open_page("lessons/upsampling.py", tab="deconv")
    psnr = [float(m.value.split()[0]) for m in at.metric if m.label == "PSNR"]
    blurred, inverse, wiener, rl, transposed = psnr
    assert wiener > blurred and rl > blurred and transposed < blurred


def test_upsampling_invalid_1d_input_notice():
    at = open_page("lessons/upsampling.py", x1="1,two,3")
    assert not errors(at)
    assert any("x1=1,two,3" in unescape(w.value) for w in at.warning)


def test_upsampling_scatter_takes_a_textbook_input_size_and_integer_padding():
    at = open_page("lessons/upsampling.py", tab="scatter", n2="5", s2="2", k2="3", p2="1")
    assert not errors(at) and not at.warning and not at.error
    titles = " ".join(json.loads(c.proto.spec)["layout"]["title"]["text"] for c in at.get("plotly_chart"))
    assert "Input (5×5)" in titles and "Output 9×9 after 1 stamp" in titles
    formula = " ".join(m.value for m in at.markdown)
    assert "(5 − 1)·2 + 3 − 2·1 + 0 = 9 (PyTorch)" in formula
    at.slider(key="upsampling.op2").set_value(1).run()
    assert "Output 10×10" in " ".join(json.loads(c.proto.spec)["layout"]["title"]["text"]
                                     for c in at.get("plotly_chart"))
    assert at.query_params["op2"] == "1" and at.query_params["p2"] == "1" and at.query_params["n2"] == "5"


@pytest.mark.parametrize("params, shown", [
    ({"n2": "99"}, "n2=99"), ({"n2": "nan"}, "n2=nan"), ({"p2": "-1"}, "p2=-1"), ({"p2": "1.5"}, "p2=1.5"),
    ({"p2": "<b>x</b>"}, "p2=<b>x</b>"),
])
def test_upsampling_scatter_bad_link_values_fall_back_with_a_notice(params, shown):
    at = open_page("lessons/upsampling.py", tab="scatter", **params)
    assert not errors(at)
    assert shown in " ".join(unescape(w.value) for w in at.warning)


@pytest.mark.parametrize("params, says", [
    ({"n2": "1", "k2": "1", "p2": "4"}, "crops the whole output"),
    ({"p2": "1", "s2": "2", "op2": "2"}, "smaller than the stride"),
])
def test_upsampling_scatter_impossible_settings_are_explained(params, says):
    at = open_page("lessons/upsampling.py", tab="scatter", **params)
    assert not errors(at)
    assert says in " ".join(e.value for e in at.error)


def test_detection_iou_calculator_reads_typed_boxes_from_the_link():
    at = open_page("lessons/detection.py", tab="iou", axmin="0", aymin="0", axmax="4", aymax="4", bxmin="2",
                   bymin="2", bxmax="6", bymax="6")
    assert not errors(at) and not at.warning
    metrics = {m.label: m.value for m in at.metric}
    assert metrics == {"Area of A": "16", "Area of B": "16", "Intersection": "4", "Union": "28", "IoU": "0.1429"}
    text = " ".join(m.value for m in at.markdown)
    assert "max(0, 2) = 2 to min(4, 6) = 4" in text and "4 / 28 = **0.1429**" in text
    spec = json.loads(next(c for c in at.get("plotly_chart")).proto.spec)
    fills = [shape for shape in spec["layout"]["shapes"] if shape.get("fillcolor", "").startswith("rgba(0, 158")]
    assert [(f["x0"], f["y0"], f["x1"], f["y1"]) for f in fills] == [(2, 2, 4, 4)]  # the intersection is drawn
    at.number_input(key="detection.bxmin").set_value(5).run()
    assert at.query_params["bxmin"] == "5"
    assert "do not overlap" in " ".join(m.value for m in at.markdown)


@pytest.mark.parametrize("params, shown", [
    ({"axmin": "nan"}, "axmin=nan"), ({"bymax": "1e99"}, "bymax=1e99"), ({"aymin": "two"}, "aymin=two"),
    ({"axmax": "<img src=x onerror=alert(1)>"}, "axmax=<img"),
])
def test_detection_iou_calculator_bad_link_values_fall_back_with_a_notice(params, shown):
    at = open_page("lessons/detection.py", tab="iou", **params)
    assert not errors(at)
    assert shown in " ".join(unescape(w.value) for w in at.warning)
    assert any(m.label == "IoU" for m in at.metric)


def test_detection_iou_calculator_explains_corners_in_the_wrong_order():
    at = open_page("lessons/detection.py", tab="iou", axmin="300")
    assert not errors(at)
    assert "Box A has xmax < xmin" in " ".join(unescape(e.value) for e in at.error)


def test_detection_yolo_and_anchor_counts():
    at = open_page("lessons/detection.py", S="7", scene="2", tab="yolo")
    assert not errors(at)
    success = " ".join(s.value for s in at.success)
    assert "Decode-back check" in success and "IoU 1.000000" in success
    at = open_page("lessons/detection.py", S="7", scene="2", tab="losses")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Total parameters"] == "271,703,550"


def test_detection_800_scene_has_the_paper_s_22500_anchors_all_drawn():
    at = open_page("lessons/detection.py", ssize="800", tab="anchors")
    assert not errors(at), errors(at)
    assert "**22,500 anchors**" in " ".join(m.value for m in at.markdown)
    specs = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    cloud = next(s for s in specs if "All 22,500 anchors" in s["layout"]["title"]["text"])
    assert cloud["data"][1]["type"] == "scatter"


def test_detection_tabs_are_lazy_and_in_the_link():
    at = open_page("lessons/detection.py", tab="nms")
    assert not errors(at) and not at.success, "the YOLO tab (its decode-back check) is not computed"
    assert at.query_params["tab"] == "nms"
    assert {m.label for m in at.metric}.isdisjoint({"Total parameters", "Pixel accuracy"})
    at = open_page("lessons/detection.py", tab="boxes")  # the default tab stays out of the link
    header = "| class | VOC id | xmin, ymin, xmax, ymax |"
    assert "tab" not in at.query_params and any(header in m.value for m in at.markdown)


def test_detection_segmentation_scores_follow_the_link():
    at = open_page("lessons/detection.py", sdbox="1", tab="segmentation")
    assert not errors(at), errors(at)
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Pixel accuracy"] == "0.954"  # 424 extra "disc" pixels of 9,216 are background in the truth
    contrast = at.dataframe[-1].value
    assert list(contrast["box IoU"]) == [1.0, 1.0] and list(contrast["mask IoU"])[0] == pytest.approx(1257 / 1681,
                                                                                                    abs=1e-4)
    at = open_page("lessons/detection.py", sqdx="5", sqgrow="-3", sddy="-30", tab="segmentation")
    assert "sddy=-30" in " ".join(unescape(w.value) for w in at.warning)
    metrics = {m.label: m.value for m in at.metric}
    assert float(metrics["Mean IoU"]) < 1


def test_train_page_shows_controls_and_device():
    at = open_page("lessons/train.py", model="vae", data="builtin")
    assert [b.label for b in at.button][:5] == ["Play", "Pause", "Step", "Stop", "Reset"]
    assert any("Device" in m.value for m in at.markdown)


def test_train_page_dcgan_has_gan_lab_controls_from_the_link():
    at = open_page("lessons/train.py", model="dcgan", data="builtin", loss="hinge", k="3", dlr="0.002", lr="0.0005")
    assert not errors(at), errors(at)
    assert [b.label for b in at.button][:7] == ["Play", "Pause", "Step", "Step D", "Step G", "Stop", "Reset"]
    config = at.session_state["train.trainer"].config
    assert (config.gan_loss, config.d_steps, config.d_learning_rate, config.learning_rate) == ("hinge", 3, 2e-3, 5e-4)
    from engine import training
    recipe = training.gan_recipe()
    assert (config.gan_width, config.ema, config.d_dropout) == (recipe["gan_width"], recipe["ema"], recipe["d_dropout"])


def test_train_page_defaults_are_the_recipe():
    at = open_page("lessons/train.py", model="dcgan", data="builtin")
    from engine import training
    config, recipe = at.session_state["train.trainer"].config, training.gan_recipe()
    assert {key: getattr(config, key) for key in recipe} == recipe


def test_train_page_conditional_dcgan_draws_the_digit_asked_for_in_the_link():
    """The DCGAN is told which digit to draw by default; `cond=0` is the plain one; after a step, a row of the
    link's digit is drawn on demand."""
    assert not open_page("lessons/train.py", model="dcgan", data="builtin", cond="0").session_state[
        "train.trainer"].config.conditional
    at = open_page("lessons/train.py", model="dcgan", data="builtin", cond="perhaps")
    assert "cond=" in " ".join(unescape(w.value) for w in at.warning)
    at = open_page("lessons/train.py", model="dcgan", data="builtin", digit="3")
    trainer = at.session_state["train.trainer"]
    assert trainer.config.conditional
    step_once(trainer)
    at.run()
    try:
        assert not errors(at), errors(at)
        assert at.radio(key="train.digit").value == "3" and len(at.radio(key="train.digit").options) == 10
        row = at.session_state["train.row"]
        assert row[0] == (trainer.run_id, 1, 3) and row[1].shape[1] > 5 * row[1].shape[0]  # one row of ten
        at.radio(key="train.digit").set_value("8").run()
        assert at.session_state["train.row"][0] == (trainer.run_id, 1, 8)
    finally:
        trainer.stop()


def test_train_page_vae_straightens_the_digits_unless_the_link_says_not():
    """The VAE learns straightened digits by default and says so under its originals; `deskew=0` keeps them as
    written, and a value that is not 0 or 1 is reported."""
    assert not open_page("lessons/train.py", model="vae", data="builtin", deskew="0").session_state[
        "train.trainer"].config.vae_deskew
    at = open_page("lessons/train.py", model="vae", data="builtin", deskew="<b>x</b>")
    assert "deskew=" in " ".join(unescape(w.value) for w in at.warning)
    at = open_page("lessons/train.py", model="vae", data="builtin")
    trainer = at.session_state["train.trainer"]
    assert trainer.config.vae_deskew and at.toggle(key="train.deskew").value
    step_once(trainer)
    at.run()
    try:
        assert not errors(at), errors(at)
        captions = [caption for image in at.image for caption in image.captions]
        assert "Originals (test images, straightened)" in captions, captions
    finally:
        trainer.stop()


def test_live_charts_are_static_while_the_network_trains_and_interactive_once_it_pauses():
    """A chart redrawn every few seconds cannot be hovered anyway; drawn static it costs the browser less."""
    import time

    from engine.settings import Status
    at = open_page("lessons/train.py", model="ae", data="builtin")
    trainer = at.session_state["train.trainer"]
    trainer.play()
    try:
        deadline = time.monotonic() + 120
        while trainer.snapshot()["step"] < 25 and time.monotonic() < deadline:
            time.sleep(0.2)
        at.run()
        assert trainer.snapshot()["status"] == Status.RUNNING and at.get("plotly_chart")
        assert all(json.loads(c.proto.config).get("staticPlot") for c in at.get("plotly_chart"))
        trainer.pause()
        while trainer.snapshot()["status"] == Status.RUNNING and time.monotonic() < deadline:
            time.sleep(0.2)
        at.run()
        assert at.get("plotly_chart")
        assert not any(json.loads(c.proto.config).get("staticPlot") for c in at.get("plotly_chart"))
    finally:
        trainer.stop()


@pytest.mark.parametrize("page, model, other", [("lessons/train.py", "ae", "cnn"), ("lessons/learn.py", "cnn", "ae")])
def test_watch_link_is_read_only_and_bad_ids_are_refused_calmly(page, model, other):
    from engine import data, training
    x, y = data.builtin_digits(64, seed=1)
    dataset = data.Dataset("builtin", x, y, x[:8], y[:8])
    run = training.Trainer(training.TrainConfig(model=model), dataset=dataset)
    foreign = training.Trainer(training.TrainConfig(model=other), dataset=dataset)  # another lesson's run
    at = open_page(page, watch=foreign.run_id)
    assert "not on the server any more" in " ".join(w.value for w in at.warning)
    at = open_page(page, watch=run.run_id)
    assert not errors(at), errors(at)
    assert any("You are watching a shared run live" in i.value for i in at.info)
    labels = [b.label for b in at.button]
    assert "Play" not in labels and "Reset" not in labels and labels == ["Train your own"]
    assert "Steps" in {m.label for m in at.metric}
    assert not run.alive and run.status == "idle", "watching must start nothing"
    for bad in ("", "nope", "<img src=x onerror=alert(1)>", "**bold** [x](https://evil.example)", "x" * 5000):
        at = open_page(page, watch=bad)
        assert not errors(at), (bad, errors(at))
        warning = " ".join(w.value for w in at.warning)
        assert "not on the server any more" in warning and "evil" not in warning and "<img" not in warning


def test_train_page_rejects_absurd_url_hyperparameters():
    at = open_page("lessons/train.py", lr="1e9", batch="-4", secs="inf", model="gpt5")
    assert not errors(at)
    notices = " ".join(unescape(w.value) for w in at.warning)
    for key in ("lr=", "batch=", "secs=", "model="):
        assert key in notices
    at = open_page("lessons/train.py", model="dcgan", loss="wasserstein", k="99", dlr="nan", smooth="0.9")
    assert not errors(at)
    notices = " ".join(unescape(w.value) for w in at.warning)
    for key in ("loss=", "k=", "dlr=", "smooth="):
        assert key in notices


def _stepped_learn_page(**params) -> AppTest:
    """The learn page after one training step (the views need a network that has started)."""
    at = open_page("lessons/learn.py", data="builtin", **params)
    trainer = at.session_state["learn.trainer"]
    step_once(trainer)
    at.run()
    trainer.stop()  # what the run showed stays in `at`; the server's one training slot is free for the next test
    assert not errors(at), errors(at)
    return at


def test_learn_page_settings_come_from_the_link():
    at = open_page("lessons/learn.py", data="builtin", size="wide", lr="0.01", batch="32", secs="30")
    assert not errors(at), errors(at)
    config = at.session_state["learn.trainer"].config
    assert (config.model, config.cnn_size, config.learning_rate, config.batch_size, config.seconds) == \
        ("cnn", "wide", 0.01, 32, 30.0)
    assert [b.label for b in at.button][:5] == ["Play", "Pause", "Step", "Stop", "Reset"]
    assert "Press **Play**" in " ".join(i.value for i in at.info)
    at = open_page("lessons/learn.py", data="cifar10", size="wide", tab="layers")  # arithmetic: no training needed
    table = at.dataframe[0].value
    assert list(table["Layer"]) == ["conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten", "logits"]
    assert list(table["Output shape"])[0] == "(None, 30, 30, 16)" and list(table["Parameters"])[0] == "448"


def test_learn_tabs_are_in_the_link_and_only_the_open_one_computes():
    at = _stepped_learn_page()
    text = " ".join(m.value for m in at.markdown)
    assert "First-layer kernels at step 1" in text and not at.dataframe  # kernels tab open, layers tab not computed
    assert any("Open kernel #1 in the Kernels lesson" == b.label for b in at.get("link_button"))
    link = next(b for b in at.get("link_button")).proto.url
    assert "/kernels?kernel=custom&kc=" in link
    at = _stepped_learn_page(tab="layers")
    assert at.dataframe and "First-layer kernels" not in " ".join(m.value for m in at.markdown)
    assert "5,258 parameters" in " ".join(m.value for m in at.markdown)
    at = _stepped_learn_page(tab="maps", img="17")
    assert at.number_input(key="learn.img").value == 17 and at.query_params["img"] == "17"
    titles = json.dumps([c.proto.spec for c in at.get("plotly_chart")], ensure_ascii=False)
    for name in ("conv1 · 26×26×8", "relu1", "pool1 · 13×13×8", "conv2 · 11×11×16", "pool2 · 5×5×16", "Class scores"):
        assert name in titles, name
    at = _stepped_learn_page(tab="mistakes")
    assert "held-out images right" in " ".join(m.value for m in at.markdown)
    assert "Confusion matrix" in json.dumps([c.proto.spec for c in at.get("plotly_chart")], ensure_ascii=False)


def test_learn_bad_tab_and_numbers_in_the_link_fall_back_with_a_notice():
    at = open_page("lessons/learn.py", data="builtin", tab="<b>x</b>", size="huge", lr="nan")
    assert not errors(at), errors(at)
    notices = " ".join(unescape(w.value) for w in at.warning)
    for key in ("tab=", "size=", "lr="):
        assert key in notices
    assert "tab" not in at.query_params, "a bad tab id leaves the link"


LAZY_CHECK = """
import json, sys
from streamlit.testing.v1 import AppTest
for page in ["lessons/home.py", "lessons/kernels.py", "lessons/upsampling.py", "lessons/detection.py",
             "lessons/learn.py?data=builtin", "lessons/train.py"]:
    at = AppTest.from_file("streamlit_app.py", default_timeout=120)
    page, _, query = page.partition("?")
    for pair in filter(None, query.split("&")):
        at.query_params.__setitem__(*pair.split("="))
    at.switch_page(page)
    at.run()
    assert not at.exception, (page, [e.value for e in at.exception])
heavy = sorted(m for m in ("tensorflow", "keras", "jax", "torch") if m in sys.modules)
print(json.dumps(heavy))
"""


def test_no_first_run_imports_tensorflow_or_keras():
    """Not even the training page: Keras loads when a training starts (seconds on a fresh server)."""
    out = subprocess.run([sys.executable, "-c", LAZY_CHECK], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == []


def test_lazy_check_would_catch_an_import():
    """The lazy-import check is not vacuous: probing the device through Keras, as the trainer does, is seen."""
    probe = LAZY_CHECK.replace("heavy = sorted(",
                               "from engine import device\ndevice.framework_accelerator()\nheavy = sorted(")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    assert "keras" in json.loads(out.stdout.strip().splitlines()[-1])


def _equal_bounds_script():
    import streamlit as st

    from ui.state import PageState
    state = PageState("probe")
    st.session_state["value"] = state.slider("Feature-map row", "arow", 0, 0, 0)


def test_a_slider_whose_bounds_meet_shows_the_one_value_instead_of_failing():
    at = AppTest.from_function(_equal_bounds_script, default_timeout=60)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["value"] == 0 and "Feature-map row" in unescape(at.caption[0].value)


def _moving_bounds_script():
    import streamlit as st

    from ui.state import PageState
    high = st.session_state.get("high", 200)
    st.session_state["value"] = PageState("probe").slider("Row", "row", high // 2, 0, high)


def test_a_slider_keeps_its_place_when_its_bounds_change():
    """Streamlit resets a slider whose bounds change to its minimum; a row of a map whose size the stride sets
    must not jump to the corner."""
    at = AppTest.from_function(_moving_bounds_script, default_timeout=60)
    at.run()
    at.session_state["high"] = 100
    at.run()
    assert at.session_state["value"] == 50, "an untouched slider follows its default (the middle)"
    at.slider[0].set_value(80).run()
    at.session_state["high"] = 60
    at.run()
    assert at.session_state["value"] == 60 and at.query_params["row"] == "60", "a moved one is clamped"
    at.session_state["high"] = 200
    at.run()
    assert at.session_state["value"] == 60 and not at.exception


def test_a_slider_value_kept_from_an_earlier_visit_is_clamped_into_today_s_range():
    at = AppTest.from_function(_moving_bounds_script, default_timeout=60)
    at.session_state["_convlab_saved_values"] = {"probe.row": 500}
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["value"] == 200


def test_kernels_closer_look_starts_where_the_output_varies_and_stays_in_place_when_the_stride_changes():
    """The window starts on the liveliest piece of the filtered map (the house's edges, not its blank wall), away
    from the padded border; a stride change moves that start with the map, but never a window the user chose."""
    from engine import conv, images, kernels
    gray = images.to_gray(images.sample_image("house", 256))

    def start(stride):
        response = conv.conv2d(gray, kernels.get_kernel("edge"), stride=stride, padding="same")
        return conv.liveliest_window(response, (16, 16), margin=3 // stride + 1), response
    at = open_page("lessons/kernels.py", tab="closer")
    (top, left), response = start(1)
    assert (at.slider(key="kernels.zr").value, at.slider(key="kernels.zc").value) == (top, left)
    assert response[120:136, 120:136].std() == 0, "the centre, the start before, is the house's blank wall"
    assert response[top:top + 16, left:left + 16].std() > 2 * response.std(), "a lively piece"
    assert 4 <= top <= 256 - 16 - 4 and 4 <= left <= 256 - 16 - 4, "not on the padded border"
    at.slider(key="kernels.stride").set_value(2).run()
    assert (at.slider(key="kernels.zr").value, at.slider(key="kernels.zc").value) == start(2)[0]
    assert "zr" not in at.query_params
    at.slider(key="kernels.zr").set_value(100).run()
    at.slider(key="kernels.stride").set_value(1).run()
    assert at.slider(key="kernels.zr").value == 100 and at.slider(key="kernels.zc").value == left
    assert not errors(at)


def _tables_script():
    import streamlit as st

    from ui import shell
    rows = st.session_state.get("rows", 3)
    shell.table(st, {"class": [f"object {i}" for i in range(rows)], "VOC id": list(range(rows))})


@pytest.mark.parametrize("rows, scrolls", [(3, False), (12, False), (100, True)])
def test_a_long_table_scrolls_inside_a_fixed_height_and_a_short_one_does_not(rows, scrolls):
    """A VOC file may hold 100 objects: their table scrolls in its own box instead of pushing the page down."""
    at = AppTest.from_function(_tables_script, default_timeout=60)
    at.session_state["rows"] = rows
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    table = next(m.value for m in at.markdown if m.value.startswith("| class |"))
    assert table.count("\n") == rows + 1 and f"| object {rows - 1} | {rows - 1} |" in table
    heights = [b.proto.height_config.pixel_height for b in at.main.children.values()
               if type(b).__name__ == "Block" and b.proto.HasField("height_config")]
    assert bool([h for h in heights if h]) == scrolls, heights


def _crashing_script():
    from ui import shell
    try:
        raise RuntimeError('File "/srv/secret/path.py", line 1')
    except Exception:
        shell.unexpected_error("probe")


def test_an_error_no_page_caught_is_shown_calmly_without_server_paths(monkeypatch):
    monkeypatch.delenv("CONVLAB_STRICT", raising=False)
    at = AppTest.from_function(_crashing_script, default_timeout=60)
    at.run()
    assert not at.exception
    assert "Something went wrong" in at.error[0].value and "/srv/secret" not in at.error[0].value
    monkeypatch.setenv("CONVLAB_STRICT", "1")  # tests: the same error fails loudly
    at = AppTest.from_function(_crashing_script, default_timeout=60)
    at.run()
    assert at.exception


def test_a_bug_is_not_shown_as_the_student_s_input_mistake(monkeypatch):
    """Pages catch the engine's own refusals (ConvLabError) only: a plain ValueError from NumPy is a bug, shown as
    the calm unexpected-error notice, not as an error about what the student typed."""
    from engine import transpose
    monkeypatch.delenv("CONVLAB_STRICT", raising=False)

    def broken(*args, **kwargs):
        raise ValueError("operands could not be broadcast together with shapes (3,3) (4,4)")
    monkeypatch.setattr(transpose, "conv_transpose2d", broken)
    at = open_page("lessons/upsampling.py", tab="scatter")
    shown = " ".join(e.value for e in at.error)
    assert "operands could not be broadcast" not in shown and "Something went wrong" in shown, shown


def test_learn_own_network_asks_for_a_file_and_trains_nothing():
    """net=own: the upload prompt, no training controls, nothing started; the choice is in the link."""
    at = open_page("lessons/learn.py", net="own")
    assert not errors(at)
    assert any("model.save('name.keras')" in i.value for i in at.info)
    assert not [b for b in at.button if b.label in ("Play", "Step")], "no training controls for a model from a file"
    assert at.query_params["net"] in ("own", ["own"])
    at.sidebar.radio(key="learn.net").set_value("live").run()
    assert not errors(at) and "net" not in at.query_params
    assert [b for b in at.button if b.label == "Play"]


def test_every_lesson_file_opens_with_a_docstring():
    import ast
    missing = [path.name for path in sorted((ROOT / "lessons").glob("*.py"))
               if not ast.get_docstring(ast.parse(path.read_text()))]
    assert missing == []
