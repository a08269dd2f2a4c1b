"""Transposed convolution ("learnable upsampling"): the adjoint of conv2d, not its inverse.

Three equivalent views, each with its own function: scatter-add, zero-insertion + ordinary
convolution with the flipped kernel, and the matrix view C^T. Output sizes follow Keras'
Conv2DTranspose and tf.nn.conv2d_transpose; relationships from Dumoulin & Visin (2016).
"""
from __future__ import annotations

import numpy as np

from engine.conv import _pair, _pos_int, conv2d, conv_output_size, resolve_padding
from engine.errors import InputError

MAX_MATRIX_ENTRIES = 4_000_000  # the matrix view's C: 16 MB of float32, drawn as a heatmap


def transpose_output_size(n: int, k: int, stride: int = 1, padding: str | int = "valid",
                          output_padding: int | None = None) -> int:
    """Output length of a transposed convolution along one axis: Keras' deconv_output_length for "valid" and
    "same", PyTorch's ConvTranspose2d for an integer padding p, (n - 1)·stride + k - 2p + output_padding.

    Parameters
    ----------
    n, k, stride : int
        Input length, kernel length, stride.
    padding : {"valid", "same"} or int
        An integer p crops p rows from each end of the full scatter (PyTorch's `padding`).
    output_padding : int or None
        Extra rows at the end; must be smaller than the stride, and TensorFlow refuses values for which a
        forward convolution would not map the output back to `n` (refused here too).

    Examples
    --------
    >>> transpose_output_size(4, 3, 2, "same"), transpose_output_size(4, 3, 2, "valid")
    (8, 9)
    >>> transpose_output_size(5, 3, 2, 1), transpose_output_size(5, 3, 2, 1, 1)
    (9, 10)
    """
    padding = _check_padding(padding)
    if isinstance(padding, int):
        op = 0 if output_padding is None else output_padding
        if not 0 <= op < stride:
            raise InputError("output_padding must be at least 0 and smaller than the stride ({stride}), got "
                             "{output_padding}.", stride=stride, output_padding=op)
        length = (n - 1) * stride + k - 2 * padding + op
        if length < 1:
            raise InputError("padding {padding} crops the whole output: (n − 1)·stride + k − 2·padding + "
                             "output_padding = {length}. Use a smaller padding.", padding=padding, length=length)
        return length
    if output_padding is None:
        return n * stride + max(k - stride, 0) if padding == "valid" else n * stride
    if not 0 <= output_padding < stride:
        raise InputError("output_padding must be at least 0 and smaller than the stride ({stride}), got "
                         "{output_padding}.", stride=stride, output_padding=output_padding)
    pad = k // 2 if padding == "same" else 0
    length = (n - 1) * stride + k - 2 * pad + output_padding
    back = -(-length // stride) if padding == "same" else conv_output_size(length, k, stride)
    if length < 1 or back != n:
        raise InputError("output_padding={output_padding} with kernel {k}, stride {stride} and padding '{padding}' "
                         "gives an output of length {length}, which a forward convolution would map to {back}, not "
                         "{n}; TensorFlow rejects this combination. Try another output_padding or an odd kernel.",
                         output_padding=output_padding, k=k, stride=stride, padding=padding, length=length, back=back,
                         n=n)
    return length


MAX_PADDING = 64


def _check_padding(padding) -> str | int:
    """"valid", "same", or a whole number of rows cropped from each end (PyTorch's integer padding)."""
    if padding in ("valid", "same"):
        return padding
    if isinstance(padding, (int, np.integer)) and not isinstance(padding, bool) and 0 <= padding <= MAX_PADDING:
        return int(padding)
    raise InputError("padding must be 'valid', 'same' or a whole number from 0 to {max_padding} for transposed "
                     "convolution, got {padding}.", max_padding=MAX_PADDING, padding=repr(padding)[:40])


def _crop_offsets(out_len: int, k: int, stride: int, padding: str) -> int:
    """How many leading elements of the full scatter result are cut off: the 'same' padding that a
    forward conv2d from an input of length out_len would put at the top/left (TensorFlow's rule), or the integer
    padding itself."""
    if isinstance(padding, int):
        return padding
    if padding == "valid":
        return 0
    return resolve_padding("same", (out_len, out_len), (k, k), stride)[0]


def _prepare(x, kernel, stride, output_padding):
    x = np.asarray(x, dtype=np.float32)
    k = np.asarray(kernel, dtype=np.float32)
    if x.ndim not in (2, 3) or x.size == 0:
        raise InputError("input must be (H, W) or (H, W, C), got shape {shape}.", shape=x.shape)
    if k.ndim not in (2, 4) or k.size == 0:
        raise InputError("kernel must be (kh, kw) or (kh, kw, C_out, C_in), got shape {shape}.", shape=k.shape)
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(k))):
        raise InputError("input and kernel must hold finite numbers (no NaN or inf).")
    sh, sw = _pair(stride, "stride")
    if output_padding is None:
        ops = (None, None)
    elif isinstance(output_padding, (tuple, list)):
        ops = tuple(_pos_int(v, "output_padding", 0) for v in output_padding)
    else:
        ops = (_pos_int(output_padding, "output_padding", 0),) * 2
    return x, k, (sh, sw), ops


