"""What releasing TensorFlow's library pages (engine/memory.py, MADV_PAGEOUT) buys, measured in fresh processes.

For each setting (released / kept) a child process imports Keras, trains the AE for a fixed number of steps and
reports: RSS and its anonymous part after the import; how much of TensorFlow's main library is still in the
page cache (fincore); the steps' wall time and the major page faults they needed.

    python bench/memory.py [STEPS] [--cgroup-mb MB]

With --cgroup-mb (root, cgroup v1 memory controller) each child runs inside a memory cgroup of that limit after
the page cache is dropped: what a container's limit does to the two settings.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHILD = r"""
import glob, json, os, resource, subprocess, sys, time
sys.path.insert(0, sys.argv[1])
from engine import data, device, memory, training
device.framework_accelerator()          # imports Keras; releases library pages unless switched off
after_import = memory.resident_mb()
import tensorflow as tf
lib = max(glob.glob(os.path.join(os.path.dirname(tf.__file__), "**", "libtensorflow_cc.so*"), recursive=True)
          or glob.glob(os.path.join(os.path.dirname(tf.__file__), "**", "*.so*"), recursive=True), key=os.path.getsize)
def cached_mb():
    out = subprocess.run(["fincore", "--bytes", "--noheadings", "--output", "RES", lib], capture_output=True, text=True)
    return int(out.stdout.split()[0]) / 2**20 if out.returncode == 0 and out.stdout.strip() else float("nan")
cache_after_import = cached_mb()
x, y = data.builtin_digits(512, seed=1)
ds = data.Dataset("builtin", x[:448], y[:448], x[448:], y[448:])
trainer = training.Trainer(training.TrainConfig(model="ae", seconds=None, epochs=1000, batch_size=64), dataset=ds)
trainer._prepare()
for _ in range(training.RELEASE_PAGES_AFTER_STEP + 1):   # the first steps compile; the release happens here
    trainer._one_step()
faults0, t0 = resource.getrusage(resource.RUSAGE_SELF).ru_majflt, time.perf_counter()
for _ in range(int(sys.argv[2])):
    trainer._one_step()
print(json.dumps({"rss_after_import": after_import.get("rss"), "anon_after_import": after_import.get("anonymous"),
                  "lib_cached_mb_after_import": cache_after_import, "lib_mb": os.path.getsize(lib) / 2**20,
                  "rss_after_training": memory.resident_mb().get("rss"),
                  "steps_s": time.perf_counter() - t0,
                  "major_faults": resource.getrusage(resource.RUSAGE_SELF).ru_majflt - faults0}))
"""


CGROUP = Path("/sys/fs/cgroup/memory/convlab_bench")


def run(release: bool, steps: int, cgroup_mb: int | None = None) -> dict:
    env = {**os.environ, "CONVLAB_RELEASE_LIBRARY_PAGES": "1" if release else "0", "TF_CPP_MIN_LOG_LEVEL": "3"}
    command = [sys.executable, "-c", CHILD, str(ROOT), str(steps)]
    if cgroup_mb:
        CGROUP.mkdir(exist_ok=True)
        (CGROUP / "memory.limit_in_bytes").write_text(str(cgroup_mb * 2**20))
        subprocess.run(["sync"], check=False)
        Path("/proc/sys/vm/drop_caches").write_text("3")
        command = ["sh", "-c", f'echo $$ > {CGROUP}/cgroup.procs && exec "$@"', "sh", *command]
    out = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    return json.loads(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    steps = int(args[0]) if args else 150
    cgroup_mb = int(sys.argv[sys.argv.index("--cgroup-mb") + 1]) if "--cgroup-mb" in sys.argv else None
    if cgroup_mb:
        args = [a for a in args if a != str(cgroup_mb)]
        steps = int(args[0]) if args else 150
    for _repeat in range(2):
        for release in (True, False):
            r = run(release, steps, cgroup_mb)
            print(f"{'released' if release else 'kept    '}  RSS after import {r['rss_after_import']:6.0f} MB "
                  f"(anonymous {r['anon_after_import']:5.0f})  TF library in page cache "
                  f"{r['lib_cached_mb_after_import']:6.0f} of {r['lib_mb']:.0f} MB  RSS after training "
                  f"{r['rss_after_training']:6.0f} MB  {steps} steps {r['steps_s']:5.2f} s  "
                  f"major faults {r['major_faults']}")
    if cgroup_mb:
        CGROUP.rmdir()
