"""ui.uploads: a parsed upload is kept once per session and upload, bounded in bytes per session and for the
whole server, and let go as soon as its session ends."""
import numpy as np
import pytest

from engine.errors import InputError
from ui import uploads


class FakeUpload:
    def __init__(self, data: bytes, file_id: str):
        self.data, self.file_id, self.name = data, file_id, file_id

    def getvalue(self) -> bytes:
        return self.data


MB = 2**20


def slow_read(data: bytes, seconds: float) -> int:
    """A reader that takes `seconds` in engine.bounded's child process, as a slow upload does."""
    import time

    from engine import bounded
    bounded.call(time.sleep, seconds)
    return len(data)


def megabytes_of(n: int) -> np.ndarray:
    return np.zeros(n * MB, np.uint8)


def test_a_session_keeps_at_most_its_share_and_the_newest_stays():
    store = uploads.UploadStore(session_bytes=10 * MB, total_bytes=100 * MB)
    for i in range(5):
        store.put("a", i, True, megabytes_of(4))
    assert store.bytes_held("a") <= 10 * MB
    assert store.get("a", 4) is not None and store.get("a", 0) is None  # oldest went first
    assert store.get("a", 3) is not None and store.bytes_held("a") == 8 * MB  # and no more than needed
    store.put("a", "huge", True, megabytes_of(30))  # alone above the share: kept, it is what the page shows
    assert store.get("a", "huge") is not None and store.bytes_held("a") == 30 * MB


def test_the_server_total_is_bounded_whatever_the_number_of_sessions():
    store = uploads.UploadStore(session_bytes=10 * MB, total_bytes=40 * MB)
    for session in range(50):
        store.put(f"s{session}", "file", True, megabytes_of(8))
    assert store.bytes_held() <= 40 * MB
    assert store.get("s49", "file") is not None and store.get("s0", "file") is None


def test_a_used_entry_is_kept_before_older_ones():
    store = uploads.UploadStore(session_bytes=100 * MB, total_bytes=20 * MB)
    store.put("a", 1, True, megabytes_of(8))
    store.put("b", 2, True, megabytes_of(8))
    assert store.get("a", 1) is not None  # a rerun of session a reads it: now the most recently used
    store.put("c", 3, True, megabytes_of(8))
    assert store.get("a", 1) is not None and store.get("b", 2) is None


def test_the_entries_of_an_ended_session_go():
    active = {"a", "b"}
    store = uploads.UploadStore(is_active=lambda session: session in active)
    store.put("a", 1, True, megabytes_of(1))
    store.put("b", 1, True, megabytes_of(1))
    active.discard("a")  # tab closed
    assert store.prune() == 1
    assert store.get("a", 1) is None and store.get("b", 1) is not None


def test_the_pruner_runs_by_itself_and_stops_when_nothing_is_held(monkeypatch):
    import time
    monkeypatch.setattr(uploads, "PRUNE_EVERY_S", 0.05)
    active = {"a"}
    store = uploads.UploadStore(is_active=lambda session: session in active)
    store.put("a", 1, True, megabytes_of(1))
    active.clear()
    deadline = time.monotonic() + 5
    while store.bytes_held() and time.monotonic() < deadline:
        time.sleep(0.02)
    assert store.bytes_held() == 0
    store._pruner.join(2)
    assert not store._pruner.is_alive()


def test_parse_once_parses_once_and_keeps_the_refusal(monkeypatch):
    monkeypatch.setattr(uploads, "_store", uploads.UploadStore())
    calls = []

    def parse(data, scale):
        calls.append(data)
        if data == b"bad":
            raise InputError("Bad file {scale}.", scale=scale)
        return np.frombuffer(data, np.uint8) * scale

    good = FakeUpload(b"\x01\x02", "good")
    assert uploads.parse_once(good, parse, 3).tolist() == [3, 6]
    assert uploads.parse_once(good, parse, 3).tolist() == [3, 6]
    for _ in range(2):
        with pytest.raises(uploads.Refused, match="Bad file 2."):
            uploads.parse_once(FakeUpload(b"bad", "bad"), parse, 2)
    assert calls == [b"\x01\x02", b"bad"]


def test_nbytes_counts_a_datasets_arrays():
    from engine import data
    x = np.zeros((30, 28, 28, 1), np.float32)
    ds = data.Dataset("d", x[3:], np.zeros(27, np.int64), x[:3], np.zeros(3, np.int64))
    assert uploads.nbytes(ds) >= x.nbytes + 30 * 8


def test_readers_take_turns_so_thirty_uploads_do_not_take_thirty_budgets(monkeypatch):
    """At most MAX_READERS children read at once (each may use 450 MB): with one reader, a second read starts only
    when the first has ended. Their order is checked from the children's own clocks, not from a timing."""
    import threading

    from engine import bounded
    monkeypatch.setattr(bounded, "_readers", threading.BoundedSemaphore(1))
    spans = []
    reads = [threading.Thread(target=lambda: spans.append(bounded.call(timed_sleep, 0.5))) for _ in range(2)]
    for read in reads:
        read.start()
    for read in reads:
        read.join(30)
    (start1, end1), (start2, end2) = sorted(spans)
    assert start2 >= end1, "the second reader ran while the first was still reading"


def timed_sleep(seconds: float) -> tuple[float, float]:
    import time
    start = time.time()
    time.sleep(seconds)
    return start, time.time()
