"""The engine's own error types and messages. Every bad input the engine refuses raises one of these, with a
message meant for the user. Pages catch `ConvLabError` at their input boundary.

A message is written once, in English, as a template with `{}` for each value: ``InputError("stride must be at
least 1, got {}.", stride)``. The template is its stable id. `ui.i18n` looks the template up in its Korean table
and fills in the same values, so translation never parses English sentences. Notes and statuses that are not
errors are `Message`s built the same way.

`shown()` is how a user-supplied value enters a message: repr'd and cut short, so a hostile file name, XML
text or link value can neither flood the page nor make translation slow."""
from __future__ import annotations

import math

MAX_SHOWN_CHARS = 60


class Message(str):
    """English text that remembers its template (the id) and values; otherwise an ordinary str.

    >>> m = Message("Need between 20 and {} images, got {}.", "70,000", 3)
    >>> str(m), m.template, m.values
    ('Need between 20 and 70,000 images, got 3.', 'Need between 20 and {} images, got {}.', ('70,000', 3))
    """
    template: str
    values: tuple

    def __new__(cls, template: str, *values):
        text = template.format(*values) if values else template
        obj = super().__new__(cls, text)
        obj.template, obj.values = template, values
        return obj

    @classmethod
    def lines(cls, messages) -> Message:
        """Several messages, one per line, each still translatable on its own."""
        messages = list(messages)
        return cls("\n".join("{}" for _ in messages), *messages) if messages else cls("")


class ConvLabError(ValueError):
    """Base of every error the engine raises for bad input. A ValueError, so callers that catch ValueError
    keep working. `str(error)` is the English text; `error.message` keeps the template and values."""

    def __init__(self, template: str, *values):
        self.message = Message(template, *values)
        super().__init__(str(self.message))

    def __reduce__(self):  # across a process boundary (training workers) with its template, so it still translates
        return type(self), (self.message.template, *self.message.values)


class InputError(ConvLabError):
    """A parameter or array the engine cannot work with (shape, range, type)."""


class TooLargeError(ConvLabError):
    """Work or memory that would exceed the engine's bounds for one request."""


def shown(value, limit: int = MAX_SHOWN_CHARS) -> str:
    r"""`repr(value)` at most `limit` characters long, on one line (the cut marked with an ellipsis).

    Examples
    --------
    >>> shown("a" * 100, 10)
    "'aaaaaaaa…"
    >>> shown("two\nlines")
    "'two\\nlines'"
    """
    text = value if isinstance(value, str) and value.startswith(("'", '"')) else repr(value)
    text = " ".join(text.split())  # no newlines or runs of spaces from user text
    return text if len(text) <= limit else text[: limit - 1] + "…"


def megabytes(n_bytes: int) -> str:
    """Sizes for people, in the unit of Streamlit's upload limit (MB of 2**20 bytes), rounded up.

    Examples
    --------
    >>> megabytes(20 * 2**20), megabytes(20 * 2**20 + 4)
    ('20 MB', '20.1 MB')
    """
    mb = n_bytes / 2**20
    return f"{mb:.0f} MB" if mb.is_integer() else f"{math.ceil(mb * 10) / 10:.1f} MB"  # 20 MB + 4 bytes: 20.1
