"""A lecture hall in a real browser: two Streamlit replicas behind a real nginx, a real redis-server and a training
worker (scripts/hall.py's Stack, on loopback). A watcher on one replica follows a run started on another; a
replica, a worker and Redis are killed in the middle of a class."""
import re
import shutil
import signal
import subprocess
import time

import pytest

from engine import hall
from tests import services
from tests.e2e.conftest import failed, screenshot
from tests.e2e.test_browser import no_exceptions, step_count
from tests.e2e.test_training_class import start_training, status, wait_until

pytestmark = pytest.mark.browser
hall_script = services.hall_script()


@pytest.fixture(scope="module")
def stack(browser):
    for program in ("redis-server", "nginx"):
        if not services.have(program):
            pytest.fail(f"{program} is missing (scripts/test.sh installs it)", pytrace=False)
    hall = hall_script.Stack(replicas=2, workers=1, port=services.free_port(), listen_address="127.0.0.1",
                             env={"CONVLAB_OFFLINE": "1"}).start()
    yield hall
    hall.stop()


@pytest.fixture(autouse=True)
def processes_told_on_failure(stack, request):
    """A failed test prints what each process of the stack wrote last (the worker's and replicas' own logs)."""
    yield
    if failed(request):
        for name in [*sorted(stack.processes), "error", "access"]:  # the last two: nginx's own logs
            print(f"--- {name} ---\n{stack.log_tail(name, 80 if name == 'access' else 40)}")
        print(f"--- Redis ---\n{shared_state(stack)}")
        if shutil.which("py-spy"):  # where each Python process is now (a page run that hangs says where)
            for name, process in sorted(stack.processes.items()):
                if name.startswith(("replica", "worker")) and process.poll() is None:
                    dump = subprocess.run(["py-spy", "dump", "--pid", str(process.pid)], capture_output=True,
                                          text=True, timeout=60)
                    print(f"--- {name}'s threads ---\n{dump.stdout}{dump.stderr}")


def shared_state(stack) -> str:
    """What the hall shares in Redis, key by key (a snapshot as its status and step), for a failed test's report."""
    import redis
    try:
        r = redis.Redis.from_url(stack.redis_url, socket_timeout=2)
        lines = []
        for key in sorted(r.scan_iter(match=f"{hall.PREFIX}:*")):
            kind, ttl = r.type(key).decode(), r.pttl(key)
            if kind == "list":
                value = [raw[:80] for raw in r.lrange(key, 0, -1)]
            elif kind == "hash":
                value = {k: v[:60] for k, v in r.hgetall(key).items()}
            elif key.endswith(b":snap"):
                snap = hall.unpack(r.get(key))
                value = {k: snap.get(k) for k in ("status", "step", "message", "pending", "gave_slot_back")}
            else:
                value = r.get(key)[:120]
            lines.append(f"{key.decode()} ({kind}, ttl {ttl} ms): {value}")
        return "\n".join(lines)
    except Exception as exc:  # noqa: BLE001  (a report of a failure must not fail)
        return f"(Redis could not be read: {exc!r})"


IMAGES_SHOWN_JS = "() => [...document.querySelectorAll('[data-testid=\"stMain\"] img')].every(i => i.naturalWidth > 0)"


def press_until(page, key: str, done, what: str, timeout_s: float = 90) -> None:
    stride = page.locator('[data-testid="stSidebar"] input[type="range"][aria-label="Stride"]')
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if stride.count():
            stride.focus()
            stride.press(key)
        for _ in range(10):
            page.wait_for_timeout(500)
            if done():
                return
    screenshot(page, "hall-" + re.sub(r"\W+", "-", what))
    raise AssertionError(f"{what}: {page.url}")


def healed(stack, name: str) -> None:
    """Start `name` again and wait until the stack answers as before."""
    stack.restart(name)
    index = name.partition("-")[2]
    url = f"{stack.replica_url(int(index))}/_stcore/health" if name.startswith("replica") else None
    deadline = time.monotonic() + 60
    while url and not hall_script.healthy(url) and time.monotonic() < deadline:
        time.sleep(0.3)
    if url:  # nginx tries a replica that failed again only after its fail_timeout (5 s, scripts/hall.py)
        time.sleep(5)


