import os
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


def tree_pss_mb(pid: int) -> float:
    """Proportional resident memory (PSS) of a process and all its descendants (the reader's forkserver and
    children): pages a forked child shares with its parent count once, split between them, not once each."""
    total, todo = 0.0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as rollup:
                total += next(int(line.split()[1]) for line in rollup if line.startswith("Pss:")) / 1024
            for task in os.listdir(f"/proc/{p}/task"):
                with open(f"/proc/{p}/task/{task}/children") as children:
                    todo += [int(c) for c in children.read().split()]
        except (OSError, StopIteration):
            pass
    return total
