"""Streamlit's caches for functions defined in a lesson script.

A lesson script runs afresh on every rerun, so `@st.cache_data` there wraps a new function each time, and
Streamlit reads and tokenizes the script's source to name that function's cache: about 1 ms per decorated
function on every rerun of every session. These decorators wrap each function once per server process and hand
the same wrapper back on later runs; the key is the function's code, so an edited script gets a new one.
Functions that close over local variables are wrapped every time (a kept wrapper would keep old values).
"""
from __future__ import annotations

import streamlit as st

_WRAPPED: dict = {}


def _once(kind, options: dict):
    def wrap(fn):
        if fn.__closure__:
            return kind(**options)(fn)
        key = (kind, repr(sorted(options.items())), fn.__code__.co_filename, fn.__qualname__, fn.__code__)
        if key not in _WRAPPED:
            _WRAPPED[key] = kind(**options)(fn)
        return _WRAPPED[key]
    return wrap


def cache_data(**options):
    """`st.cache_data(**options)`, wrapped once per process."""
    return _once(st.cache_data, options)


def cache_resource(**options):
    """`st.cache_resource(**options)`, wrapped once per process."""
    return _once(st.cache_resource, options)
