"""Hostile uploads and links through a real server, while another student clicks: each input's time until the page
has answered, the server's memory above idle meanwhile, and how much slower the other student's clicks were.

One server. An observer (a websocket client speaking Streamlit's protocol, as in bench/load.py) moves the Kernels
lesson's Stride slider every 0.3 s for the whole run and records each click's latency. A Chromium page sends each
hostile payload through each upload path (Kernels, Detection image and annotation, the deconvolution tab, Train
live and What a network learns datasets, a model file on What a network learns), then opens every page with
hidden characters and signed zeros in all its link parameters. For each input the bench prints: seconds from the
upload until the page was idle again, the server's peak proportional resident memory (PSS) above its level just
before, children included (the reader's process), the refusal or note the page showed, and the observer's slowest
click during that input minus its median click while nothing else happened.

  python bench/hostile_sweep.py            # every upload path, every payload, every page's links
  python bench/hostile_sweep.py --quick    # two payloads per class
"""
import argparse
import asyncio
import sys
import threading
import time
import urllib.parse

import numpy as np
from _common import ROOT, tree_pss_mb

sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from tests import hostile  # noqa: E402
from tests.e2e.conftest import APP_IDLE_JS, CHROMIUM, CHROMIUM_ARGS, free_port, start_server, stop_server  # noqa: E402
from tests.e2e.protocol import MessageCache, run_script  # noqa: E402
from tests.test_robustness import HIDDEN, PAGES, SIGNED_ZEROS  # noqa: E402

IMAGE_PATHS = [("kernels?img_src=upload", 0), ("detection?src=upload", 0), ("upsampling?tab=deconv&dimg_src=upload", 0)]
DATASET_PATHS = [("train?data=upload", 0), ("learn?data=upload", 0)]
XML_PATHS = [("detection?src=upload", 1)]
MODEL_PATHS = [("learn?net=own", 0)]


def image_payloads(quick: bool) -> list[tuple[str, bytes]]:
    items = [("repeated-scans.jpg", lambda: hostile.progressive_jpeg((2048, 2048), 5, 4000)),
             ("empty-chunks.png", lambda: hostile.png_chunks(1_000_000)),
             ("comment-blocks.gif", lambda: hostile.gif_with_blocks(2_000_000)),
             ("comments.jpg", lambda: hostile.jpeg_with_comments(200_000)),
             ("lossless-40mp.webp", lambda: hostile.png((6300, 6300), "RGB", "WEBP", lossless=True)),
             ("rle-36mp.bmp", lambda: hostile.bmp_rle8(6000, 6000)),
             ("rgba-36mp.png", lambda: hostile.png((6000, 6000), "RGBA")),
             ("declares-41mp.png", lambda: hostile.png((6400, 6400))),
             ("empty.png", lambda: b"")]
    return [(name, make()) for name, make in (items[:2] if quick else items)]


def dataset_payloads(quick: bool) -> list[tuple[str, bytes]]:
    zeros = lambda n, code, size: hostile.gzip_stream(hostile.idx_header((n, 28, 28), code), n * 784 * size)  # noqa: E731
    items = [("float64-48m-idx3-ubyte.gz", lambda: zeros(61_000, 0x0E, 8)),
             ("int32-48m-idx3-ubyte.gz", lambda: zeros(61_000, 0x0C, 4)),
             ("float64-25k.npz", lambda: hostile.npz_bomb(25_000, np.float64)),
             ("labels-1e9.npz", lambda: hostile.npz_members(x=hostile.npy(np.zeros((30, 28, 28), np.uint8)),
                                                            y=hostile.npy_header((10**9,)))),
             ("constant.npz", lambda: hostile.npz(x=np.full((30, 28, 28), 300.0))),
             ("chunks-in.zip", lambda: hostile.zip_of({"a.png": hostile.png_chunks(3_000_000)})),
             ("800k-digits.npz", lambda: hostile.npz_bomb(800_000))]
    return [(name, make()) for name, make in (items[:2] if quick else items)]


