"""Interface language: English (the source text) and Korean, on gettext catalogs.

`t(text, **values)` returns the text in the session's language, then fills {placeholders}; `tn(one, many, n)`
chooses the plural form too. The English text is the msgid in `locale/<lang>/LC_MESSAGES/convlab.po`, compiled to
the `.mo` read here (`python scripts/catalogs.py` extracts, updates and compiles them), so a missing translation
falls back to English instead of failing; tests/app/test_i18n.py fails on one. Numbers and code are never
translated.
"""
from __future__ import annotations

import functools
import gettext
from pathlib import Path

import streamlit as st

from engine.errors import ConvLabError
from ui.internals import script_run_context
from ui.korean import attach_particles
from ui.markdown import escape

LANG_KEY = "shell.lang"
LANGUAGES = {"en": "English", "ko": "한국어"}
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
DOMAIN = "convlab"


@functools.cache
def catalog(language: str) -> gettext.NullTranslations:
    """The language's compiled catalog; English (the msgids themselves) needs none."""
    if language == "en":
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, LOCALE_DIR, languages=[language])


_RUN_LANG = "_convlab_lang"  # the language of this session's latest full run, kept on its script-run context


def current() -> str:
    """The session's language. Read once per run by language_from_url() and kept on the run's context: t() asks
    for it a hundred and more times a run, and each session-state lookup costs several microseconds."""
    language = getattr(script_run_context(), _RUN_LANG, None)
    return language or st.session_state.get(LANG_KEY, "en")


def t(text: str, **values) -> str:
    language = current()
    if language == "en" or not text:  # gettext("") would be the catalog's header
        return text.format(**values) if values else text
    out = catalog(language).gettext(text)
    return attach_particles(out, values).format(**values) if values else out


def tn(singular: str, plural: str, n: int, **values) -> str:
    """The form of a text that fits the count `n` ("1 object", "3 objects"; Korean has one form), with {n} and
    the other values filled in."""
    language, values = current(), {"n": n, **values}
    out = catalog(language).ngettext(singular, plural, n)
    return (out if language == "en" else attach_particles(out, values)).format(**values)


MAX_MESSAGE_CHARS = 400


def translate(text, _depth: int = 0) -> str:
    """An engine message in the session's language, as plain text.

    The engine writes English and keeps each message's template (its id) and values (`engine.errors.Message`,
    or `ConvLabError.message`). The template is looked up in the language's table and refilled with the same
    values, so numbers, shapes and names are unchanged. A value that is itself a message (a reason nested in
    another message) or an engine label ("MNIST digits") is translated too. Plain text without a
    template is translated only when it is a whole message of the table. Nothing is parsed, so the time is
    linear in the text."""
    if isinstance(text, ConvLabError):
        text = text.message
    language = current()
    if language == "en" or _depth > 3:
        return str(text)
    template = getattr(text, "template", None)
    if template is None:
        plain = str(text)
        return catalog(language).gettext(plain) if plain else plain
    values = {k: translate(v, _depth + 1) if isinstance(v, str) else v for k, v in text.values.items()}
    if text.is_lines:  # Message.lines(): one message per line
        return "\n".join(map(str, values.values()))
    translated = catalog(language).gettext(template)
    return attach_particles(translated, values).format(**values) if translated != template else str(text)


def message(text) -> str:
    """An engine message (an error or a Message) ready for st.error / st.warning / captions: translated, at
    most MAX_MESSAGE_CHARS long, on one line, and escaped so that user text inside it is never read as
    markdown."""
    return escape(translate(text), MAX_MESSAGE_CHARS)


def language_from_url() -> str:
    """The link is read once per session; afterwards the sidebar choice decides and the URL follows it."""
    if LANG_KEY not in st.session_state:
        raw = st.query_params.get("lang")
        st.session_state[LANG_KEY] = raw if raw in LANGUAGES else "en"
        if raw is not None and raw not in LANGUAGES:  # "KO", "kr": told, like every other bad link value
            from ui.state import bad_app_value
            bad_app_value("lang", raw, tuple(LANGUAGES), "en")
    language = st.session_state[LANG_KEY]
    ctx = script_run_context()
    if ctx is not None:  # a full run starts here; the language cannot change until the next one
        setattr(ctx, _RUN_LANG, language)
    return language
