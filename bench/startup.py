"""Time from `streamlit run` to first render in headless Chromium, and the server's RSS after visiting
every non-training page. Loopback only; bounded in time.

--first-runs: each lesson's first full run on a fresh server (browser opens the lesson's link, until the script
run has finished), next to a trivial two-page Streamlit app measured the same way in the same run, and their
ratio (goal: at most 1.5). Best of --repeat fresh servers each. The project's modules are byte-compiled first,
as they are on a deployed server after its first start.
"""
import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT

sys.path.insert(0, str(ROOT))
from engine.memory import resident_mb  # noqa: E402
from tests.e2e.conftest import APP_TITLE, CHROMIUM, CHROMIUM_ARGS, free_port, launch_server, start_server, wait_for_app  # noqa: E402

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


def first_run_seconds(browser, url: str, app: Path | None = None) -> float:
    """A fresh server (ConvLab, or `app`), then one browser visit to `url`: seconds until the run finished."""
    port = free_port()
    if app is None:
        server = start_server(port)
    else:
        server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(port),
                                   "--server.headless", "true", "--browser.gatherUsageStats", "false"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        import urllib.request
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
    try:
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        start = time.perf_counter()
        page.goto(f"http://127.0.0.1:{port}/{url}")
        wait_for_app(page, timeout=120_000)
        seconds = time.perf_counter() - start
        page.close()
        return seconds
    finally:
        server.terminate()
        server.wait(10)


def byte_compile() -> None:
    """The project's modules as a deployed server has them after its first start: byte-compiled (a machine with
    PYTHONDONTWRITEBYTECODE set, like this one, would otherwise compile them again in every fresh server)."""
    import compileall
    for package in ("engine", "ui", "lessons"):
        compileall.compile_dir(str(ROOT / package), quiet=1)


def first_runs(repeat: int):
    from playwright.sync_api import sync_playwright
    byte_compile()
    with sync_playwright() as p, tempfile.TemporaryDirectory() as tmp:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        trivial = Path(tmp) / "trivial_app.py"
        trivial.write_text(TRIVIAL_APP)
        reference = min(first_run_seconds(browser, "two", trivial) for _ in range(repeat))
        print(f"trivial two-page app, first run of page two: {reference:.2f} s (best of {repeat})")
        components = Path(tmp) / "components_app.py"
        components.write_text(COMPONENTS_APP)
        floor = min(first_run_seconds(browser, "two", components) for _ in range(repeat))
        print(f"  the same with a slider, select box, tabs, Plotly chart and code block: {floor:.2f} s, "
              f"ratio {floor / reference:.2f}")
        for lesson in LESSONS:
            best = min(first_run_seconds(browser, lesson) for _ in range(repeat))
            print(f"  /{lesson or '(home)'}: {best:.2f} s, ratio {best / reference:.2f}", flush=True)
        browser.close()

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
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first-runs", action="store_true")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    first_runs(args.repeat) if args.first_runs else main()
