"""Independent recomputations used by the pages' "check" panels: SciPy always, TensorFlow on request.

The SciPy reference shares no code with engine.conv: it resolves padding from TensorFlow's definition and
builds the padded image by indexing with SciPy's documented boundary rules, not with numpy.pad, so a
mistake in engine.conv's padding, boundary or stride code shows up as a difference."""
from __future__ import annotations

import numpy as np

from engine.errors import InputError


def dilate_kernel(kernel: np.ndarray, dilation: int) -> np.ndarray:
    """The kernel with dilation-1 zeros between its taps (the form a dilated convolution applies).

    Examples
    --------
    >>> dilate_kernel([[1, 2], [3, 4]], 2).tolist()
    [[1.0, 0.0, 2.0], [0.0, 0.0, 0.0], [3.0, 0.0, 4.0]]
    """
    k = np.asarray(kernel, dtype=np.float64)
    out = np.zeros(((k.shape[0] - 1) * dilation + 1, (k.shape[1] - 1) * dilation + 1))
    out[::dilation, ::dilation] = k
    return out


def reference_pads(padding, n: int, k: int, stride: int, dilation: int) -> tuple[int, int]:
    """(before, after) along one axis, from the definitions: 'valid' none; 'same' as TensorFlow (output
    ceil(n / stride), the odd pixel after); 'full' every partial overlap; an int or pairs as given.

    Examples
    --------
    >>> reference_pads('same', 5, 3, 2, 1), reference_pads('full', 4, 3, 1, 2)
    ((1, 1), (4, 4))
    """
    span = (k - 1) * dilation + 1
    if padding == "valid":
        return 0, 0
    if padding == "same":
        total = max((-(-n // stride) - 1) * stride + span - n, 0)
        return total // 2, total - total // 2
    if padding == "full":
        return span - 1, span - 1
    if isinstance(padding, int):
        return padding, padding
    raise InputError("The reference takes 'valid', 'same', 'full' or one integer padding.")


def boundary_index(i: np.ndarray, n: int, mode: str) -> np.ndarray:
    """Which input index SciPy's `mode` reads for (possibly out-of-range) index i, from scipy.ndimage's docs:
    nearest 'a a | a b c d | d d', wrap 'b c d | a b c d | a b', reflect 'b a | a b c d | d c',
    mirror 'c b | a b c d | c b' (one pixel: always that pixel).

    Examples
    --------
    >>> boundary_index(np.arange(-2, 6), 4, 'mirror').tolist()
    [2, 1, 0, 1, 2, 3, 2, 1]
    """
    if mode == "nearest":
        return np.clip(i, 0, n - 1)
    if mode == "wrap":
        return np.mod(i, n)
    if mode == "reflect":
        j = np.mod(i, 2 * n)
        return np.where(j < n, j, 2 * n - 1 - j)
    if mode == "mirror":
        if n == 1:
            return np.zeros_like(i)
        j = np.mod(i, 2 * n - 2)
        return np.where(j < n, j, 2 * n - 2 - j)
    raise InputError("boundary {mode} has no reference rule.", mode=repr(mode))


def scipy_reference(image, kernel, *, stride=1, padding="valid", dilation=1, boundary="constant", cval=0.0,
                    flip=False) -> np.ndarray:
    """(H, W) only. Uses scipy.ndimage.convolve directly where the architecture promises equality
    (stride 1, 'same', flip=True, no dilation), else the padded image built here + scipy.signal.correlate2d.

    Examples
    --------
    >>> scipy_reference([[1, 2], [3, 4]], [[1]], padding=1).tolist()
    [[0.0, 0.0, 0.0, 0.0], [0.0, 1.0, 2.0, 0.0], [0.0, 3.0, 4.0, 0.0], [0.0, 0.0, 0.0, 0.0]]
    """
    from scipy import ndimage, signal

    x = np.asarray(image, dtype=np.float64)
    k = np.asarray(kernel, dtype=np.float64)
    if flip and stride == 1 and padding == "same" and dilation == 1:
        return ndimage.convolve(x, k, mode=boundary, cval=cval)
    kd = dilate_kernel(k[::-1, ::-1] if flip else k, dilation)
    (top, bottom), (left, right) = (reference_pads(padding, n, kn, stride, dilation)
                                    for n, kn in zip(x.shape, k.shape))
    rows = np.arange(-top, x.shape[0] + bottom)
    cols = np.arange(-left, x.shape[1] + right)
    if boundary == "constant":
        inside = (rows[:, None] >= 0) & (rows[:, None] < x.shape[0]) & (cols >= 0) & (cols < x.shape[1])
        xp = np.where(inside, x[np.clip(rows, 0, x.shape[0] - 1)][:, np.clip(cols, 0, x.shape[1] - 1)], cval)
    else:
        xp = x[boundary_index(rows, x.shape[0], boundary)][:, boundary_index(cols, x.shape[1], boundary)]
    return signal.correlate2d(xp, kd, mode="valid")[::stride, ::stride]


def tensorflow_reference(image, kernel, *, stride=1, padding="valid", dilation=1, flip=False) -> np.ndarray:
    """tf.nn.conv2d with zero padding ('valid' or 'same'); imports TensorFlow.

    Examples
    --------
    >>> tensorflow_reference([[1., 2.], [3., 4.]], [[1.]]).tolist()
    [[1.0, 2.0], [3.0, 4.0]]
    """
    import tensorflow as tf

    if padding not in ("valid", "same"):
        raise InputError("TensorFlow's conv2d only knows 'valid' and 'same' padding.")
    if stride > 1 and dilation > 1:
        raise InputError("tf.nn.conv2d does not combine stride > 1 with dilation > 1 on the CPU.")
    k = np.asarray(kernel, dtype=np.float32)
    k = k[::-1, ::-1] if flip else k
    x = tf.constant(np.asarray(image, dtype=np.float32)[None, :, :, None])
    y = tf.nn.conv2d(x, tf.constant(np.ascontiguousarray(k)[:, :, None, None]), strides=stride,
                     padding=padding.upper(), dilations=dilation)
    return y.numpy()[0, :, :, 0]
