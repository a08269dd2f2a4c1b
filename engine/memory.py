"""Keep the server's resident memory to what it uses.

Importing TensorFlow runs thousands of static initialisers spread through ~1 GB of shared libraries, which
reads about 350 MB of their code into this process's resident set once; most of it is never needed again.
`release_library_pages()` asks Linux (MADV_PAGEOUT, kernel 5.4+) to drop the read-only, file-backed pages of
loaded libraries from the resident set.

Off by default (`CONVLAB_RELEASE_LIBRARY_PAGES=1` turns it on), because `bench/memory.py` showed it buys only
a smaller RSS figure:
- The pages also leave the page cache: `fincore` on TensorFlow's main library showed 476 MB cached when they
  are kept and 247-258 MB after the release. A page needed again is read from disk (a major fault).
- Under a real limit the kernel drops these clean pages by itself. In a 450 MB memory cgroup with the caches
  dropped first (`--cgroup-mb 450`), both settings ended at 329-337 MB RSS. Both trained 150 AE steps in
  2.4-3.1 s, with 38-486 major faults, over three runs each. Neither failed.
- Anonymous memory (heap), which is what a limit cannot reclaim, is the same either way (246 MB).
Elsewhere than Linux, or when refused, it does nothing.
"""
from __future__ import annotations

import ctypes
import os
import sys

MADV_PAGEOUT = 21  # linux/mman.h
ENV_SWITCH = "CONVLAB_RELEASE_LIBRARY_PAGES"  # "1" turns it on


def _library_mappings(maps_text: str):
    """(start, length) of read-only mappings of shared libraries: writable ones may hold private data."""
    for line in maps_text.splitlines():
        fields = line.split(maxsplit=5)
        if len(fields) < 6 or "w" in fields[1]:
            continue
        path = fields[5]
        if not (path.endswith(".so") or ".so." in path):
            continue
        start, end = (int(x, 16) for x in fields[0].split("-"))
        yield start, end - start


def release_library_pages() -> int:
    """Advise the kernel to page out read-only library pages; returns the bytes advised (0 when skipped).

    Examples
    --------
    >>> release_library_pages() if os.environ.get(ENV_SWITCH) != '1' else 0  # off by default
    0
    """
    if not sys.platform.startswith("linux") or os.environ.get(ENV_SWITCH, "0") != "1":
        return 0
    try:
        with open("/proc/self/maps") as f:
            maps_text = f.read()
        madvise = ctypes.CDLL(None, use_errno=True).madvise
    except (OSError, AttributeError):
        return 0
    madvise.argtypes = [ctypes.c_void_p, ctypes.c_size_t, ctypes.c_int]
    advised = 0
    for start, length in _library_mappings(maps_text):
        if madvise(start, length, MADV_PAGEOUT) != 0:
            return advised  # an older kernel (EINVAL) or a policy refusing it: stop quietly
        advised += length
    return advised


def resident_mb(pid: int | str = "self") -> dict[str, float]:
    """Resident set and its anonymous part (heap, stacks: what paging out libraries cannot reduce), in MB.

    Examples
    --------
    >>> sorted(resident_mb())  # on Linux
    ['anonymous', 'rss']
    """
    wanted = {"Rss": "rss", "Anonymous": "anonymous"}
    out = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                name, _, rest = line.partition(":")
                if name in wanted:
                    out[wanted[name]] = int(rest.split()[0]) / 1024
    except OSError:
        pass
    return out
