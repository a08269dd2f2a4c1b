"""A training's speed where the class sees it: steps per second in the page, watched in Chromium, over steps per
second of the command line (`python -m engine.train`) for the same model, measured in the same run.

Both are steady-state rates: the command line's from its progress lines (timestamped here as they arrive), the
page's from its Steps metric read once a second, each after the model is built and its first 20 steps are done.
The server's own CPU (page runs) and its worker processes' CPU (the training) are given per second of watching.
In a class the browser runs on the student's machine; here it shares the server's cores, so Chromium's processes
run at the lowest priority (niceness 19), as in bench/watchers.py.

  python bench/page_training.py --seconds 30 --rounds 2
  python bench/page_training.py --models dcgan vae --seconds 120 --timeline --page-only   # steps 30/60/120 s
                                                                         # (and the VAE's 5-NN caption)
  python bench/page_training.py --models vae --seconds 120 --timeline --page-only --link deskew=0   # as written
  python bench/page_training.py --reset-rounds 50   # server memory after 50 Step-Reset rounds in one tab
"""
import argparse
import asyncio
import os
import re
import subprocess
import sys
import tempfile
import time

from _common import ROOT, tree_pss_mb

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from load import cpu_seconds, wait_ready  # noqa: E402
from watchers import teacher_steps  # noqa: E402

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, free_port, start_server, stop_server  # noqa: E402

WARMUP_STEPS = 20


def children_cpu_seconds(pid: int) -> float:
    """CPU seconds of the direct children of `pid` now alive (the training workers)."""
    total = 0.0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                fields = open(f"/proc/{entry}/stat").read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                total += cpu_seconds(int(entry))
    return total


def renice_browser(niceness: int = 19) -> None:
    """Every Chromium process at the lowest priority (called again as the browser starts new ones)."""
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if b"chromium" in open(f"/proc/{entry}/cmdline", "rb").read():
                    os.setpriority(os.PRIO_PROCESS, int(entry), niceness)
            except OSError:
                continue


def browser_cpu_seconds() -> float:
    total = 0.0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if b"chromium" in open(f"/proc/{entry}/cmdline", "rb").read():
                    total += cpu_seconds(int(entry))
            except OSError:
                continue
    return total


def command_line_rate(model: str, seconds: float) -> float:
    """Steps per second of `python -m engine.train` between its first progress line past the warm-up and its last."""
    with tempfile.TemporaryDirectory() as out:
        process = subprocess.Popen([sys.executable, "-u", "-m", "engine.train", "--model", model, "--data", "builtin",
                                    "--seconds", str(seconds + 10), "--out", out], cwd=ROOT, text=True,
                                   stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                   env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="3"))
        points = []
        for line in process.stdout:
            match = re.match(r"step\s+(\d+)", line)
            if match:
                points.append((time.perf_counter(), int(match.group(1))))
        process.wait()
    points = [p for p in points if p[1] >= WARMUP_STEPS]
    (t0, s0), (t1, s1) = points[0], points[-2]  # the last line is printed after the samples are drawn
    return (s1 - s0) / (t1 - t0)


async def page_rate(browser, url: str, model: str, seconds: float, server_pid: int, timeline: bool,
                    link: str = "") -> dict:
    page = await (await browser.new_context(viewport={"width": 1280, "height": 720})).new_page()
    await page.goto(f"{url}/train?data=builtin&model={model}&secs=600" + (f"&{link}" if link else ""))
    await wait_ready(page)
    renice_browser()  # the renderer of this page is new
    clicked = time.perf_counter()
    await page.get_by_role("button", name="Play").click()
    while await teacher_steps(page) < WARMUP_STEPS:
        await asyncio.sleep(0.25)
    s0, t0 = await teacher_steps(page), time.perf_counter()
    cpu0, work0, browser0 = cpu_seconds(server_pid), children_cpu_seconds(server_pid), browser_cpu_seconds()
    marks = {}
    while time.perf_counter() - t0 < seconds:
        await asyncio.sleep(1.0)
        renice_browser()
        since_play = time.perf_counter() - clicked
        for mark in (30, 60, 120):
            if mark not in marks and since_play >= mark:
                marks[mark] = await teacher_steps(page)
                if model == "vae" and timeline:
                    marks[f"{mark} s 5-NN"] = await latent_map_caption(page)
    s1, t1 = await teacher_steps(page), time.perf_counter()
    wall = t1 - t0
    result = {"rate": (s1 - s0) / wall, "server_cpu": (cpu_seconds(server_pid) - cpu0) / wall,
              "worker_cpu": (children_cpu_seconds(server_pid) - work0) / wall,
              "browser_cpu": (browser_cpu_seconds() - browser0) / wall, "marks": marks}
    stop = page.get_by_role("button", name="Stop")
    if await stop.is_enabled():
        await stop.click()
    await page.close()
    return result


async def latent_map_caption(page) -> str:
    """The VAE page's own 5-NN figure under its latent map, as shown now (from the newest samples)."""
    caption = page.locator(':text("How well the digits are told apart")').first
    if not await caption.count():
        return "none yet"
    found = re.search(r"(\d+)\s*%", await caption.inner_text())
    return f"{found.group(1)} %" if found else "?"


