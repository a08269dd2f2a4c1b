"""Interface language: English (the source text) and Korean.

`t(text, **values)` returns the text in the session's language, then fills {placeholders}. English text is
the lookup key, so a missing translation falls back to English instead of failing; a test checks that every
literal passed to t() in lessons/ and ui/ has a Korean entry. Numbers and code are never translated.
"""
from __future__ import annotations

import re

import streamlit as st

from ui.i18n_ko import KO
from ui.i18n_ko_messages import KO_MESSAGES

LANG_KEY = "shell.lang"
LANGUAGES = {"en": "English", "ko": "한국어"}
TABLES = {"ko": KO}


def current() -> str:
    return st.session_state.get(LANG_KEY, "en")


def t(text: str, **values) -> str:
    table = TABLES.get(current())
    out = table.get(text, text) if table else text
    return out.format(**values) if values else out


def _compile(templates: dict[str, str]) -> list[tuple[re.Pattern, str]]:
    patterns = []
    for template, translation in templates.items():
        literal_parts = [re.escape(part) for part in template.split("{}")]
        patterns.append((re.compile("(.*?)".join(literal_parts) + r"\Z", re.DOTALL), translation))
    # the longest templates first, so a specific message wins over a general one such as "{} is larger than {} MB."
    return sorted(patterns, key=lambda item: -len(item[0].pattern))


MESSAGE_TABLES = {"ko": _compile(KO_MESSAGES)}


def message(text: str, _depth: int = 0) -> str:
    """An engine message (error or training status, always English) in the session's language.

    The engine stays free of UI concerns and writes English; its message templates are matched here and the
    values carried over, so numbers, shapes and names are unchanged. A value that is itself a message (the
    reason inside "... using ConvLab's built-in digits instead.") is translated too. Unknown text stays as is."""
    patterns = MESSAGE_TABLES.get(current())
    if not patterns or _depth > 2:
        return text
    for pattern, translation in patterns:
        match = pattern.match(text)
        if match:
            return translation.format(*(message(value, _depth + 1) for value in match.groups()))
    return text


def language_from_url() -> str:
    """The link is read once per session; afterwards the sidebar choice decides and the URL follows it."""
    if LANG_KEY not in st.session_state:
        raw = st.query_params.get("lang")
        st.session_state[LANG_KEY] = raw if raw in LANGUAGES else "en"
    return st.session_state[LANG_KEY]
