"""User text placed into Streamlit markdown (st.error, st.warning, captions, notices) is shown as text, never
interpreted: a value from a link, a file name or an XML object name cannot add a link, an image, a colour
directive, LaTeX or HTML to the page.

CommonMark lets a backslash escape any ASCII punctuation, so escaping every character that means something
(and folding line breaks) leaves nothing for the markdown parser, GitHub-style autolinks or Streamlit's
`:color[...]` directives to act on."""
from __future__ import annotations

import re
import unicodedata

MAX_CHARS = 400
# Streamlit turns bare URLs and e-mail addresses into links after markdown has been parsed, so escapes do not
# stop it: a WORD JOINER (invisible, zero width) inside "://", "www." and after "@" does.
_JOINER = "\u2060"
_AUTOLINK = re.compile(r"(?i)(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)")
# Every character with a meaning in CommonMark, GFM (autolinks need ':' or '.'), Streamlit's directives and
# icons (':'), LaTeX ('$') or HTML ('<', '&'). Commas, quotes and the like stay as they are.
_SPECIAL = "\\`*_{}[]()<>#+-.!|~$:&"
_ESCAPES = {ord(ch): "\\" + ch for ch in _SPECIAL}


def unescape(markdown: str) -> str:
    """The text a reader sees of `escape()`'s output (for tests and logs)."""
    out, chars = [], iter(markdown.replace(_JOINER, ""))
    for ch in chars:
        out.append(next(chars, "") if ch == "\\" else ch)
    return "".join(out)


# Characters that change or hide text without showing themselves: controls, format characters (bidirectional
# overrides and isolates, zero-width spaces and joiners, the BOM), line and paragraph separators, private-use,
# surrogate and unassigned code points, and the letters and marks that render as nothing (Hangul fillers, the
# combining grapheme joiner, variation selectors, the braille blank).
_INVISIBLE_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}
_INVISIBLE_LETTERS = {0x034F, 0x115F, 0x1160, 0x17B4, 0x17B5, 0x180B, 0x180C, 0x180D, 0x180E, 0x180F, 0x2800,
                      0x3164, 0xFFA0, *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)}
_FOLDED = " \t\n\r"  # ordinary white space is folded to one space
_HAS_INVISIBLE_LETTER = re.compile("[" + "".join(map(chr, sorted(_INVISIBLE_LETTERS))) + "]")


def visible(text: str) -> str:
    """`text` with every invisible or text-reversing character written out as ⟨U+XXXX⟩, so that what a reader sees
    is every character there is (a right-to-left override cannot reverse a notice, a zero-width space cannot
    make a bad value look good).

    >>> visible("abc\u202edef\u200b1")
    'abc⟨U+202E⟩def⟨U+200B⟩1'
    """
    text = str(text)
    if text.isprintable() and not _HAS_INVISIBLE_LETTER.search(text):
        return text  # the common case, both checks in C
    return "".join(f"⟨U+{ord(ch):04X}⟩" if (ch not in _FOLDED and (unicodedata.category(ch) in _INVISIBLE_CATEGORIES
                                                                    or ord(ch) in _INVISIBLE_LETTERS)) else ch
                   for ch in text)


def escape(text: str, limit: int = MAX_CHARS) -> str:
    r"""`text` as literal markdown, on one line, at most `limit` characters before escaping; invisible characters
    are written out (`visible`).

    >>> print(escape("a `b` [link](http://x.org) *c*").replace(_JOINER, "<WJ>"))
    a \`b\` \[link\]\(http\:<WJ>//x\.org\) \*c\*
    >>> print(escape("stride=\u202e5"))
    stride=⟨U\+202E⟩5
    """
    text = " ".join(visible(str(text)[: 8 * limit]).split())  # a megabyte of text is not walked to show 400 chars
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    text = _AUTOLINK.sub(_JOINER, text)
    return text.translate(_ESCAPES)


def _cell(value) -> str:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:.4f}".rstrip("0").rstrip(".") if isinstance(value, float) else f"{value:,}"
    return escape(value, limit=80)


def table(columns: dict[str, list]) -> str:
    r"""A markdown table of `columns` (header -> values) in which every cell is shown as text: a small table
    without pandas (importing it cost a fresh server's first run 0.3 s). Numbers are right-aligned, floats shown
    with up to 4 decimals.

    >>> print(table({"class": ["dog|cat"], "xmin": [12.5]}))
    | class | xmin |
    | :-- | --: |
    | dog\|cat | 12.5 |
    """
    headers = list(columns)
    rows = list(zip(*columns.values()))
    numeric = [bool(rows) and all(isinstance(row[i], (int, float)) for row in rows) for i in range(len(headers))]
    lines = ["| " + " | ".join(escape(h, limit=80) for h in headers) + " |",
             "| " + " | ".join("--:" if n else ":--" for n in numeric) + " |"]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def latex_matrix(values) -> str:
    r"""A small matrix of numbers (a kernel) for st.latex, three significant digits each: only numbers reach the
    LaTeX, so nothing a user types can add a command.

    >>> print(latex_matrix([[1, -0.5], [-0.0, 1 / 9]]))
    \begin{bmatrix} 1 & -0.5 \\ 0 & 0.111 \end{bmatrix}
    >>> print(latex_matrix([[1e30, float("nan")]]))
    \begin{bmatrix} 1e+30 & \text{nan} \end{bmatrix}
    """
    def number(value) -> str:
        text = f"{float(value) + 0.0:.3g}"
        return text if text[-1].isdigit() else rf"\text{{{text}}}"
    return r"\begin{bmatrix} " + r" \\ ".join(" & ".join(map(number, row)) for row in values) + r" \end{bmatrix}"