def test_a_watcher_on_another_replica_follows_the_run_and_keeps_it_after_the_owners_replica_dies(stack, tabs):
    teacher = tabs(f"{stack.replica_url(0)}/train?data=builtin&model=ae&secs=600")
    start_training(teacher, steps=3)
    teacher.get_by_role("button", name="Share this run").click()
    link = teacher.locator('[data-testid="stPopoverBody"] code').first.inner_text().strip()
    run_id = re.search(r"watch=([\w-]+)", link).group(1)
    watcher = tabs(f"{stack.replica_url(1)}/train?watch={run_id}")
    watcher.wait_for_selector("text=You are watching a shared run live", timeout=60_000)
    wait_until(watcher, lambda: step_count(watcher) >= 3, 60, "watcher on the other replica sees no steps")
    watcher.wait_for_selector("text=Reconstructions at step", timeout=60_000)  # samples from the feed, not media
    first = step_count(watcher)
    wait_until(watcher, lambda: step_count(watcher) > first, 30, "watcher's steps did not advance")
    teacher.get_by_role("button", name="Pause").click()
    watcher.wait_for_selector('h2:has-text("Paused")', timeout=30_000)
    teacher.get_by_role("button", name="Play").click()
    watcher.wait_for_selector('h2:has-text("Running")', timeout=30_000)
    # the teacher's replica dies: the worker goes on, the watcher on the other replica goes on seeing it
    stack.kill("replica-0")
    killed_at = step_count(watcher)
    wait_until(watcher, lambda: step_count(watcher) > killed_at, 30, "the run stopped with its owner's replica")
    screenshot(watcher, "hall-watcher-after-owner-replica-died")
    no_exceptions(watcher)
    # with its owner's tab gone for good, the run stops and says why, on every replica
    watcher.wait_for_selector('h2:has-text("Stopped")', timeout=60_000)
    healed(stack, "replica-0")


def test_a_student_whose_replica_dies_reconnects_through_the_proxy_to_the_same_view(stack, tabs):
    page = tabs(f"{stack.url}/kernels?kernel=emboss&stride=2&boundary=wrap")
    assert "relief effect" in page.locator('[data-testid="stSidebar"]').inner_text()
    for victim in ("replica-0", "replica-1"):  # one of the two holds this student's session
        stack.kill(victim)
        # a key pressed while the browser reconnects is dropped with the old socket: pressed again until the page,
        # on whichever replica it reached, answers with the next view
        press_until(page, "ArrowRight", lambda: "stride=3" in page.url, f"the page does not answer after {victim} died")
        assert "kernel=emboss" in page.url and "boundary=wrap" in page.url
        assert "relief effect" in page.locator('[data-testid="stSidebar"]').inner_text()
        wait_until(page, lambda: page.evaluate(IMAGES_SHOWN_JS), 30, "images from the new replica")
        press_until(page, "ArrowLeft", lambda: "stride=2" in page.url, "slider back")
        healed(stack, victim)
    no_exceptions(page)


def test_a_teacher_whose_replica_dies_keeps_their_training_on_the_replica_the_proxy_moves_them_to(stack, tabs):
    """The teacher's tab goes through the proxy (its sticky cookie names the browser). Each replica is killed in
    turn, so the one that holds the teacher's session is among them: the tab reconnects to the other replica as a
    new session, which takes the run back before the worker would take the tab for closed."""
    teacher = tabs(f"{stack.url}/train?data=builtin&model=ae&secs=600")
    start_training(teacher, steps=3)
    for victim in ("replica-0", "replica-1"):
        before = step_count(teacher)
        stack.kill(victim)
        teacher.wait_for_timeout((hall.OWNER_TTL_S + 3) * 1000)  # past the time a run without its tab is stopped
        wait_until(teacher, lambda at=before: "Running" in status(teacher) and step_count(teacher) > at, 60,
                   f"the teacher's training after {victim} died")
        teacher.get_by_role("button", name="Pause").click()  # the controls reach the run from the new replica
        teacher.wait_for_selector('h2:has-text("Paused")', timeout=30_000)
        teacher.get_by_role("button", name="Play").click()
        teacher.wait_for_selector('h2:has-text("Running")', timeout=30_000)
        healed(stack, victim)
    screenshot(teacher, "hall-teacher-after-replica-died")
    teacher.get_by_role("button", name="Stop").click()
    teacher.wait_for_selector('h2:has-text("Stopped")', timeout=30_000)
    no_exceptions(teacher)


def test_a_dead_worker_is_reported_and_redis_restarting_stops_nothing(stack, tabs):
    page = tabs(f"{stack.url}/train?data=builtin&model=ae&secs=600")
    start_training(page, steps=3)
    stack.kill("redis")  # Redis restarts empty: pages and the worker reconnect by themselves
    page.wait_for_timeout(1500)
    healed(stack, "redis")
    before = step_count(page)
    wait_until(page, lambda: step_count(page) > before and "Running" in status(page), 60,
               "training not seen again after Redis restarted")
    stack.kill("worker-0", signal.SIGKILL)
    wait_until(page, lambda: "stopped answering" in page.inner_text("body"), 30, "a dead worker is not reported")
    screenshot(page, "hall-worker-lost")
    healed(stack, "worker-0")
    page.get_by_role("button", name="Reset", exact=True).click()
    start_training(page, steps=2)  # a new worker takes the next training
    page.get_by_role("button", name="Stop").click()
    page.wait_for_selector('h2:has-text("Stopped")', timeout=30_000)
    no_exceptions(page)
