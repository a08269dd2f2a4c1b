"""The training pages in a lecture hall (CONVLAB_REDIS_URL), through AppTest: a Redis out of reach is told in words in
both languages, a class with no worker yet is told so, and Play puts the run in the shared line."""
import pytest

from engine import hall
from tests import services
from tests.app.test_pages import errors, open_page


def texts(at) -> str:
    return " ".join(str(e.value) for e in [*at.error, *at.warning, *at.info])


@pytest.fixture
def hall_url(monkeypatch):
    def use(url: str):
        monkeypatch.setenv("CONVLAB_REDIS_URL", url)
        hall.client.cache_clear()
    yield use
    hall.client.cache_clear()


@pytest.mark.parametrize("lang, words", [("en", "cannot be reached"), ("ko", "연결할 수 없습니다")])
@pytest.mark.parametrize("page", ["lessons/train.py", "lessons/learn.py"])
def test_redis_out_of_reach_is_told_not_thrown(hall_url, page, lang, words):
    hall_url(f"redis://127.0.0.1:{services.free_port()}/0")  # nothing listens there
    at = open_page(page, data="builtin", lang=lang)
    assert not errors(at), errors(at)
    assert words in texts(at)


def test_no_worker_yet_play_joins_the_line_and_a_watch_link_reads_the_feed(hall_url):
    if not services.have("redis-server"):
        pytest.skip("redis-server is not installed")
    server = services.RedisServer()
    try:
        hall_url(server.url)
        at = open_page("lessons/train.py", data="builtin", model="ae")
        assert not errors(at), errors(at)
        at.button(key="train.play").click().run()
        assert not errors(at), errors(at)
        assert "No training worker is connected yet" in texts(at)
        assert hall.client().llen(hall.QUEUE) == 1
        run_id = hall.client().lindex(hall.QUEUE, 0).decode().split(".")[0]
        watcher = open_page("lessons/train.py", watch=run_id)
        assert not errors(watcher), errors(watcher)
        assert "You are watching a shared run live" in texts(watcher)
        at.button(key="train.pause").click().run()  # leaves the line at once
        assert hall.client().llen(hall.QUEUE) == 0
        for hostile in ("../x", "convlab:queue", "a" * 80, run_id + "*"):
            assert "not on the server any more" in texts(open_page("lessons/train.py", watch=hostile))
    finally:
        server.stop()


def test_a_page_that_waits_to_take_a_run_back_reruns_on_its_timer_not_in_a_loop(hall_url, monkeypatch):
    """Behind the class's proxy a new page of the same browser waits while the browser's run still beats on its
    tab, then asks again on a timer. Neither that wait nor the page's own Play makes the page rerun itself over
    and over (each run of the page below is one run of the script)."""
    if not services.have("redis-server"):
        pytest.skip("redis-server is not installed")
    from ui import training_controls
    server = services.RedisServer()
    try:
        hall_url(server.url)
        owner = hall.browser_owner("8f14e45fceea167a5a36dedd4bea2543", "train")
        monkeypatch.setattr(training_controls, "browser_owner", lambda page: owner)
        runs = []
        real = training_controls.session_trainer
        monkeypatch.setattr(training_controls, "session_trainer", lambda *a: runs.append(1) or real(*a))
        first = open_page("lessons/train.py", data="builtin", model="ae")
        first.button(key="train.play").click().run()  # in line (no worker): this browser's run, its tab beating
        assert not errors(first), errors(first)
        runs.clear()
        second = open_page("lessons/train.py", data="builtin", model="ae")  # the same browser, a second page
        assert not errors(second), errors(second)
        assert isinstance(hall.adopt(owner), float)  # the first tab's run is held: the second page waits
        assert runs == [1], f"{len(runs)} runs of the page for one"
        runs.clear()
        second.button(key="train.play").click().run(timeout=30)  # now it is the browser's newest run: its own
        assert not errors(second), errors(second)
        assert runs == [1], f"{len(runs)} runs of the page for one"
        assert hall.adopt(owner, own_run=second.session_state["train.trainer"].run_id) is None
    finally:
        server.stop()
