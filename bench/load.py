"""N concurrent sessions on the kernel page: p50/p95 interaction latency and server RSS.

All sessions open the kernel page first; then, together, each moves the Stride slider one step at a time;
a latency runs from the change until the server has finished the rerun and sent the new output size.

Sessions are websocket clients by default: they speak Streamlit's own protocol (protobuf BackMsg and
ForwardMsg on /_stcore/stream) exactly as the browser does, message cache included, so thirty of them fit on
this two-core machine beside the server and the latency is the server's. `--clients browser` uses headless
Chromium contexts instead; those share the cores with the server, so their latencies include their own
rendering (in a real class that happens on the students' machines). The optional live training is always
driven by a real browser, which fires the page's timed fragment reruns. Bounded: each session makes
--interactions interactions and the whole run has a --timeout.

Each N is also run against a reference measured in the same run: a trivial app whose sidebar Stride slider
changes one line of text, served the same way; the ratio of p95s says how much of the latency is the lesson's.

  python bench/load.py                            # N = 1, 10, 30
  python bench/load.py --sessions 10 --training   # plus one live training: server and workers under 1 GB
  python bench/load.py --sessions 60 --replicas 2  # one server, then 2 replicas behind nginx, in turn
"""
import argparse
import asyncio
import os
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
from _common import ROOT, tree_pss_mb

sys.path.insert(0, str(ROOT))
from engine.memory import resident_mb  # noqa: E402
from tests.e2e.conftest import APP_IDLE_JS, APP_TITLE, CHROMIUM, CHROMIUM_ARGS, free_port, start_server, stop_server  # noqa: E402
from tests.e2e.protocol import MessageCache, run_script  # noqa: E402

MEMORY_LIMIT_MB = 1024
REFERENCE_APP = """
import streamlit as st

def kernels():
    stride = st.sidebar.slider("Stride", 1, 4, 1)
    st.markdown(f"**Output size** · {256 // stride} × {256 // stride}")

st.navigation([st.Page(kernels, title="Kernels", url_path="kernels", default=True)]).run()
"""
LIGHT = False
PHASE: dict = {}
TRAIN_MODEL = "ae"


def cpu_seconds(pid: int) -> float:
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


async def wait_ready(page):
    await page.wait_for_selector(APP_TITLE, timeout=120_000)  # as tests/e2e/conftest.py's wait_for_app
    await page.wait_for_function(APP_IDLE_JS, timeout=120_000)


async def all_loaded_and_training(barrier):
    """Every session has loaded its page (and the optional training has started after that, so its Keras
    import happens while all sessions hold their state); then the interactions are timed, all at once."""
    await barrier.wait()
    await PHASE["training_started"].wait()
    if "t0" not in PHASE:
        PHASE["cpu0"], PHASE["t0"] = cpu_seconds(PHASE["pid"]), time.perf_counter()


async def session(browser, url: str, interactions: int, latencies: list, errors: list, barrier):
    context = await browser.new_context(viewport={"width": 1280, "height": 800})
    if LIGHT:  # clients skip drawing charts: on one machine their rendering would compete with the server
        await context.add_init_script(
            "document.addEventListener('DOMContentLoaded', () => { const s = document.createElement('style');"
            " s.textContent = '[data-testid=\"stPlotlyChart\"], [data-testid=\"stImage\"] '"
            "'{ display: none !important; }';"
            " document.head.appendChild(s); });")
    page = await context.new_page()
    try:
        await page.goto(f"{url}/kernels")
        await wait_ready(page)
        await all_loaded_and_training(barrier)
        slider = page.locator('[data-testid="stSidebar"] input[type="range"][aria-label="Stride"]')
        output = page.locator('p:has-text("Output size")').first
        for i in range(interactions):
            before = await output.inner_text()
            await slider.focus()
            start = time.perf_counter()
            await slider.press("ArrowRight" if i % 2 == 0 else "ArrowLeft")
            await page.wait_for_function(
                "([sel, old]) => { const el = [...document.querySelectorAll('p')].find(p => p.innerText.includes(sel));"
                " return el && el.innerText !== old; }", arg=["Output size", before], timeout=60_000)
            latencies.append(time.perf_counter() - start)
            if await page.locator('[data-testid="stException"]').count():
                errors.append("exception shown")
    except Exception as exc:  # counted, reported, and fails the run
        errors.append(f"{type(exc).__name__}: {str(exc)[:120]}")
        await barrier.abort()
    finally:
        await context.close()


