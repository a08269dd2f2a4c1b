"""Presenter mode on a 1280x720 projector, in English and Korean, measured by bounding boxes: each lesson's main
result on the first screen, no title cut off, labels scaled. (Train live and What a network learns are measured
while training in test_training_class.py.)"""
import pytest

from tests.e2e.conftest import served, wait_for_app, wait_for_charts
from tests.e2e.test_browser import no_exceptions

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 1280, 720
# every text box inside an element that is narrower than its text (a title ending in "…" or running out of its box)
CUT_TEXT_JS = """els => els.flatMap(e => [e, ...e.querySelectorAll('*')])
    .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflow !== 'visible')
    .map(e => e.innerText)"""
# Plotly titles wider than their own chart (Plotly does not wrap or clip them: they run into the next chart)
PLOTLY_TITLES_OUTSIDE_JS = """() => [...document.querySelectorAll('.js-plotly-plot')].flatMap(plot => {
    const box = plot.getBoundingClientRect();
    return [...plot.querySelectorAll('.gtitle')].filter(t => t.getBoundingClientRect().right > box.right + 1)
      .map(t => t.textContent); })"""


@pytest.fixture(scope="module")
def projector(browser):
    with served({"CONVLAB_OFFLINE": "1"}) as url:
        context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
        pg = context.new_page()

        def show(view: str, lang: str):
            pg.goto(f"{url}/{view}" + ("&" if "?" in view else "?") + f"present=1&lang={lang}")
            wait_for_app(pg, timeout=180_000)
            wait_for_charts(pg)
            no_exceptions(pg)
            return pg
        yield show
        context.close()


def bottoms(pg, selector: str) -> list[float]:
    return [box["y"] + box["height"] for box in (e.bounding_box() for e in pg.locator(selector).all()) if box]


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_home_cards_show_whole_titles_on_the_first_screen(projector, lang):
    pg = projector("", lang)
    links = pg.locator("[class*='st-key-lesson-card-'] [data-testid='stPageLink']")
    assert links.count() == 5
    assert pg.eval_on_selector_all("[class*='st-key-lesson-card-'] [data-testid='stPageLink']", CUT_TEXT_JS) == []
    assert max(bottoms(pg, "[class*='st-key-lesson-card-'] [data-testid='stPageLink']")) <= HEIGHT


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_kernels_whole_pipeline_on_the_first_screen(projector, lang):
    pg = projector("kernels", lang)
    maps = bottoms(pg, "[data-testid='stMain'] img")
    assert len(maps) >= 4 and max(maps[:4]) <= HEIGHT, maps


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_checkerboard_titles_are_whole(projector, lang):
    pg = projector("upsampling?tab=checkerboard", lang)
    assert pg.locator(".js-plotly-plot").count() == 3
    assert pg.evaluate(PLOTLY_TITLES_OUTSIDE_JS) == []


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_deconvolution_pictures_and_their_psnr_on_the_first_screen(projector, lang):
    pg = projector("upsampling?tab=deconv", lang)
    charts = bottoms(pg, ".js-plotly-plot")
    assert len(charts) == 6 and max(charts) <= HEIGHT, charts
    titles = pg.eval_on_selector_all(".js-plotly-plot .gtitle", "ts => ts.map(t => t.textContent)")
    assert sum("PSNR" in title for title in titles) == 5, titles
    assert pg.evaluate(PLOTLY_TITLES_OUTSIDE_JS) == []


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_segmentation_scores_on_the_first_screen(projector, lang):
    pg = projector("detection?tab=segmentation", lang)
    scores = bottoms(pg, "[data-testid='stMetricValue']")
    assert len(scores) == 5 and max(scores) <= HEIGHT, scores


def test_detection_box_labels_are_scaled_for_the_projector(projector):
    pg = projector("detection", "en")
    sizes = pg.eval_on_selector_all(".js-plotly-plot .annotation-text",
                                    "ts => ts.map(t => parseFloat(getComputedStyle(t).fontSize))")
    assert sizes and min(sizes) >= 16, sizes


def test_on_a_phone_no_chart_toolbar_covers_a_title_and_korean_breaks_between_words(browser):
    with served({"CONVLAB_OFFLINE": "1"}) as url:
        context = browser.new_context(viewport={"width": 390, "height": 844})
        pg = context.new_page()
        pg.goto(f"{url}/upsampling?tab=checkerboard&lang=ko")
        wait_for_app(pg, timeout=180_000)
        wait_for_charts(pg)
        shown = pg.eval_on_selector_all(".modebar-container", "bars => bars.filter(b => b.offsetParent !== null)"
                                                              ".length")
        assert pg.locator(".modebar-container").count() >= 3 and shown == 0
        breaks = pg.eval_on_selector_all("[data-testid='stMain'] h1, [data-testid='stMain'] p",
                                         "els => [...new Set(els.map(e => getComputedStyle(e).wordBreak))]")
        assert breaks == ["keep-all"], breaks
        context.close()
