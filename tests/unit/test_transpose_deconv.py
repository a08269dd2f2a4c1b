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
