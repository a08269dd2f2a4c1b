"""Uploads are parsed once, not on every rerun: the result, or the refusal, is kept in the session under the
upload's id (a new upload of the same file gets a new id). st.cache_data would hash every byte of the file on
each rerun and keeps no errors, so a refused bomb would be opened again at every click."""
from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

import streamlit as st

from engine.errors import ConvLabError

_KEY = "_convlab_parsed_uploads"
_KEEP = 6  # a few files per session (image, XML, dataset), the newest kept
T = TypeVar("T")


class Refused(ConvLabError):
    """The kept refusal of an upload, re-raised with the engine's message on later reruns."""


def parse_once(file, parse: Callable[..., T], *args) -> T:
    """`parse(file.getvalue(), *args)`, computed once per upload and arguments. Raises the engine's
    ConvLabError (the first time) or `Refused` with the same message (afterwards)."""
    cache: dict = st.session_state.setdefault(_KEY, {})
    key = (getattr(file, "file_id", None) or id(file), getattr(parse, "__qualname__", repr(parse)), args)
    if key not in cache:
        try:
            cache[key] = (True, parse(file.getvalue(), *args))
        except ConvLabError as exc:
            cache[key] = (False, exc.message)
        while len(cache) > _KEEP:
            cache.pop(next(iter(cache)))
    ok, value = cache[key]
    if not ok:
        raise Refused(value.template, *value.values)
    return value
