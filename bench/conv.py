"""Engine conv2d vs scipy.ndimage.correlate on a 512x512x3 image, and the kernel page's server-side time
per interaction (AppTest reruns). Prints ratios measured in the same run; target ratio <= 1.5."""
import time

import numpy as np
from _common import ROOT, best_of
from scipy import ndimage

from engine import conv


def conv_ratios():
    rng = np.random.default_rng(0)
    image = rng.random((512, 512, 3), dtype=np.float32)
    print("conv2d (same, reflect) on 512x512x3 vs scipy.ndimage.correlate (reflect)")
    for size in (3, 5, 7):
        kernel = rng.normal(size=(size, size)).astype(np.float32)
        ours = best_of(lambda kernel=kernel: conv.conv2d(image, kernel, padding="same", boundary="reflect"))
        ref = best_of(lambda kernel=kernel: ndimage.correlate(image, kernel[:, :, None], mode="reflect"))
        print(f"  {size}x{size}: engine {ours * 1e3:7.1f} ms  scipy {ref * 1e3:7.1f} ms  ratio {ours / ref:4.2f}")


def page_interaction_times(n: int = 8):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "streamlit_app.py"), default_timeout=120)
    at.switch_page("lessons/kernels.py")
    at.run()
    presets = ["edge", "top sobel", "emboss", "sharpen", "box blur", "gaussian blur", "identity", "outline"]
    times = []
    for i in range(n):
        t = time.perf_counter()
        at.selectbox(key="kernels.kernel").set_value(presets[i % len(presets)]).run()
        times.append(time.perf_counter() - t)
        assert not at.exception, at.exception
    times = np.array(times)
    print(f"kernel page, server-side time per interaction over {n} preset changes (AppTest, 256x256 image): "
          f"median {np.median(times) * 1e3:.0f} ms, max {times.max() * 1e3:.0f} ms")


if __name__ == "__main__":
    conv_ratios()
    page_interaction_times()