def _output_size(shown: dict) -> str:
    return next((m for m in shown["markdown"] if m.startswith("**Output size**")), "")


async def ws_session(url: str, interactions: int, latencies: list, errors: list, barrier):
    import websockets
    from streamlit.proto.ClientState_pb2 import ClientState

    try:
        async with websockets.connect(url.replace("http", "ws") + "/_stcore/stream", subprotocols=["streamlit"],
                                      max_size=None, open_timeout=120) as ws:
            state, cache = ClientState(page_name="kernels"), MessageCache()
            shown = await run_script(ws, state, cache)
            await all_loaded_and_training(barrier)
            stride_id = shown["widgets"]["Stride"]
            for i in range(interactions):
                before = _output_size(shown)
                state.widget_states.ClearField("widgets")
                widget = state.widget_states.widgets.add(id=stride_id)
                widget.double_array_value.data.append(2 if i % 2 == 0 else 1)
                start = time.perf_counter()
                shown = await asyncio.wait_for(run_script(ws, state, cache), 120)
                latencies.append(time.perf_counter() - start)
                if shown["exceptions"]:
                    errors.append("exception shown")
                if _output_size(shown) in ("", before):
                    errors.append(f"the output size did not change: {_output_size(shown)[:60]!r}")
    except Exception as exc:  # counted, reported, and fails the run
        errors.append(f"{type(exc).__name__}: {str(exc)[:120]}")
        await barrier.abort()


async def start_training(browser, url: str, barrier, contexts: list):
    context = await browser.new_context()
    contexts.append(context)
    page = await context.new_page()
    await page.goto(f"{url}/train?data=builtin&model={TRAIN_MODEL}&secs=300")
    await wait_ready(page)
    await barrier.wait()
    await page.get_by_role("button", name="Play").click()
    step = page.locator('[data-testid="stMetric"]:has-text("Step") [data-testid="stMetricValue"]').first
    for _ in range(240):  # until the training has taken a few steps (data and model are built first)
        if await step.count() and int((await step.inner_text()).replace(",", "") or 0) >= 3:
            PHASE["training_started"].set()
            return
        await asyncio.sleep(0.5)
    raise RuntimeError("the training did not start within 120 s")


def start_hall(replicas: int, workers: int = 0, env: dict | None = None):
    """`replicas` ConvLab servers behind nginx with Redis and `workers` training workers (scripts/hall.py's Stack)."""
    from tests.services import hall_script
    hall = hall_script()
    return hall.Stack(replicas, workers, free_port(), listen_address="127.0.0.1", env=env).start()


def run_with_quiet_clients(n: int, interactions: int, timeout: float, clients: str, replicas: int):
    """`run()` with the servers started at normal priority and the clients (the event loop and the browser it
    starts) in a thread at the lowest: in a class they run on the students' machines, not on the server's cores."""
    from concurrent.futures import ThreadPoolExecutor

    stack = start_hall(replicas) if replicas else None
    port = free_port()
    server = stack.processes["replica-0"] if stack else start_server(port)

    def clients_thread():
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
        return asyncio.run(run(n, interactions, False, timeout, clients, replicas=replicas, started=(stack, server,
                                                                                                      port)))
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(clients_thread).result()


