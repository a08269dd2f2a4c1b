"""axe-core in the browser on every page and every tab, in English and Korean, idle and while training: no critical
or serious violation. Then what axe cannot judge: images described in the user's language, the keyboard's focus
after Play, and charts that add no toolbar stops to the Tab order."""
import re

import pytest

from tests.e2e.conftest import served, wait_for_app, wait_for_charts
from tests.e2e.test_browser import no_exceptions

pytestmark = pytest.mark.browser

TABS = {"": [""],
        "kernels": ["pipe", "closer", "numbers", "shapes", "check"],
        "upsampling": ["1d", "scatter", "matrix", "checkerboard", "deconv", "decoders"],
        "detection": ["boxes", "yolo", "anchors", "nms", "losses", "segmentation", "iou"],
        "train": ["model=ae", "model=vae", "model=dcgan"],
        "learn": ["kernels", "maps", "layers", "mistakes", "net=own"]}
VIEWS = [f"{page}?{tab if '=' in tab else 'tab=' + tab}" if tab else page for page, tabs in TABS.items()
         for tab in tabs]
# where axe runs while a network trains, and what shows that it has drawn what it learned
SAMPLES, CHART = "[data-testid='stMain'] img", ".js-plotly-plot .main-svg"
TRAINING = [("train?model=ae", SAMPLES), ("train?model=vae", CHART), ("train?model=dcgan", SAMPLES),
            ("learn?tab=kernels", CHART)]
HANGUL = re.compile("[\uac00-\ud7a3]")


@pytest.fixture(scope="module")
def a11y_server(browser):
    with served({"CONVLAB_OFFLINE": "1", "CONVLAB_MAX_TRAININGS": "4"}) as url:
        yield url


@pytest.fixture(scope="module")
def axe():
    from axe_playwright_python.sync_playwright import Axe
    return Axe()


def serious(axe, pg) -> list[str]:
    """The critical and serious violations on the page, one line each with the first offending element."""
    found = axe.run(pg).response["violations"]
    return [f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): {v['nodes'][0]['html'][:160]}"
            for v in found if v["impact"] in ("critical", "serious")]


def open_view(pg, url: str) -> None:
    pg.goto(url)
    wait_for_app(pg, timeout=180_000)
    wait_for_charts(pg)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_no_serious_violation_on_any_page_or_tab_while_idle(a11y_server, browser, axe, lang):
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    pg = context.new_page()
    found = {}
    for view in VIEWS:
        url = f"{a11y_server}/{view}" + ("&" if "?" in view else "?") + f"lang={lang}&data=builtin"
        open_view(pg, url)
        no_exceptions(pg)
        assert pg.evaluate("document.documentElement.lang") == lang, view
        if problems := serious(axe, pg):
            found[view] = problems
    context.close()
    assert not found, found


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_no_serious_violation_while_a_network_trains(a11y_server, browser, axe, lang):
    from ui.i18n import catalog
    play, stop = catalog(lang).gettext("Play"), catalog(lang).gettext("Stop")
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    found = {}
    for view, shown in TRAINING:
        pg = context.new_page()
        open_view(pg, f"{a11y_server}/{view}&lang={lang}&data=builtin&secs=60")
        pg.get_by_role("button", name=play, exact=True).click()
        pg.wait_for_selector(shown, timeout=240_000)
        wait_for_charts(pg)
        if problems := serious(axe, pg):
            found[view] = problems
        alts = pg.eval_on_selector_all("[data-testid='stMain'] img", "imgs => imgs.map(i => i.alt)")
        assert all(alt.strip() for alt in alts), (view, alts)
        if lang == "ko":
            assert all(HANGUL.search(alt) for alt in alts), (view, alts)
        stop_training(pg, stop)
        no_exceptions(pg)
        pg.close()
    context.close()
    assert not found, found


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_image_says_what_it_shows_in_the_user_s_language(a11y_server, page, lang):
    for view in ("", "kernels", "kernels?tab=closer"):
        open_view(page, f"{a11y_server}/{view}" + ("&" if "?" in view else "?") + f"lang={lang}")
        alts = page.eval_on_selector_all("img", "imgs => imgs.map(i => i.alt)")
        assert alts and all(alt.strip() for alt in alts), (view, alts)
        if lang == "ko":
            assert all(HANGUL.search(alt) for alt in alts), (view, alts)
    assert any("Edge" in alt or "윤곽선" in alt for alt in alts), alts  # the kernel is named


def stop_training(pg, stop: str) -> None:
    """Stop, and see it stopped: a click that lands while the page reruns can be lost, and a training left running
    would take a core from the tests after this one."""
    for _ in range(3):
        button = pg.get_by_role("button", name=stop, exact=True)
        if button.is_disabled():
            return
        button.click()
        try:
            pg.wait_for_function("b => b.disabled", arg=button.element_handle(), timeout=10_000)
            return
        except Exception:
            continue


def test_focus_stays_on_the_controls_after_play(a11y_server, page):
    """Play disables itself: the keyboard's focus moves to the next button of its row (Pause), not to the page."""
    open_view(page, f"{a11y_server}/train?model=ae&data=builtin&secs=600")
    page.wait_for_selector('h2:has-text("Idle")', timeout=120_000)
    play = page.get_by_role("button", name="Play", exact=True)
    page.wait_for_function("() => [...document.querySelectorAll('button')].some(b => b.innerText.endsWith('Play') "
                           "&& !b.disabled)", timeout=30_000)
    play.focus()
    assert page.evaluate("document.activeElement.innerText").endswith("Play")
    page.keyboard.press("Enter")
    page.wait_for_selector('h2:has-text("Running")', timeout=120_000)
    page.wait_for_function("() => (document.activeElement.innerText || '').endsWith('Pause')", timeout=10_000)
    stop_training(page, "Stop")


def test_charts_add_no_toolbar_stops_to_the_tab_order(a11y_server, page):
    open_view(page, f"{a11y_server}/upsampling?tab=checkerboard")
    charts = page.locator(".js-plotly-plot").count()
    assert charts >= 3
    focusable = page.evaluate("""() => [...document.querySelectorAll('.js-plotly-plot a, .js-plotly-plot button')]
        .filter(e => e.tabIndex >= 0 && e.offsetParent !== null).length""")
    assert focusable == 0, focusable


def test_wide_code_can_be_scrolled_with_the_keyboard(a11y_server, page):
    page.set_viewport_size({"width": 390, "height": 844})
    open_view(page, f"{a11y_server}/detection?tab=yolo")
    unreachable = page.evaluate("""() => [...document.querySelectorAll('pre, .katex-display')]
        .filter(e => e.scrollWidth > e.clientWidth + 1 && e.tabIndex < 0).length""")
    assert unreachable == 0
