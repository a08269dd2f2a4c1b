"""The small CNN classifier of the "What a network learns" lesson, in NumPy (keras-free).

Conv 3x3 -> ReLU -> MaxPool 2, twice, then Flatten -> Dense (one logit per class). This module knows its layer
table (shapes and parameter counts from engine.conv's calculator), runs it forward from the live weights (every
intermediate map, for the feature-map view), compares learned first-layer kernels with the hand-made presets,
and scores a classifier (confusion matrix, most confidently wrong images). engine.models builds the same network
in Keras for training; tests check that the two agree layer by layer.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine import conv, kernels
from engine.errors import InputError

# The one registry of network sizes: filters of the first and second convolution.
CNN_SIZES = {"tiny": (4, 8), "small": (8, 16), "wide": (16, 32)}
CNN_SIZE_LABELS = {name: f"{name.capitalize()}: {a} + {b} filters" for name, (a, b) in CNN_SIZES.items()}
KERNEL_SIDE = 3
POOL = 2
MIN_SIDE = 10  # the smallest input both conv+pool stages fit: 10 -> 8 -> 4 -> 2 -> 1
MAX_CLASSES = 100
# The hand-made kernels a learned one is compared with: every 3x3 preset of the Kernels lesson.
MATCH_PRESETS = tuple(name for name, p in kernels.PRESETS.items() if p.array.shape == (KERNEL_SIDE, KERNEL_SIDE))


@dataclass(frozen=True)
class LayerInfo:
    """One row of the network's table: Keras' layer name and kind, output shape (batch left out), parameters."""
    name: str
    kind: str
    out_shape: tuple[int, ...]
    params: int


def check_cnn_input(input_shape, classes: int) -> tuple[int, int, int]:
    """The (H, W, C) this network accepts, or InputError.

    >>> check_cnn_input((28, 28, 1), 10)
    (28, 28, 1)
    """
    h, w, c = (int(v) for v in input_shape)
    if min(h, w) < MIN_SIDE or c not in (1, 3):
        raise InputError("The small CNN needs images of at least {min_side}x{min_side2} pixels with 1 or 3 channels, "
                         "got {input_shape}.", min_side=MIN_SIDE, min_side2=MIN_SIDE, input_shape=tuple(input_shape))
    if not 2 <= int(classes) <= MAX_CLASSES:
        raise InputError("A classifier needs between 2 and {max_classes} classes, got {classes}.",
                         max_classes=MAX_CLASSES, classes=classes)
    return h, w, c


def layer_table(input_shape=(28, 28, 1), size: str = "small", classes: int = 10) -> list[LayerInfo]:
    """Every layer's output shape and parameter count, as Keras' `model.summary()` lists them.

    Examples
    --------
    >>> [(l.name, l.out_shape, l.params) for l in layer_table((28, 28, 1), "small", 10)][::2]
    [('conv1', (26, 26, 8), 80), ('pool1', (13, 13, 8), 0), ('relu2', (11, 11, 16), 0), ('flatten', (400,), 0)]
    >>> sum(l.params for l in layer_table((28, 28, 1), "small", 10))
    5258
    """
    if size not in CNN_SIZES:
        raise InputError("size must be one of {cnn_sizes}, got {size}.", cnn_sizes=", ".join(CNN_SIZES),
                         size=repr(size))
    shape = check_cnn_input(input_shape, classes)
    rows = []
    for i, filters in enumerate(CNN_SIZES[size], start=1):
        layer = conv.conv2d_layer_shape(shape, filters, KERNEL_SIDE)
        shape = layer.out_shape
        rows += [LayerInfo(f"conv{i}", "Conv2D", shape, layer.params), LayerInfo(f"relu{i}", "ReLU", shape, 0)]
        shape = (shape[0] // POOL, shape[1] // POOL, shape[2])
        rows.append(LayerInfo(f"pool{i}", "MaxPooling2D", shape, 0))
    features = int(np.prod(shape))
    rows += [LayerInfo("flatten", "Flatten", (features,), 0),
             LayerInfo("logits", "Dense", (int(classes),), conv.dense_params(features, int(classes)))]
    return rows


def _conv_valid(x: np.ndarray, kernel: np.ndarray, bias: np.ndarray) -> np.ndarray:
    """Keras' Conv2D, padding 'valid', stride 1 (a cross-correlation): x (H, W, Cin), kernel (kh, kw, Cin, F)."""
    kh, kw = kernel.shape[:2]
    windows = np.lib.stride_tricks.sliding_window_view(x, (kh, kw), axis=(0, 1))  # (Ho, Wo, Cin, kh, kw)
    return np.einsum("hwcij,ijcf->hwf", windows, kernel, optimize=True) + bias