def model_payloads(quick: bool) -> list[tuple[str, bytes]]:
    lambda_layer = {"module": "keras.layers", "class_name": "Lambda", "registered_name": None,
                    "config": {"name": "evil", "function": "x"}}
    items = [("lambda.keras", lambda: hostile.keras_file([hostile.keras_input(), lambda_layer])),
             ("bomb.keras", lambda: hostile.zip_of({"config.json": bytes(300 << 20), "model.weights.h5": b""})),
             ("2gb-tensor.keras", lambda: hostile.keras_file(
                 [hostile.keras_input(), hostile.keras_conv()],
                 {"layers/conv2d/vars/0": ((500_000_000,), "f4"), "layers/conv2d/vars/1": np.zeros(2, "f4")})),
             ("deep.keras", lambda: hostile.keras_file([hostile.keras_input()], config_text=b"[" * 100_000
                                                         + b"]" * 100_000)),
             ("picture.keras", lambda: hostile.png((64, 64), "RGB"))]
    return [(name, make()) for name, make in (items[:2] if quick else items)]


def xml_payloads(quick: bool) -> list[tuple[str, bytes]]:
    laughs = (b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">]>'
              b"<annotation>&b;</annotation>")
    items = [("laughs.xml", laughs), ("objects.xml", hostile.voc_xml(9_400))]
    return items[:1] if quick else items


class Observer:
    """Clicks Stride on the Kernels page every `every` s in its own event loop and thread; keeps (time, latency)."""

    def __init__(self, url: str, every: float = 0.3):
        self.url, self.every, self.clicks, self.stop = url, every, [], threading.Event()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=lambda: asyncio.run(self._run()), daemon=True)

    async def _run(self):
        import websockets
        from streamlit.proto.ClientState_pb2 import ClientState
        async with websockets.connect(self.url.replace("http", "ws") + "/_stcore/stream", subprotocols=["streamlit"],
                                      max_size=None, open_timeout=120) as ws:
            state, cache = ClientState(page_name="kernels"), MessageCache()
            shown = await run_script(ws, state, cache)
            stride_id, i = shown["widgets"]["Stride"], 0
            self.ready.set()
            while not self.stop.is_set():
                state.widget_states.ClearField("widgets")
                state.widget_states.widgets.add(id=stride_id).double_array_value.data.append(2 if i % 2 == 0 else 1)
                start = time.perf_counter()
                await asyncio.wait_for(run_script(ws, state, cache), 120)
                self.clicks.append((start, time.perf_counter() - start))
                i += 1
                await asyncio.sleep(self.every)

    def slowest_between(self, start: float, end: float) -> float:
        during = [lat for at, lat in self.clicks if start <= at <= end or start <= at + lat <= end]
        return max(during, default=0.0)


class PeakMemory:
    def __init__(self, pid: int):
        self.pid, self.peak, self.stop = pid, 0.0, threading.Event()
        self.thread = threading.Thread(target=self._watch, daemon=True)

    def _watch(self):
        while not self.stop.is_set():
            self.peak = max(self.peak, tree_pss_mb(self.pid))
            time.sleep(0.05)

    def __enter__(self):
        self.base = tree_pss_mb(self.pid)
        self.peak = self.base
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


def send(page, index: int, name: str, data: bytes) -> None:
    """Choose a file in the index-th uploader and wait until the run it starts has ended (idle twice, 0.3 s apart:
    the upload's rerun can begin just after a first idle moment)."""
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').nth(index).set_input_files(
        files=[{"name": name, "mimeType": "application/octet-stream", "buffer": data}])
    for _ in range(2):
        page.wait_for_timeout(300)
        page.wait_for_function(APP_IDLE_JS, timeout=180_000)


def shown_message(page) -> str:
    texts = page.locator('[data-testid="stAlert"]').all_inner_texts()
    return " | ".join(" ".join(t.split())[:90] for t in texts)[:180] or "(no notice: handled)"


