"""Mutation test of the engine's core functions: break one thing at a time (flip a sign, drop a term, shift an
index) and check that the unit tests notice. A mutant that survives points at a test that cannot fail.

    python scripts/mutate.py            # every mutant, about 15 s each on 2 cores
    python scripts/mutate.py boxes      # only mutants whose name contains "boxes"

Each mutant is one exact text replacement in one file; the file is restored afterwards, whatever happens.
"""
from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TESTS = ["tests/unit", "-k", "not backends and not autoencoders and not command_line and not checkpoint"]

# (name, file, original text, mutated text)
MUTANTS = [
    ("conv: ReLU keeps negatives", "engine/conv.py", "return np.maximum(np.asarray(x, dtype=np.float32), 0)",
     "return np.minimum(np.asarray(x, dtype=np.float32), 0)"),
    ("conv: output size off by one", "engine/conv.py",
     "return (n + pad_total - effective_kernel_size(k, dilation)) // stride + 1",
     "return (n + pad_total - effective_kernel_size(k, dilation)) // stride + 2"),
    ("conv: 'same' puts the odd pixel first", "engine/conv.py", "pads += [total // 2, total - total // 2]",
     "pads += [total - total // 2, total // 2]"),
    ("conv: reflect and mirror swapped", "engine/conv.py", '"reflect": "symmetric", "mirror": "reflect"',
     '"reflect": "reflect", "mirror": "symmetric"'),
    ("conv: flip ignored", "engine/conv.py", "    if flip:\n        k = k[::-1, ::-1]",
     "    if False:\n        k = k[::-1, ::-1]"),
    ("conv: max-pool takes the minimum", "engine/conv.py", "return _pool(x, size, stride, padding, np.nanmax)",
     "return _pool(x, size, stride, padding, np.nanmin)"),
    ("deconv: Wiener without the conjugate", "engine/deconv.py", "np.conj(h) / (np.abs(h) ** 2 + nsr)",
     "h / (np.abs(h) ** 2 + nsr)"),
    ("deconv: Richardson-Lucy ratio inverted", "engine/deconv.py", "ratio = y / np.maximum(reblurred, eps)",
     "ratio = reblurred / np.maximum(y, eps)"),
    ("boxes: union forgets the intersection", "engine/detection/boxes.py",
     "union = area_a[:, None] + area_b[None, :] - inter", "union = area_a[:, None] + area_b[None, :]"),
    ("boxes: NMS suppresses at equal IoU", "engine/detection/boxes.py", "alive[rest] &= row <= iou_threshold",
     "alive[rest] &= row < iou_threshold"),
    ("boxes: NMS keeps one box too many", "engine/detection/boxes.py", "        if len(keep) >= limit:",
     "        if len(keep) > limit:"),
    ("boxes: smooth L1 without the half", "engine/detection/boxes.py", "return np.where(x < beta, 0.5 * x**2 / beta",
     "return np.where(x < beta, x**2 / beta"),
    ("boxes: encode tw against the anchor's height", "engine/detection/boxes.py", "np.log(g[:, 2] / a[:, 2])",
     "np.log(g[:, 2] / a[:, 3])"),
    ("anchors: centres without the half-stride", "engine/detection/anchors.py",
     "ys, xs = stride / 2 + np.arange(fh) * stride, stride / 2 + np.arange(fw) * stride",
     "ys, xs = np.arange(fh) * stride, np.arange(fw) * stride"),
    ("anchors: ratio read as h/w", "engine/detection/anchors.py", "w, h = side * np.sqrt(r), side / np.sqrt(r)",
     "w, h = side / np.sqrt(r), side * np.sqrt(r)"),
    ("anchors: best anchor of a GT not forced", "engine/detection/anchors.py", "            labels[winners] = 1\n",
     "            pass\n"),
    ("yolo: lambda_coord dropped from x, y", "engine/detection/yolo.py", '"coord_xy": lambda_coord * xy',
     '"coord_xy": xy'),
    ("images: luma weights of red and blue swapped", "engine/images.py", "np.array([0.299, 0.587, 0.114]",
     "np.array([0.114, 0.587, 0.299]"),
    ("kernels: top Sobel upside down", "engine/kernels.py", "((1, 2, 1), (0, 0, 0), (-1, -2, -1))),",
     "((-1, -2, -1), (0, 0, 0), (1, 2, 1))),"),
    ("data: 8-bit images divided by 256", "engine/data.py", "        x /= 255\n", "        x /= 256\n"),
    ("data: IDX header bound check removed", "engine/data.py",
     '    _check_values(shape, "The IDX header", dtype)\n', ""),
    ("transpose: the last kernel row's stamp subtracted", "engine/transpose.py",
     "full[a: a + (h - 1) * sh + 1: sh, b: b + (w - 1) * sw + 1: sw] += stamp",
     "full[a: a + (h - 1) * sh + 1: sh, b: b + (w - 1) * sw + 1: sw] += stamp * (-1 if a == kh - 1 else 1)"),
    ("checks: reference mirror treated as reflect", "engine/checks.py", "        j = np.mod(i, 2 * n - 2)\n"
     "        return np.where(j < n, j, 2 * n - 2 - j)", "        j = np.mod(i, 2 * n)\n"
     "        return np.where(j < n, j, 2 * n - 1 - j)"),
]


def run_tests() -> bool:
    """True when the tests pass (the mutant survived)."""
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-x", "-p", "no:cacheprovider", *TESTS],
                            cwd=ROOT, capture_output=True, text=True)
    return result.returncode == 0


def main(selector: str = "") -> int:
    chosen = [m for m in MUTANTS if selector in m[0]]
    caught, survived = 0, []
    for name, rel, original, mutated in chosen:
        path = ROOT / rel
        source = path.read_text()
        if source.count(original) != 1:
            print(f"SKIP  {name}: the original text is not found exactly once in {rel}")
            continue
        start = time.perf_counter()
        try:
            path.write_text(source.replace(original, mutated))
            alive = run_tests()
        finally:
            path.write_text(source)
        print(f"{'SURVIVED' if alive else 'caught  '}  {time.perf_counter() - start:5.1f} s  {name}")
        if alive:
            survived.append(name)
        else:
            caught += 1
    print(f"{len(chosen)} mutants tried, {caught} caught, {len(survived)} survived" +
          (": " + "; ".join(survived) if survived else ""))
    return 1 if survived else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else ""))
