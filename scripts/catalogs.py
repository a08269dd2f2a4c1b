"""Translations on gettext catalogs: every user-visible text extracted with Babel, the Korean catalog updated from
it, then compiled for the app.

    python scripts/catalogs.py     # locale/convlab.pot from the code; locale/ko/.../convlab.po updated; .mo compiled
    PYTHONPATH=. pybabel extract -F babel.cfg -o locale/convlab.pot .     # the same extraction, Babel's own CLI

Translate the new entries in locale/ko/LC_MESSAGES/convlab.po (an editor such as Poedit, or any text editor), then
run the script again to compile them; tests/app/test_i18n.py fails on an untranslated or stale entry.

What is extracted (`extract`, Babel's extraction-method interface): the literals passed to `t()` and `tn()` in the
pages and ui/, the engine's message templates (the first argument of every error it raises, `Message(...)`, notes
and warnings; an engine message is identified by its template, its values filled in after translation), and the
labels that pages translate by value rather than by literal (`computed_labels`).
"""
from __future__ import annotations

import ast
import io
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOMAIN = "convlab"
LOCALE = ROOT / "locale"
LANGUAGES = ("ko",)
SOURCES = ("streamlit_app.py", "lessons/*.py", "ui/*.py", "engine/**/*.py")
# lesson scripts run when imported, so their label tables are read from the source
LESSON_LABEL_TABLES = {"learn.py": ("NETWORKS", "OWN_TABS", "INPUT_RANGE_LABELS", "LIVE_ABOUT", "TABS"),
                       "kernels.py": ("OPERATION_LABELS", "NUMBER_INPUTS"),
                       "upsampling.py": ("BLUR_LABELS", "RESULT_NAMES")}


def _template(node) -> str | None:
    """A message's text: the literal of t("..."), of Message("...", values) or of an error raised the same way; an
    f-string's values become {} (untranslatable: tests/app/test_i18n.py refuses f-string messages)."""
    if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Message" and node.args:
        node = node.args[0]
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


def _has_words(template: str) -> bool:
    """False for a template that is only placeholders ("{value}"): nothing in it to translate."""
    return bool(re.sub(r"\{\w*(?::[^{}]*)?\}", "", template).strip())


def engine_messages(tree) -> list[tuple[int, str]]:
    """Every message the engine can show: raised errors, training status and notes, fallback reasons."""
    out = []
    for node in ast.walk(tree):
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
            if getattr(func, "id", None) == "_fallback":
                found += node.args[:1]
            if getattr(func, "id", None) == "Message":  # a reason built for a message, e.g. a rule
                found.append(node)
        elif isinstance(node, ast.FunctionDef):
            found += [d for a, d in zip(node.args.args[::-1], node.args.defaults[::-1]) if a.arg == "message"]
        out += [(node.lineno, message) for message in filter(None, map(_template, found)) if _has_words(message)]
    return out


