"""ui.shell: page runs take turns (one at a time, in arrival order, never held up longer than the wait); the REPL
check a running server skips."""
import threading
import time

import pytest
from streamlit.runtime.scriptrunner_utils.exceptions import RerunException, StopException

from ui import shell


def turn_is_free() -> bool:
    if shell._turn.acquire(timeout=0):
        shell._turn.release()
        return True
    return False


def test_runs_take_turns_in_arrival_order():
    log, threads = [], []

    def run(i):
        with shell.taking_turns(wait_s=10):
            log.append(("start", i))
            time.sleep(0.03)
            log.append(("end", i))

    for i in range(6):
        threads.append(threading.Thread(target=run, args=(i,)))
        threads[-1].start()
        time.sleep(0.005)  # arrival order 0, 1, 2, ...
    for thread in threads:
        thread.join(10)
    assert log == [(event, i) for i in range(6) for event in ("start", "end")]  # no overlap, first come first served
    assert turn_is_free()


def test_a_run_that_has_waited_long_enough_goes_ahead():
    holding, release = threading.Event(), threading.Event()

    def slow():
        with shell.taking_turns():
            holding.set()
            release.wait(10)

    thread = threading.Thread(target=slow)
    thread.start()
    holding.wait(10)
    start = time.perf_counter()
    with shell.taking_turns(wait_s=0.2):
        waited = time.perf_counter() - start
    release.set()
    thread.join(10)
    assert 0.15 < waited < 2
    assert turn_is_free()


@pytest.mark.parametrize("stop", [ValueError("a page error"), StopException(), RerunException(None)])
def test_the_turn_is_given_back_however_a_run_ends(stop):
    with pytest.raises(type(stop)):
        with shell.taking_turns():
            raise stop
    assert turn_is_free()


def test_a_released_turn_goes_to_the_longest_waiter_not_to_a_newcomer():
    """A plain semaphore lets a run that arrives at the moment of release take the turn before the one that has
    been waiting: under a class's steady clicks some runs were overtaken again and again (the slow tail)."""
    got = []
    assert shell._turn.acquire(timeout=1)
    waiter = threading.Thread(target=lambda: (shell._turn.acquire(timeout=10), got.append("waiter"),
                                              shell._turn.release()))
    waiter.start()
    time.sleep(0.2)  # the waiter is queued
    shell._turn.release()
    if shell._turn.acquire(timeout=0):  # a newcomer, at once
        got.append("newcomer")
        shell._turn.release()
    waiter.join(10)
    assert got == ["waiter"]
    assert turn_is_free()


def test_reading_an_upload_gives_the_turn_away_while_it_waits():
    """A slow upload (here 1.5 s in engine.bounded's child) must not hold up another session's run: while the
    first run waits for the reader, the second takes the turn at once; the first takes a turn again after."""
    from tests.unit.test_uploads import FakeUpload, slow_read
    from ui import uploads

    reading, waited, results = threading.Event(), [], []

    def slow_upload():
        with shell.taking_turns(wait_s=10):
            reading.set()
            results.append(uploads.parse_once(FakeUpload(b"xyz", "slow-1"), slow_read, 1.5))

    first = threading.Thread(target=slow_upload)
    first.start()
    reading.wait(10)
    time.sleep(0.2)  # the reader is running now
    with shell.taking_turns(wait_s=10):
        waited.append(list(results))  # what the first run had read when this one got its turn
    first.join(10)
    assert results == [3], "the upload was read"
    assert waited == [[]], "the second run got its turn only after the upload was read"
    assert turn_is_free()


def test_outside_turn_takes_a_turn_again_and_gives_it_back_once():
    with shell.taking_turns(wait_s=1):
        with shell.outside_turn():
            assert turn_is_free()  # given away while the work runs
        assert not turn_is_free()  # held again for the rest of the run
    assert turn_is_free()
    with shell.outside_turn():  # outside any run (a script, a test): nothing to give away
        pass
    assert turn_is_free()
