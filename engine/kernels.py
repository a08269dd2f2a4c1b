"""Named convolution kernels with one-line explanations, and validation of custom kernels."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.errors import InputError

MAX_KERNEL_SIDE = 7


@dataclass(frozen=True)
class KernelPreset:
    """A named kernel with the sentence that explains what it responds to."""
    name: str
    explanation: str
    values: tuple  # nested tuples; use .array for a float32 copy

    @property
    def array(self) -> np.ndarray:
        return np.array(self.values, dtype=np.float32)


_PRESETS = [
    KernelPreset("identity", "Copies the centre pixel: the image passes through unchanged.",
                 ((0, 0, 0), (0, 1, 0), (0, 0, 0))),
    KernelPreset("edge", "8-neighbour Laplacian: zero on flat areas, strong wherever brightness changes.",
                 ((-1, -1, -1), (-1, 8, -1), (-1, -1, -1))),
    KernelPreset("outline", "4-neighbour Laplacian: a gentler edge detector using only direct neighbours.",
                 ((0, -1, 0), (-1, 4, -1), (0, -1, 0))),
    KernelPreset("top sobel", "Responds where it is brighter above than below (horizontal edges).",
                 ((1, 2, 1), (0, 0, 0), (-1, -2, -1))),
    KernelPreset("bottom sobel", "Responds where it is brighter below than above (horizontal edges).",
                 ((-1, -2, -1), (0, 0, 0), (1, 2, 1))),
    KernelPreset("left sobel", "Responds where it is brighter on the left than the right (vertical edges).",
                 ((1, 0, -1), (2, 0, -2), (1, 0, -1))),
    KernelPreset("right sobel", "Responds where it is brighter on the right than the left (vertical edges).",
                 ((-1, 0, 1), (-2, 0, 2), (-1, 0, 1))),
    KernelPreset("emboss", "Lights one diagonal side of every edge and shades the other: a relief effect.",
                 ((-2, -1, 0), (-1, 1, 1), (0, 1, 2))),
    KernelPreset("sharpen", "Boosts the centre against its neighbours: edges become crisper.",
                 ((0, -1, 0), (-1, 5, -1), (0, -1, 0))),
    KernelPreset("box blur", "Averages the 3x3 neighbourhood: every weight is 1/9.",
                 tuple(tuple(1 / 9 for _ in range(3)) for _ in range(3))),
]
PRESETS = {p.name: p for p in _PRESETS}
PRESET_NAMES = [p.name for p in _PRESETS] + ["gaussian blur", "random", "custom"]
EXPLANATIONS = {p.name: p.explanation for p in _PRESETS} | {
    "gaussian blur": "Weights fall off like a bell curve with distance: a smooth, natural-looking blur.",
    "random": "Random weights, like a freshly initialised convolution layer before training.",
    "custom": "Your own numbers: edit the grid and watch what the kernel does.",
}


def makes_picture(kernel) -> bool:
    """True when the weights add up to clearly more than 0 (blur, identity, sharpen, emboss): the kernel keeps
    brightness, so its output is a picture. Weights that add up to about 0 (edges, Sobels) give signed responses.

    Examples
    --------
    >>> makes_picture(PRESETS["box blur"].array), makes_picture(PRESETS["emboss"].array)
    (True, True)
    >>> makes_picture(PRESETS["left sobel"].array), makes_picture(-PRESETS["box blur"].array)
    (False, False)
    """
    k = np.asarray(kernel, np.float64)
    return bool(k.sum() > 0.1 * np.abs(k).sum())


def gaussian_kernel(size: int = 5, sigma: float = 1.0) -> np.ndarray:
    """Normalised 2-D Gaussian of odd or even `size` (1..7) with standard deviation `sigma` > 0.

    Examples
    --------
    >>> round(float(gaussian_kernel(5, 1.0).sum()), 6)
    1.0
    """
    size = int(size)
    if not 1 <= size <= MAX_KERNEL_SIDE:
        raise InputError("Gaussian size must be between 1 and {max_kernel_side}, got {size}.",
                         max_kernel_side=MAX_KERNEL_SIDE, size=size)
    if not np.isfinite(sigma) or sigma <= 0:
        raise InputError("Gaussian sigma must be a positive number, got {sigma}.", sigma=sigma)
    ax = np.arange(size, dtype=np.float64) - (size - 1) / 2
    g = np.exp(-(ax**2) / (2 * sigma**2))
    k = np.outer(g, g)
    return (k / k.sum()).astype(np.float32)


def random_kernel(size: int = 3, seed: int = 0) -> np.ndarray:
    """Glorot-uniform weights for one in/out channel, as Keras initialises Conv2D.

    Examples
    --------
    >>> random_kernel(3, seed=0).shape
    (3, 3)
    """
    size = int(size)
    if not 1 <= size <= MAX_KERNEL_SIDE:
        raise InputError("Random kernel size must be between 1 and {max_kernel_side}, got {size}.",
                         max_kernel_side=MAX_KERNEL_SIDE, size=size)
    limit = np.sqrt(6 / (2 * size * size))
    return np.random.default_rng(int(seed)).uniform(-limit, limit, (size, size)).astype(np.float32)


def get_kernel(name: str, *, size: int = 5, sigma: float = 1.0, seed: int = 0) -> np.ndarray:
    """A named preset kernel as a float32 array (a fresh copy).

    Examples
    --------
    >>> get_kernel("top sobel").tolist()
    [[1.0, 2.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -2.0, -1.0]]
    """
    if name in PRESETS:
        return PRESETS[name].array
    if name == "gaussian blur":
        return gaussian_kernel(size, sigma)
    if name == "random":
        return random_kernel(size, seed)
    raise InputError("Unknown kernel {name}; choose one of {preset_names}.", name=repr(name),
                     preset_names=', '.join(PRESET_NAMES[:-1]))


def validate_grid(values) -> np.ndarray:
    """Turn nested lists / a 2-D array of numbers into a float32 kernel, or raise ValueError naming the fault.

    Examples
    --------
    >>> validate_grid([[0, 1], [2, 3]]).dtype
    dtype('float32')
    """
    try:
        rows = [list(r) for r in values]
    except TypeError:
        raise InputError("A grid must be a list of rows of numbers, got {values}.", values=repr(values)[:80]) from None
    if not rows or not rows[0]:
        raise InputError("A grid of numbers needs at least one row and one column.")
    width = len(rows[0])
    for i, row in enumerate(rows):
        if len(row) != width:
            raise InputError("Row {i} has {row} numbers but row 1 has {width}; a grid must be rectangular.",
                             i=i + 1, row=len(row), width=width)
    out = np.empty((len(rows), width), dtype=np.float64)
    for i, row in enumerate(rows):
        for j, cell in enumerate(row):
            out[i, j] = _cell_number(cell, i, j)
    h, w = out.shape
    if h > MAX_KERNEL_SIDE or w > MAX_KERNEL_SIDE:
        raise InputError("The grid is {h}x{w}; each side must be between 1 and {max_kernel_side}.", h=h, w=w,
                         max_kernel_side=MAX_KERNEL_SIDE)
    if np.abs(out).max() > 1e6:
        raise InputError("The number {number} is too large; keep numbers within ±1,000,000.",
                         number=format(np.abs(out).max(), "g"))
    return out.astype(np.float32)


def _cell_number(cell, i: int, j: int) -> float:
    if isinstance(cell, bool):
        raise InputError("Cell ({i}, {j}) holds {cell}, not a number.", i=i + 1, j=j + 1, cell=repr(cell))
    try:
        value = float(str(cell).strip()) if isinstance(cell, str) else float(cell)
    except (TypeError, ValueError):
        raise InputError("Cell ({i}, {j}) holds {cell}, which is not a number.", i=i + 1, j=j + 1,
                         cell=repr(cell)) from None
    if not np.isfinite(value):
        raise InputError("Cell ({i}, {j}) holds {value}; cells must hold finite numbers (no NaN or inf).",
                         i=i + 1, j=j + 1, value=value)
    return value


def grid_to_text(kernel: np.ndarray) -> str:
    """The link form of a kernel, the inverse of `grid_from_text`.

    Examples
    --------
    >>> grid_to_text([[1, 0], [0, -1]])
    '1,0;0,-1'
    """
    return ";".join(",".join(f"{v:.6g}" for v in row) for row in np.asarray(kernel))


def grid_from_text(text: str) -> np.ndarray:
    """A kernel written as rows separated by ';' and cells by ',' (the form a link carries).

    Examples
    --------
    >>> grid_from_text("1,0;0,-1").tolist()
    [[1.0, 0.0], [0.0, -1.0]]
    """
    if not isinstance(text, str) or not text.strip():
        raise InputError("An empty text has no numbers.")
    if len(text) > 2000:
        raise InputError("The text of numbers is too long.")
    return validate_grid([row.split(",") for row in text.strip().split(";")])
