"""Time from `streamlit run` to first render in headless Chromium, and the server's RSS after visiting
every non-training page. Loopback only; bounded in time.

--pairs N [LESSON ...]: the same first runs, interleaved (a trivial app, then each lesson, N times), with each
pair's ratio; on a shared machine this says more than the best-of ratios.

--first-runs: each lesson's first full run on a fresh server (browser opens the lesson's link, until the script
run has finished), next to a trivial two-page Streamlit app measured the same way in the same run, and their
ratio (goal: at most 1.5). Best of --repeat fresh servers each. The project's modules are byte-compiled first,
as they are on a deployed server after its first start.

The page stamps the moments itself (performance.now(), from the start of navigation): when the app says its run
has finished, and when the last Plotly chart was drawn. Waiting from outside instead (Playwright polls once per
animation frame) noticed the end of a run only after whatever long task the browser had started meanwhile: the
first Plotly chart's 4.7 MB module takes 0.3-1.3 s to evaluate on this machine, so a run that had finished at
1.95 s was seen at 3.4 s, or not, depending on which came first. Both are printed; the ratios use the page's own.
"""
import argparse
import contextlib
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from _common import ROOT

sys.path.insert(0, str(ROOT))
from engine.memory import resident_mb  # noqa: E402
from tests.e2e.conftest import (  # noqa: E402
    APP_TITLE,
    CHARTS_DRAWN_JS,
    CHROMIUM,
    CHROMIUM_ARGS,
    free_port,
    launch_server,
    start_server,
    stop_server,
    wait_for_app,
    wait_until_healthy,
)

TRIVIAL_APP = """
import streamlit as st

def one():
    st.title("Page one")
    st.write("A trivial page.")

def two():
    st.title("Page two")
    st.write("Another trivial page.")

pages = [st.Page(one, title="One", url_path="one", default=True), st.Page(two, title="Two", url_path="two")]
st.navigation(pages).run()
"""
# The same trivial app whose page two also shows what a lesson's first screen needs from Streamlit's browser side
# (a slider, a select box, tabs, one small Plotly chart, a code block): each loads its own JavaScript chunk
# (Plotly's is 4.7 MB) the first time, which the trivial app never does. How much of a lesson's ratio is that.
COMPONENTS_APP = TRIVIAL_APP.replace("""    st.title("Page two")
    st.write("Another trivial page.")""", """    import plotly.graph_objects as go
    st.title("Page two")
    st.sidebar.slider("A slider", 0, 10, 3)
    st.sidebar.selectbox("A select box", ["a", "b"])
    st.tabs(["One tab", "Another"])
    st.plotly_chart(go.Figure(go.Scatter(x=[1, 2], y=[3, 4])))
    st.code("x = 1", language="python")""")
LESSONS = ["", "kernels", "upsampling", "detection", "learn", "train"]


# Stamped by the page itself: every change of the app's script state, and the last time a chart's drawing (an
# svg.main-svg, or a subtree holding one) was added. Attribute and child-list observers only: cheap enough not
# to slow what they time.
STAMPS_JS = """
window.__stamps = {states: [], lastChart: null};
new MutationObserver(records => {
  for (const r of records) window.__stamps.states.push([performance.now(), r.target.getAttribute(r.attributeName)]);
}).observe(document, {subtree: true, attributes: true, attributeFilter: ['data-test-script-state']});
new MutationObserver(records => {
  for (const r of records) for (const n of r.addedNodes)
    if (n.nodeType === 1 && (n.matches('.main-svg') || n.querySelector('.main-svg')))
      window.__stamps.lastChart = performance.now();
}).observe(document, {subtree: true, childList: true});
"""

@dataclass
class FirstRun:
    finished: float  # s from the start of navigation until the app said its run had finished (stamped by the page)
    seen: float  # s from page.goto until Playwright saw it finished (what this bench reported until session 8)
    charts: float  # s from the start of navigation until the last visible Plotly chart was drawn (= finished if none)


def first_finish(states: list) -> float:
    """Seconds until the first run ended: the first "notRunning" after a "running" (a later rerun, such as a
    fragment's, does not count), as waiting from outside also stops at the first idle moment."""
    started = False
    for at, state in states:
        started = started or state == "running"
        if started and state == "notRunning":
            return at / 1000
    return float("nan")


def first_run(browser, url: str, app: Path | None = None) -> FirstRun:
    """A fresh server (ConvLab, or `app`), then one browser visit to `url`."""
    port = free_port()
    if app is None:
        server = start_server(port)
    else:
        server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(port),
                                   "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        wait_until_healthy(server, port)
    try:
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        page.add_init_script(STAMPS_JS)
        start = time.perf_counter()
        page.goto(f"http://127.0.0.1:{port}/{url}")
        wait_for_app(page, timeout=120_000)
        seen = time.perf_counter() - start
        page.wait_for_function(CHARTS_DRAWN_JS, timeout=120_000)
        stamps = page.evaluate("() => window.__stamps")
        page.close()
        finished = first_finish(stamps["states"])
        charts = max(finished, (stamps["lastChart"] or 0) / 1000)
        return FirstRun(finished, seen, charts)
    finally:
        stop_server(server)  # its whole process group (training workers, file readers)


