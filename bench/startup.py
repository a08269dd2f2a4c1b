"""Time from `streamlit run` to first render in headless Chromium, and the server's RSS after visiting
every non-training page. Loopback only; bounded in time."""
import os
import subprocess
import sys
import time

from _common import ROOT

sys.path.insert(0, str(ROOT))
from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, free_port  # noqa: E402

PAGES = ["", "kernels", "upsampling", "detection"]


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main():
    from playwright.sync_api import sync_playwright

    port = free_port()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        start = time.perf_counter()
        server = subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(ROOT / "streamlit_app.py"),
                                   "--server.port", str(port), "--server.address", "127.0.0.1",
                                   "--server.headless", "true"], cwd=ROOT, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
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
            page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=60_000)
            first_render = time.perf_counter() - start
            print(f"server start -> first render in Chromium: {first_render:.2f} s")
            print(f"server RSS after the home page: {rss_mb(server.pid):.0f} MB")
            for path in PAGES[1:]:
                t = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/{path}")
                page.wait_for_selector('[data-testid="stMainBlockContainer"] h1', timeout=60_000)
                page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')",
                                       timeout=60_000)
                print(f"  /{path}: rendered in {time.perf_counter() - t:.2f} s, server RSS {rss_mb(server.pid):.0f} MB")
            print(f"server RSS after every non-training page: {rss_mb(server.pid):.0f} MB")
        finally:
            browser.close()
            server.terminate()
            server.wait(10)


if __name__ == "__main__":
    main()
