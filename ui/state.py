"""Widgets whose values live in the URL, so a shared link reopens the same view.

Each widget's first value comes from `st.query_params` when present and valid, else from the value
the user last chose in this session (kept across page switches), else the default. Invalid URL values
fall back to the default with a visible notice. Every change is written back to the URL at once;
defaults are left out to keep links short.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from typing import Any

import streamlit as st

from ui.i18n import t
from ui.markdown import escape

_SAVED = "_convlab_saved_values"
# What each widget last showed (its labels, its bounds), in one entry: Streamlit copies every session-state key
# for each select box, radio and number input it draws, so bookkeeping kept as many keys slowed every widget.
_SEEN = "_convlab_seen"


# A number in a link is written in ASCII digits, as the page writes it: Python's int() and float() would also take
# full-width and other scripts' digits, underscores, surrounding spaces, "nan" and "inf", and a value that looks
# valid on screen could then be another number than the one read.
_INTEGER = re.compile(r"[+-]?[0-9]{1,30}")
_DECIMAL = re.compile(r"[+-]?([0-9]{1,30}(\.[0-9]{0,30})?|\.[0-9]{1,30})([eE][+-]?[0-9]{1,5})?")


def parse_number(raw: str, is_int: bool, lo, hi):
    """A link's number: ASCII only, within [lo, hi]; -0, -0.0 and underflows such as -1e-400 are the number 0, a
    subnormal such as 1e-310 is itself. Raises ValueError otherwise.

    >>> parse_number("-1e-400", False, 0.0, 0.5), parse_number("-0", True, 0, 3), parse_number("1e-310", False, 0, 1)
    (0.0, 0, 1e-310)
    >>> parse_number("\uff11", True, 0, 3)
    Traceback (most recent call last):
    ...
    ValueError: '１'
    """
    if not (_INTEGER if is_int else _DECIMAL).fullmatch(raw):
        raise ValueError(repr(raw))
    value = int(raw) if is_int else float(raw) + 0.0  # + 0.0: a negative zero becomes 0.0
    if not (math.isfinite(value) and lo <= value <= hi):
        raise ValueError(repr(raw))
    return value


def _number_parser(is_int: bool, lo, hi):
    return lambda raw: parse_number(raw, is_int, lo, hi)


_PENDING = "_convlab_link_notices"


def notice_text(key: str, raw: str, rule: str, default: str) -> str:
    """The notice for a link value that is not valid: the value is shown as escaped text (its invisible characters
    written out), never as markdown."""
    return t("Link parameter **{param}** is not valid ({rule}); using the default **{default}** instead.",
             param=escape(f"{key}={raw}", 40), rule=escape(rule, 200), default=escape(default))


def bad_app_value(key: str, raw: str, options: Sequence[str], default: str) -> None:
    """An app-wide parameter (language, presenter mode) read before any page: its notice waits for
    show_app_notices(), which the app calls at the top of the page."""
    st.session_state.setdefault(_PENDING, []).append((key, raw, tuple(options), default))


def show_app_notices() -> None:
    for key, raw, options, default in st.session_state.pop(_PENDING, []):
        st.warning(notice_text(key, raw, t("one of {options}", options=", ".join(options)), default),
                   icon=":material/link:")


def editor_edit_fits(edit, shape: tuple[int, int]) -> bool:
    """Whether a data editor's edit message (from the browser) only edits cells of a fixed `shape` grid: such a grid
    adds and deletes no rows, so a message that does (or names rows or columns beyond the grid) was crafted.

    >>> editor_edit_fits({"edited_rows": {"0": {"1": 2.5}}, "added_rows": [], "deleted_rows": []}, (3, 3))
    True
    >>> editor_edit_fits({"edited_rows": {}, "added_rows": [{"0": 1}] * 5000, "deleted_rows": []}, (3, 3))
    False
    """
    if edit is None:
        return True
    if not isinstance(edit, dict) or edit.get("added_rows") or edit.get("deleted_rows"):
        return False
    rows = edit.get("edited_rows") or {}
    if not isinstance(rows, dict) or len(rows) > shape[0]:
        return False
    columns = {str(c) for c in range(shape[1])}
    return all(str(r).isdigit() and int(r) < shape[0] and isinstance(cells, dict) and len(cells) <= shape[1]
               and {str(c) for c in cells} <= columns for r, cells in rows.items())


class PageState:
    def __init__(self, page: str):
        self.page = page
        self._notice_box = st.container()
        st.session_state.setdefault(_SAVED, {})

    # -- core ---------------------------------------------------------------------------------
    def notice(self, message: str) -> None:
        self._notice_box.warning(message, icon=":material/link:")

    def _prepare(self, key: str, default, parse: Callable[[str], Any], rule: str) -> str:
        widget_key = f"{self.page}.{key}"
        if widget_key not in st.session_state:
            raw = st.query_params.get(key)
            value = st.session_state[_SAVED].get(widget_key, default)
            if raw is not None:
                try:
                    value = parse(raw)
                except (ValueError, TypeError, OverflowError):
                    self.notice(notice_text(key, raw, rule, self._dump(default)))
                    value = default
            st.session_state[widget_key] = value
        return widget_key

    @staticmethod
    def _dump(value) -> str:
        if isinstance(value, bool):
            return "1" if value else "0"
        if isinstance(value, float):
            return f"{value:.6g}"
        if isinstance(value, (tuple, list)):
            return "~".join(PageState._dump(v) for v in value)
        return str(value)

    def _remember(self, key: str, widget_key: str, value, default) -> None:
        st.session_state[_SAVED][widget_key] = value
        if value == default:
            if key in st.query_params:
                del st.query_params[key]
        else:
            dumped = self._dump(value)
            if st.query_params.get(key) != dumped:
                st.query_params[key] = dumped

    def _run(self, widget, label, key, default, parse, rule, **kwargs):
        widget_key = self._prepare(key, default, parse, rule)
        if self.hidden(key):  # hidden by the link: the value it gives (or the default), and no widget
            return st.session_state[widget_key]
        value = widget(label, key=widget_key, **kwargs)
        self._remember(key, widget_key, value, default)
        return value

    def _resend_if_relabelled(self, key: str, options: list, format_func) -> None:
        """A choice whose label changed while its value did not (another language, another picture's object
        names) is sent to the browser again: the browser keeps a choice by its label, so after a language switch a
        radio showed nothing chosen and a dropdown its English label. Setting the value from the script makes
        Streamlit send it in the new labels."""
        widget_key, seen = f"{self.page}.{key}", st.session_state.setdefault(_SEEN, {})
        labels = tuple(str(format_func(option)) for option in options)
        before = seen.get(("labels", widget_key))
        seen[("labels", widget_key)] = labels
        if before is not None and before != labels and st.session_state.get(widget_key, object()) in options:
            st.session_state[widget_key] = st.session_state[widget_key]

    def _keep_within(self, key: str, default, min_value, max_value, parse, rule) -> None:
        """A slider whose bounds follow the data (a row of a map whose size the stride sets) keeps its place when
        the bounds change, where Streamlit would reset it to its minimum: a value that was the default follows the
        new default (the middle stays the middle), any other value is clamped into the new range. A value kept from
        an earlier visit is clamped too (Streamlit refuses a value out of range)."""
        widget_key = self._prepare(key, default, parse, rule)
        seen, bounds = st.session_state.setdefault(_SEEN, {}), (default, min_value, max_value)
        before, value = seen.get(("bounds", widget_key)), st.session_state[widget_key]
        seen[("bounds", widget_key)] = bounds

        def clamp(v):
            if isinstance(v, (tuple, list)):  # a range slider: each end
                return type(v)(clamp(x) for x in v)
            return min(max(v, min_value), max_value)

        if before is not None and before != bounds:
            st.session_state[widget_key] = clamp(default if value == before[0] else value)
        elif clamp(value) != value:
            st.session_state[widget_key] = clamp(value)

    # -- widgets --------------------------------------------------------------------------------
    def select(self, label: str, options: Sequence[str], key: str, default=None, *, radio=False,
               container=st, **kwargs):
        options = list(options)
        default = options[0] if default is None else default

        def parse(raw):
            if raw not in options:
                raise ValueError(raw)
            return raw

        widget = container.radio if radio else container.selectbox
        self._resend_if_relabelled(key, options, kwargs.get("format_func", str))
        rule = t("one of {options}", options=", ".join(map(str, options)))
        return self._run(widget, label, key, default, parse, rule, options=options, **kwargs)

    def select_slider(self, label: str, options: Sequence, key: str, default, *, container=st, **kwargs):
        options = list(options)
        lookup = {self._dump(o): o for o in options}
        self._resend_if_relabelled(key, options, kwargs.get("format_func", str))

        def parse(raw):
            if raw not in lookup:
                raise ValueError(raw)
            return lookup[raw]

        return self._run(container.select_slider, label, key, default, parse,
                         t("one of {options}", options=", ".join(lookup)), options=options, **kwargs)

    def slider(self, label: str, key: str, default, min_value, max_value, step=None, *, container=st, **kwargs):
        if min_value >= max_value:  # st.slider refuses equal bounds (a 1-cell feature map, a tiny upload)
            container.caption(f"{escape(label)}: **{escape(self._dump(min_value))}**")
            return min_value
        parse = _number_parser(isinstance(default, int), min_value, max_value)
        rule = t("a number from {lo} to {hi}", lo=min_value, hi=max_value)
        self._keep_within(key, default, min_value, max_value, parse, rule)
        return self._run(container.slider, label, key, default, parse, rule, min_value=min_value,
                         max_value=max_value, step=step, **kwargs)

    def number(self, label: str, key: str, default, min_value, max_value, step=None, *, container=st, **kwargs):
        parse = _number_parser(isinstance(default, int), min_value, max_value)
        return self._run(container.number_input, label, key, default, parse,
                         t("a number from {lo} to {hi}", lo=min_value, hi=max_value), min_value=min_value,
                         max_value=max_value, step=step, **kwargs)

    def toggle(self, label: str, key: str, default: bool = False, *, container=st, **kwargs) -> bool:
        def parse(raw):
            if raw.lower() in ("1", "true", "yes", "on"):
                return True
            if raw.lower() in ("0", "false", "no", "off"):
                return False
            raise ValueError(raw)

        return self._run(container.toggle, label, key, default, parse, t("1 or 0"), **kwargs)

    def text(self, label: str, key: str, default: str, validate: Callable[[str], Any], rule: str, *,
             container=st, **kwargs) -> str:
        def parse(raw):
            validate(raw)
            return raw

        return self._run(container.text_input, label, key, default, parse, rule, **kwargs)

    def value(self, key: str, default, parse: Callable[[str], Any], rule: str):
        """A non-widget value kept in the URL (for example a kernel edited in a grid)."""
        widget_key = self._prepare(key, default, parse, rule)
        return st.session_state[widget_key]

    def set_value(self, key: str, value, default) -> None:
        widget_key = f"{self.page}.{key}"
        st.session_state[widget_key] = value
        self._remember(key, widget_key, value, default)

    def tabs(self, labels: dict[str, str], key: str = "tab") -> dict:
        """Tabs whose choice is in the link (`?tab=<id>`) and that are lazy: only the open tab's `.open` is True,
        so a page computes just that one. `labels` maps stable ids (the link form) to translated labels."""
        ids = list(labels)
        current = self._open_tab(ids, key)
        widget_key = f"{self.page}.{key}.open"
        by_label = {label: tab_id for tab_id, label in labels.items()}
        if st.session_state.get(widget_key) not in by_label:  # first run, or the language changed the labels
            st.session_state.pop(widget_key, None)

        def changed():
            self.set_value(key, by_label.get(st.session_state.get(widget_key), ids[0]), ids[0])

        containers = st.tabs(list(labels.values()), default=labels[current], key=widget_key, on_change=changed)
        return dict(zip(ids, containers))

    def _open_tab(self, ids: list[str], key: str) -> str:
        """The open tab's id from the link; a bad one is told (like any bad link value) and leaves the link."""
        def parse(raw):
            if raw not in ids:
                raise ValueError(raw)
            return raw

        current = self.value(key, ids[0], parse, t("one of {options}", options=", ".join(ids)))
        self._remember(key, f"{self.page}.{key}", current, ids[0])
        return current

    def show_tabs(self, views: dict[str, tuple[str, Callable[[], None]]], key: str = "tab") -> None:
        """A lesson's tabs, `views` mapping each stable id to (translated label, draw function): only the open tab
        is drawn (the link keeps which, `?tab=<id>`). A link with `tab_hide=1` shows the open tab alone, without
        the tab bar (a view embedded in slides)."""
        if self.hidden(key):
            views[self._open_tab(list(views), key)][1]()
            return
        for tab_id, container in self.tabs({tab_id: label for tab_id, (label, _) in views.items()}, key).items():
            if container.open is not False:
                with container:
                    views[tab_id][1]()

    @staticmethod
    def hidden(key: str) -> bool:
        """Whether the link hides this control (`?<key>_hide=1`, as TensorFlow Playground's links do): its value
        still comes from the link or the default, but no widget is drawn."""
        return st.query_params.get(f"{key}_hide", "").lower() in ("1", "true")
