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
