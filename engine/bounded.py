"""Untrusted bytes are read in a child process with a time and a memory budget.

A file can be small on the wire, declare a modest size and still cost tens of seconds or a gigabyte while it is
decoded: a JPEG whose scans repeat thousands of times, a PNG with millions of empty chunks, a BMP whose run-length
code Pillow decodes in Python. The readers check what they can before decoding (`engine.images`,
`engine.data`), but no list of checks covers every member of that class, so the decoding itself runs where it
can be stopped: a child process forked from a small server process that has the engine's readers imported
(multiprocessing's "forkserver": the app's own process, with its threads, is never forked). The child's
writable memory is capped (RLIMIT_DATA) and the parent stops waiting, and kills it, after the time budget. The
caller's thread only waits on a pipe meanwhile, so other sessions' page runs go on at full speed.

Inside the child, `call` runs its function directly, so a reader that reads other files (the images of a
dataset .zip) runs them all under the one budget.
"""
from __future__ import annotations

import contextlib
import multiprocessing
import os
import pickle
import threading
import time

from engine.errors import ConvLabError, TooLargeError

SECONDS = 4.0        # whole call, child start included: with the kill, inputs are handled or refused in 5 s
MEMORY_MB = 450      # writable memory the child may add to what the forkserver had (inputs stay under 500 MB)
# Readers at once, whatever the number of students uploading: each may use MEMORY_MB, so thirty at once could take
# 13 GB. The others wait their turn (their page shows "Reading the file…"); a turn not had in QUEUE_S is refused.
MAX_READERS = int(os.environ.get("CONVLAB_MAX_READERS", 0)) or max(2, (os.cpu_count() or 2) // 2)
QUEUE_S = 60.0
_readers = threading.BoundedSemaphore(MAX_READERS)
_PRELOAD = ["engine.data", "engine.images"]

_inside = False
_lock = threading.Lock()
_context = None
# The last child's peak resident memory above its start, in MB: tests/hostile.py adds it to what it measures in
# the calling process (the child's memory is not the caller's).
last_child_peak_mb = 0.0


class ReaderCrashed(RuntimeError):
    """The reader failed in a way that is not a refusal (a bug, not a bad file); carries the child's error."""


def inside() -> bool:
    """True in a child process: nested calls run directly under the child's budget."""
    return _inside


def _get_context():
    global _context
    with _lock:
        if _context is None:
            if "forkserver" in multiprocessing.get_all_start_methods():
                _context = multiprocessing.get_context("forkserver")
                _context.set_forkserver_preload(_PRELOAD)
            else:  # no forkserver (Windows): a fresh interpreter per call, slower to start but as safe
                _context = multiprocessing.get_context("spawn")
    return _context


def warm_up() -> None:
    """Start the forkserver now (about 0.3-0.5 s: one interpreter importing NumPy and Pillow) instead of at the
    first upload."""
    call(int, "1")


def _status_kb(field: str) -> int:
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _limit_memory(memory_mb: float) -> None:
    try:
        import resource
    except ImportError:  # not on Windows; the time budget still holds
        return
    data_kb = _status_kb("VmData")
    if not data_kb:
        return
    limit = (data_kb * 1024) + int(memory_mb * 2**20)
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))


def _send(conn, obj) -> None:
    """Large arrays go out of band (pickle protocol 5), each in one message, so no copy of them is pickled."""
    buffers: list[pickle.PickleBuffer] = []
    head = pickle.dumps(obj, protocol=5, buffer_callback=buffers.append)
    views = [buffer.raw() for buffer in buffers]
    conn.send((head, [view.nbytes for view in views]))
    for view in views:
        conn.send_bytes(view)


def _receive(conn):
    head, sizes = conn.recv()
    buffers = []
    for size in sizes:
        buffer = bytearray(size)  # writable: arrays rebuilt over it can be changed in place, as the caller's own
        if size:
            conn.recv_bytes_into(buffer)
        else:
            conn.recv_bytes()
        buffers.append(buffer)
    return pickle.loads(head, buffers=buffers)


def _child(conn, fn, args, memory_mb: float, streaming: bool = False) -> None:
    global _inside
    _inside = True
    start_kb = _status_kb("VmRSS")
    _limit_memory(memory_mb)
    try:
        if streaming:  # each item goes out as it is made: the parent's reading paces the child (the pipe is small)
            for item in fn(*args):
                _send(conn, (("item", item), 0.0))
            reply = ("end",)
        else:
            reply = ("ok", fn(*args))
    except ConvLabError as exc:
        reply = ("refused", type(exc), exc.message.template, exc.message.values)
    except MemoryError:
        reply = ("memory",)
    except Exception as exc:  # noqa: BLE001 - sent to the parent, which raises it as ReaderCrashed
        reply = ("crashed", type(exc).__name__, str(exc)[:300])
    try:
        _send(conn, (reply, max(0, _status_kb("VmHWM") - start_kb) / 1024))
    except MemoryError:
        conn.send((pickle.dumps((("memory",), 0.0)), []))
    conn.close()


