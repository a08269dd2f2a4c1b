import numpy as np
import pytest
from scipy import signal

from engine import conv, deconv, images, transpose


def test_1d_seed_example():
    out = transpose.conv_transpose1d([1, 2, 3], [-1, 1])
    np.testing.assert_array_equal(out, [-1, -1, -1, 3])
    np.testing.assert_array_equal(out, signal.convolve([1, 2, 3], [-1, 1]))


def test_matches_tensorflow_conv2d_transpose_randomized(rng):
    tf = pytest.importorskip("tensorflow")
    checked = rejected = 0
    for _ in range(200):
        h, w = rng.integers(1, 7, 2)
        kh, kw = rng.integers(1, 6, 2)
        stride = int(rng.integers(1, 4))
        padding = str(rng.choice(["valid", "same"]))
        output_padding = None if rng.random() < 0.5 else int(rng.integers(0, stride))
        cin, cout = rng.integers(1, 3, 2)
        x = rng.normal(size=(h, w, cin)).astype(np.float32)
        k = rng.normal(size=(kh, kw, cout, cin)).astype(np.float32)
        try:
            ours = transpose.conv_transpose2d(x, k, stride=stride, padding=padding, output_padding=output_padding)
        except ValueError as exc:
            assert "TensorFlow rejects" in str(exc)
            rejected += 1
            continue
        ref = tf.nn.conv2d_transpose(x[None], k, output_shape=[1, *ours.shape[:2], cout], strides=stride,
                                     padding=padding.upper()).numpy()[0]
        np.testing.assert_allclose(ours, ref, rtol=1e-4, atol=1e-4)
        checked += 1
    assert checked > 150


def test_matches_keras_conv2d_transpose_layer_shapes_and_values(rng):
    keras = pytest.importorskip("keras")
    cases = [(2, "same", None, 3), (2, "valid", 1, 3), (3, "same", 2, 5), (1, "valid", None, 2)]
    for stride, padding, output_padding, k in cases:
        x = rng.normal(size=(1, 4, 5, 2)).astype(np.float32)
        layer = keras.layers.Conv2DTranspose(3, k, strides=stride, padding=padding, output_padding=output_padding,
                                             use_bias=False)
        ref = keras.ops.convert_to_numpy(layer(x))[0]
        ours = transpose.conv_transpose2d(x[0], layer.get_weights()[0], stride=stride, padding=padding,
                                          output_padding=output_padding)
        np.testing.assert_allclose(ours, ref, rtol=1e-4, atol=1e-4)


def test_three_views_agree_and_transpose_is_adjoint(rng):
    for stride, padding in [(1, "valid"), (2, "valid"), (2, "same"), (1, "same"), (3, "valid")]:
        x = rng.normal(size=(5, 6)).astype(np.float32)
        k = rng.normal(size=(3, 3)).astype(np.float32)
        y = conv.conv2d(x, k, stride=stride, padding=padding)
        c = transpose.conv_matrix(x.shape, k, stride=stride, padding=padding)
        np.testing.assert_allclose(c @ x.ravel(), y.ravel(), atol=1e-5)
        g = rng.normal(size=y.shape).astype(np.float32)
        by_matrix = transpose.conv_transpose_by_matrix(g, k, x.shape, stride=stride, padding=padding)
        # adjoint identity <Cx, g> = <x, C^T g>
        assert np.vdot(y, g) == pytest.approx(np.vdot(x, by_matrix), rel=1e-4)
        # scatter view with the output padding that restores the input shape
        n = by_matrix.shape
        for op in range(stride):
            try:
                scattered = transpose.conv_transpose2d(g, k, stride=stride, padding=padding, output_padding=op)
            except ValueError:
                continue
            if scattered.shape == n:
                np.testing.assert_allclose(scattered, by_matrix, atol=1e-4)
        _, full = transpose.zero_insertion(g, k, stride)
        np.testing.assert_allclose(full, transpose.scatter_full(g, k, stride), atol=1e-4)


def test_transpose_is_not_the_inverse():
    k = np.array([[1, 2], [3, 4]], np.float32)
    c = transpose.conv_matrix((3, 3), k)
    assert not np.allclose(c.T @ c, np.eye(9))


def test_overlap_map_shows_checkerboard_for_k3_s2_and_not_k4_s2():
    uneven = transpose.overlap_map(8, 3, 2)[2:-2, 2:-2]
    even = transpose.overlap_map(8, 4, 2)[2:-2, 2:-2]
    assert set(np.unique(uneven)) == {1, 2, 4}
    assert set(np.unique(even)) == {4}


def test_output_size_relationships():
    assert transpose.transpose_output_size(3, 3, 2, "valid") == 7
    assert transpose.transpose_output_size(4, 3, 2, "same") == 8
    assert transpose.transpose_output_size(3, 3, 2, "valid", 1) == 8
    with pytest.raises(ValueError, match="smaller than the stride"):
        transpose.transpose_output_size(3, 3, 2, "valid", 2)


@pytest.fixture(scope="module")
def blurred_case():
    image = images.to_gray(images.sample_image("house", 128))
    psf = deconv.gaussian_psf(7, 1.5)
    return image, psf, deconv.blur(image, psf, noise_sigma=0.005, seed=1)


