"""The engine's own error types. Every bad input the engine refuses raises one of these, with a message meant
for the user (English; `ui.i18n.message` translates it). Pages catch `ConvLabError` at their input boundary.

`shown()` is how a user-supplied value enters a message: repr'd and cut short, so a hostile file name, XML
text or link value can neither flood the page nor make translation slow."""
from __future__ import annotations

import math

MAX_SHOWN_CHARS = 60


class ConvLabError(ValueError):
    """Base of every error the engine raises for bad input. A ValueError, so callers that catch ValueError
    keep working."""


class InputError(ConvLabError):
    """A parameter or array the engine cannot work with (shape, range, type)."""


class TooLargeError(ConvLabError):
    """Work or memory that would exceed the engine's bounds for one request."""


def shown(value, limit: int = MAX_SHOWN_CHARS) -> str:
    """`repr(value)` at most `limit` characters long (the cut marked with an ellipsis)."""
    text = value if isinstance(value, str) and value.startswith(("'", '"')) else repr(value)
    text = " ".join(text.split())  # no newlines or runs of spaces from user text
    return text if len(text) <= limit else text[: limit - 1] + "…"


def megabytes(n_bytes: int) -> str:
    """Sizes for people, in the unit Streamlit's upload limit uses (MB of 2**20 bytes), so a refusal never
    says "21 MB" for a 20 MB limit. One decimal unless whole."""
    mb = n_bytes / 2**20
    return f"{mb:.0f} MB" if mb.is_integer() else f"{math.ceil(mb * 10) / 10:.1f} MB"  # 20 MB + 4 bytes: 20.1