def stream(fn, *args, seconds: float = SECONDS, memory_mb: float = MEMORY_MB):
    """Like `call`, for a generator function: yields what `fn(*args)` yields, each item as soon as the child has
    made it, within one time budget for the whole stream. A large result made of pieces (a dataset's images)
    then never exists twice, once in the child and once here.

    >>> list(stream(range, 3))
    [0, 1, 2]
    """
    global last_child_peak_mb
    if _inside or os.environ.get("CONVLAB_READ_IN_PROCESS") == "1":
        yield from fn(*args)
        return
    with _child_process(fn, args, memory_mb, streaming=True) as (receiver, started):
        deadline = started + seconds  # waiting for a reader's turn is not work; starting the child is
        while True:
            reply, peak = _next_reply(receiver, deadline - time.monotonic(), seconds, memory_mb)
            if reply[0] != "item":
                last_child_peak_mb = peak
                if reply[0] == "end":
                    return
                _raise(reply, memory_mb)
            yield reply[1]


@contextlib.contextmanager
def _child_process(fn, args, memory_mb: float, streaming: bool = False):
    """A started child running `fn(*args)`, as the receiving end of its pipe and when it was started (after this
    call's turn among the readers came); killed and reaped on the way out."""
    if not _readers.acquire(timeout=QUEUE_S):
        raise TooLargeError("The server is busy reading other students' files; try again in a minute.")
    try:
        started = time.monotonic()  # the budget counts from here: starting the child and sending it the file count
        context = _get_context()
        receiver, sender = context.Pipe(duplex=False)
        process = context.Process(target=_child, args=(sender, fn, args, memory_mb, streaming), daemon=True)
        try:
            process.start()
        finally:
            sender.close()
        try:
            yield receiver, started
        finally:
            if process.is_alive():
                process.kill()
            process.join(5)
            receiver.close()
    finally:
        _readers.release()


def _next_reply(receiver, wait_s: float, seconds: float, memory_mb: float):
    if not receiver.poll(max(wait_s, 0)):
        raise TooLargeError("Reading this file took more than {seconds} s, so it was stopped and refused (a file built "
                            "to be slow to decode, or too much to read here).", seconds=format(seconds, "g"))
    try:
        return _receive(receiver)
    except (EOFError, OSError):  # the child died: the kernel stopped it, or the decoder itself crashed
        raise TooLargeError("Reading this file stopped the reader (it needed more than {memory_mb} MB of memory, or "
                            "the file is damaged in a way the decoder cannot survive).",
                            memory_mb=format(memory_mb, ".0f")) from None


def _raise(reply, memory_mb: float):
    kind = reply[0]
    if kind == "refused":
        error_type, template, values = reply[1:]
        raise error_type(template, **values)
    if kind == "memory":
        raise TooLargeError("Reading this file needed more than {memory_mb} MB of memory, so it was stopped and "
                            "refused.", memory_mb=format(memory_mb, ".0f"))
    raise ReaderCrashed(reply[1], reply[2])  # a bug, not a bad file: never shown as the user's mistake


def call(fn, *args, seconds: float = SECONDS, memory_mb: float = MEMORY_MB):
    """`fn(*args)` in a child process, within `seconds` and `memory_mb` of added writable memory. Returns its
    result or raises its `ConvLabError` (same class, same message); a child stopped by a budget is a
    `TooLargeError` that says which budget. `fn` and its arguments must be picklable (module-level functions),
    and a script that calls this at import time needs the `if __name__ == "__main__":` guard that multiprocessing
    asks of every script.

    With CONVLAB_READ_IN_PROCESS=1 (a debugger, a platform without processes) it runs in this process,
    unbounded.

    >>> call(divmod, 7, 2)
    (3, 1)
    """
    global last_child_peak_mb
    if _inside or os.environ.get("CONVLAB_READ_IN_PROCESS") == "1":
        return fn(*args)
    with _child_process(fn, args, memory_mb) as (receiver, started):
        reply, last_child_peak_mb = _next_reply(receiver, started + seconds - time.monotonic(), seconds, memory_mb)
    if reply[0] == "ok":
        return reply[1]
    _raise(reply, memory_mb)