def test_wiener_and_richardson_lucy_undo_blur_transposed_conv_does_not(blurred_case):
    image, psf, blurred = blurred_case
    base = deconv.psnr(image, blurred)
    assert deconv.psnr(image, deconv.wiener(blurred, psf, nsr=3e-3)) > base + 1.5
    assert deconv.psnr(image, deconv.richardson_lucy(blurred, psf, iterations=30)) > base + 1.5
    assert deconv.psnr(image, transpose.conv_transpose2d(blurred, psf, padding="same")) < base


def test_noise_free_inverse_filter_is_near_exact():
    image = images.to_gray(images.sample_image("shapes", 64))
    psf = deconv.motion_psf(5)
    restored = deconv.inverse_filter(deconv.blur(image, psf), psf, threshold=1e-6)
    # the motion blur's transfer function has exact zeros; what survives is recovered closely
    assert deconv.psnr(image, restored) > deconv.psnr(image, deconv.blur(image, psf)) + 5


def test_blur_is_circular_convolution_in_fourier_domain(rng):
    x = rng.random((16, 12))
    psf = deconv.gaussian_psf(5, 1.0)
    ref = np.real(np.fft.ifft2(np.fft.fft2(x) * deconv.psf_to_otf(psf, x.shape)))
    np.testing.assert_allclose(deconv.blur(x, psf), ref, atol=1e-5)


def test_wiener_inverts_an_asymmetric_blur_exactly_without_noise(rng):
    """A lopsided PSF has a complex transfer function, so conj(H) matters (a symmetric Gaussian hides it)."""
    x = rng.random((24, 20)).astype(np.float32)
    psf = np.zeros((3, 3), np.float32)
    psf[0, 0], psf[1, 1], psf[2, 1] = 0.6, 0.3, 0.1  # H has no zeros: |0.6| > 0.3 + 0.1
    restored = deconv.wiener(deconv.blur(x, psf), psf, nsr=1e-9)
    np.testing.assert_allclose(restored, x, atol=1e-4)


def _scatter_loop(x, k, stride, pad, output_padding):
    """PyTorch's ConvTranspose2d by its definition: input pixel (i, j) adds x[i, j]·k at (i·s − p, j·s − p)."""
    n_h, n_w = x.shape
    out = np.zeros(((n_h - 1) * stride + k.shape[0] - 2 * pad + output_padding,
                    (n_w - 1) * stride + k.shape[1] - 2 * pad + output_padding))
    for i in range(n_h):
        for j in range(n_w):
            for a in range(k.shape[0]):
                for b in range(k.shape[1]):
                    r, c = i * stride - pad + a, j * stride - pad + b
                    if 0 <= r < out.shape[0] and 0 <= c < out.shape[1]:
                        out[r, c] += x[i, j] * k[a, b]
    return out


def test_integer_padding_matches_a_loop_and_tensorflow_explicit_padding(rng):
    tf = pytest.importorskip("tensorflow")
    checked = 0
    for _ in range(150):
        n_h, n_w = (int(v) for v in rng.integers(1, 7, 2))
        k_h, k_w = (int(v) for v in rng.integers(1, 6, 2))
        stride, pad = int(rng.integers(1, 4)), int(rng.integers(0, 4))
        op = int(rng.integers(0, stride))
        x = rng.normal(size=(n_h, n_w)).astype(np.float32)
        k = rng.normal(size=(k_h, k_w)).astype(np.float32)
        try:
            ours = transpose.conv_transpose2d(x, k, stride=stride, padding=pad, output_padding=op)
        except ValueError as exc:
            assert "crops the whole output" in str(exc)
            assert min((n_h - 1) * stride + k_h, (n_w - 1) * stride + k_w) - 2 * pad + op < 1
            continue
        np.testing.assert_allclose(ours, _scatter_loop(x, k, stride, pad, op), rtol=1e-5, atol=1e-5)
        # TensorFlow's explicit padding: the output padding is in the output shape it is asked for
        ref = tf.nn.conv2d_transpose(x[None, :, :, None], k[:, :, None, None], output_shape=[1, *ours.shape, 1],
                                     strides=stride, padding=[[0, 0], [pad, pad], [pad, pad], [0, 0]]).numpy()
        np.testing.assert_allclose(ours, ref[0, :, :, 0], rtol=1e-4, atol=1e-4)
        checked += 1
    assert checked > 100


def test_integer_padding_textbook_case_and_bad_paddings():
    # 5x5 input, 3x3 kernel, stride 2, padding 1: (5 − 1)·2 + 3 − 2 = 9, and 10 with output padding 1
    assert transpose.conv_transpose2d(np.ones((5, 5)), np.ones((3, 3)), stride=2, padding=1).shape == (9, 9)
    assert transpose.transpose_output_size(5, 3, 2, 1, 1) == 10
    np.testing.assert_array_equal(transpose.conv_transpose2d(np.ones((3, 3)), np.ones((3, 3)), padding=0),
                                  transpose.conv_transpose2d(np.ones((3, 3)), np.ones((3, 3)), padding="valid"))
    for bad in (-1, 1.5, "1", True, None, 10**9, np.nan):
        with pytest.raises(ValueError, match="padding must be"):
            transpose.conv_transpose2d(np.ones((3, 3)), np.ones((3, 3)), padding=bad)
    with pytest.raises(ValueError, match="crops the whole output"):
        transpose.conv_transpose2d(np.ones((1, 1)), np.ones((1, 1)), padding=1)
