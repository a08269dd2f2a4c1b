"""2-D convolution / cross-correlation with stride, padding, dilation and SciPy boundary modes,
ReLU, pooling, shape and parameter arithmetic, and a sliding-window trace for step-by-step views.

Conventions (see docs/ARCHITECTURE.md): flip=False is cross-correlation (what Conv2D layers compute),
flip=True is true convolution; padding="same" follows TensorFlow (the extra row/column of an even
kernel goes to the bottom/right).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.errors import InputError

BOUNDARY_MODES = ("constant", "nearest", "reflect", "mirror", "wrap")
# SciPy's boundary names -> numpy.pad's names for the same extension.
_NP_PAD_MODE = {"constant": "constant", "nearest": "edge", "reflect": "symmetric", "mirror": "reflect", "wrap": "wrap"}
PADDING_NAMES = ("valid", "same", "full")


def _pos_int(value, name: str, minimum: int = 1) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise InputError("{name} must be an integer, got {value}.", name=name, value=repr(value))
    if value < minimum:
        raise InputError("{name} must be at least {minimum}, got {value}.", name=name, minimum=minimum, value=value)
    return int(value)


def _pair(value, name: str, minimum: int = 1) -> tuple[int, int]:
    if isinstance(value, (tuple, list)):
        if len(value) != 2:
            raise InputError("{name} must be one integer or a pair, got {value}.", name=name, value=repr(value))
        return _pos_int(value[0], name, minimum), _pos_int(value[1], name, minimum)
    v = _pos_int(value, name, minimum)
    return v, v


def effective_kernel_size(k: int, dilation: int) -> int:
    """How many pixels a kernel of size k spans with dilation d: d·(k-1) + 1.

    Examples
    --------
    >>> effective_kernel_size(3, 2)
    5
    """
    return dilation * (k - 1) + 1


def resolve_padding(padding, in_hw, kernel_hw, stride=1, dilation=1) -> tuple[int, int, int, int]:
    """(top, bottom, left, right) padding rows and columns.

    Parameters
    ----------
    padding : {"valid", "same", "full"}, int or (top, bottom, left, right)
        "same" follows TensorFlow: the output has ceil(n / stride) pixels, and the odd pixel of padding
        goes to the bottom / right. "full" pads every partial overlap.
    in_hw, kernel_hw : (int, int)
        Input and kernel height and width.
    stride, dilation : int or (int, int)

    Returns
    -------
    tuple of four ints

    Examples
    --------
    >>> resolve_padding("same", (5, 5), (3, 3), stride=2)
    (1, 1, 1, 1)
    >>> resolve_padding("same", (4, 4), (2, 2))
    (0, 1, 0, 1)
    """
    sh, sw = _pair(stride, "stride")
    dh, dw = _pair(dilation, "dilation")
    kh, kw = effective_kernel_size(kernel_hw[0], dh), effective_kernel_size(kernel_hw[1], dw)
    if isinstance(padding, str):
        if padding == "valid":
            return (0, 0, 0, 0)
        if padding == "full":
            return (kh - 1, kh - 1, kw - 1, kw - 1)
        if padding == "same":
            pads = []
            for n, k, s in ((in_hw[0], kh, sh), (in_hw[1], kw, sw)):
                out = -(-n // s)
                total = max((out - 1) * s + k - n, 0)
                pads += [total // 2, total - total // 2]
            return tuple(pads)
        raise InputError("padding {padding} is not one of valid, same, full, an integer or (top, bottom, left, right).",
                         padding=repr(padding))
    if isinstance(padding, (int, np.integer)) and not isinstance(padding, bool):
        p = _pos_int(padding, "padding", 0)
        return (p, p, p, p)
    if isinstance(padding, (tuple, list)) and len(padding) == 4:
        return tuple(_pos_int(p, "padding", 0) for p in padding)
    raise InputError("padding {padding} is not one of valid, same, full, an integer or (top, bottom, left, right).",
                     padding=repr(padding))


def conv_output_size(n: int, k: int, stride: int = 1, pad_total: int = 0, dilation: int = 1) -> int:
    """Output length along one axis: floor((n + pad_total - dilation*(k-1) - 1) / stride) + 1.

    Relationship 6 of Dumoulin & Visin, "A guide to convolution arithmetic".

    Parameters
    ----------
    n, k : int
        Input and kernel length.
    stride, pad_total, dilation : int
        `pad_total` is the padding before plus after.

    Examples
    --------
    >>> conv_output_size(5, 3, stride=2, pad_total=2)
    3
    >>> conv_output_size(28, 3)
    26
    """
    return (n + pad_total - effective_kernel_size(k, dilation)) // stride + 1


def pad_image(image: np.ndarray, pads, boundary: str = "constant", cval: float = 0.0) -> np.ndarray:
    """The image padded by (top, bottom, left, right) with a SciPy boundary mode.

    Examples
    --------
    >>> pad_image(np.array([[1., 2.]]), (0, 0, 1, 1), 'reflect').tolist()
    [[1.0, 1.0, 2.0, 2.0]]
    """
    if boundary not in BOUNDARY_MODES:
        raise InputError("boundary {boundary} is not one of {boundary_modes}.", boundary=repr(boundary),
                         boundary_modes=', '.join(BOUNDARY_MODES))
    top, bottom, left, right = pads
    if not (top or bottom or left or right):
        return image
    mode = _NP_PAD_MODE[boundary]
    if mode == "constant":
        width = [(top, bottom), (left, right)] + [(0, 0)] * (image.ndim - 2)
        return np.pad(image, width, mode="constant", constant_values=cval)
    out = image
    for axis, before_after in ((0, (top, bottom)), (1, (left, right))):
        if not any(before_after):
            continue
        width = [(0, 0)] * image.ndim
        width[axis] = before_after
        # numpy's "reflect" is undefined on a length-1 axis; SciPy's mirror then repeats the one value.
        axis_mode = "edge" if mode == "reflect" and out.shape[axis] == 1 else mode
        out = np.pad(out, width, mode=axis_mode)
    return out


def _check_finite(name: str, arr: np.ndarray):
    if not np.all(np.isfinite(arr)):
        raise InputError("{name} contains NaN or infinite values; all values must be finite numbers.", name=name)


def conv2d(image, kernel, *, stride=1, padding="valid", dilation=1, boundary="constant", cval=0.0,
           flip=False) -> np.ndarray:
    """Convolve or cross-correlate an image with a kernel.

    Parameters
    ----------
    image : array_like, (H, W) or (H, W, C)
    kernel : array_like, (kh, kw) or (kh, kw, C_in, C_out)
        A 2-D kernel is applied to every channel separately (the output keeps the input's channels); a
        filter bank gives (H', W', C_out), as a Conv2D layer without bias.
    stride, dilation : int or (int, int)
    padding : {"valid", "same", "full"}, int or (top, bottom, left, right)
        See `resolve_padding`.
    boundary : {"constant", "nearest", "reflect", "mirror", "wrap"}
        How the padding is made up, with SciPy's names; `cval` is the constant.
    flip : bool
        False: cross-correlation, as deep-learning layers compute it. True: true convolution.

    Returns
    -------
    numpy.ndarray of float32

    Examples
    --------
    SciPy's `ndimage.convolve` example with ``mode="nearest"``, the same numbers:

    >>> a = [[1, 2, 0, 0], [5, 3, 0, 4], [0, 0, 0, 7], [9, 3, 0, 0]]
    >>> k = [[1, 1, 1], [1, 1, 0], [1, 0, 0]]
    >>> conv2d(a, k, padding="same", boundary="nearest", flip=True)
    array([[18., 10.,  7.,  8.],
           [10.,  3., 11., 22.],
           [24., 12., 14., 18.],
           [33., 15., 10.,  7.]], dtype=float32)
    """
    x = np.asarray(image, dtype=np.float32)
    k = np.asarray(kernel, dtype=np.float32)
    if x.ndim not in (2, 3) or x.size == 0:
        raise InputError("image must be (H, W) or (H, W, C) and non-empty, got shape {shape}.", shape=x.shape)
    if k.ndim not in (2, 4) or k.size == 0:
        raise InputError("kernel must be (kh, kw) or a bank (kh, kw, C_in, C_out), got shape {shape}.", shape=k.shape)
    _check_finite("The kernel", k)
    _check_finite("The image", x)
    bank = k.ndim == 4
    if bank:
        cin = x.shape[2] if x.ndim == 3 else 1
        if k.shape[2] != cin:
            raise InputError("The filter bank expects {bank_channels} input channels but the image has "
                             "{image_channels}.", bank_channels=k.shape[2], image_channels=cin)
        if x.ndim == 2:
            x = x[..., None]
    sh, sw = _pair(stride, "stride")
    dh, dw = _pair(dilation, "dilation")
    kh, kw = k.shape[:2]
    pads = resolve_padding(padding, x.shape[:2], (kh, kw), (sh, sw), (dh, dw))
    if flip:
        k = k[::-1, ::-1]
    xp = pad_image(x, pads, boundary, cval)
    ekh, ekw = effective_kernel_size(kh, dh), effective_kernel_size(kw, dw)
    hp, wp = xp.shape[:2]
    if ekh > hp or ekw > wp:
        raise InputError("The kernel covers {ekh}x{ekw} pixels (size {kh}x{kw}, dilation {dh}x{dw}) but the padded "
                         "input is only {hp}x{wp}; the kernel must fit inside the padded input.", ekh=ekh, ekw=ekw,
                         kh=kh, kw=kw, dh=dh, dw=dw, hp=hp, wp=wp)
    ho, wo = conv_output_size(hp, kh, sh, 0, dh), conv_output_size(wp, kw, sw, 0, dw)
    if bank:
        out = np.zeros((ho, wo, k.shape[3]), dtype=np.float32)
        for i in range(kh):
            for j in range(kw):
                out += xp[i * dh: i * dh + (ho - 1) * sh + 1: sh, j * dw: j * dw + (wo - 1) * sw + 1: sw] @ k[i, j]
        return out
    # Per-channel kernel: work through blocks of output rows small enough (~256 kB) to stay in cache while
    # every tap is added, instead of streaming the whole image once per tap (about 2x faster).
    channels = x.shape[2:]
    out = np.empty((ho, wo) + channels, dtype=np.float32)
    block = max(4, 65536 // max(1, wo * int(np.prod(channels, dtype=np.int64))))
    scratch = np.empty((block, wo) + channels, dtype=np.float32)
    taps = [(i, j, float(k[i, j])) for i in range(kh) for j in range(kw) if k[i, j] != 0] or [(0, 0, 0.0)]
    for r0 in range(0, ho, block):
        r1 = min(ho, r0 + block)
        dest, tmp = out[r0:r1], scratch[: r1 - r0]
        for n, (i, j, weight) in enumerate(taps):
            window = xp[r0 * sh + i * dh: (r1 - 1) * sh + i * dh + 1: sh, j * dw: j * dw + (wo - 1) * sw + 1: sw]
            if n == 0:
                np.multiply(window, weight, out=dest)
            else:
                np.multiply(window, weight, out=tmp)
                dest += tmp
    return out


def relu(x) -> np.ndarray:
    """max(x, 0), element by element, as float32.

    Examples
    --------
    >>> relu([-1.5, 0, 2]).tolist()
    [0.0, 0.0, 2.0]
    """
    return np.maximum(np.asarray(x, dtype=np.float32), 0)


def _pool(x, size, stride, padding, reduce):
    x = np.asarray(x, dtype=np.float32)
    if x.ndim not in (2, 3):
        raise InputError("pooling expects (H, W) or (H, W, C), got shape {shape}.", shape=x.shape)
    ph, pw = _pair(size, "pool size")
    sh, sw = _pair(stride if stride is not None else (ph, pw), "pool stride")
    if padding not in ("valid", "same"):
        raise InputError("pool padding must be 'valid' or 'same', got {padding}.", padding=repr(padding))
    pads = resolve_padding(padding, x.shape[:2], (ph, pw), (sh, sw))
    width = [(pads[0], pads[1]), (pads[2], pads[3])] + [(0, 0)] * (x.ndim - 2)
    xp = np.pad(x, width, constant_values=np.nan)  # NaN marks padding: ignored like TensorFlow does
    if ph > xp.shape[0] or pw > xp.shape[1]:
        raise InputError("Pool window {ph}x{pw} is larger than the input {height}x{width}.", ph=ph, pw=pw,
                         height=x.shape[0], width=x.shape[1])
    ho, wo = conv_output_size(xp.shape[0], ph, sh), conv_output_size(xp.shape[1], pw, sw)
    windows = np.stack([xp[i: i + (ho - 1) * sh + 1: sh, j: j + (wo - 1) * sw + 1: sw]
                        for i in range(ph) for j in range(pw)])
    return reduce(windows, axis=0).astype(np.float32)


def max_pool2d(x, size=2, stride=None, padding="valid") -> np.ndarray:
    """Max-pooling over `size` windows (stride defaults to the size); "same" padding is ignored, as in
    TensorFlow.

    Examples
    --------
    >>> max_pool2d(np.arange(16).reshape(4, 4), 2).tolist()
    [[5.0, 7.0], [13.0, 15.0]]
    """
    return _pool(x, size, stride, padding, np.nanmax)


def avg_pool2d(x, size=2, stride=None, padding="valid") -> np.ndarray:
    """Average pooling over `size` windows; padded cells are left out of the mean, as in TensorFlow.

    Examples
    --------
    >>> avg_pool2d(np.arange(16).reshape(4, 4), 2).tolist()
    [[2.5, 4.5], [10.5, 12.5]]
    """
    return _pool(x, size, stride, padding, np.nanmean)


# --- arithmetic for layers ----------------------------------------------------------------------

def conv2d_params(kernel_hw, in_channels: int, filters: int, use_bias: bool = True) -> int:
    """Weights of a Conv2D layer: kh·kw·C_in·filters, plus one bias per filter.

    Examples
    --------
    >>> conv2d_params(3, 1, 32)
    320
    >>> conv2d_params(5, 3, 16, use_bias=False)
    1200
    """
    kh, kw = _pair(kernel_hw, "kernel size")
    return kh * kw * _pos_int(in_channels, "in_channels") * _pos_int(filters, "filters") + (filters if use_bias else 0)


def dense_params(in_features: int, units: int, use_bias: bool = True) -> int:
    """Weights of a Dense layer: inputs·units, plus one bias per unit.

    Examples
    --------
    >>> dense_params(1080 * 1920 * 3, 16, use_bias=False)
    99532800
    """
    return _pos_int(in_features, "in_features") * _pos_int(units, "units") + (units if use_bias else 0)


@dataclass(frozen=True)
class Conv2DShape:
    """A Conv2D layer's input and output shapes, padding, parameter count and the filled-in size formulas."""
    in_shape: tuple[int, int, int]
    out_shape: tuple[int, int, int]
    pads: tuple[int, int, int, int]
    params: int
    formula_h: str
    formula_w: str


def conv2d_layer_shape(in_shape, filters: int, kernel_hw, stride=1, padding="valid", dilation=1,
                       use_bias=True) -> Conv2DShape:
    """Output shape and parameter count of a Keras-style Conv2D layer, with the formula filled in.

    Examples
    --------
    >>> s = conv2d_layer_shape((28, 28, 1), 32, 3)
    >>> s.out_shape, s.params
    ((26, 26, 32), 320)
    >>> s.formula_h
    '⌊(28 + 0 − 1·(3−1) − 1) / 1⌋ + 1 = 26'
    """
    h, w, c = (int(v) for v in in_shape)
    kh, kw = _pair(kernel_hw, "kernel size")
    sh, sw = _pair(stride, "stride")
    dh, dw = _pair(dilation, "dilation")
    pads = resolve_padding(padding, (h, w), (kh, kw), (sh, sw), (dh, dw))
    ho = conv_output_size(h, kh, sh, pads[0] + pads[1], dh)
    wo = conv_output_size(w, kw, sw, pads[2] + pads[3], dw)
    if ho < 1 or wo < 1:
        raise InputError("A {kh}x{kw} kernel (dilation {dh}) does not fit a {h}x{w} input with padding {pads}.",
                         kh=kh, kw=kw, dh=dh, h=h, w=w, pads=pads)

    def formula(n, k, s, p, d, o):
        return f"⌊({n} + {p} − {d}·({k}−1) − 1) / {s}⌋ + 1 = {o}"

    return Conv2DShape((h, w, c), (ho, wo, filters), pads, conv2d_params((kh, kw), c, filters, use_bias),
                       formula(h, kh, sh, pads[0] + pads[1], dh, ho), formula(w, kw, sw, pads[2] + pads[3], dw, wo))


# --- sliding-window trace for the numbers view ---------------------------------------------------

@dataclass(frozen=True)
class WindowTrace:
    """A small convolution recorded window by window for the step-by-step view; `step(n)` gives one window."""
    padded: np.ndarray       # the padded input the window slides over
    kernel: np.ndarray       # the kernel as applied (already flipped when flip=True)
    output: np.ndarray       # (Ho, Wo)
    pads: tuple[int, int, int, int]
    stride: tuple[int, int]
    dilation: tuple[int, int]

    @property
    def steps(self) -> int:
        return self.output.size

    def step(self, n: int) -> dict:
        """Rows/cols (in padded coordinates) the window covers at output position n, the patch, products and sum."""
        if not 0 <= n < self.steps:
            raise InputError("step {n} is outside 0..{steps}.", n=n, steps=self.steps - 1)
        r, c = divmod(n, self.output.shape[1])
        kh, kw = self.kernel.shape
        rows = r * self.stride[0] + np.arange(kh) * self.dilation[0]
        cols = c * self.stride[1] + np.arange(kw) * self.dilation[1]
        patch = self.padded[np.ix_(rows, cols)]
        products = patch * self.kernel
        return {"out_row": r, "out_col": c, "rows": rows, "cols": cols, "patch": patch,
                "products": products, "sum": float(products.sum(dtype=np.float64))}


def sliding_window_trace(image, kernel, *, stride=1, padding="valid", dilation=1, boundary="constant",
                         cval=0.0, flip=False, max_cells: int = 4096) -> WindowTrace:
    """Every window position of a small convolution, with its patch, products and sum, for the step-by-step view.

    Examples
    --------
    >>> trace = sliding_window_trace(demo_matrix(), DEMO_KERNEL)
    >>> trace.steps, trace.step(0)['sum']
    (25, -2.0)
    """
    x = np.asarray(image, dtype=np.float32)
    if x.ndim != 2:
        raise InputError("The step-by-step view takes a 2-D (grayscale) matrix, got shape {shape}.", shape=x.shape)
    if x.size > max_cells:
        raise InputError("The step-by-step view is for small matrices (at most {max_cells} cells), got {size}.",
                         max_cells=max_cells, size=x.size)
    k = np.asarray(kernel, dtype=np.float32)
    out = conv2d(x, k, stride=stride, padding=padding, dilation=dilation, boundary=boundary, cval=cval, flip=flip)
    pads = resolve_padding(padding, x.shape, k.shape, stride, dilation)
    return WindowTrace(pad_image(x, pads, boundary, cval), k[::-1, ::-1] if flip else k, out, pads,
                       _pair(stride, "stride"), _pair(dilation, "dilation"))


def window_terms(image, kernel, rows, cols, *, stride=1, padding="valid", dilation=1, boundary="constant",
                 cval=0.0, flip=False, max_positions: int = 1024) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """For the output pixels at `rows` x `cols` (a grid of output coordinates) of `conv2d` with these settings:
    each one's input window (R, C, kh, kw) in padded-input values, the products with the kernel as applied, and
    their sums (which are the output values). For "hover an output pixel" views of a large image.

    Examples
    --------
    >>> x = np.arange(16, dtype=np.float32).reshape(4, 4)
    >>> patches, products, sums = window_terms(x, np.ones((2, 2)), [0], [1])
    >>> patches[0, 0].tolist(), float(sums[0, 0])
    ([[1.0, 2.0], [5.0, 6.0]], 14.0)
    """
    x = np.asarray(image, dtype=np.float32)
    if x.ndim != 2:
        raise InputError("Window terms take a 2-D (grayscale) image, got shape {shape}.", shape=x.shape)
    k = np.asarray(kernel, dtype=np.float32)
    k = k[::-1, ::-1] if flip else k
    kh, kw = k.shape
    (sh, sw), (dh, dw) = _pair(stride, "stride"), _pair(dilation, "dilation")
    pads = resolve_padding(padding, x.shape, k.shape, (sh, sw), (dh, dw))
    out_h = conv_output_size(x.shape[0], kh, sh, pads[0] + pads[1], dh)
    out_w = conv_output_size(x.shape[1], kw, sw, pads[2] + pads[3], dw)
    rows, cols = np.asarray(rows, dtype=np.int64).ravel(), np.asarray(cols, dtype=np.int64).ravel()
    if rows.size * cols.size > max_positions:
        raise InputError("At most {max_positions} output pixels at a time, got {size}.", max_positions=max_positions,
                         size=rows.size * cols.size)
    if rows.size and (rows.min() < 0 or rows.max() >= out_h or cols.min() < 0 or cols.max() >= out_w):
        raise InputError("Output pixels must lie within the {out_h}x{out_w} output.", out_h=out_h, out_w=out_w)
    padded = pad_image(x, pads, boundary, cval)
    iy = rows[:, None, None, None] * sh + np.arange(kh)[None, None, :, None] * dh
    ix = cols[None, :, None, None] * sw + np.arange(kw)[None, None, None, :] * dw
    patches = padded[iy, ix]
    products = patches * k
    return patches, products, products.sum(axis=(2, 3), dtype=np.float64)


def liveliest_window(values, size, margin: int = 0) -> tuple[int, int]:
    """(top, left) of the `size` (rows, columns) window of a 2-D map whose values vary most (largest variance):
    where an edge response or a picture's detail is, not a flat wall. Windows keep `margin` pixels from the edges
    when the map is large enough (a zero-padded border makes a strong but dull frame). Ties go to the first in
    row-major order; a map that varies nowhere gives the centred window.

    Examples
    --------
    >>> m = np.zeros((8, 8)); m[5, 6] = 1.0
    >>> liveliest_window(m, (2, 2)), liveliest_window(np.ones((8, 8)), (2, 2))
    ((4, 5), (3, 3))
    """
    v = np.asarray(values, dtype=np.float64)
    if v.ndim != 2:
        raise InputError("A window is looked for in a 2-D map, got shape {shape}.", shape=v.shape)
    nh, nw = _pair(size, "window size")
    h, w = v.shape
    if nh > h or nw > w:
        raise InputError("A {nh}x{nw} window does not fit a {h}x{w} map.", nh=nh, nw=nw, h=h, w=w)

    def window_sums(a):
        total = np.zeros((h + 1, w + 1))
        total[1:, 1:] = a.cumsum(0).cumsum(1)
        return total[nh:, nw:] - total[:-nh, nw:] - total[nh:, :-nw] + total[:-nh, :-nw]
    mean = window_sums(v) / (nh * nw)
    variance = window_sums((v - v.mean()) ** 2) / (nh * nw) - (mean - v.mean()) ** 2
    rows = slice(margin, h - nh - margin + 1) if h - nh - 2 * margin >= 0 else slice(None)
    cols = slice(margin, w - nw - margin + 1) if w - nw - 2 * margin >= 0 else slice(None)
    allowed = np.full(variance.shape, -np.inf)
    allowed[rows, cols] = variance[rows, cols]
    if allowed.max() <= 1e-9 * max(float(np.abs(v).max()) ** 2, 1e-30):
        return (h - nh) // 2, (w - nw) // 2
    top, left = np.unravel_index(int(np.argmax(allowed)), allowed.shape)
    return int(top), int(left)


def demo_matrix() -> np.ndarray:
    """The 6x6 teaching image: a vertical line and a horizontal bar.

    Examples
    --------
    >>> demo_matrix().shape
    (6, 6)
    """
    m = np.zeros((6, 6), dtype=np.float32)
    m[:, 1] = 1  # vertical line
    m[3, 2:5] = 1  # horizontal bar
    return m


DEMO_KERNEL = np.array([[1, -1], [1, -1]], dtype=np.float32)
