"""Uploads are parsed once, not on every rerun, outside the page-run turn, and what is kept is bounded in bytes.

The result, or the refusal, is kept under the session and the upload's id (a new upload of the same file gets a
new id); st.cache_data would hash every byte of the file on each rerun and keeps no errors, so a refused bomb
would be opened again at every click. One store serves the whole server: each session keeps at most
MAX_SESSION_BYTES, all sessions together at most MAX_TOTAL_BYTES (the least recently used go first, and a rerun
that needs an evicted one parses it again), and a session's entries go as soon as its tab is closed.

Parsing runs in engine.bounded's child process, and the page run gives up its turn while it waits (ui.shell), so
one student's slow upload never holds up another student's clicks.
"""
from __future__ import annotations

import collections
import sys
import threading
from collections.abc import Callable
from typing import TypeVar

import numpy as np

from engine.errors import ConvLabError
from ui import internals

MAX_SESSION_BYTES = 256 * 2**20   # one full-size dataset (48M values as float32: 192 MB) and a few images
MAX_TOTAL_BYTES = 768 * 2**20     # the whole server, whatever the number of sessions
PRUNE_EVERY_S = 5.0
T = TypeVar("T")


class Refused(ConvLabError):
    """The kept refusal of an upload, re-raised with the engine's message on later reruns."""


def nbytes(value, _depth: int = 0) -> int:
    """Memory held by a parsed upload: its arrays (a view counts its own part), plus a small fixed cost.

    >>> nbytes(np.zeros((10, 10), np.float32)) >= 400
    True
    """
    if isinstance(value, np.ndarray):
        return value.nbytes
    if _depth > 3:
        return 0
    if isinstance(value, (list, tuple)):
        return sum(nbytes(v, _depth + 1) for v in value)
    if hasattr(value, "__dict__"):
        return sum(nbytes(v, _depth + 1) for v in vars(value).values())
    return sys.getsizeof(value)


class UploadStore:
    """Parsed uploads of every session, least recently used first."""

    def __init__(self, session_bytes: int = MAX_SESSION_BYTES, total_bytes: int = MAX_TOTAL_BYTES,
                 is_active: Callable[[str], bool] | None = None):
        self.session_bytes, self.total_bytes, self.is_active = session_bytes, total_bytes, is_active
        self._entries: collections.OrderedDict = collections.OrderedDict()  # (session, key) -> (ok, value, size)
        self._lock = threading.Lock()
        self._pruner: threading.Thread | None = None

    def get(self, session: str, key):
        with self._lock:
            entry = self._entries.get((session, key))
            if entry is not None:
                self._entries.move_to_end((session, key))
            return entry

    def put(self, session: str, key, ok: bool, value) -> None:
        size = nbytes(value)
        with self._lock:
            self._entries[(session, key)] = (ok, value, size)
            self._entries.move_to_end((session, key))
            self._evict(session)
        self._start_pruner()

    def bytes_held(self, session: str | None = None) -> int:
        with self._lock:
            return sum(size for (owner, _), (_, _, size) in self._entries.items() if session in (None, owner))

    def _evict(self, session: str) -> None:
        """Oldest first: this session's own entries above its share, then anyone's above the server's total. The
        entry just put stays even when it alone is larger (it is what the page shows now)."""
        newest = next(reversed(self._entries))
        mine = sum(size for (owner, _), (_, _, size) in self._entries.items() if owner == session)
        for entry_key, (_, _, size) in list(self._entries.items()):
            if mine <= self.session_bytes:
                break
            if entry_key[0] == session and entry_key != newest:
                del self._entries[entry_key]
                mine -= size
        total = sum(size for _, _, size in self._entries.values())
        for entry_key, (_, _, size) in list(self._entries.items()):
            if total <= self.total_bytes:
                break
            if entry_key != newest:
                del self._entries[entry_key]
                total -= size

    def prune(self) -> int:
        """Drop the entries of sessions that have ended (their tab closed); returns how many went."""
        if self.is_active is None:
            return 0
        with self._lock:
            sessions = {owner for owner, _ in self._entries}
            ended = {owner for owner in sessions if not self.is_active(owner)}
            gone = [k for k in self._entries if k[0] in ended]
            for k in gone:
                del self._entries[k]
            return len(gone)

    def _start_pruner(self) -> None:
        if self.is_active is None or (self._pruner is not None and self._pruner.is_alive()):
            return
        self._pruner = threading.Thread(target=self._prune_while_held, name="convlab-upload-pruner", daemon=True)
        self._pruner.start()

    def _prune_while_held(self) -> None:
        import time
        while True:
            time.sleep(PRUNE_EVERY_S)
            self.prune()
            with self._lock:
                if not self._entries:
                    return


_store: UploadStore | None = None
_store_lock = threading.Lock()


def store() -> UploadStore:
    global _store
    with _store_lock:
        if _store is None:
            _store = UploadStore(is_active=internals.session_probe()[1])
        return _store


def parse_once(file, parse: Callable[..., T], *args) -> T:
    """`parse(file.getvalue(), *args)`, computed once per upload and arguments, outside the page-run turn. Raises
    the engine's ConvLabError (the first time) or `Refused` with the same message (afterwards)."""
    from ui import shell
    from ui.i18n import t

    session = internals.session_probe()[0]
    key = (getattr(file, "file_id", None) or id(file), getattr(parse, "__qualname__", repr(parse)), args)
    entries = store()
    entry = entries.get(session, key)
    if entry is None:
        import streamlit as st
        with shell.outside_turn(), st.spinner(t("Reading the file…")):
            try:
                ok, value = True, parse(file.getvalue(), *args)
            except ConvLabError as exc:
                ok, value = False, exc.message
        entries.put(session, key, ok, value)
    else:
        ok, value, _ = entry
    if not ok:
        raise Refused(value.template, **value.values)
    return value
