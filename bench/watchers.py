"""What watchers of a shared run cost the training: its steps per second with N watchers, over its steps per second
with none, measured in the same run.

A teacher's DCGAN trains in a real browser (Chromium, the page's own live view); its "Share this run" link is then
opened by N websocket clients that speak Streamlit's protocol as a browser does, including the timed reruns of the
live view's fragment (the browser's timer, which sends a fragment rerun every interval the server asks for). The
training's steps are read from the server (the teacher's Step metric) over alternating phases: none, N watchers,
none, N watchers, so a machine that slows down during the run shows up on both sides of the ratio.

  python bench/watchers.py --watchers 50 --phase-seconds 20
  python bench/watchers.py --rounds 1 --profile /tmp/watchers.txt   # py-spy (requirements-dev.txt) on the server
  python bench/watchers.py --watchers 200 --replicas 2               # a lecture hall: 2 replicas, Redis, a worker
  python bench/watchers.py --watchers 200 --replicas 2 --pin-worker  # ... with the worker alone on one core
"""
import argparse
import asyncio
import os
import sys
import time

from _common import ROOT

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from load import cpu_seconds, start_hall, wait_ready  # noqa: E402

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, free_port, start_server, stop_server  # noqa: E402
from tests.e2e.protocol import MessageCache, run_script  # noqa: E402


async def watcher(url: str, run_id: str, stop: asyncio.Event, counts: list) -> None:
    """One student watching: the page once, then each timed fragment rerun the server asked for, until `stop`."""
    import websockets
    from streamlit.proto.ClientState_pb2 import ClientState

    async with websockets.connect(url.replace("http", "ws") + "/_stcore/stream", subprotocols=["streamlit"],
                                  max_size=None, open_timeout=120) as ws:
        state, cache = ClientState(page_name="train", query_string=f"watch={run_id}"), MessageCache()
        reruns = (await run_script(ws, state, cache))["auto_rerun"]
        counts.append(time.perf_counter())
        while not stop.is_set() and reruns:
            state.fragment_id, interval = next(iter(reruns.items()))
            try:
                await asyncio.wait_for(stop.wait(), interval)
            except TimeoutError:
                reruns = (await asyncio.wait_for(run_script(ws, state, cache), 120))["auto_rerun"] or reruns
                counts.append(time.perf_counter())


async def teacher_steps(page) -> int:
    value = page.locator('[data-testid="stMetric"]:has-text("Steps") [data-testid="stMetricValue"]').first
    return int((await value.inner_text()).replace(",", "") or 0)


def redis_traffic(stack) -> float:
    """Bytes into and out of the hall's Redis so far (0 without a hall)."""
    if stack is None:
        return 0.0
    import redis
    stats = redis.Redis.from_url(stack.redis_url).info("stats")
    return float(stats["total_net_input_bytes"] + stats["total_net_output_bytes"])


def pin(pid: int, cpus: set[int]) -> None:
    """Every thread of `pid` on `cpus` (threads it starts later inherit it)."""
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            os.sched_setaffinity(int(task), cpus)
        except OSError:
            pass


def pin_hall(stack) -> None:
    """The training worker alone on the last core; the replicas, nginx, Redis and the clients on the others: a
    worker on a machine of its own, as a lecture hall runs it, on one machine."""
    last = max(os.sched_getaffinity(0))
    rest = os.sched_getaffinity(0) - {last}
    for name, process in stack.processes.items():
        pin(process.pid, {last} if name.startswith("worker") else rest)
        for child in os.popen(f"pgrep -g {process.pid}").read().split():
            pin(int(child), {last} if name.startswith("worker") else rest)
    pin(os.getpid(), rest)
    for pid in os.popen("pgrep -f 'chromium|playwright'").read().split():  # the teacher's browser, started before
        pin(int(pid), rest)


