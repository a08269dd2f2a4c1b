import numpy as np
import pytest
from scipy import ndimage, signal

from engine import conv

MODES = list(conv.BOUNDARY_MODES)


def test_worked_example_from_scipy_docs():
    out = conv.conv2d(np.arange(9).reshape(3, 3), np.ones((2, 2)), padding="same", boundary="nearest", flip=True)
    np.testing.assert_array_equal(out, [[8, 12, 14], [20, 24, 26], [26, 30, 32]])
    ref = ndimage.convolve(np.arange(9).reshape(3, 3), np.ones((2, 2)), mode="nearest")
    np.testing.assert_array_equal(out, ref)


@pytest.mark.parametrize("mode", MODES)
def test_flip_same_stride1_equals_ndimage_convolve_any_kernel_size(rng, mode):
    for _ in range(60):
        h, w = rng.integers(1, 14, 2)
        kh, kw = rng.integers(1, 8, 2)
        image = rng.normal(size=(h, w))
        kernel = rng.normal(size=(kh, kw))
        cval = float(rng.normal())
        ours = conv.conv2d(image, kernel, padding="same", boundary=mode, cval=cval, flip=True)
        ref = ndimage.convolve(image.astype(np.float32), kernel.astype(np.float32), mode=mode, cval=cval)
        np.testing.assert_allclose(ours, ref, rtol=1e-4, atol=1e-4, err_msg=f"{h}x{w} k{kh}x{kw} {mode}")


def test_colour_images_filter_each_channel(rng):
    image = rng.random((9, 11, 3))
    kernel = rng.normal(size=(3, 4))
    ours = conv.conv2d(image, kernel, padding="same", boundary="reflect", flip=True)
    for c in range(3):
        np.testing.assert_allclose(ours[..., c], ndimage.convolve(image[..., c], kernel, mode="reflect"), atol=1e-5)


def test_correlation_matches_tensorflow_with_strides_and_dilation(rng):
    tf = pytest.importorskip("tensorflow")
    checked = 0
    for _ in range(80):
        h, w = rng.integers(3, 16, 2)
        kh, kw = rng.integers(1, 6, 2)
        stride, dilation = int(rng.integers(1, 4)), int(rng.integers(1, 3))
        if stride > 1 and dilation > 1:
            dilation = 1  # TensorFlow's CPU kernels do not combine them
        padding = str(rng.choice(["valid", "same"]))
        if padding == "valid" and (dilation * (kh - 1) + 1 > h or dilation * (kw - 1) + 1 > w):
            continue
        cin, cout = rng.integers(1, 4, 2)
        x = rng.normal(size=(h, w, cin)).astype(np.float32)
        bank = rng.normal(size=(kh, kw, cin, cout)).astype(np.float32)
        ours = conv.conv2d(x, bank, stride=stride, padding=padding, dilation=dilation)
        ref = tf.nn.conv2d(x[None], bank, strides=stride, padding=padding.upper(), dilations=dilation).numpy()[0]
        np.testing.assert_allclose(ours, ref, rtol=1e-4, atol=1e-4)
        checked += 1
    assert checked > 50


@pytest.mark.parametrize("mode", MODES)
def test_explicit_padding_strides_dilation_against_loop_reference(rng, mode):
    np_mode = {"constant": "constant", "nearest": "edge", "reflect": "symmetric", "mirror": "reflect", "wrap": "wrap"}
    for _ in range(25):
        h, w = rng.integers(2, 9, 2)
        k = rng.normal(size=tuple(rng.integers(1, 4, 2)))
        pads = tuple(int(p) for p in rng.integers(0, 3, 4))
        stride, dilation = int(rng.integers(1, 3)), int(rng.integers(1, 3))
        x = rng.normal(size=(h, w))
        try:
            ours = conv.conv2d(x, k, padding=pads, stride=stride, dilation=dilation, boundary=mode)
        except ValueError:
            continue
        xp = np.pad(x, ((pads[0], pads[1]), (pads[2], pads[3])), mode=np_mode[mode])
        ref = np.zeros_like(ours)
        for r in range(ref.shape[0]):
            for c in range(ref.shape[1]):
                for a in range(k.shape[0]):
                    for b in range(k.shape[1]):
                        ref[r, c] += k[a, b] * xp[r * stride + a * dilation, c * stride + b * dilation]
        np.testing.assert_allclose(ours, ref, atol=1e-4)


