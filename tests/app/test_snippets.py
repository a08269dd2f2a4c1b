"""Every Python snippet a page shows runs as it is in a plain interpreter (NumPy, SciPy, Keras/TensorFlow only, no
ConvLab), and the numbers it prints are the page's."""
import json
import subprocess
import sys

import numpy as np
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT

VIEWS = [
    ("lessons/kernels.py", {"tab": "check"}),
    ("lessons/kernels.py", {"tab": "check", "boundary": "mirror", "stride": "2", "dil": "2", "op": "convolution"}),
    ("lessons/kernels.py", {"tab": "check", "pad": "full", "boundary": "wrap", "kernel": "gaussian blur"}),
    ("lessons/upsampling.py", {"tab": "1d"}),
    ("lessons/upsampling.py", {"tab": "1d", "s1": "2"}),
    ("lessons/upsampling.py", {"tab": "scatter"}),
    ("lessons/upsampling.py", {"tab": "scatter", "n2": "5", "p2": "1", "op2": "1"}),
    ("lessons/upsampling.py", {"tab": "scatter", "n2": "4", "p2": "same", "op2": "1", "k2": "5", "s2": "3"}),
    ("lessons/upsampling.py", {"tab": "matrix", "s3": "2", "n3": "5"}),
    ("lessons/upsampling.py", {"tab": "checkerboard"}),
    ("lessons/upsampling.py", {"tab": "deconv"}),
    ("lessons/upsampling.py", {"tab": "decoders"}),
    ("lessons/detection.py", {"tab": "boxes"}),
    ("lessons/detection.py", {"tab": "yolo", "scene": "3", "S": "5"}),
    ("lessons/detection.py", {"tab": "anchors", "ssize": "800"}),
    ("lessons/detection.py", {"tab": "nms", "perclass": "0"}),
    ("lessons/detection.py", {"tab": "losses"}),
    ("lessons/learn.py", {"tab": "layers", "data": "builtin"}),
]

RUNNER = """
import contextlib, io, json, sys, traceback
results = []
for code in json.load(sys.stdin):
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out):
            exec(compile(code, "snippet", "exec"), {"__name__": "__main__"})
        results.append({"ok": True, "out": out.getvalue()})
    except Exception:
        results.append({"ok": False, "out": out.getvalue(), "error": traceback.format_exc()[-1500:]})
print(json.dumps(results))
"""


def _snippets(page: str, params: dict) -> list[str]:
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    for key, value in params.items():
        at.query_params[key] = value
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return [c.value for c in at.code if c.language == "python"]


@pytest.fixture(scope="module")
def ran():
    shown = [(page, params, code) for page, params in VIEWS for code in _snippets(page, params)]
    proc = subprocess.run([sys.executable, "-c", RUNNER], input=json.dumps([c for _, _, c in shown]), text=True,
                          capture_output=True, timeout=600, cwd="/", env={"PATH": "/usr/bin:/bin",
                                                                           "TF_CPP_MIN_LOG_LEVEL": "3",
                                                                           "HOME": str(ROOT)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    return [(page, params, code, result) for (page, params, code), result in
            zip(shown, json.loads(proc.stdout.strip().splitlines()[-1]))]


def test_every_view_shows_a_snippet(ran):
    assert {(page, json.dumps(params)) for page, params, _, _ in ran} == \
        {(page, json.dumps(params)) for page, params in VIEWS}


def test_every_snippet_runs_as_it_is_without_convlab(ran):
    for page, params, code, result in ran:
        assert "from engine" not in code and "import engine" not in code, (page, params)
        assert result["ok"], (page, params, code, result.get("error"))


def test_snippets_print_the_page_s_numbers(ran):
    printed = {(page, json.dumps(params)): result["out"] for page, params, _, result in ran}
    # C's shape is the page's (engine.transpose.conv_matrix): 4 x 25 for a 5x5 input, stride 2
    assert printed[("lessons/detection.py", json.dumps({"tab": "anchors", "ssize": "800"}))].startswith(
        "22500 anchors")
    assert "[-1. -1. -1.  3.]" in printed[("lessons/upsampling.py", json.dumps({"tab": "1d"}))]
    assert "(4, 25) True" in printed[("lessons/upsampling.py", json.dumps({"tab": "matrix", "s3": "2", "n3": "5"}))]
    assert "True" in printed[("lessons/detection.py", json.dumps({"tab": "losses"}))]
    from engine.detection import boxes, samples
    scene = samples.detection_scene(0)
    cand, scores, _ = samples.noisy_candidates(scene.boxes, scene.labels, seed=0)
    keep = sorted(int(i) for i in boxes.nms(cand, scores, 0.5, 0.3))
    assert f"kept {keep}" in printed[("lessons/detection.py", json.dumps({"tab": "nms", "perclass": "0"}))]


def test_transposed_convolution_snippets_print_the_page_s_output(ran):
    from engine import transpose
    printed = {json.dumps(p): result["out"] for page, p, _, result in ran if page == "lessons/upsampling.py"}
    base = np.array([[1, 2, 0], [0, 1, 3], [2, 0, 1]], np.float32)  # the tab's input, repeated to its size
    for params, n, k, stride, padding, op in (({"tab": "scatter", "n2": "5", "p2": "1", "op2": "1"}, 5, 3, 2, 1, 1),
                                            ({"tab": "scatter", "n2": "4", "p2": "same", "op2": "1", "k2": "5",
                                              "s2": "3"}, 4, 5, 3, "same", 1)):
        kernel = np.ones((k, k), np.float32)
        kernel[k // 2, k // 2] = 2
        expected = transpose.conv_transpose2d(np.tile(base, (2, 2))[:n, :n], kernel, stride=stride, padding=padding,
                                              output_padding=op)
        assert printed[json.dumps(params)].strip() == str(expected), params
