"""Interface language: English (the source text) and Korean.

`t(text, **values)` returns the text in the session's language, then fills {placeholders}. English text is
the lookup key, so a missing translation falls back to English instead of failing; a test checks that every
literal passed to t() in lessons/ and ui/ has a Korean entry. Numbers and code are never translated.
"""
from __future__ import annotations

import streamlit as st

from ui.i18n_ko import KO
from ui.i18n_ko_messages import KO_MESSAGES
from ui.markdown import escape

LANG_KEY = "shell.lang"
LANGUAGES = {"en": "English", "ko": "한국어"}
TABLES = {"ko": KO}


def current() -> str:
    return st.session_state.get(LANG_KEY, "en")


def t(text: str, **values) -> str:
    table = TABLES.get(current())
    out = table.get(text, text) if table else text
    return out.format(**values) if values else out


def _compile(templates: dict[str, str]) -> list[tuple[list[str], str]]:
    """Each template as its literal parts around the {} values, longest first, so a specific message wins over
    a general one such as "{} is larger than {} MB."."""
    parts = [(template.split("{}"), translation) for template, translation in templates.items()]
    return sorted(parts, key=lambda item: -sum(map(len, item[0])))


def _match(parts: list[str], text: str) -> list[str] | None:
    """The values of `text` read against a template's literal parts, or None.

    Linear in the text: the first and last parts are anchored, each middle part is taken at its first
    occurrence after the previous value (str.find), with no backtracking. A regex of lazy groups took
    minutes on a 35 kB message built from user text."""
    first, last = parts[0], parts[-1]
    if len(parts) == 1:
        return [] if text == first else None
    if len(text) < len(first) + len(last) or not text.startswith(first) or not text.endswith(last):
        return None
    pos, end, values = len(first), len(text) - len(last), []
    for part in parts[1:-1]:
        found = text.find(part, pos, end)
        if found < 0:
            return None
        values.append(text[pos:found])
        pos = found + len(part)
    values.append(text[pos:end])
    return values


MESSAGE_TABLES = {"ko": _compile(KO_MESSAGES)}
MAX_MESSAGE_CHARS = 400


def translate(text: str, _depth: int = 0) -> str:
    """An engine message (error or training status, always English) in the session's language, as plain text.

    The engine stays free of UI concerns and writes English; its message templates are matched here and the
    values carried over, so numbers, shapes and names are unchanged. A value that is itself a message (the
    reason inside "... using ConvLab's built-in digits instead.") is translated too; several messages on
    separate lines are translated one by one. Unknown text stays as is."""
    text = str(text)
    if _depth == 0:
        text = text[:4 * MAX_MESSAGE_CHARS]  # the cap comes first: matching never sees a flood of user text
        if "\n" in text:
            return "\n".join(translate(line, 1) for line in text.splitlines() if line.strip())
    patterns = MESSAGE_TABLES.get(current())
    if not patterns or _depth > 3:
        return text
    for parts, translation in patterns:
        values = _match(parts, text)
        if values is not None:
            return translation.format(*(translate(value, _depth + 1) for value in values))
    return text


def message(text: str) -> str:
    """An engine message ready for st.error / st.warning / captions: translated, at most MAX_MESSAGE_CHARS
    long, on one line, and escaped so that user text inside it is never read as markdown."""
    return escape(translate(text), MAX_MESSAGE_CHARS)


def language_from_url() -> str:
    """The link is read once per session; afterwards the sidebar choice decides and the URL follows it."""
    if LANG_KEY not in st.session_state:
        raw = st.query_params.get("lang")
        st.session_state[LANG_KEY] = raw if raw in LANGUAGES else "en"
    return st.session_state[LANG_KEY]