def page_texts(tree) -> list[tuple[int, str, str | tuple[str, str]]]:
    """The literals of t("...") and tn("one ...", "{n} ...", n) calls."""
    out = []
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.args):
            continue
        texts = [a.value for a in node.args[:2] if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        first = node.args[0]
        if node.func.id == "t" and isinstance(first, ast.Subscript) and isinstance(first.value, ast.Dict):
            out += [(node.lineno, "gettext", v.value) for v in first.value.values  # t({"a": "A", ...}[key])
                    if isinstance(v, ast.Constant) and isinstance(v.value, str)]
        elif node.func.id == "t" and texts:
            out.append((node.lineno, "gettext", texts[0]))
        elif node.func.id == "tn" and len(texts) == 2:
            out.append((node.lineno, "ngettext", tuple(texts)))
    return out


def computed_labels() -> list[str]:
    """Texts that pages pass to t() as values, not literals: registries' labels, capitalised names, lesson tables."""
    sys.path.insert(0, str(ROOT))
    from engine import cnn, data, images, kernels, settings
    from engine.detection import segmentation
    from ui import exercises, image_picker, lessons, training_controls, training_view

    labels = [name.capitalize() for name in kernels.PRESET_NAMES]
    labels += list(kernels.EXPLANATIONS.values())
    labels += [name.capitalize() for name in images.sample_names()]
    labels += list(data.DATASET_LABELS.values())
    labels += [status.capitalize() for status in settings.Status]
    labels += list(settings.MODEL_LABELS.values()) + list(settings.AE_PRESET_LABELS.values())
    labels += list(settings.GAN_LOSSES.values()) + list(cnn.CNN_SIZE_LABELS.values())
    labels += list(segmentation.CLASSES) + list(image_picker.SOURCE_LABELS.values())
    labels += ["coord xy", "coord wh", "object", "no object", "class", "total"]  # YOLO v1's loss terms
    labels += list(training_view.LOSS_NAMES) + [training_controls.UPLOAD_LABEL]
    for lesson in lessons.LESSONS:
        labels += [lesson.title, lesson.blurb, lesson.first_class, lesson.picture]
    for questions in exercises.EXERCISES.values():
        for question, answer in questions:
            labels += [question, answer]
    for name, tables in LESSON_LABEL_TABLES.items():
        for node in ast.walk(ast.parse((ROOT / "lessons" / name).read_text())):
            if isinstance(node, ast.Assign) and getattr(node.targets[0], "id", "") in tables:
                value = ast.literal_eval(node.value)
                labels += list(value.values()) if isinstance(value, dict) else list(value) if isinstance(
                    value, tuple) else [value]
    return labels


def extract(fileobj, keywords, comment_tags, options):
    """Babel's extraction-method interface: (lineno, funcname, message, comments) for one source file."""
    name = getattr(fileobj, "name", "")
    tree = ast.parse(fileobj.read().decode("utf-8"))
    for lineno, funcname, message in page_texts(tree):
        yield lineno, funcname, message, []
    if "/engine/" in name.replace("\\", "/") or name.replace("\\", "/").startswith("engine/"):
        for lineno, message in engine_messages(tree):
            yield lineno, "gettext", message, []
    if name.replace("\\", "/").endswith("ui/i18n.py"):  # the labels translated by value: once, with the catalog
        for label in computed_labels():
            yield 0, "gettext", label, ["a label translated by value (scripts/catalogs.py computed_labels)"]


def catalog_from_code():
    """The template catalog (.pot) of everything the code can show, extracted with `extract`."""
    from babel.messages.catalog import Catalog

    catalog = Catalog(project="ConvLab", domain=DOMAIN, charset="utf-8")
    paths = sorted({p for pattern in SOURCES for p in ROOT.glob(pattern)})
    for path in paths:
        relative = path.relative_to(ROOT).as_posix()
        source = io.BytesIO(path.read_bytes())
        source.name = relative
        for lineno, _funcname, message, comments in extract(source, {}, [], {}):
            catalog.add(message, locations=[(relative, lineno)], auto_comments=comments)
    return catalog


def po_path(language: str) -> Path:
    return LOCALE / language / "LC_MESSAGES" / f"{DOMAIN}.po"


def read_po(language: str):
    from babel.messages.pofile import read_po as babel_read_po
    with po_path(language).open("rb") as handle:
        return babel_read_po(handle, locale=language, domain=DOMAIN)


def compiled(catalog) -> bytes:
    from babel.messages.mofile import write_mo
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


def main() -> None:
    from babel.messages.pofile import write_po

    template = catalog_from_code()
    LOCALE.mkdir(exist_ok=True)
    with (LOCALE / f"{DOMAIN}.pot").open("wb") as handle:
        write_po(handle, template, width=120, omit_header=False)
    for language in LANGUAGES:
        catalog = read_po(language)
        catalog.update(template, no_fuzzy_matching=True)
        with po_path(language).open("wb") as handle:
            write_po(handle, catalog, width=120, ignore_obsolete=True)
        po_path(language).with_suffix(".mo").write_bytes(compiled(read_po(language)))
        missing = [m.id for m in catalog if m.id and not m.string]
        print(f"{language}: {len(catalog)} messages, {len(missing)} to translate", file=sys.stderr)


if __name__ == "__main__":
    main()
