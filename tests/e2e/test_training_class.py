"""A class on one server, in a real browser: Step from idle, a fair queue between tabs, watching a shared run,
the offline notice. One server of its own (two training slots, offline), so the other browser tests keep theirs."""
import re
import time

import pytest

from tests.e2e.conftest import screenshot, served, wait_for_app
from tests.e2e.test_browser import no_exceptions, step_count

pytestmark = pytest.mark.browser
SLOTS = 2


@pytest.fixture(scope="module")
def class_server(browser):
    with served({"CONVLAB_MAX_TRAININGS": str(SLOTS), "CONVLAB_OFFLINE": "1"}) as url:
        yield url


def status(pg) -> str:
    return " ".join(pg.locator("h2").all_inner_texts())


def wait_until(pg, predicate, timeout_s: float, what: str):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return time.monotonic()
        pg.wait_for_timeout(300)
    screenshot(pg, "class-" + re.sub(r"\W+", "-", what))
    alerts = pg.locator('[data-testid="stAlert"]').all_inner_texts()
    raise AssertionError(f"{what}: status {status(pg)!r}, alerts {alerts}")


def start_training(pg, steps: int = 3):
    pg.wait_for_selector('h2:has-text("Idle")', timeout=120_000)
    play = pg.get_by_role("button", name="Play")
    for attempt in range(3):  # a click Streamlit's page drops (seldom, on a loaded machine) leaves the run idle
        play.click()
        if hasattr(pg, "convlab_note"):  # a tab from `tabs`: a failed test's report shows when
            pg.convlab_note("Play pressed")
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and "Idle" in status(pg):
            pg.wait_for_timeout(300)
        if "Idle" not in status(pg) or play.is_disabled():  # disabled: the press was taken, a worker is to start it
            break
        print(f"Play press {attempt + 1} left the run idle: pressed again")
    wait_until(pg, lambda: step_count(pg) >= steps, 240, "training did not start")


def test_step_from_idle_enables_the_buttons_and_shows_that_step(class_server, tabs):
    pg = tabs(f"{class_server}/train?data=builtin&model=ae")
    pg.wait_for_selector('h2:has-text("Idle")', timeout=120_000)
    pg.get_by_role("button", name="Step", exact=True).click()
    wait_until(pg, lambda: step_count(pg) == 1 and "Paused" in status(pg)
               and pg.get_by_role("button", name="Play").is_enabled()
               and pg.get_by_role("button", name="Step", exact=True).is_enabled(), 240, "step from idle")
    pg.wait_for_selector("text=Reconstructions at step 1", timeout=10_000)  # this step's samples, not older ones
    pg.get_by_role("button", name="Step", exact=True).click()
    wait_until(pg, lambda: step_count(pg) == 2 and pg.get_by_role("button", name="Play").is_enabled(), 60,
               "second step")
    pg.wait_for_selector("text=Reconstructions at step 2", timeout=10_000)
    no_exceptions(pg)
    pg.get_by_role("button", name="Stop").click()
    pg.wait_for_selector('h2:has-text("Stopped")', timeout=30_000)


def test_offline_notice_says_what_happened(class_server, tabs):
    pg = tabs(f"{class_server}/train?model=ae")  # MNIST asked for, the server is offline
    start_training(pg, steps=1)
    notice = "Offline: MNIST digits could not be downloaded, so this trains on the bundled 10,000 MNIST test digits."
    pg.wait_for_selector(f"text={notice}", timeout=30_000)
    assert "Exception" not in " ".join(pg.locator('[data-testid="stAlert"]').all_inner_texts())
    pg.get_by_role("button", name="Stop").click()
    pg.wait_for_selector('h2:has-text("Stopped")', timeout=30_000)


