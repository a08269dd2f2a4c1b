"""True deconvolution: undo a known blur. Inverse filter, Wiener filter, Richardson-Lucy, and PSNR.

The blur is circular (periodic boundary), so in the Fourier domain it is exactly a product with the
point-spread function's transfer function H, and the inverse filters are exact up to noise and H's zeros.
"""
from __future__ import annotations

import numpy as np

from engine.conv import conv2d
from engine.errors import InputError
from engine.kernels import gaussian_kernel


def gaussian_psf(size: int = 7, sigma: float = 1.5) -> np.ndarray:
    """A normalised size x size Gaussian blur kernel (point-spread function).

    Examples
    --------
    >>> gaussian_psf(3, 1.0).sum().round(6)
    np.float32(1.0)
    """
    return gaussian_kernel(size, sigma)


def motion_psf(length: int = 7) -> np.ndarray:
    """A horizontal motion blur of `length` pixels (normalised).

    Examples
    --------
    >>> motion_psf(3).tolist()
    [[0.0, 0.0, 0.0], [0.3333333432674408, 0.3333333432674408, 0.3333333432674408], [0.0, 0.0, 0.0]]
    """
    if not 1 <= int(length) <= 7:
        raise InputError("motion blur length must be between 1 and 7, got {length}.", length=length)
    psf = np.zeros((int(length), int(length)), np.float32)
    psf[int(length) // 2, :] = 1 / int(length)
    return psf


def psf_to_otf(psf: np.ndarray, shape) -> np.ndarray:
    """Zero-pad the PSF to `shape` with its centre moved to (0, 0), then FFT: the transfer function H.

    Examples
    --------
    >>> psf_to_otf([[1.0]], (2, 2)).real.tolist()
    [[1.0, 1.0], [1.0, 1.0]]
    """
    psf = np.asarray(psf, dtype=np.float64)
    if psf.shape[0] > shape[0] or psf.shape[1] > shape[1]:
        raise InputError("The blur kernel {kernel_shape} is larger than the image {image_shape}.",
                         kernel_shape=psf.shape, image_shape=tuple(shape))
    padded = np.zeros(shape[:2])
    padded[: psf.shape[0], : psf.shape[1]] = psf
    padded = np.roll(padded, (-(psf.shape[0] // 2), -(psf.shape[1] // 2)), axis=(0, 1))
    return np.fft.fft2(padded)


def _per_channel(fn, image, *args):
    image = np.asarray(image, dtype=np.float64)
    if image.ndim == 2:
        return fn(image, *args)
    return np.stack([fn(image[..., c], *args) for c in range(image.shape[2])], axis=2)


def blur(image, psf, *, noise_sigma: float = 0.0, seed: int = 0) -> np.ndarray:
    """Circular convolution with the PSF (true convolution, wrap boundary), plus Gaussian noise.

    Examples
    --------
    >>> blur(np.eye(3), [[1.0]]).tolist()
    [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]
    """
    if not np.isfinite(noise_sigma) or noise_sigma < 0:
        raise InputError("noise_sigma must be a finite number >= 0, got {noise_sigma}.", noise_sigma=noise_sigma)
    blurred = conv2d(image, psf, padding="same", boundary="wrap", flip=True).astype(np.float64)
    if noise_sigma > 0:
        blurred = blurred + np.random.default_rng(seed).normal(0, noise_sigma, blurred.shape)
    return blurred.astype(np.float32)


def inverse_filter(blurred, psf, *, threshold: float = 1e-3) -> np.ndarray:
    """X = Y / H, with frequencies where |H| < threshold set to zero (else division by ~0 explodes).

    Examples
    --------
    >>> psf = [[0.8, 0.2]]
    >>> bool(np.allclose(inverse_filter(blur(np.eye(4), psf), psf, threshold=0), np.eye(4), atol=1e-5))
    True
    """
    def one(y):
        h = psf_to_otf(psf, y.shape)
        safe = np.abs(h) >= threshold
        x = np.zeros_like(h)
        x[safe] = np.fft.fft2(y)[safe] / h[safe]
        return np.real(np.fft.ifft2(x))
    return _per_channel(one, blurred).astype(np.float32)


def wiener(blurred, psf, *, nsr: float = 1e-3) -> np.ndarray:
    """Wiener deconvolution: X = conj(H) / (|H|^2 + NSR) * Y in the Fourier domain.

    Parameters
    ----------
    blurred : array_like, (H, W) or (H, W, C)
    psf : array_like
        The blur kernel that made `blurred` (circularly, as `blur` does).
    nsr : float
        Noise-to-signal power ratio; 0 gives the plain inverse filter.

    Examples
    --------
    Without noise it undoes a blur whose transfer function has no zeros:

    >>> x = np.random.default_rng(0).random((8, 8))
    >>> psf = np.array([[0.6, 0.0], [0.3, 0.1]])
    >>> bool(np.allclose(wiener(blur(x, psf), psf, nsr=1e-9), x, atol=1e-4))
    True
    """
    if not np.isfinite(nsr) or nsr < 0:
        raise InputError("nsr must be a finite number >= 0, got {nsr}.", nsr=nsr)
    def one(y):
        h = psf_to_otf(psf, y.shape)
        return np.real(np.fft.ifft2(np.conj(h) / (np.abs(h) ** 2 + nsr) * np.fft.fft2(y)))
    return _per_channel(one, blurred).astype(np.float32)


def richardson_lucy(blurred, psf, *, iterations: int = 30, eps: float = 1e-7) -> np.ndarray:
    """Multiplicative maximum-likelihood updates for Poisson noise, with circular convolutions.

    Examples
    --------
    >>> richardson_lucy(np.full((4, 4), 0.5), [[1.0]], iterations=3).round(3).tolist()[0]
    [0.5, 0.5, 0.5, 0.5]
    """
    if not 1 <= int(iterations) <= 1000:
        raise InputError("iterations must be between 1 and 1000, got {iterations}.", iterations=iterations)
    def one(y):
        y = np.clip(y, 0, None)
        h = psf_to_otf(psf, y.shape)
        estimate = np.full_like(y, max(float(y.mean()), eps))
        for _ in range(int(iterations)):
            reblurred = np.real(np.fft.ifft2(np.fft.fft2(estimate) * h))
            ratio = y / np.maximum(reblurred, eps)
            estimate = estimate * np.real(np.fft.ifft2(np.fft.fft2(ratio) * np.conj(h)))
        return estimate
    return _per_channel(one, blurred).astype(np.float32)


def psnr(reference, image, data_range: float = 1.0) -> float:
    """Peak signal-to-noise ratio in dB for images in [0, 1]: 10·log10(1 / MSE).

    Examples
    --------
    >>> round(float(psnr(np.zeros((2, 2)), np.full((2, 2), 0.1))), 6)
    20.0
    """
    ref = np.asarray(reference, dtype=np.float64)
    img = np.clip(np.asarray(image, dtype=np.float64), 0, data_range)
    if ref.shape != img.shape:
        raise InputError("PSNR needs equal shapes, got {shape} and {shape2}.", shape=ref.shape, shape2=img.shape)
    mse = float(np.mean((ref - img) ** 2))
    return float("inf") if mse == 0 else 10 * np.log10(data_range**2 / mse)
