"""Keep the server's resident memory to what it uses.

Importing TensorFlow runs thousands of static initialisers spread through ~1 GB of shared libraries, which
reads about 400 MB of their code into this process's resident set once; most of it is never needed again.
`release_library_pages()` asks Linux (MADV_PAGEOUT, kernel 5.4+) to drop the read-only, file-backed pages of
loaded libraries from the resident set. They stay in the page cache, so a page that is needed again comes
back with a minor fault: training speed was unchanged when measured (bench/load.py reports RSS and the
anonymous memory that this does not touch). Elsewhere, or when refused, it does nothing.
"""
from __future__ import annotations

import ctypes
import os
import sys

MADV_PAGEOUT = 21  # linux/mman.h
ENV_SWITCH = "CONVLAB_RELEASE_LIBRARY_PAGES"  # "0" turns it off


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
    """Advise the kernel to page out read-only library pages; returns the bytes advised (0 when skipped)."""
    if not sys.platform.startswith("linux") or os.environ.get(ENV_SWITCH, "1") == "0":
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
    """Resident set and its anonymous part (heap, stacks: what paging out libraries cannot reduce), in MB."""
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
