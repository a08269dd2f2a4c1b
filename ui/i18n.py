"""Interface language: English (the source text) and Korean.

`t(text, **values)` returns the text in the session's language, then fills {placeholders}. English text is
the lookup key, so a missing translation falls back to English instead of failing; a test checks that every
literal passed to t() in lessons/ and ui/ has a Korean entry. Numbers and code are never translated.
"""
from __future__ import annotations

import streamlit as st

from engine.data import DATASET_LABELS
from engine.errors import ConvLabError
from ui.i18n_ko import KO
from ui.i18n_ko_messages import KO_MESSAGES
from ui.internals import script_run_context
from ui.korean import attach_particles
from ui.markdown import escape

LANG_KEY = "shell.lang"
LANGUAGES = {"en": "English", "ko": "한국어"}
TABLES = {"ko": KO}


_RUN_LANG = "_convlab_lang"  # the language of this session's latest full run, kept on its script-run context


def current() -> str:
    """The session's language. Read once per run by language_from_url() and kept on the run's context: t() asks
    for it a hundred and more times a run, and each session-state lookup costs several microseconds."""
    language = getattr(script_run_context(), _RUN_LANG, None)
    return language or st.session_state.get(LANG_KEY, "en")


def t(text: str, **values) -> str:
    table = TABLES.get(current())
    if not table:
        return text.format(**values) if values else text
    out = table.get(text, text)
    return attach_particles(out, values).format(**values) if values else out


MESSAGE_TABLES = {"ko": KO_MESSAGES}
# Engine labels that appear as values inside messages ("MNIST digits did not download within 8 s").
ENGINE_LABELS = {"ko": {label: KO[label] for label in DATASET_LABELS.values() if label in KO}}
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
    table = MESSAGE_TABLES.get(current())
    if table is None or _depth > 3:
        return str(text)
    template = getattr(text, "template", None)
    if template is None:
        plain = str(text)
        return table.get(plain) or ENGINE_LABELS[current()].get(plain, plain)
    values = [translate(value, _depth + 1) if isinstance(value, str) else value for value in text.values]
    if not template.replace("{}", "").strip("\n"):  # Message.lines(): one message per line
        return "\n".join(map(str, values))
    korean = table.get(template)
    return attach_particles(korean, values).format(*values) if korean else str(text)


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