def scatter_full(x: np.ndarray, kernel: np.ndarray, stride) -> np.ndarray:
    """Every input pixel stamps a copy of the kernel scaled by its value; overlaps add up.
    Returns the uncropped result, size (H-1)*s + kh by (W-1)*s + kw.

    Examples
    --------
    >>> scatter_full(np.array([[1., 2.]]), np.array([[1., 1.]]), 1).tolist()
    [[1.0, 3.0, 2.0]]
    """
    x, k, (sh, sw), _ = _prepare(x, kernel, stride, None)
    bank = k.ndim == 4
    if bank and x.ndim == 2:
        x = x[..., None]
    if bank and k.shape[3] != x.shape[2]:
        raise InputError("kernel expects {kernel_channels} input channels, the input has {input_channels}.",
                         kernel_channels=k.shape[3], input_channels=x.shape[2])
    h, w = x.shape[:2]
    kh, kw = k.shape[:2]
    channels = (k.shape[2],) if bank else x.shape[2:]
    full = np.zeros(((h - 1) * sh + kh, (w - 1) * sw + kw) + channels, dtype=np.float32)
    for a in range(kh):
        for b in range(kw):
            stamp = x @ k[a, b].T if bank else x * k[a, b]
            full[a: a + (h - 1) * sh + 1: sh, b: b + (w - 1) * sw + 1: sw] += stamp
    return full


def _crop(full: np.ndarray, in_hw, k_hw, strides, padding, ops) -> np.ndarray:
    out = []
    for axis in range(2):
        n, k, s, op = in_hw[axis], k_hw[axis], strides[axis], ops[axis]
        length = transpose_output_size(n, k, s, padding, op)
        start = _crop_offsets(length, k, s, padding)
        out.append((start, length))
    (top, hl), (left, wl) = out
    result = np.zeros((hl, wl) + full.shape[2:], dtype=np.float32)
    piece = full[top: top + hl, left: left + wl]
    result[: piece.shape[0], : piece.shape[1]] = piece  # output_padding may reach past the scatter: zeros
    return result


def conv_transpose2d(x, kernel, *, stride=1, padding="valid", output_padding=None) -> np.ndarray:
    """Transposed convolution: each input pixel stamps a scaled copy of the kernel, stride apart, and
    the stamps add up; then the padding is cropped. Equals `tf.nn.conv2d_transpose` and Keras'
    Conv2DTranspose (no bias) for the same kernel; it is the adjoint of `conv2d`, not its inverse.

    Parameters
    ----------
    x : array_like, (H, W) or (H, W, C)
    kernel : array_like, (kh, kw) or (kh, kw, C_out, C_in)
    stride : int or (int, int)
    padding : {"valid", "same"} or int
        An integer p is PyTorch's ConvTranspose2d padding: p rows and columns cropped from each side.
    output_padding : int, (int, int) or None

    Examples
    --------
    >>> conv_transpose2d([[1, 2], [3, 4]], np.ones((2, 2)), stride=2).tolist()
    [[1.0, 1.0, 2.0, 2.0], [1.0, 1.0, 2.0, 2.0], [3.0, 3.0, 4.0, 4.0], [3.0, 3.0, 4.0, 4.0]]
    >>> conv_transpose2d(np.ones((5, 5)), np.ones((3, 3)), stride=2, padding=1).shape
    (9, 9)
    """
    padding = _check_padding(padding)
    x, k, strides, ops = _prepare(x, kernel, stride, output_padding)
    full = scatter_full(x, k, strides)
    return _crop(full, x.shape[:2], k.shape[:2], strides, padding, ops)


def conv_transpose1d(x, kernel, *, stride=1, padding="valid", output_padding=None) -> np.ndarray:
    """1-D transposed convolution (scatter-add), the lesson's worked example.

    Examples
    --------
    >>> conv_transpose1d([1, 2, 3], [-1, 1]).tolist()
    [-1.0, -1.0, -1.0, 3.0]
    """
    x = np.asarray(x, dtype=np.float32).reshape(1, -1)
    k = np.asarray(kernel, dtype=np.float32).reshape(1, -1)
    op = None if output_padding is None else (0, output_padding)
    return conv_transpose2d(x, k, stride=(1, stride), padding=padding, output_padding=op)[0]