def _max_pool(x: np.ndarray, size: int = POOL) -> np.ndarray:
    """Keras' MaxPooling2D(size), padding 'valid': a trailing row/column that does not fill a window is dropped."""
    h, w = (x.shape[0] // size) * size, (x.shape[1] // size) * size
    return np.stack([conv.max_pool2d(x[:h, :w, c], size) for c in range(x.shape[2])], axis=-1)


def softmax(logits) -> np.ndarray:
    """Class probabilities from logits, computed stably.

    >>> softmax(np.array([0.0, np.log(3.0)])).round(3).tolist()
    [0.25, 0.75]
    """
    z = np.asarray(logits, np.float64)
    z = np.exp(z - z.max(axis=-1, keepdims=True))
    return z / z.sum(axis=-1, keepdims=True)


def forward(weights: dict, image) -> dict:
    """Run one image (H, W, C) in [0, 1] through the network: every layer's output, by the layer's name, plus
    'probabilities'. `weights` maps 'conv1', 'conv2' and 'logits' to (kernel, bias) as Keras stores them."""
    x = np.asarray(image, np.float32)
    if x.ndim == 2:
        x = x[..., None]
    out = {}
    for i in (1, 2):
        kernel, bias = (np.asarray(a, np.float32) for a in weights[f"conv{i}"])
        if kernel.shape[2] != x.shape[2] or x.shape[0] < kernel.shape[0] or x.shape[1] < kernel.shape[1]:
            raise InputError("The image (shape {np}) does not fit this network's layer {value}.", np=x.shape,
                             value=f"conv{i}")
        x = out[f"conv{i}"] = _conv_valid(x, kernel, bias)
        x = out[f"relu{i}"] = conv.relu(x)
        x = out[f"pool{i}"] = _max_pool(x)
    out["flatten"] = x.reshape(-1)
    kernel, bias = (np.asarray(a, np.float32) for a in weights["logits"])
    if kernel.shape[0] != out["flatten"].size:
        raise InputError("The image (shape {np}) does not fit this network's layer {value}.", np=np.shape(image),
                         value="logits")
    out["logits"] = out["flatten"] @ kernel + bias
    out["probabilities"] = softmax(out["logits"])
    return out


def first_layer_kernels(kernel: np.ndarray) -> np.ndarray:
    """The first convolution's filters as (F, kh, kw) grids; for colour inputs, summed over the channels (how the
    filter responds to brightness). `kernel` is Keras' (kh, kw, C, F)."""
    return np.moveaxis(np.asarray(kernel, np.float64).sum(axis=2), -1, 0)


def preset_similarities(learned: np.ndarray, presets=MATCH_PRESETS) -> np.ndarray:
    """|cosine similarity| between each learned kernel (F, 3, 3) and each preset, (F, P): 1 means the same
    pattern up to scale and sign, 0 nothing in common. A kernel of all zeros is similar to nothing.

    Examples
    --------
    >>> learned = np.stack([-2 * kernels.PRESETS["left sobel"].array, np.ones((3, 3))])
    >>> sims = preset_similarities(learned, ("left sobel", "box blur"))
    >>> sims.round(3).tolist()
    [[1.0, 0.0], [0.0, 1.0]]
    """
    a = np.asarray(learned, np.float64).reshape(len(learned), -1)
    b = np.stack([kernels.PRESETS[name].array.astype(np.float64).reshape(-1) for name in presets])
    norms = np.linalg.norm(a, axis=1)[:, None] * np.linalg.norm(b, axis=1)[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        sims = np.abs(a @ b.T) / norms
    return np.nan_to_num(sims, nan=0.0)


@dataclass(frozen=True)
class KernelMatch:
    """A learned kernel's closest preset: which, how close (|cosine|), and whether it is the preset or its negative."""
    preset: str
    similarity: float
    sign: int


def closest_presets(learned: np.ndarray, presets=MATCH_PRESETS) -> list[KernelMatch]:
    """For each learned kernel (F, 3, 3), the most similar preset (sign-invariant); ties go to the earlier preset.

    >>> m = closest_presets(-kernels.PRESETS["top sobel"].array[None])[0]
    >>> (m.preset, round(m.similarity, 3), m.sign)
    ('bottom sobel', 1.0, 1)
    """
    learned = np.asarray(learned, np.float64)
    sims = preset_similarities(learned, presets)
    signed = np.stack([kernels.PRESETS[name].array.astype(np.float64).reshape(-1) for name in presets])
    dots = learned.reshape(len(learned), -1) @ signed.T
    matches = []
    for f in range(len(learned)):
        # a preset and its negative (top/bottom Sobel) score alike; the one the kernel points along wins
        best = max(range(len(presets)), key=lambda p: (round(sims[f, p], 9), dots[f, p] > 0, -p))
        matches.append(KernelMatch(presets[best], float(sims[f, best]), 1 if dots[f, best] >= 0 else -1))
    return matches


def confusion_matrix(y_true, y_pred, classes: int) -> np.ndarray:
    """Counts (classes, classes): row = true class, column = predicted class.

    >>> confusion_matrix([0, 0, 1, 2], [0, 1, 1, 1], 3).tolist()
    [[1, 1, 0], [0, 1, 0], [0, 1, 0]]
    """
    y_true, y_pred = np.asarray(y_true, np.int64).ravel(), np.asarray(y_pred, np.int64).ravel()
    if y_true.shape != y_pred.shape:
        raise InputError("Need one prediction per label: {labels} labels, {predictions} predictions.",
                         labels=y_true.size, predictions=y_pred.size)
    if y_true.size and (min(y_true.min(), y_pred.min()) < 0 or max(y_true.max(), y_pred.max()) >= classes):
        raise InputError("Classes must be whole numbers from 0 to {classes}.", classes=classes - 1)
    return np.bincount(y_true * classes + y_pred, minlength=classes * classes).reshape(classes, classes)


def confident_mistakes(probabilities, y_true, k: int = 8) -> list[tuple[int, int, float]]:
    """The k wrongly classified examples the model was surest of: (index, predicted class, its probability),
    surest first.

    >>> confident_mistakes([[0.9, 0.1], [0.2, 0.8], [0.4, 0.6]], [1, 1, 0], k=5)
    [(0, 0, 0.9), (2, 1, 0.6)]
    """
    p = np.asarray(probabilities, np.float64)
    predicted, y_true = p.argmax(axis=1), np.asarray(y_true)
    confidence = p[np.arange(len(p)), predicted]
    wrong = np.flatnonzero(predicted != y_true)
    order = wrong[np.argsort(-confidence[wrong], kind="stable")][:k]
    return [(int(i), int(predicted[i]), round(float(confidence[i]), 6)) for i in order]
