"""Screenshots of pages at the three sizes a class meets: a 1440x900 laptop, a 1280x720 projector in presenter mode
and a 390x844 phone, in headless Debian Chromium, into test-output/screenshots/sizes/.

    python scripts/screenshots.py "train?model=dcgan&data=builtin" --play 20   # train 20 s first, then shoot
    python scripts/screenshots.py kernels detection
"""
import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    free_port,
    start_server,
    stop_server,
    wait_for_app,
    wait_for_charts,
)  # noqa: E402

SIZES = {"desktop": (1440, 900, ""), "presenter": (1280, 720, "present=1"), "phone": (390, 844, "")}
OUT = ROOT / "test-output" / "screenshots" / "sizes"


def with_param(path: str, param: str) -> str:
    if not param:
        return path
    return path + ("&" if "?" in path else "?") + param


def label(english: str, lang: str) -> str:
    from ui.i18n import catalog
    return catalog(lang).gettext(english) if lang else english


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("pages", nargs="+", help="page paths with their link parameters")
    p.add_argument("--play", type=float, default=0, help="press Play and wait this many seconds before shooting")
    p.add_argument("--lang", default="", help="ko for Korean")
    args = p.parse_args()
    from playwright.sync_api import sync_playwright
    port = free_port()
    server = start_server(port, {"CONVLAB_OFFLINE": "1", "CONVLAB_MAX_TRAININGS": "3"})
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            for path in args.pages:
                for size, (width, height, param) in SIZES.items():
                    context = browser.new_context(viewport={"width": width, "height": height})
                    page = context.new_page()
                    url = with_param(with_param(path, param), f"lang={args.lang}" if args.lang else "")
                    page.goto(f"http://127.0.0.1:{port}/{url}")
                    wait_for_app(page, timeout=180_000)
                    if args.play:
                        page.get_by_role("button", name=label("Play", args.lang)).first.click()
                        page.wait_for_timeout(int(args.play * 1000))
                        page.get_by_role("button", name=label("Pause", args.lang)).first.click()
                        page.wait_for_timeout(2500)
                    wait_for_charts(page)
                    name = re.sub(r"[^\w-]+", "_", path).strip("_") or "home"
                    target = OUT / f"{name}-{size}{'-' + args.lang if args.lang else ''}.png"
                    page.screenshot(path=str(target), full_page=False)
                    page.screenshot(path=str(target.with_name(target.stem + "-full.png")), full_page=True)
                    print(target)
                    context.close()
            browser.close()
    finally:
        stop_server(server)


if __name__ == "__main__":
    main()
