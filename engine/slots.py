"""A fair queue for the server's training slots: first come, first served, and never held by nobody.

A trainer asks for a slot when it should run; if none is free it waits in line and is told its place. When a
slot is released (a run ends, pauses past the limit, or its browser session is gone) the first waiter still
wanted gets it and is woken. Watchers of a run never ask for one.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from engine.settings import LineNotice


def default_capacity(cores: int | None = None) -> int:
    """Trainings that may run at once: one per two cores (each training uses every core it is given), at least one.
    CONVLAB_MAX_TRAININGS overrides it.

    Examples
    --------
    >>> default_capacity(2), default_capacity(16), default_capacity(1)
    (1, 8, 1)
    """
    if cores is None:
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, int(cores) // 2)


def capacity_from_environment() -> int:
    """CONVLAB_MAX_TRAININGS when it is a whole number from 1 to 64, else `default_capacity()`.

    >>> isinstance(capacity_from_environment(), int)
    True
    """
    value = os.environ.get("CONVLAB_MAX_TRAININGS", "").strip()
    return int(value) if value.isdigit() and 1 <= int(value) <= 64 else default_capacity()


def line_notice(holders: list[tuple[float | None, float | None]], position: int | None, release_s: float) -> LineNotice:
    """The line's notice from the slot holders: how many run and how many are paused, the seconds until the soonest
    paused one gives its slot back (after `release_s` paused), and an estimated wait for `position` in line (the time
    until that many slots free up; None when unknown). `holders`: for each holder, (seconds it has been paused, or
    None while it works; seconds left of its time limit, or None).

    >>> line_notice([(None, 30.0), (48.0, None)], 1, 60.0)
    {'running': 1, 'paused': 1, 'paused_release_s': 12.0, 'wait_s': 12.0}
    >>> line_notice([(None, 30.0), (48.0, None)], 2, 60.0)["wait_s"], line_notice([(None, None)], 1, 60.0)["wait_s"]
    (30.0, None)
    """
    releases = [max(release_s - paused_for, 0.0) for paused_for, _ in holders if paused_for is not None]
    etas = [eta for paused_for, eta in holders if paused_for is None and eta is not None]
    frees_in = sorted(releases + etas)
    return {"running": sum(paused_for is None for paused_for, _ in holders), "paused": len(releases),
            "paused_release_s": min(releases) if releases else None,
            "wait_s": frees_in[position - 1] if position and position <= len(frees_in) else None}


class SlotQueue:
    """`capacity` slots and a first-come-first-served line of owners waiting for one.

    Owners are any objects; `on_grant(owner)` is called (outside the lock) when a waiting owner gets a slot.
    `wanted(owner)` says whether a waiter still wants it (a closed tab's trainer does not; it is asked under the
    queue's lock, so it must take no lock that a caller of the queue may hold); unwanted waiters are dropped when
    their turn comes, and told by `on_drop(owner)`.

    Examples
    --------
    >>> q = SlotQueue(1)
    >>> q.request("a"), q.request("b"), q.position("b")
    (True, False, 1)
    >>> q.release("a"); q.position("b"), q.counts()
    (None, (1, 0))
    """

    def __init__(self, capacity: int, on_grant: Callable[[object], None] | None = None,
                 wanted: Callable[[object], bool] | None = None, on_drop: Callable[[object], None] | None = None):
        self.capacity = max(1, int(capacity))
        self._on_grant = on_grant or (lambda owner: None)
        self._wanted = wanted or (lambda owner: True)
        self._on_drop = on_drop or (lambda owner: None)
        self._lock = threading.Lock()
        self._holders: list = []
        self._waiting: list = []

    def request(self, owner) -> bool:
        """True when `owner` holds a slot now (it had one, or one was free); otherwise it waits in line."""
        with self._lock:
            if owner in self._holders:
                return True
            if len(self._holders) < self.capacity and not self._waiting:
                self._holders.append(owner)
                return True
            if owner not in self._waiting:
                self._waiting.append(owner)
            return False

    def release(self, owner) -> None:
        """Give back `owner`'s slot, or its place in line; the next waiter still wanted gets the slot."""
        with self._lock:
            if owner in self._holders:
                self._holders.remove(owner)
            if owner in self._waiting:
                self._waiting.remove(owner)
            granted, dropped = self._grant_locked()
        for waiter in dropped:
            self._on_drop(waiter)
        for waiter in granted:
            self._on_grant(waiter)

    def _grant_locked(self) -> tuple[list, list]:
        granted, dropped = [], []
        while self._waiting and len(self._holders) < self.capacity:
            waiter = self._waiting.pop(0)
            if self._wanted(waiter):
                self._holders.append(waiter)
                granted.append(waiter)
            else:
                dropped.append(waiter)
        return granted, dropped

    def position(self, owner) -> int | None:
        """1 for the first in line, None when not waiting."""
        with self._lock:
            return self._waiting.index(owner) + 1 if owner in self._waiting else None

    def holders(self) -> list:
        """The owners that hold a slot now, in the order they got it."""
        with self._lock:
            return list(self._holders)

    def counts(self) -> tuple[int, int]:
        """(slots in use, owners waiting)."""
        with self._lock:
            return len(self._holders), len(self._waiting)
