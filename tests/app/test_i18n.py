"""Korean interface: every text shown through t() has a translation, and every page renders in Korean with
the same numbers."""
import ast
import re
import sys

import pytest
from streamlit.testing.v1 import AppTest

from engine import data
from engine.errors import Message, placeholders
from tests.conftest import ROOT
from tests.test_robustness import CASES
from ui import i18n
from ui.markdown import unescape

sys.path.insert(0, str(ROOT / "scripts"))
import catalogs  # noqa: E402  (scripts/catalogs.py: the extraction, the .po and the .mo)

PO = {m.id: m.string for m in catalogs.read_po("ko") if m.id}  # msgid -> Korean, singular msgids as keys
KO = {(key[0] if isinstance(key, tuple) else key): (value[0] if isinstance(value, tuple) else value)
      for key, value in PO.items()}
EXTRACTED = catalogs.catalog_from_code()


def test_every_text_the_code_can_show_has_a_korean_translation():
    """Extraction (Babel, scripts/catalogs.py): the pages' t() and tn() literals, the engine's message templates and
    the labels translated by value; each must be translated in locale/ko."""
    ids = [m.id for m in EXTRACTED if m.id]
    assert len(ids) > 700, "the extraction must find the texts"
    untranslated = [f"{m.locations[:1]}: {m.id!r}" for m in EXTRACTED if m.id and not PO.get(m.id)]
    assert not untranslated, "untranslated (python scripts/catalogs.py, then translate):\n" + "\n".join(untranslated)


def test_no_translation_is_stale():
    extracted = {m.id for m in EXTRACTED if m.id}
    assert [key for key in PO if key not in extracted] == [], "run python scripts/catalogs.py to drop them"


def test_the_compiled_catalog_is_the_po():
    """The app reads the .mo; it must hold exactly what the .po says (python scripts/catalogs.py compiles it)."""
    from babel.messages.mofile import read_mo
    with catalogs.po_path("ko").with_suffix(".mo").open("rb") as handle:
        compiled = {tuple(m.id) if isinstance(m.id, list) else m.id: tuple(m.string) if isinstance(m.string, list)
                    else m.string for m in read_mo(handle) if m.id}
    assert compiled == PO


def test_plurals_choose_their_form_in_english_and_keep_one_in_korean(monkeypatch):
    monkeypatch.setattr(i18n, "current", lambda: "en")
    assert i18n.tn("{n} object", "{n} objects", 1) == "1 object"
    assert i18n.tn("{n} object", "{n} objects", 3) == "3 objects"
    monkeypatch.setattr(i18n, "current", lambda: "ko")
    assert i18n.tn("{n} object", "{n} objects", 1) == i18n.tn("{n} object", "{n} objects", 1) == "객체 1개"
    assert i18n.tn("{n} object", "{n} objects", 3) == "객체 3개"


def test_engine_messages_are_templates_with_values_not_f_strings():
    """A message built with an f-string has no template to translate by; it must be Message("...", value)."""
    f_strings = []
    for path in sorted((ROOT / "engine").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call) and node.exc.args:
                candidates = [node.exc.args[0]]
            elif isinstance(node, ast.Assign) and any(getattr(t, "attr", getattr(t, "id", None)) in ("message", "note")
                                                      for t in node.targets):
                candidates = [node.value]
            elif isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "append" and node.args and \
                    getattr(node.func.value, "attr", getattr(node.func.value, "id", None)) in ("warnings", "notes"):
                candidates = [node.args[0]]
            else:
                continue
            f_strings += [f"{path.name}:{node.lineno}" for c in candidates if isinstance(c, ast.JoinedStr)]
    assert f_strings == []


def test_the_engine_s_messages_are_extracted_and_name_every_value_as_the_pages_do():
    """One placeholder style everywhere: {name}. The Korean text uses each of the English text's names, and no
    other (a positional {} or {0} would be filled by another value, or fail)."""
    engine = {m.id for m in EXTRACTED if m.id and any(path.startswith("engine/") for path, _ in m.locations)}
    assert len(engine) > 100, "the extraction must find the engine's messages"
    named = 0
    for template in engine:
        names = placeholders(template)
        assert all(name.isidentifier() for name in names), template
        assert set(placeholders(KO[template])) == set(names), (template, KO[template])
        named += bool(names)
    assert named > 150
    for message in EXTRACTED:  # the pages' texts too, plural forms included
        for text in message.id if isinstance(message.id, tuple) else (message.id,):
            assert all(name.isidentifier() for name in placeholders(text)), text


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
            shown = unescape(i18n.message(exc))  # by the error's template (its id), not by parsing the text
            numbers_kept = set(re.findall(r"\d+", english)) <= set(re.findall(r"\d+", shown))
            if not hangul.search(shown) or not numbers_kept:
                untranslated.append(f"{what}: {english!r} -> {shown!r}")
    assert untranslated == []


def test_nested_reason_and_values_are_kept(korean):
    note = data._fallback(Message("{dataset_labels} did not download within {timeout_s} s: training on the bundled "
                                  "10,000 MNIST test digits instead.", dataset_labels="MNIST digits",
                                  timeout_s="8")).note
    assert str(note) == ("MNIST digits did not download within 8 s: training on the bundled 10,000 MNIST test digits "
                         "instead.")
    shown = i18n.translate(note)
    assert shown == (f"{KO['MNIST digits']}가 8초 안에 내려받아지지 않아, 함께 배포된 MNIST 테스트 숫자 10,000개로 "
                     "대신 학습합니다.")
    assert unescape(i18n.message(note)) == shown
    assert i18n.translate("Not an engine message.") == "Not an engine message."
    lines = Message.lines([Message("Values in [-1, 1] were mapped to [0, 1]."),
                           Message("{odd} of {decoded} images had another size and were resized to {width}x{height}.",
                                   odd=5, decoded=35, width=28, height=28)])
    assert i18n.translate(lines).splitlines() == [KO["Values in [-1, 1] were mapped to [0, 1]."],
                                                  "이미지 35장 중 5장은 크기가 달라 28×28로 크기를 바꿨습니다."]