def zero_insertion(x, kernel, stride) -> tuple[np.ndarray, np.ndarray]:
    """The second view: insert stride-1 zeros between input pixels, pad kernel-1 zeros around, then run an
    ordinary convolution (correlation with the flipped kernel). Returns (dilated_padded_input, full_result).

    Examples
    --------
    >>> dilated, full = zero_insertion(np.array([[1., 2.], [3., 4.]]), np.ones((1, 1)), stride=2)
    >>> dilated.tolist()
    [[1.0, 0.0, 2.0], [0.0, 0.0, 0.0], [3.0, 0.0, 4.0]]
    """
    x, k, (sh, sw), _ = _prepare(x, kernel, stride, None)
    if k.ndim != 2 or x.ndim != 2:
        raise InputError("The zero-insertion view is shown for a single 2-D channel and a 2-D kernel.")
    kh, kw = k.shape
    dilated = np.zeros(((x.shape[0] - 1) * sh + 1, (x.shape[1] - 1) * sw + 1), dtype=np.float32)
    dilated[::sh, ::sw] = x
    padded = np.pad(dilated, ((kh - 1, kh - 1), (kw - 1, kw - 1)))
    return padded, conv2d(padded, k[::-1, ::-1], padding="valid")


def conv_matrix(in_hw, kernel, *, stride=1, padding="valid") -> np.ndarray:
    """The matrix C of conv2d (cross-correlation, zero padding) on a flattened (H, W) input, so that
    ``conv2d(x).ravel() == C @ x.ravel()``. Shape (Ho*Wo, H*W); its transpose is the transposed convolution.

    Examples
    --------
    >>> conv_matrix((1, 3), [[1, -1]]).tolist()
    [[1.0, -1.0, 0.0], [0.0, 1.0, -1.0]]
    """
    h, w = (_pos_int(v, "input size") for v in in_hw)
    k = np.asarray(kernel, dtype=np.float32)
    sh, sw = _pair(stride, "stride")
    top, bottom, left, right = resolve_padding(padding, (h, w), k.shape, (sh, sw))
    ho = conv_output_size(h, k.shape[0], sh, top + bottom)
    wo = conv_output_size(w, k.shape[1], sw, left + right)
    if ho < 1 or wo < 1:
        raise InputError("A {kh}x{kw} kernel does not fit a {h}x{w} input.", kh=k.shape[0], kw=k.shape[1], h=h, w=w)
    if h * w * ho * wo > MAX_MATRIX_ENTRIES:
        raise InputError("The matrix view is for small inputs; {h}x{w} gives a {rows}x{cols} matrix.", h=h, w=w,
                         rows=ho * wo, cols=h * w)
    c = np.zeros((ho * wo, h * w), dtype=np.float32)
    for r in range(ho):
        for q in range(wo):
            for a in range(k.shape[0]):
                for b in range(k.shape[1]):
                    i, j = r * sh + a - top, q * sw + b - left
                    if 0 <= i < h and 0 <= j < w:
                        c[r * wo + q, i * w + j] += k[a, b]
    return c


def conv_transpose_by_matrix(x, kernel, in_hw, *, stride=1, padding="valid") -> np.ndarray:
    """The third view: C^T @ x, reshaped to the shape conv2d took in (in_hw).

    Examples
    --------
    >>> conv_transpose_by_matrix(np.array([[1., 2.]]), np.array([[-1., 1.]]), (1, 3)).tolist()
    [[-1.0, -1.0, 2.0]]
    """
    c = conv_matrix(in_hw, kernel, stride=stride, padding=padding)
    x = np.asarray(x, dtype=np.float32)
    if x.size != c.shape[0]:
        raise InputError("x has {size} values but C has {rows} rows.", size=x.size, rows=c.shape[0])
    return (c.T @ x.ravel()).reshape(in_hw)


def overlap_map(n_in: int, kernel_size: int, stride: int, padding: str = "valid") -> np.ndarray:
    """How many kernel taps reach each output pixel: uneven counts are the checkerboard (Odena et al. 2016).

    Examples
    --------
    >>> overlap_map(2, 3, 2).tolist()  # doctest: +NORMALIZE_WHITESPACE
    [[1.0, 1.0, 2.0, 1.0, 1.0],
     [1.0, 1.0, 2.0, 1.0, 1.0],
     [2.0, 2.0, 4.0, 2.0, 2.0],
     [1.0, 1.0, 2.0, 1.0, 1.0],
     [1.0, 1.0, 2.0, 1.0, 1.0]]
    """
    n_in, kernel_size, stride = (_pos_int(v, name) for v, name in
                                 ((n_in, "input size"), (kernel_size, "kernel size"), (stride, "stride")))
    ones = np.ones((n_in, n_in), dtype=np.float32)
    return conv_transpose2d(ones, np.ones((kernel_size, kernel_size), np.float32), stride=stride, padding=padding)