def run(quick: bool, links: bool) -> None:
    from playwright.sync_api import sync_playwright

    port = free_port()
    url = f"http://127.0.0.1:{port}"
    server = start_server(port, extra_env={"CONVLAB_OFFLINE": "1"})
    observer = Observer(url)
    rows = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            for path in ("kernels", "train", "learn", "detection"):  # first imports out of the way
                page.goto(f"{url}/{path}")
                page.wait_for_function(APP_IDLE_JS, timeout=180_000)
            observer.thread.start()
            observer.ready.wait(120)
            time.sleep(3)
            baseline = float(np.median([lat for _, lat in observer.clicks]))
            print(f"observer: median click {baseline * 1000:.0f} ms over {len(observer.clicks)} clicks with nothing "
                  "else going on", flush=True)
            jobs = [(path, index, name, data) for path, index in IMAGE_PATHS for name, data in image_payloads(quick)]
            jobs += [(path, index, name, data) for path, index in XML_PATHS for name, data in xml_payloads(quick)]
            jobs += [(path, index, name, data) for path, index in DATASET_PATHS
                     for name, data in dataset_payloads(quick)]
            jobs += [(path, index, name, data) for path, index in MODEL_PATHS for name, data in model_payloads(quick)]
            for path, index, name, data in jobs:
                page.goto(f"{url}/{path}")
                page.wait_for_function(APP_IDLE_JS, timeout=180_000)
                if path.startswith("detection"):  # the page reads its two files once both are there
                    partner = ("ok.xml", hostile.voc_xml(2, size=(64, 64))) if index == 0 else \
                        ("ok.png", hostile.png((64, 64), "RGB"))
                    send(page, 1 - index, *partner)
                time.sleep(0.5)
                with PeakMemory(server.pid) as memory:
                    start = time.perf_counter()
                    send(page, index, name, data)
                    seconds = time.perf_counter() - start
                slowest = observer.slowest_between(start, start + seconds)
                rows.append((seconds, memory.peak - memory.base, slowest - baseline))
                print(f"{seconds:5.2f} s {memory.peak - memory.base:6.0f} MB  other "
                      f"+{max(0, slowest - baseline):4.2f} s  {path.split('?')[0]:10} {name:28} {shown_message(page)}",
                      flush=True)
            if links:
                for page_path, keys in PAGES.items():
                    path, _, fixed = page_path.partition("?")
                    for value in (HIDDEN[0], HIDDEN[1], SIGNED_ZEROS[2]):
                        query = urllib.parse.urlencode({**{k: value for k in keys},
                                                        **dict(p.split("=") for p in fixed.split("&") if p)})
                        start = time.perf_counter()
                        stem = path.split("/")[-1].removesuffix(".py")
                        page.goto(f"{url}/{'' if stem == 'home' else stem}?{query}")
                        page.wait_for_function(APP_IDLE_JS, timeout=180_000)
                        seconds = time.perf_counter() - start
                        slowest = observer.slowest_between(start, start + seconds)
                        rows.append((seconds, 0.0, slowest - baseline))
                print(f"links: {len(PAGES) * 3} pages opened with hidden characters or a signed zero in every "
                      f"parameter, slowest {max(r[0] for r in rows[-len(PAGES) * 3:]):.2f} s", flush=True)
            browser.close()
    finally:
        observer.stop.set()
        stop_server(server)  # its whole process group (training workers, file readers)
    worst_time, worst_memory, worst_slowdown = (max(column) for column in zip(*rows))
    print(f"worst: {worst_time:.2f} s to answer, {worst_memory:.0f} MB above idle, the other student's click "
          f"{max(0.0, worst_slowdown):.2f} s slower than its median ({len(rows)} inputs)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="two payloads per class")
    parser.add_argument("--no-links", action="store_true", help="uploads only")
    args = parser.parse_args()
    run(args.quick, not args.no_links)


if __name__ == "__main__":
    main()