def descendants(pid: int) -> list[str]:
    """What runs under the server: each process's kind and PSS."""
    found, todo = [], [pid]
    while todo:
        p = todo.pop()
        for task in os.listdir(f"/proc/{p}/task"):
            with open(f"/proc/{p}/task/{task}/children") as children:
                for child in map(int, children.read().split()):
                    todo.append(child)
                    command = open(f"/proc/{child}/cmdline", "rb").read().replace(b"\0", b" ").decode()
                    kind = ("worker" if "spawn_main" in command else "forkserver" if "forkserver" in command
                            else "tracker" if "resource_tracker" in command else command[:40])
                    found.append(f"{kind} {own_pss_mb(child):.0f} MB")
    return found


def own_pss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/smaps_rollup") as rollup:
        return next(int(line.split()[1]) for line in rollup if line.startswith("Pss:")) / 1024


async def reset_rounds(rounds: int) -> None:
    """One tab: Step (a worker builds the model and trains one step), then Reset; `rounds` times. The server's
    own memory and that of the server with its workers, after the first round and after the last."""
    from playwright.async_api import async_playwright

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = start_server(port, extra_env={"CONVLAB_OFFLINE": "1"})
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = await (await browser.new_context(viewport={"width": 1280, "height": 720})).new_page()
            await page.goto(f"{url}/train?data=builtin&model=vae&secs=600")
            await wait_ready(page)
            renice_browser()
            marks, start = {}, time.perf_counter()
            for i in range(1, rounds + 1):
                await page.get_by_role("button", name="Step", exact=True).click()
                while await teacher_steps(page) < 1:
                    await asyncio.sleep(0.2)
                await page.get_by_role("button", name="Reset", exact=True).click()
                await page.wait_for_selector('h2:has-text("Idle")')
                if i in (1, rounds) or i % 10 == 0:
                    await asyncio.sleep(3)  # the closed worker is gone, the spare has started
                    marks[i] = (own_pss_mb(server.pid), tree_pss_mb(server.pid))
                    print(f"  after {i:3d} rounds: server {marks[i][0]:6.0f} MB, with its workers "
                          f"{marks[i][1]:6.0f} MB  ({time.perf_counter() - start:.0f} s); processes under it: "
                          f"{descendants(server.pid)}", flush=True)
            await browser.close()
    finally:
        stop_server(server)  # its whole process group (training workers, file readers)
    (first, first_tree), (last, last_tree) = marks[1], marks[rounds]
    print(f"{rounds} Step-Reset rounds: server {first:.0f} -> {last:.0f} MB ({(last - first) / (rounds - 1):+.1f} "
          f"MB a round), with workers {first_tree:.0f} -> {last_tree:.0f} MB")


async def measure(models: list[str], seconds: float, rounds: int, timeline: bool,
                  with_command_line: bool = True, link: str = "") -> None:
    from playwright.async_api import async_playwright

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = start_server(port, extra_env={"CONVLAB_OFFLINE": "1"})
    table = {model: {"cli": [], "page": []} for model in models}
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            renice_browser()
            for _ in range(rounds):
                for model in models:
                    cli = command_line_rate(model, seconds) if with_command_line else float("nan")
                    page = await page_rate(browser, url, model, seconds, server.pid, timeline, link)
                    table[model]["cli"].append(cli)
                    table[model]["page"].append(page["rate"])
                    print(f"  {model:12} command line {cli:5.1f} steps/s  page {page['rate']:5.1f} steps/s  "
                          f"ratio {page['rate'] / cli:4.2f}  server CPU {page['server_cpu']:4.2f} s/s  "
                          f"worker CPU {page['worker_cpu']:4.2f} s/s  browser CPU {page['browser_cpu']:4.2f} s/s"
                          + (f"  page steps at {page['marks']} s after Play" if timeline else ""), flush=True)
            await browser.close()
    finally:
        stop_server(server)  # its whole process group (training workers, file readers)
    print("\n| model | command line, steps/s | page, steps/s | page / command line |\n|---|---|---|---|")
    for model, rates in table.items():
        ratios = [p / c for p, c in zip(rates["page"], rates["cli"])]
        print(f"| {model} | {min(rates['cli']):.1f}-{max(rates['cli']):.1f} | {min(rates['page']):.1f}-"
              f"{max(rates['page']):.1f} | {min(ratios):.2f}-{max(ratios):.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=["ae", "vae", "dcgan"])
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--timeline", action="store_true",
                        help="also the page's steps 30, 60, 120 s after Play (the VAE: and its 5-NN caption)")
    parser.add_argument("--page-only", action="store_true", help="no command-line runs (with --timeline)")
    parser.add_argument("--link", default="", help="more of the page's link, e.g. deskew=0 (the page only)")
    parser.add_argument("--reset-rounds", type=int, help="measure memory over this many Step-Reset rounds instead")
    args = parser.parse_args()
    if args.reset_rounds:
        asyncio.run(reset_rounds(max(2, args.reset_rounds)))
    else:
        asyncio.run(measure(args.models, args.seconds, args.rounds, args.timeline, not args.page_only, args.link))


if __name__ == "__main__":
    main()