def upsample_nearest(x: np.ndarray, factor: int) -> np.ndarray:
    """Nearest-neighbour upsampling by an integer factor (UpSampling2D's default).

    Examples
    --------
    >>> upsample_nearest(np.array([[1., 2.]]), 2).tolist()
    [[1.0, 1.0, 2.0, 2.0], [1.0, 1.0, 2.0, 2.0]]
    """
    factor = _pos_int(factor, "factor")
    return np.repeat(np.repeat(np.asarray(x, dtype=np.float32), factor, axis=0), factor, axis=1)


def resize_then_conv(x, kernel, factor: int) -> np.ndarray:
    """The remedy: nearest-neighbour upsampling, then an ordinary 'same' convolution (UpSampling2D + Conv2D).

    Examples
    --------
    >>> resize_then_conv(np.ones((2, 2)), np.ones((1, 1)), 2).tolist()
    [[1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0], [1.0, 1.0, 1.0, 1.0]]
    """
    return conv2d(upsample_nearest(x, factor), kernel, padding="same")


def partial_scatter(x, kernel, n_stamped: int, *, stride=1, padding="valid", output_padding=None) -> np.ndarray:
    """The transposed convolution after only the first `n_stamped` input pixels (row-major) have stamped.

    Examples
    --------
    >>> partial_scatter(np.array([[1., 2.]]), np.ones((1, 2)), 1).tolist()
    [[1.0, 1.0, 0.0]]
    """
    x = np.asarray(x, dtype=np.float32)
    mask = (np.arange(x.shape[0] * x.shape[1]) < n_stamped).reshape(x.shape[:2])
    return conv_transpose2d(x * (mask if x.ndim == 2 else mask[..., None]), kernel, stride=stride, padding=padding,
                            output_padding=output_padding)


def stamp_region(index: int, in_hw, kernel_hw, stride, padding="valid",
                 output_padding=None) -> tuple[int, int, int, int]:
    """(top, left, bottom, right) output rows/cols, inclusive, that input pixel `index` stamps (may be cropped).

    Examples
    --------
    >>> stamp_region(1, (2, 2), (3, 3), 2)
    (0, 2, 2, 4)
    """
    sh, sw = _pair(stride, "stride")
    r, c = divmod(int(index), int(in_hw[1]))
    ops = output_padding if isinstance(output_padding, (tuple, list)) else (output_padding, output_padding)
    lengths = [transpose_output_size(in_hw[a], kernel_hw[a], (sh, sw)[a], padding, ops[a]) for a in range(2)]
    top = _crop_offsets(lengths[0], kernel_hw[0], sh, padding)
    left = _crop_offsets(lengths[1], kernel_hw[1], sw, padding)
    return r * sh - top, c * sw - left, r * sh - top + kernel_hw[0] - 1, c * sw - left + kernel_hw[1] - 1


def parse_signal(text: str, name: str = "x", max_len: int = 8, max_abs: float = 1000.0) -> np.ndarray:
    """Comma-separated numbers typed by a user (or found in a link) as a float32 vector, validated.

    Examples
    --------
    >>> parse_signal('1, 2.5,-3').tolist()
    [1.0, 2.5, -3.0]
    """
    if not isinstance(text, str) or len(text) > 200:
        raise InputError("{name} must be a short list of numbers such as 1,2,3", name=name)
    try:
        values = [float(v) for v in text.replace(";", ",").split(",") if v.strip()]
    except ValueError:
        raise InputError("{name} must contain only numbers separated by commas, e.g. 1,2,3", name=name) from None
    if not 1 <= len(values) <= max_len:
        raise InputError("{name} needs 1 to {max_len} numbers, got {values}", name=name, max_len=max_len,
                         values=len(values))
    if not all(np.isfinite(v) and abs(v) <= max_abs for v in values):
        raise InputError("{name} values must be finite and within ±{max_abs}", name=name, max_abs=format(max_abs, "g"))
    return np.array(values, np.float32)


def stamps_1d(x, kernel, stride: int = 1) -> np.ndarray:
    """Row i: the contribution x[i]·k placed at i·stride. The rows sum to conv_transpose1d(x, kernel, stride).

    Examples
    --------
    >>> stamps_1d(np.array([1., 2., 3.]), np.array([-1., 1.])).tolist()
    [[-1.0, 1.0, 0.0, 0.0], [0.0, -2.0, 2.0, 0.0], [0.0, 0.0, -3.0, 3.0]]
    """
    x = np.asarray(x, dtype=np.float32).reshape(-1)
    return np.stack([conv_transpose1d(np.eye(len(x), dtype=np.float32)[i] * x[i], kernel, stride=stride)
                     for i in range(len(x))])
