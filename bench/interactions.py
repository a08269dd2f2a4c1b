"""Server time of one interaction on every lesson's tabs, in AppTest (the script rerun only, no network or
browser): median and worst of --repeat reruns, each after moving one control. Goal: median at most 150 ms.
Reference in the same run: a rerun of a trivial page (one slider, one line of text)."""
import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT

sys.path.insert(0, str(ROOT))
from streamlit.testing.v1 import AppTest  # noqa: E402

# (page, link parameters, slider key, two values to alternate between)
CASES = [
    ("kernels", {}, "kernels.stride", (1, 2)),
    ("kernels", {"tab": "closer"}, "kernels.zr", (60, 61)),
    ("kernels", {"tab": "numbers"}, "kernels.stride", (1, 2)),
    ("kernels", {"tab": "shapes"}, "kernels.stride", (1, 2)),
    ("upsampling", {}, "upsampling.s1", (1, 2)),
    ("upsampling", {"tab": "scatter"}, "upsampling.s2", (2, 3)),
    ("upsampling", {"tab": "matrix"}, "upsampling.n3", (4, 5)),
    ("upsampling", {"tab": "checkerboard"}, "upsampling.k4", (3, 4)),
    ("upsampling", {"tab": "deconv"}, "upsampling.rl", (30, 31)),
    ("detection", {}, "detection.scene", (0, 1)),
    ("detection", {"tab": "yolo"}, "detection.S", (7, 8)),
    ("detection", {"tab": "anchors"}, "detection.pos", (0.7, 0.75)),
    ("detection", {"tab": "anchors", "ssize": "800"}, "detection.pos", (0.7, 0.75)),
    ("detection", {"tab": "nms"}, "detection.iou", (0.5, 0.55)),
    ("detection", {"tab": "losses"}, "detection.jit", (0.05, 0.06)),
    ("detection", {"tab": "segmentation"}, "detection.sddx", (0, 3)),
]
TRIVIAL = 'import streamlit as st\nx = st.slider("x", 0, 10, 1, key="x")\nst.write(x * 2)\n'


def timed_reruns(at: AppTest, key: str, values, repeat: int) -> list[float]:
    times = []
    for i in range(repeat):
        at.slider(key=key).set_value(values[i % 2])
        start = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - start)
        assert not at.exception, [e.value for e in at.exception]
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        trivial = Path(tmp) / "trivial.py"
        trivial.write_text(TRIVIAL)
        at = AppTest.from_file(str(trivial))
        at.run()
        reference = statistics.median(timed_reruns(at, "x", (1, 2), args.repeat))
    print(f"trivial page rerun: median {reference * 1000:.0f} ms")
    for page, params, key, values in CASES:
        at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
        for name, value in params.items():
            at.query_params[name] = value
        at.switch_page(f"lessons/{page}.py")
        at.run()
        times = timed_reruns(at, key, values, args.repeat)
        median = statistics.median(times)
        flag = "" if median <= 0.150 else "  > 150 ms"
        view = params.get("tab", "(first tab)") + (" 800x800" if "ssize" in params else "")
        print(f"  {page:10s} {view:22s} {key:20s} median {median * 1000:5.0f} ms, "
              f"worst {max(times) * 1000:5.0f} ms, ratio to trivial {median / reference:5.1f}{flag}", flush=True)


if __name__ == "__main__":
    main()
