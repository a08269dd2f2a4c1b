import io

import numpy as np
import pytest
from PIL import Image

from engine import images
from engine.images import ImageLoadError, load_image


def encode(img: Image.Image, fmt="PNG", **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, fmt, **kw)
    return buf.getvalue()


def test_rgb_png_roundtrip_values():
    arr = (np.arange(12 * 10 * 3) % 256).astype(np.uint8).reshape(12, 10, 3)
    out = load_image(encode(Image.fromarray(arr)))
    assert out.dtype == np.float32 and out.shape == (12, 10, 3)
    np.testing.assert_allclose(out, arr / 255.0, atol=1e-7)


def test_rgba_is_flattened_on_white():
    img = Image.new("RGBA", (4, 4), (255, 0, 0, 0))  # fully transparent red -> white
    out = load_image(encode(img))
    np.testing.assert_allclose(out, 1.0)


def test_palette_and_grayscale_modes():
    pal = Image.new("P", (5, 5), 0)
    pal.putpalette([10, 20, 30] + [0] * 765)
    np.testing.assert_allclose(load_image(encode(pal))[0, 0], np.array([10, 20, 30]) / 255, atol=1e-6)
    gray = Image.new("L", (5, 3), 128)
    out = load_image(encode(gray), gray=True)
    assert out.shape == (3, 5) and abs(out[0, 0] - 128 / 255) < 1e-6


def test_16_bit_png_scales_to_unit_range():
    arr = np.full((6, 6), 65535, dtype=np.uint16)
    arr[0, 0] = 0
    out = load_image(encode(Image.fromarray(arr)), gray=True)
    assert out.max() == pytest.approx(1.0) and out[0, 0] == 0


def test_exif_orientation_is_applied():
    img = Image.new("RGB", (40, 20), (0, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise on display
    out = load_image(encode(img, "JPEG", exif=exif))
    assert out.shape[:2] == (40, 20)


def test_large_images_are_downscaled():
    out = load_image(encode(Image.new("RGB", (3000, 1000))), max_side=300)
    assert out.shape == (100, 300, 3)


@pytest.mark.parametrize("data, message", [
    (b"", "empty"),
    (b"this is not an image at all", "not an image"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "not an image"),
])
def test_bad_bytes_give_clear_errors(data, message):
    with pytest.raises(ImageLoadError, match=message):
        load_image(data)


def test_decompression_bomb_refused_before_decoding():
    # A PNG whose header claims 20000 x 20000 pixels.
    bomb = encode(Image.new("1", (20000, 20000)))
    with pytest.raises(ImageLoadError, match="decompression bomb"):
        load_image(bomb)


def test_truncated_jpeg_is_refused():
    data = encode(Image.new("RGB", (64, 64), (200, 10, 10)), "JPEG")
    with pytest.raises(ImageLoadError):
        load_image(data[: len(data) // 3])


@pytest.mark.parametrize("name", images.sample_names())
def test_samples_are_deterministic_rgb_in_range(name):
    a, b = images.sample_image(name, 64), images.sample_image(name, 64)
    assert a.shape == (64, 64, 3) and a.dtype == np.float32
    assert 0 <= a.min() and a.max() <= 1 and a.std() > 0.02
    np.testing.assert_array_equal(a, b)
    a[:] = 0  # callers get copies, the cache stays intact
    assert images.sample_image(name, 64).std() > 0.02


def test_unknown_sample_is_an_error():
    with pytest.raises(ValueError, match="Unknown sample"):
        images.sample_image("nope")


def test_to_gray_matches_bt601():
    rgb = np.array([[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]], dtype=np.float32)
    np.testing.assert_allclose(images.to_gray(rgb), [[0.299, 0.587]], atol=1e-6)


@pytest.mark.parametrize("name", list(images.PHOTO_DESCRIPTIONS))
def test_shipped_photographs_load_as_rgb_pictures_at_any_size(name):
    for size in (8, 100, 256, 700):
        photo = images.sample_image(name, size)
        assert photo.shape == (size, size, 3) and photo.dtype == np.float32
        assert 0 <= photo.min() and photo.max() <= 1
    photo = images.sample_image(name, 256)
    assert photo.std() > 0.1, "a photograph, not a flat colour"
    edges = np.abs(np.diff(images.to_gray(photo), axis=1))
    assert (edges > 0.02).mean() > 0.05, "with texture and edges to find"
    assert (images.PHOTOS / f"{name}.jpg").stat().st_size < 100_000