def test_translation_goes_by_template_not_by_text(korean):
    """Text that merely looks like a message is not translated: only the engine's templates are ids."""
    looks_alike = "stride must be at least 1, got 0."
    assert i18n.translate(looks_alike) == looks_alike
    template = "{name} must be at least {minimum}, got {value}."
    korean_text = "stride는 1 이상이어야 합니다. 받은 값: 0."
    assert i18n.translate(Message(template, name="stride", minimum=1, value=0)) == korean_text


def test_messages_stay_english_in_english():
    assert i18n.translate("Stopped.") == "Stopped."
    assert unescape(i18n.message("Stopped.")) == "Stopped."


def test_named_placeholders_match():
    pattern = re.compile(r"\{([A-Za-z_]\w*)\}")
    assert [k for k, v in KO.items() if sorted(pattern.findall(k)) != sorted(pattern.findall(v))] == []


@pytest.mark.parametrize("page, title, metric, value", [
    ("lessons/home.py", "ConvLab", "Accelerator", None),
    ("lessons/kernels.py?tab=shapes", "Kernels: what a convolution does to an image", "Conv2D parameters", "1,200"),
    ("lessons/upsampling.py?tab=deconv", "Transposed convolution vs deconvolution", "PSNR", None),
    ("lessons/detection.py?tab=losses", "Detection: from YOLO's grid to anchor boxes", "Total parameters",
     "271,703,550"),
    ("lessons/train.py", "Train live: autoencoders, VAE and DCGAN", None, None),
    ("lessons/learn.py", "What a network learns: a small CNN and its kernels", None, None),
])
def test_pages_in_korean_keep_the_numbers(page, title, metric, value):
    """Each page in Korean: its title and a metric's label as the catalog translates them (a contributor who
    rewords one changes no test), the numbers as in English."""
    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.query_params["lang"] = "ko"
    at.query_params["data"] = "builtin"
    page, _, query = page.partition("?")
    for pair in filter(None, query.split("&")):
        at.query_params.__setitem__(*pair.split("="))
    at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == KO.get(title, title) and (title == "ConvLab" or KO[title] != title)
    if metric:
        shown = {m.label: m.value for m in at.metric}
        assert KO.get(metric, metric) in shown, shown.keys()
        if value:
            assert shown[KO.get(metric, metric)] == value
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


@pytest.mark.parametrize("word, pair, expected", [
    ("MNIST 손글씨 숫자", "을(를)", "를"), ("커널", "을(를)", "을"), ("3", "이(가)", "이"), ("2", "이(가)", "가"),
    ("**kernel=abc**", "이(가)", "가"), ("커널", "(으)로", "로"), ("28×28", "(으)로", "로"),
    ("16×16", "(으)로", "으로"),
    ("박스", "은(는)", "는"), ("층", "은(는)", "은"), ("%", "을(를)", "을(를)"), ("dense", "과(와)", "와"),
])
def test_korean_particle_follows_the_last_syllable(word, pair, expected):
    from ui.korean import particle
    assert particle(word, pair) == expected


def test_no_particle_pair_is_left_after_a_filled_in_value():
    """Every Korean template that puts a particle pair after a value reads as written by a person once filled in,
    whatever the value ends with (a vowel, a consonant, ㄹ, a digit)."""
    from ui.korean import PAIRS, attach_particles
    pattern = re.compile(r"\{\w*[^{}]*\}\**(" + "|".join(re.escape(p) for p in PAIRS) + ")")
    checked = 0
    for english, korean in KO.items():
        if not pattern.search(korean):
            continue
        names = re.findall(r"\{(\w*)[^{}]*\}", korean)
        for value in ("숫자", "커널", "파일", "3", "2"):
            values = dict.fromkeys(names, value)
            filled = attach_particles(korean, values)
            assert not pattern.search(filled), (english, filled)
        checked += 1
    assert checked > 40


def test_the_offline_notice_reads_as_written_in_korean(korean):
    note = data._fallback(Message("Offline: {dataset_labels} could not be downloaded, so this trains on the bundled "
                                  "10,000 MNIST test digits.", dataset_labels="MNIST digits")).note
    shown = i18n.translate(note)
    assert f"{KO['MNIST digits']}를 내려받을 수 없어" in shown and "(를)" not in shown


def test_an_invalid_training_setting_reads_wholly_in_korean(korean):
    from engine import training
    for config, expected in ((training.TrainConfig(latent_dim=99), "latent_dim은 1부터 64까지여야 합니다"),
                             (training.TrainConfig(model="gan"), "model은 ae, ae-transpose, vae, dcgan, cnn 중 하나"),
                             (training.TrainConfig(ema=0.2), "ema는 0(끄기)이거나 0.5부터 1까지여야 합니다")):
        with pytest.raises(ValueError) as caught:
            config.validate()
        shown = unescape(i18n.message(caught.value))
        assert expected in shown and "must be" not in shown, shown