async def run(n: int, interactions: int, training: bool, timeout: float, clients: str, app=None, replicas: int = 0,
              started=None):
    """One server (ConvLab, or the reference `app`), or `replicas` of them behind nginx, and n sessions; prints a
    line, returns (ok, p95 in ms). `started`: (stack, server, port) already running."""
    from playwright.async_api import async_playwright

    if started is None:
        stack = start_hall(replicas) if replicas else None
        port = free_port()
        server = stack.processes["replica-0"] if stack else start_server(port, app=app)
    else:
        stack, server, port = started
    url = stack.url if stack else f"http://127.0.0.1:{port}"
    peak = {"rss": 0.0, "anonymous": 0.0, "with_workers": 0.0}
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

            async def watch():
                while True:
                    for key, value in resident_mb(server.pid).items():
                        peak[key] = max(peak[key], value)
                    if training:  # the training runs in worker processes under the server
                        peak["with_workers"] = max(peak["with_workers"], tree_pss_mb(server.pid))
                    await asyncio.sleep(0.25)

            watcher = asyncio.create_task(watch())
            latencies, errors, contexts = [], [], []
            PHASE.clear()
            PHASE["pid"], PHASE["training_started"] = server.pid, asyncio.Event()
            barrier = asyncio.Barrier(n + training)
            tasks = [ws_session(url, interactions, latencies, errors, barrier) if clients == "websocket"
                     else session(browser, url, interactions, latencies, errors, barrier) for _ in range(n)]
            if training:
                tasks.append(start_training(browser, url, barrier, contexts))
            else:
                PHASE["training_started"].set()
            await asyncio.wait_for(asyncio.gather(*tasks), timeout)
            watcher.cancel()
            if "t0" in PHASE:
                PHASE["cpu"] = cpu_seconds(server.pid) - PHASE["cpu0"]
                PHASE["wall"] = time.perf_counter() - PHASE["t0"]
            for context in contexts:
                await context.close()
            await browser.close()
    finally:
        if stack:
            stack.stop()
        else:
            stop_server(server)  # its whole process group (training workers, file readers)
    lat = np.array(latencies) * 1000
    label = f"N = {n:2d} {clients} clients{f' + 1 training ({TRAIN_MODEL})' if training else ''}"
    label += f" on {replicas} replicas behind nginx (CPU and RSS: replica 0)" if replicas else ""
    label = f"  reference app, {label}" if app else label
    if len(lat):
        print(f"{label}: {len(lat)} interactions, p50 {np.percentile(lat, 50):6.0f} ms, "
              f"p95 {np.percentile(lat, 95):6.0f} ms, "
              f"peak server RSS {peak['rss']:5.0f} MB (anonymous {peak['anonymous']:4.0f} MB), "
              + (f"with its workers {peak['with_workers']:5.0f} MB (PSS), " if training else "") +
              f"errors {len(errors)}; server CPU "
              f"{PHASE.get('cpu', float('nan')):.1f} s of {PHASE.get('wall', float('nan')):.1f} s wall on "
              f"{os.cpu_count()} cores")
    else:
        print(f"{label}: no interaction completed; errors: {errors[:3]}")
    for e in errors[:5]:
        print("   error:", e)
    p95 = float(np.percentile(lat, 95)) if len(lat) else float("nan")
    return not errors and (not training or peak["with_workers"] < MEMORY_LIMIT_MB), p95


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, nargs="*", default=[1, 10, 30])
    parser.add_argument("--interactions", type=int, default=6)
    parser.add_argument("--training", action="store_true")
    parser.add_argument("--timeout", type=float, default=600)
    parser.add_argument("--clients", choices=["websocket", "browser"], default="websocket")
    parser.add_argument("--train-model", choices=["ae", "ae-transpose", "vae", "dcgan"], default="ae",
                        help="the model the --training session trains (page defaults otherwise)")
    parser.add_argument("--full-clients", action="store_true",
                        help="browser clients draw their charts too (measures this machine's rendering as well)")
    parser.add_argument("--replicas", type=int, default=0,
                        help="compare one server with this many replicas behind nginx (scripts/hall.py), in turn, "
                             "--rounds times; the clients run at the lowest priority (on a class's own machines)")
    parser.add_argument("--rounds", type=int, default=2)
    args = parser.parse_args()
    global LIGHT, TRAIN_MODEL
    LIGHT, TRAIN_MODEL = not args.full_clients, args.train_model
    ok = True
    if args.replicas:
        for n in args.sessions:
            p95s = {1: [], args.replicas: []}
            for _ in range(args.rounds):
                for replicas in (0, args.replicas):
                    good, p95 = run_with_quiet_clients(n, args.interactions, args.timeout, args.clients, replicas)
                    p95s[max(1, replicas)].append(p95)
                    ok = ok and good
            one, many = np.mean(p95s[1]), np.mean(p95s[args.replicas])
            print(f"N = {n}: p95 {one:.0f} ms on one server, {many:.0f} ms on {args.replicas} replicas behind nginx: "
                  f"ratio {many / one:.2f} (p95s {[round(v) for v in p95s[1]]} and "
                  f"{[round(v) for v in p95s[args.replicas]]})")
        sys.exit(0 if ok else 1)
    with tempfile.TemporaryDirectory() as tmp:
        reference = Path(tmp) / "reference_app.py"
        reference.write_text(REFERENCE_APP)
        for n in args.sessions:
            good, p95 = asyncio.run(run(n, args.interactions, args.training, args.timeout, args.clients))
            if args.clients == "websocket" and not args.training:
                _, floor = asyncio.run(run(n, args.interactions, False, args.timeout, args.clients, reference))
                print(f"  ratio of p95s, ConvLab / reference app: {p95 / floor:.1f}")
            ok = ok and good
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