def test_two_paused_tabs_then_a_third_user_trains_within_a_minute(class_server, tabs):
    url = f"{class_server}/train?data=builtin&model=ae&secs=600"
    first, second = tabs(url), tabs(url)
    for pg in (first, second):
        start_training(pg)
        pg.get_by_role("button", name="Pause").click()
        pg.wait_for_selector('h2:has-text("Paused")', timeout=30_000)
    paused_at = time.monotonic()
    third = tabs(url)
    third.wait_for_selector('h2:has-text("Idle")', timeout=120_000)
    third.get_by_role("button", name="Play").click()
    third.wait_for_selector("text=you are number 1 in line", timeout=30_000)
    notice = third.locator('[data-testid="stAlert"]', has_text="in line").inner_text()
    assert "2 slots, 0 train now and 2 are paused" in notice, notice  # who holds the slots, and in what state
    seconds = int(re.search(r"gives its slot back in (\d+) s", notice).group(1))
    assert 0 <= seconds <= 60 and re.search(r"Estimated wait: about \d+ s", notice), notice
    screenshot(third, "class-queued")
    # the queue hands the slot over when the first pause is 60 s old; building the model then takes a few seconds
    started = wait_until(third, lambda: "Queued" not in status(third), 120, "third user never left the line")
    assert started - paused_at <= 60 + 10, f"the third user waited {started - paused_at:.0f} s after the pauses"
    wait_until(third, lambda: step_count(third) >= 1, 120, "third user never trained")
    assert "Paused" in status(first) and "Paused" in status(second)  # paused, not thrown away
    first.wait_for_selector("text=gave its slot back for the class", timeout=15_000)  # and told so
    # a paused user who presses Play again joins the line behind the running one
    first.get_by_role("button", name="Play").click()
    wait_until(first, lambda: "Running" in status(first) or "in line" in first.inner_text("body"), 30,
               "paused user could not resume or queue")
    for pg in (first, second, third):
        no_exceptions(pg)


def test_a_closed_tab_frees_its_slot_at_once(class_server, tabs, browser):
    url = f"{class_server}/train?data=builtin&model=ae&secs=600"
    holders = [tabs(url) for _ in range(SLOTS)]
    for pg in holders:
        start_training(pg)
    waiting = tabs(url)
    waiting.wait_for_selector('h2:has-text("Idle")', timeout=120_000)
    waiting.get_by_role("button", name="Play").click()
    waiting.wait_for_selector("text=in line", timeout=30_000)
    closed_at = time.monotonic()
    holders[0].context.close()
    started = wait_until(waiting, lambda: "Queued" not in status(waiting), 120, "closed tab kept its slot")
    assert started - closed_at <= 15, f"the waiting user started {started - closed_at:.0f} s after the tab closed"
    wait_until(waiting, lambda: step_count(waiting) >= 1, 120, "waiting user never trained")
    for pg in holders[1:] + [waiting]:
        pg.get_by_role("button", name="Stop").click()


