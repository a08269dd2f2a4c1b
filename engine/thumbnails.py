"""Small preview pictures for the home page, computed by the lessons' own engine code (NumPy only)."""
from __future__ import annotations

import numpy as np

from engine import conv, images, kernels


def _normalise(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    lo, hi = float(x.min()), float(x.max())
    return (x - lo) / (hi - lo) if hi > lo else np.zeros_like(x)


def kernels_thumbnail(size: int = 192) -> np.ndarray:
    """The Kernels lesson's card on the home page: an edge map of a sample (192 x 192).

    Examples
    --------
    >>> kernels_thumbnail().shape
    (192, 192)
    """
    gray = images.to_gray(images.sample_image("house", size))
    edges = np.abs(conv.conv2d(gray, kernels.get_kernel("edge"), padding="same", boundary="nearest"))
    return 1 - np.clip(edges * 1.5, 0, 1)


def upsampling_thumbnail(size: int = 192) -> np.ndarray:
    """The Transposed-conv lesson's card: the checkerboard of a 3x3, stride-2 transposed convolution, in colour.

    Examples
    --------
    >>> upsampling_thumbnail().shape
    (192, 192, 3)
    """
    from engine import transpose
    counts = transpose.overlap_map(24, kernel_size=3, stride=2)
    tile = _normalise(counts)
    return images.resize(np.stack([0.2 + 0.8 * tile, 0.3 + 0.4 * tile, 0.9 - 0.6 * tile], axis=2), (size, size))


def train_thumbnail(size: int = 192) -> np.ndarray:
    """The Train lesson's card: a grid of real MNIST digits (the bundled test set).

    Examples
    --------
    >>> train_thumbnail().shape
    (192, 192)
    """
    from engine import data
    digits = data.bundled_digits(16)[0]
    grid = data.image_grid(digits, cols=4)
    return images.resize(grid, (size, size))


def detection_thumbnail(size: int = 192) -> np.ndarray:
    """The Detection lesson's card: a built-in scene with its boxes.

    Examples
    --------
    >>> detection_thumbnail().shape
    (192, 192, 3)
    """
    from engine.detection import samples
    scene = samples.detection_scene(0, size=size)
    return samples.draw_boxes(scene.image, scene.boxes, scene.labels)


def learn_thumbnail(size: int = 192) -> np.ndarray:
    """The "What a network learns" card: the nine 3x3 preset kernels a learned one is compared with, in grey.

    Examples
    --------
    >>> learn_thumbnail().shape
    (192, 192)
    """
    from engine import cnn, data
    tiles = np.stack([kernels.PRESETS[name].array for name in cnn.MATCH_PRESETS[:9]])
    tiles = (tiles / np.abs(tiles).max(axis=(1, 2), keepdims=True) + 1) / 2
    return images.resize(data.image_grid(np.kron(tiles, np.ones((8, 8))), cols=3, pad=2), (size, size))


THUMBNAILS = {"kernels": kernels_thumbnail, "upsampling": upsampling_thumbnail, "train": train_thumbnail,
              "learn": learn_thumbnail, "detection": detection_thumbnail}