async def measure(n_watchers: int, phase_s: float, rounds: int, profile: str | None = None, replicas: int = 0,
                  pin_worker: bool = False) -> None:
    from playwright.async_api import async_playwright

    port = free_port()
    stack = start_hall(replicas, 1, {"CONVLAB_OFFLINE": "1"}) if replicas else None
    url = stack.url if stack else f"http://127.0.0.1:{port}"
    server = stack.processes["replica-0"] if stack else start_server(port, extra_env={"CONVLAB_OFFLINE": "1"})
    servers = [p for name, p in stack.processes.items() if name.startswith("replica")] if stack else [server]

    def server_cpu() -> float:
        return sum(cpu_seconds(p.pid) for p in servers)
    os.nice(19)  # from here on: this process and the browser it starts (see main)
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = await (await browser.new_context(viewport={"width": 1280, "height": 800})).new_page()
            await page.goto(f"{url}/train?data=builtin&model=dcgan&secs=600")
            await wait_ready(page)
            await page.get_by_role("button", name="Play").click()
            while await teacher_steps(page) < 20:  # the data and the model are built, the graph is traced
                await asyncio.sleep(0.5)
            if stack and pin_worker:
                pin_hall(stack)
            await page.get_by_role("button", name="Share this run").click()
            link = (await page.locator('[data-testid="stPopoverBody"] code').first.inner_text()).strip()
            run_id = link.split("watch=")[1].split("&")[0]
            await page.keyboard.press("Escape")
            rates = {"none": [], "watched": []}
            for phase in ["none", "watched"] * rounds:
                stop, counts, tasks = asyncio.Event(), [], []
                if phase == "watched":
                    tasks = [asyncio.create_task(watcher(url, run_id, stop, counts)) for _ in range(n_watchers)]
                    while len(counts) < n_watchers:  # every watcher has its page: only the timed reruns go on
                        await asyncio.sleep(0.2)
                spy = None
                if profile and phase == "watched":  # where the server's time goes while the class watches
                    import subprocess
                    spy = subprocess.Popen(["py-spy", "record", "--pid", str(server.pid), "--duration",
                                            str(int(phase_s)), "--format", "raw", "--threads", "--output", profile],
                                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                start_steps, start, cpu0 = await teacher_steps(page), time.perf_counter(), server_cpu()
                traffic0 = redis_traffic(stack)
                own0 = cpu_seconds(os.getpid())
                first_counts = len(counts)
                await asyncio.sleep(phase_s)
                steps, wall = await teacher_steps(page) - start_steps, time.perf_counter() - start
                cpu = server_cpu() - cpu0
                traffic = redis_traffic(stack) - traffic0
                clients = cpu_seconds(os.getpid()) - own0
                stop.set()
                await asyncio.gather(*tasks)
                if spy is not None:
                    spy.wait(60)
                    profile = None  # one phase is enough
                rate = steps / wall
                rates[phase].append(rate)
                print(f"  {phase:8} {rate:5.1f} steps/s  server CPU {cpu / wall:4.2f} s/s  "
                      + (f"Redis {traffic / wall / 1e6:5.2f} MB/s  " if stack else "") +
                      f"clients {clients / wall:4.2f} s/s"
                      + (f"  watcher reruns {len(counts) - first_counts} ({(len(counts) - first_counts) / wall:.0f}/s)"
                         if phase == "watched" else ""), flush=True)
            await browser.close()
    finally:
        if stack:
            stack.stop()
        else:
            stop_server(server)  # its whole process group (training workers, file readers)
    none, watched = sum(rates["none"]) / len(rates["none"]), sum(rates["watched"]) / len(rates["watched"])
    print(f"{n_watchers} watchers: {watched:.1f} steps/s against {none:.1f} with none: ratio {watched / none:.2f}")


def main() -> None:
    # The watchers' and the teacher's browser run on the students' and the teacher's machines in a class; here they
    # share the server's two cores, so they run at the lowest priority (the server, started before, is not changed)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--watchers", type=int, default=50)
    parser.add_argument("--phase-seconds", type=float, default=20)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--profile", help="py-spy's raw (collapsed) stacks of the server in the first watched phase")
    parser.add_argument("--replicas", type=int, default=0, help="serve the class from this many replicas behind nginx, "
                        "with Redis and one training worker (scripts/hall.py); the watchers spread over them")
    parser.add_argument("--pin-worker", action="store_true", help="with --replicas: the worker alone on one core, "
                        "everything else on the others (a worker on its own machine, emulated)")
    args = parser.parse_args()
    asyncio.run(measure(args.watchers, args.phase_seconds, args.rounds, args.profile, args.replicas,
                        args.pin_worker))


if __name__ == "__main__":
    main()
