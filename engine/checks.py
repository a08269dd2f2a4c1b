"""Independent recomputations used by the pages' "check" panels: SciPy always, TensorFlow on request.

These deliberately avoid engine.conv's padding code so a mismatch would show."""
from __future__ import annotations

import numpy as np

from engine.conv import _NP_PAD_MODE, resolve_padding
from engine.errors import InputError


def dilate_kernel(kernel: np.ndarray, dilation: int) -> np.ndarray:
    k = np.asarray(kernel, dtype=np.float64)
    out = np.zeros(((k.shape[0] - 1) * dilation + 1, (k.shape[1] - 1) * dilation + 1))
    out[::dilation, ::dilation] = k
    return out


def scipy_reference(image, kernel, *, stride=1, padding="valid", dilation=1, boundary="constant", cval=0.0,
                    flip=False) -> np.ndarray:
    """(H, W) only. Uses scipy.ndimage.convolve directly where the architecture promises equality
    (stride 1, 'same', flip=True, no dilation), else numpy.pad + scipy.signal.correlate2d."""
    from scipy import ndimage, signal

    x = np.asarray(image, dtype=np.float64)
    k = np.asarray(kernel, dtype=np.float64)
    if flip and stride == 1 and padding == "same" and dilation == 1:
        return ndimage.convolve(x, k, mode=boundary, cval=cval)
    kd = dilate_kernel(k[::-1, ::-1] if flip else k, dilation)
    top, bottom, left, right = resolve_padding(padding, x.shape, k.shape, stride, dilation)
    mode = _NP_PAD_MODE[boundary]
    if mode == "constant":
        xp = np.pad(x, ((top, bottom), (left, right)), constant_values=cval)
    else:  # axis by axis: numpy's reflect is undefined on a length-1 axis, where SciPy repeats the value
        xp = np.pad(x, ((top, bottom), (0, 0)), mode="edge" if mode == "reflect" and x.shape[0] == 1 else mode)
        xp = np.pad(xp, ((0, 0), (left, right)), mode="edge" if mode == "reflect" and x.shape[1] == 1 else mode)
    return signal.correlate2d(xp, kd, mode="valid")[::stride, ::stride]


def tensorflow_reference(image, kernel, *, stride=1, padding="valid", dilation=1, flip=False) -> np.ndarray:
    """tf.nn.conv2d with zero padding ('valid' or 'same'); imports TensorFlow."""
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
