"""The engine's own error types and messages. Every bad input the engine refuses raises one of these, with a
message meant for the user. Pages catch `ConvLabError` at their input boundary.

A message is written once, in English, as a template with a named placeholder for each value:
``InputError("stride must be at least 1, got {stride}.", stride=stride)``, the same `{name}` style as the pages'
texts. The template is its stable id. `ui.i18n` looks the template up in its Korean table
and fills in the same values, so translation never parses English sentences. Notes and statuses that are not
errors are `Message`s built the same way.

`shown()` is how a user-supplied value enters a message: repr'd and cut short, so a hostile file name, XML
text or link value can neither flood the page nor make translation slow."""
from __future__ import annotations

import math
import re
import string

MAX_SHOWN_CHARS = 60
LINE = "line"  # Message.lines(): the placeholders "{line0}\n{line1}..." hold whole messages
_LINES = re.compile(r"\{line\d+\}(\n\{line\d+\})*")


class Message(str):
    """English text that remembers its template (the id) and values; otherwise an ordinary str.

    >>> m = Message("Need between 20 and {max_images} images, got {count}.", max_images="70,000", count=3)
    >>> str(m), m.values
    ('Need between 20 and 70,000 images, got 3.', {'max_images': '70,000', 'count': 3})
    """
    template: str
    values: dict

    def __new__(cls, template: str, **values):
        text = template.format(**values) if values else template
        obj = super().__new__(cls, text)
        obj.template, obj.values = template, values
        return obj

    @classmethod
    def lines(cls, messages) -> Message:
        """Several messages, one per line, each still translatable on its own (`is_lines` tells them apart)."""
        messages = list(messages)
        if not messages:
            return cls("")
        return cls("\n".join(f"{{{LINE}{i}}}" for i in range(len(messages))),
                   **{f"{LINE}{i}": m for i, m in enumerate(messages)})

    @property
    def is_lines(self) -> bool:
        return bool(self.values) and _LINES.fullmatch(self.template) is not None


def placeholders(template: str) -> list[str]:
    """The names of a template's placeholders, in order.

    >>> placeholders("A {kh}x{kw} kernel does not fit a {h}x{w} input; {kh:d} again.")
    ['kh', 'kw', 'h', 'w', 'kh']
    """
    return [name for _, name, _, _ in string.Formatter().parse(template) if name is not None]


class ConvLabError(ValueError):
    """Base of every error the engine raises for bad input. A ValueError, so callers that catch ValueError
    keep working. `str(error)` is the English text; `error.message` keeps the template and values."""

    def __init__(self, template: str, **values):
        self.message = Message(template, **values)
        super().__init__(str(self.message))

    def __reduce__(self):  # across a process boundary (training workers) with its template, so it still translates
        return _rebuild_error, (type(self), self.message.template, self.message.values)


def _rebuild_error(cls, template: str, values: dict) -> ConvLabError:
    return cls(template, **values)


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