def test_full_padding_equals_scipy_signal_full(rng):
    x, k = rng.normal(size=(7, 5)), rng.normal(size=(3, 2))
    np.testing.assert_allclose(conv.conv2d(x, k, padding="full", flip=True), signal.convolve2d(x, k, "full"), atol=1e-5)
    np.testing.assert_allclose(conv.conv2d(x, k, padding="valid"), signal.correlate2d(x, k, "valid"), atol=1e-5)


@pytest.mark.parametrize("kwargs, fragment", [
    (dict(stride=0), "stride must be at least 1"),
    (dict(dilation=0), "dilation must be at least 1"),
    (dict(padding="sideways"), "padding 'sideways'"),
    (dict(boundary="bounce", padding="same"), "boundary 'bounce'"),
])
def test_invalid_settings_raise_clear_errors(kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        conv.conv2d(np.ones((5, 5)), np.ones((3, 3)), **kwargs)


def test_kernel_larger_than_padded_input_and_nan():
    with pytest.raises(ValueError, match="must fit inside the padded input"):
        conv.conv2d(np.ones((3, 3)), np.ones((5, 5)))
    with pytest.raises(ValueError, match="NaN"):
        conv.conv2d(np.ones((3, 3)), np.array([[np.nan]]))


def test_relu_and_pooling_match_tensorflow(rng):
    tf = pytest.importorskip("tensorflow")
    x = rng.normal(size=(9, 7, 2)).astype(np.float32)
    np.testing.assert_array_equal(conv.relu(x), np.maximum(x, 0))
    for size, stride, padding in [(2, 2, "valid"), (3, 2, "same"), (2, 1, "same"), (3, 3, "valid")]:
        ours = conv.max_pool2d(x, size, stride, padding)
        ref = tf.nn.max_pool2d(x[None], size, stride, padding.upper()).numpy()[0]
        np.testing.assert_allclose(ours, ref)
        ours = conv.avg_pool2d(x, size, stride, padding)
        ref = tf.nn.avg_pool2d(x[None], size, stride, padding.upper()).numpy()[0]
        np.testing.assert_allclose(ours, ref, atol=1e-6)


def test_layer_arithmetic_examples():
    layer = conv.conv2d_layer_shape((1080, 1920, 3), 16, 5, stride=5, padding="valid", use_bias=False)
    assert layer.out_shape == (216, 384, 16) and layer.params == 1200
    assert conv.conv2d_params(3, 3, 64) == 3 * 3 * 3 * 64 + 64
    assert conv.dense_params(1080 * 1920 * 3, 16, use_bias=False) == 99_532_800
    assert conv.dense_params(784, 128) == 100_480
    assert conv.conv_output_size(5, 3, stride=2, pad_total=2) == 3  # Dumoulin & Visin, figure 2.6


def test_sliding_trace_steps_sum_to_output(rng):
    trace = conv.sliding_window_trace(conv.demo_matrix(), conv.DEMO_KERNEL)
    assert trace.output.shape == (5, 5) and trace.steps == 25
    for n in range(trace.steps):
        step = trace.step(n)
        assert step["sum"] == pytest.approx(trace.output.flat[n])
        np.testing.assert_array_equal(step["products"], step["patch"] * conv.DEMO_KERNEL)
    # The vertical line at column 1 gives -2 / +2 responses on either side.
    np.testing.assert_array_equal(trace.output[0], [-2, 2, 0, 0, 0])
    x = rng.normal(size=(6, 6))
    t = conv.sliding_window_trace(x, rng.normal(size=(3, 3)), stride=2, padding="same", boundary="wrap", flip=True)
    assert all(t.step(n)["sum"] == pytest.approx(t.output.flat[n], abs=1e-5) for n in range(t.steps))


@pytest.mark.parametrize("mode", MODES)
def test_check_panel_reference_equals_ndimage_even_on_one_pixel_axes(rng, mode):
    """engine.checks.scipy_reference pads by its own indexing rules; it must agree with SciPy for odd kernels."""
    from engine import checks
    for h, w in [(1, 7), (6, 1), (1, 1), (5, 4)]:
        x = rng.normal(size=(h, w))
        k = rng.normal(size=(3, 3))
        ref = checks.scipy_reference(x, k, padding="same", boundary=mode)
        np.testing.assert_allclose(ref, ndimage.correlate(x, k, mode=mode), atol=1e-9, err_msg=f"{h}x{w} {mode}")


def test_engine_conv2d_equals_the_independent_reference_on_random_settings(rng):
    """The check panel's reference shares no padding or boundary code with engine.conv (engine/checks.py)."""
    from engine import checks
    for _ in range(60):
        h, w = (int(v) for v in rng.integers(1, 12, 2))
        k = rng.normal(size=tuple(int(v) for v in rng.integers(1, 5, 2)))
        stride, dilation = int(rng.integers(1, 4)), int(rng.integers(1, 3))
        padding = [ "valid", "same", "full", int(rng.integers(0, 3))][int(rng.integers(0, 4))]
        mode, flip = MODES[int(rng.integers(0, len(MODES)))], bool(rng.integers(0, 2))
        x = rng.normal(size=(h, w))
        try:
            ours = conv.conv2d(x, k, stride=stride, padding=padding, dilation=dilation, boundary=mode, flip=flip)
        except ValueError:
            continue  # the kernel does not fit: refused with a message (tested elsewhere)
        ref = checks.scipy_reference(x, k, stride=stride, padding=padding, dilation=dilation, boundary=mode, flip=flip)
        where = f"{h}x{w} k{k.shape} s{stride} d{dilation} {padding} {mode}"
        np.testing.assert_allclose(ours, ref, atol=1e-5, err_msg=where)


def test_window_terms_sum_to_the_output_for_random_settings():
    from engine import conv
    rng = np.random.default_rng(11)
    for _ in range(60):
        image = rng.random(tuple(int(v) for v in rng.integers(6, 30, 2))).astype(np.float32)
        kernel = rng.normal(size=tuple(int(v) for v in rng.integers(1, 6, 2))).astype(np.float32)
        settings = dict(stride=int(rng.integers(1, 4)), padding=str(rng.choice(conv.PADDING_NAMES)),
                        dilation=int(rng.integers(1, 3)), boundary=str(rng.choice(conv.BOUNDARY_MODES)),
                        flip=bool(rng.integers(0, 2)))
        try:
            out = conv.conv2d(image, kernel, **settings)
        except ValueError:
            continue
        rows = rng.choice(out.shape[0], size=min(3, out.shape[0]), replace=False)
        cols = rng.choice(out.shape[1], size=min(4, out.shape[1]), replace=False)
        patches, products, sums = conv.window_terms(image, kernel, rows, cols, **settings)
        np.testing.assert_allclose(sums, out[np.ix_(rows, cols)], rtol=1e-4, atol=1e-4)
        applied = kernel[::-1, ::-1] if settings["flip"] else kernel
        np.testing.assert_allclose(products, patches * applied, rtol=1e-6)
    with pytest.raises(ValueError, match="within"):
        conv.window_terms(np.zeros((5, 5)), np.ones((3, 3)), [3], [0])
    with pytest.raises(ValueError, match="At most"):
        conv.window_terms(np.zeros((64, 64)), np.ones((3, 3)), range(40), range(40), padding="same")


@pytest.mark.parametrize("seed", range(12))
def test_liveliest_window_is_the_window_of_largest_variance_by_brute_force(seed):
    rng = np.random.default_rng(seed)
    h, w = int(rng.integers(1, 40)), int(rng.integers(1, 40))
    values = rng.normal(0, 10 ** rng.uniform(-3, 6), size=(h, w))
    values[rng.random((h, w)) < 0.5] = 0.0  # flat stretches, as an edge map has
    nh, nw = int(rng.integers(1, h + 1)), int(rng.integers(1, w + 1))
    margin = int(rng.integers(0, 6))
    best, where = -1.0, None
    row_range = range(margin, h - nh - margin + 1) if h - nh - 2 * margin >= 0 else range(h - nh + 1)
    col_range = range(margin, w - nw - margin + 1) if w - nw - 2 * margin >= 0 else range(w - nw + 1)
    for top in row_range:
        for left in col_range:
            variance = values[top:top + nh, left:left + nw].var()
            if variance > best * (1 + 1e-9) + 1e-300:
                best, where = variance, (top, left)
    found = conv.liveliest_window(values, (nh, nw), margin)
    top, left = found
    assert top in row_range and left in col_range
    if best > 1e-9 * np.abs(values).max() ** 2:
        assert np.isclose(values[top:top + nh, left:left + nw].var(), best, rtol=1e-6), (found, where)
    else:
        assert found == ((h - nh) // 2, (w - nw) // 2)


def test_liveliest_window_refuses_what_does_not_fit():
    with pytest.raises(ValueError, match="does not fit"):
        conv.liveliest_window(np.zeros((4, 4)), (5, 2))
    with pytest.raises(ValueError, match="2-D"):
        conv.liveliest_window(np.zeros(4), (1, 1))
