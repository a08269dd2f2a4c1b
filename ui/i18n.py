"""Interface language: English (the source text) and Korean.

`t(text, **values)` returns the text in the session's language, then fills {placeholders}. English text is
the lookup key, so a missing translation falls back to English instead of failing; a test checks that every
literal passed to t() in lessons/ and ui/ has a Korean entry. Numbers and code are never translated.
"""
from __future__ import annotations

import streamlit as st

from ui.i18n_ko import KO

LANG_KEY = "shell.lang"
LANGUAGES = {"en": "English", "ko": "한국어"}
TABLES = {"ko": KO}


def current() -> str:
    return st.session_state.get(LANG_KEY, "en")


def t(text: str, **values) -> str:
    table = TABLES.get(current())
    out = table.get(text, text) if table else text
    return out.format(**values) if values else out


def language_from_url() -> str:
    """The link is read once per session; afterwards the sidebar choice decides and the URL follows it."""
    if LANG_KEY not in st.session_state:
        raw = st.query_params.get("lang")
        st.session_state[LANG_KEY] = raw if raw in LANGUAGES else "en"
    return st.session_state[LANG_KEY]
