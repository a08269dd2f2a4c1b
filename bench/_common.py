import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED_DATA = ROOT.parent / "shared" / "data"


def best_of(fn, repeat: int = 5, *, warmup: int = 1, statistic=min) -> float:
    """Best wall time of `repeat` calls (after `warmup` calls): the least noisy estimate on a shared machine;
    `statistic` (the median, say) summarises the times otherwise."""
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistic(times)
