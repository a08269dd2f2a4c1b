"""Time from `streamlit run` to first render in headless Chromium, and the server's RSS after visiting
every non-training page. Loopback only; bounded in time."""
import sys
import time

from _common import ROOT

sys.path.insert(0, str(ROOT))
from engine.memory import resident_mb  # noqa: E402
from tests.e2e.conftest import APP_TITLE, CHROMIUM, CHROMIUM_ARGS, free_port, launch_server, wait_for_app  # noqa: E402

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
    main()