def byte_compile() -> None:
    """The project's modules as a deployed server has them after its first start: byte-compiled (a machine with
    PYTHONDONTWRITEBYTECODE set, like this one, would otherwise compile them again in every fresh server)."""
    import compileall
    for package in ("engine", "ui", "lessons"):
        compileall.compile_dir(str(ROOT / package), quiet=1)


@contextlib.contextmanager
def first_run_setup():
    """(browser, folder): the project byte-compiled, headless Chromium, and a temporary folder holding the trivial
    app as trivial_app.py; what --first-runs and --pairs both start from."""
    from playwright.sync_api import sync_playwright
    byte_compile()
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        (Path(tmp) / "trivial_app.py").write_text(TRIVIAL_APP)
        try:
            yield browser, Path(tmp)
        finally:
            browser.close()


def first_runs(repeat: int):
    with first_run_setup() as (browser, tmp):
        def best(url, app=None) -> FirstRun:
            runs = [first_run(browser, url, app) for _ in range(repeat)]
            return FirstRun(*(min(getattr(r, f) for r in runs) for f in ("finished", "seen", "charts")))

        reference = best("two", tmp / "trivial_app.py")
        print(f"trivial two-page app, first run of page two: finished {reference.finished:.2f} s (best of {repeat}; "
              f"seen from outside {reference.seen:.2f} s)")
        components = tmp / "components_app.py"
        components.write_text(COMPONENTS_APP)
        floor = best("two", components)
        print(f"  the same with a slider, select box, tabs, Plotly chart and code block: finished "
              f"{floor.finished:.2f} s, ratio {floor.finished / reference.finished:.2f}; "
              f"its chart drawn at {floor.charts:.2f} s")
        for lesson in LESSONS:
            run = best(lesson)
            print(f"  /{lesson or '(home)'}: finished {run.finished:.2f} s, "
                  f"ratio {run.finished / reference.finished:.2f}"
                  f" · seen from outside {run.seen:.2f} s (ratio {run.seen / reference.seen:.2f})"
                  f" · charts drawn {run.charts:.2f} s (ratio to the one-chart app {run.charts / floor.charts:.2f})",
                  flush=True)


def pairs(rounds: int, lessons: list[str]):
    """Interleaved: in each round a fresh trivial app, then a fresh server for each lesson, so that a busy moment
    of a shared machine falls on both sides of a ratio. Prints each lesson's ratio per round: median and range."""
    import statistics

    ratios = {lesson: [] for lesson in lessons}
    with first_run_setup() as (browser, tmp):
        for round_ in range(rounds):
            reference = first_run(browser, "two", tmp / "trivial_app.py").finished
            for lesson in lessons:
                ratios[lesson].append(first_run(browser, lesson).finished / reference)
            print(f"round {round_ + 1}: trivial app {reference:.2f} s; " + ", ".join(
                f"/{lesson or '(home)'} {ratios[lesson][-1]:.2f}" for lesson in lessons), flush=True)
    for lesson, values in ratios.items():
        print(f"/{lesson or '(home)'}: ratio per pair, median {statistics.median(values):.2f}, "
              f"range {min(values):.2f}-{max(values):.2f} ({len(values)} pairs)")


PAGES = ["", "kernels", "upsampling", "detection"]


def rss_mb(pid: int) -> float:
    return resident_mb(pid).get("rss", float("nan"))


def main():
    from playwright.sync_api import sync_playwright

    port = free_port()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        start = time.perf_counter()
        server = launch_server(port)
        try:
            deadline = time.monotonic() + 60
            while True:
                try:
                    page.goto(f"http://127.0.0.1:{port}/", timeout=2000)
                    break
                except Exception:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.1)
            page.wait_for_selector(APP_TITLE, timeout=60_000)  # the first render, not the end of the run
            first_render = time.perf_counter() - start
            print(f"server start -> first render in Chromium: {first_render:.2f} s")
            print(f"server RSS after the home page: {rss_mb(server.pid):.0f} MB")
            for path in PAGES[1:]:
                t = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/{path}")
                wait_for_app(page, timeout=60_000)
                print(f"  /{path}: rendered in {time.perf_counter() - t:.2f} s, server RSS {rss_mb(server.pid):.0f} MB")
            print(f"server RSS after every non-training page: {rss_mb(server.pid):.0f} MB")
        finally:
            browser.close()
            stop_server(server)  # its whole process group (training workers, file readers)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first-runs", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pairs", type=int, default=0, metavar="N",
                        help="N interleaved rounds of fresh servers: the trivial app, then each lesson")
    parser.add_argument("lessons", nargs="*", default=LESSONS, help="for --pairs (default: all; '' is home)")
    args = parser.parse_args()
    if args.pairs:
        pairs(args.pairs, args.lessons)
    else:
        first_runs(args.repeat) if args.first_runs else main()