def test_a_watcher_sees_the_teachers_samples_update(class_server, tabs):
    teacher = tabs(f"{class_server}/train?data=builtin&model=dcgan&secs=600")
    start_training(teacher, steps=2)
    teacher.get_by_role("button", name="Share this run").click()
    link = teacher.locator('[data-testid="stPopoverBody"] code').first.inner_text().strip()
    assert "watch=" in link, link
    watcher = tabs(link.replace("localhost", "127.0.0.1"))
    watcher.wait_for_selector("text=You are watching a shared run live", timeout=60_000)
    assert watcher.get_by_role("button", name="Play").count() == 0, "a watcher must not control the run"
    assert watcher.get_by_role("button", name="Pause").count() == 0
    caption = r"Generated from fixed noise at step (\d+)"

    def shown_step():
        match = re.search(caption, watcher.inner_text("body"))
        return int(match.group(1)) if match else -1
    wait_until(watcher, lambda: shown_step() >= 0, 60, "watcher sees no samples")
    first = shown_step()
    wait_until(watcher, lambda: shown_step() > first, 60, "watcher's samples did not update")
    screenshot(watcher, "class-watcher")
    no_exceptions(watcher)
    teacher.get_by_role("button", name="Pause").click()
    teacher.wait_for_selector('h2:has-text("Paused")', timeout=30_000)
    watcher.wait_for_selector('h2:has-text("Paused")', timeout=30_000)  # the watcher follows the teacher's run
    teacher.get_by_role("button", name="Stop").click()
    watcher.wait_for_selector('h2:has-text("Stopped")', timeout=30_000)
    # Reset starts a new run under the same link: the open watch tab moves to it within a few seconds
    teacher.get_by_role("button", name="Reset", exact=True).click()
    teacher.wait_for_selector('h2:has-text("Idle")', timeout=30_000)
    watcher.wait_for_selector('h2:has-text("Idle")', timeout=15_000)
    start_training(teacher, steps=2)
    wait_until(watcher, lambda: step_count(watcher) >= 1, 60, "watcher did not follow the new run")
    no_exceptions(watcher)
    teacher.get_by_role("button", name="Stop").click()


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_on_a_projector_the_training_samples_and_loss_are_on_the_first_screen(class_server, browser, lang):
    """Presenter mode at 1280x720 while a DCGAN trains: the generated samples' top edge and the loss curve's top
    edge are inside the first screen, with the controls (the status and its figures share one line)."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    pg = context.new_page()
    pg.goto(f"{class_server}/train?data=builtin&model=dcgan&secs=600&present=1&lang={lang}")
    wait_for_app(pg, timeout=120_000)
    pg.locator('[data-testid="stBaseButton-primary"]').first.click()  # Play, in either language
    samples = pg.locator('[data-testid="stImage"] img').first
    samples.wait_for(timeout=240_000)
    pg.wait_for_selector(".js-plotly-plot .main-svg", timeout=60_000)
    pg.wait_for_timeout(2500)  # one more redraw of the live view
    image, curve = samples.bounding_box(), pg.locator(".js-plotly-plot").first.bounding_box()
    play = pg.locator('[data-testid="stBaseButton-primary"]').first.bounding_box()
    screenshot(pg, f"class-presenter-dcgan-{lang}")
    assert image and 0 <= image["y"] < 720 - 100, image  # at least 100 px of the samples show
    assert curve and 0 <= curve["y"] < 720 - 100, curve
    assert play and 0 <= play["y"] < image["y"], play
    no_exceptions(pg)
    pg.locator('[data-testid="stBaseButton-secondary"]', has_text="Stop" if lang == "en" else "정지").first.click()
    context.close()


def test_on_a_projector_the_learned_kernels_and_accuracy_are_on_the_first_screen(class_server, browser):
    """What a network learns, presenter mode at 1280x720 while the CNN trains: the learned kernels beside their
    presets start on the first screen, across it, and the status line carries the held-out accuracy."""
    context = browser.new_context(viewport={"width": 1280, "height": 720})
    pg = context.new_page()
    pg.goto(f"{class_server}/learn?data=builtin&secs=600&present=1")
    wait_for_app(pg, timeout=120_000)
    pg.get_by_role("button", name="Play").click()
    pg.wait_for_selector(".js-plotly-plot .main-svg", timeout=240_000)
    pg.wait_for_timeout(2500)
    kernels = None
    for _ in range(10):  # the live view redraws every few seconds: a chart being replaced has no box for a moment
        kernels = pg.locator(".js-plotly-plot").first.bounding_box()
        if kernels:
            break
        pg.wait_for_timeout(300)
    screenshot(pg, "class-presenter-learn")
    assert kernels and 0 <= kernels["y"] < 720 - 200 and kernels["width"] >= 900, kernels  # across the first screen
    # the status line carries the key figures
    assert "Held-out accuracy" in pg.locator(".st-key-status-compact h2").first.inner_text()
    no_exceptions(pg)
    pg.get_by_role("button", name="Stop").click()
    context.close()
