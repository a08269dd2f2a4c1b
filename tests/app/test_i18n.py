"""Korean interface: every text shown through t() has a translation, and every page renders in Korean with
the same numbers."""
import ast
import re

import pytest
from streamlit.testing.v1 import AppTest

from engine import data, images, kernels
from tests.conftest import ROOT
from tests.test_robustness import CASES
from ui import i18n, training_view
from ui.i18n_ko import KO
from ui.i18n_ko_messages import KO_MESSAGES
from ui.markdown import unescape

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
    yield from training_view.LOSS_NAMES


def _template(node) -> str | None:
    """A message literal as a template: each f-string value becomes {}."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


def engine_messages():
    """Every message the engine can show: raised errors, training status and notes, fallback reasons."""
    for path in sorted((ROOT / "engine").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            found = []
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
                found.append(node.exc.args[0])
            elif isinstance(node, ast.Assign) and any(getattr(t, "attr", getattr(t, "id", None)) in ("message", "note")
                                                      for t in node.targets):
                found.append(node.value)
            elif isinstance(node, ast.Call):
                found += [kw.value for kw in node.keywords if kw.arg in ("message", "note")]
                func = node.func  # ann.warnings.append(...), notes.append(...): shown to the user as well
                if (isinstance(func, ast.Attribute) and func.attr == "append" and node.args
                        and getattr(func.value, "attr", getattr(func.value, "id", None)) in ("warnings", "notes")):
                    found.append(node.args[0])
                if getattr(node.func, "id", None) == "_fallback":
                    found += node.args[1:]
            elif isinstance(node, ast.FunctionDef):
                found += [d for a, d in zip(node.args.args[::-1], node.args.defaults[::-1]) if a.arg == "message"]
            for message in filter(None, map(_template, found)):
                if message.strip("{}"):
                    yield f"{path.name}:{node.lineno}", message


def test_every_engine_message_has_a_korean_entry_and_no_entry_is_stale():
    found = dict((message, where) for where, message in engine_messages())
    assert len(found) > 100, "the scan must find the engine's messages"
    assert [f"{where}: {m!r}" for m, where in found.items() if m not in KO_MESSAGES] == []
    assert [m for m in KO_MESSAGES if m not in found] == []


def test_korean_messages_use_every_value_once_by_number():
    for template, korean in KO_MESSAGES.items():
        numbers = sorted(int(n) for n in re.findall(r"\{(\d*)\}", korean))
        assert numbers == list(range(template.count("{}"))), template


@pytest.fixture
def korean(monkeypatch):
    monkeypatch.setattr(i18n, "current", lambda: "ko")


def test_errors_from_the_robustness_table_reach_korean_users_in_korean(korean):
    """Every bad input the robustness suite tries gives an engine error; each must read in Korean, with its
    numbers intact."""
    hangul = re.compile("[\uac00-\ud7a3]")
    untranslated = []
    for _path, what, call, exc_type, _fragment in CASES:
        try:
            call()
        except exc_type as exc:
            english = str(exc)
            shown = i18n.message(english)
            numbers_kept = set(re.findall(r"\d+", english)) <= set(re.findall(r"\d+", shown))
            if not hangul.search(shown) or not numbers_kept:
                untranslated.append(f"{what}: {english!r} -> {shown!r}")
    assert untranslated == []


def test_nested_reason_and_values_are_kept(korean):
    shown = i18n.translate("MNIST did not download within 8 s; using ConvLab's built-in digits instead.")
    assert shown == "MNIST이(가) 8초 안에 내려받아지지 않았습니다. 대신 ConvLab 내장 숫자를 사용합니다."
    text = "MNIST did not download within 8 s; using ConvLab's built-in digits instead."
    assert unescape(i18n.message(text)) == shown
    assert i18n.translate("Not an engine message.") == "Not an engine message."


def test_messages_stay_english_in_english():
    assert i18n.translate("Stopped.") == "Stopped."
    assert unescape(i18n.message("Stopped.")) == "Stopped."


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
    notice = " ".join(unescape(w.value) for w in at.warning)
    assert "링크 매개변수 **stride=zebra**" in notice and "1부터 4까지의 수" in notice


def test_unknown_language_falls_back_to_english():
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.query_params["lang"] = "xx"
    at.switch_page("lessons/kernels.py")
    at.run()
    assert at.title[0].value == "Kernels: what a convolution does to an image"


def test_an_error_typed_into_a_korean_page_is_shown_in_korean():
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.query_params["lang"] = "ko"
    at.switch_page("lessons/upsampling.py")
    at.session_state["upsampling.x1"] = "1,two,3"  # as if typed (AppTest cannot rerun translated selectboxes)
    at.run()
    shown = " ".join(unescape(e.value) for e in at.error)
    assert "x에는 쉼표로 구분한 숫자만 있어야 합니다(예: 1,2,3)" in shown, shown
    assert "must contain" not in shown
