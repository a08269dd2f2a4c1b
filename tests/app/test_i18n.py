"""Korean interface: every text shown through t() has a translation, and every page renders in Korean with
the same numbers."""
import ast
import re

import pytest
from streamlit.testing.v1 import AppTest

from engine import data, images, kernels
from tests.conftest import ROOT
from ui.i18n_ko import KO

SOURCES = sorted((ROOT / "lessons").glob("*.py")) + sorted((ROOT / "ui").glob("*.py")) + [ROOT / "streamlit_app.py"]


def literal_keys():
    for path in SOURCES:
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "t" and node.args:
                arg = node.args[0]
                if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                    yield path.name, arg.value


def dynamic_keys():
    yield from (name.capitalize() for name in kernels.PRESET_NAMES)
    yield from kernels.EXPLANATIONS.values()
    yield from (name.capitalize() for name in images.sample_names())
    yield from data.DATASET_LABELS.values()
    yield from (s.capitalize() for s in ("idle", "preparing", "running", "paused", "stopped", "finished", "error"))
    yield from ("coord xy", "coord wh", "object", "no object", "class", "total")


def test_every_literal_passed_to_t_has_a_korean_entry():
    keys = list(literal_keys())
    assert len(keys) > 250, "the scan must find the page texts"
    missing = [f"{name}: {key!r}" for name, key in keys if key not in KO]
    assert not missing, "untranslated:\n" + "\n".join(missing)


def test_dynamic_texts_have_korean_entries():
    assert [k for k in dynamic_keys() if k not in KO] == []


def test_placeholders_match():
    pattern = re.compile(r"\{(\w*)\}")
    assert [k for k, v in KO.items() if sorted(pattern.findall(k)) != sorted(pattern.findall(v))] == []


@pytest.mark.parametrize("page, title, metric, value", [
    ("lessons/home.py", "ConvLab", "가속기", None),
    ("lessons/kernels.py", "커널: 합성곱이 이미지에 하는 일", "Conv2D 매개변수", "1,200"),
    ("lessons/upsampling.py", "전치 합성곱 vs 디컨볼루션", "PSNR", None),
    ("lessons/detection.py", "객체 탐지: YOLO 격자에서 앵커 박스까지", "전체 매개변수", "271,703,550"),
    ("lessons/train.py", "실시간 학습: 오토인코더, VAE, DCGAN", None, None),
])
def test_pages_in_korean_keep_the_numbers(page, title, metric, value):
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.query_params["lang"] = "ko"
    at.query_params["data"] = "builtin"
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == title
    if metric:
        shown = {m.label: m.value for m in at.metric}
        assert metric in shown, shown.keys()
        if value:
            assert shown[metric] == value
    assert at.query_params["lang"] == "ko"


def test_invalid_link_notice_is_translated():
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.query_params["lang"] = "ko"
    at.query_params["stride"] = "zebra"
    at.switch_page("lessons/kernels.py")
    at.run()
    notice = " ".join(w.value for w in at.warning)
    assert "링크 매개변수 `stride=zebra`" in notice and "1부터 4까지의 수" in notice


def test_unknown_language_falls_back_to_english():
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.query_params["lang"] = "xx"
    at.switch_page("lessons/kernels.py")
    at.run()
    assert at.title[0].value == "Kernels: what a convolution does to an image"
