"""Datasets: the bundled digits, Keras loaders and their offline fallback, and files students bring (.npz, IDX,
.zip of images), read exactly and refused clearly."""
import gzip
import io
import time
import zipfile

import numpy as np
import pytest
from PIL import Image

from engine import data
from tests.conftest import ROOT


def test_builtin_digits_look_like_mnist():
    x, y = data.builtin_digits(50, seed=0)
    assert x.shape == (50, 28, 28, 1) and x.dtype == np.float32 and set(y) <= set(range(10))
    assert 0 <= x.min() and x.max() <= 1 and 0.05 < x.mean() < 0.35  # mostly black, white strokes
    assert np.all(x[:, :2].max(axis=(1, 2, 3)) < 0.05)               # 20x20 glyph centred in 28x28: empty margins


def test_offline_loader_falls_back_fast(monkeypatch):
    def offline():
        raise Exception("URL fetch failure")
    monkeypatch.setattr(data, "_keras_loader", lambda name: offline)
    start = time.monotonic()
    ds = data.load_dataset("mnist")
    assert ds.name == "builtin" and time.monotonic() - start < 30
    assert str(ds.note) == ("Offline: MNIST digits could not be downloaded, so this trains on the bundled 10,000 "
                            "MNIST test digits.")  # plain words, never an exception's class name
    assert len(ds.x_train) + len(ds.x_test) == 10_000 and ds.y_train[:3].tolist() == [7, 2, 1]  # the real test set


def test_hanging_loader_times_out(monkeypatch):
    monkeypatch.setattr(data, "_keras_loader", lambda name: (lambda: time.sleep(5)))
    start = time.monotonic()
    ds = data.load_dataset("fashion", timeout_s=0.5)
    assert ds.name == "builtin" and "did not download" in ds.note and time.monotonic() - start < 4.5


def test_user_files_npz_idx_zip():
    x = (np.random.default_rng(0).random((40, 28, 28)) * 255).astype(np.uint8)
    buf = io.BytesIO()
    np.savez(buf, x_train=x, y_train=np.arange(40) % 10)
    ds = data.load_user_dataset(buf.getvalue(), "mine.npz")
    assert ds.x_train.shape == (36, 28, 28, 1) and ds.x_train.max() <= 1 and ds.y_test.tolist() == [0, 1, 2, 3]
    idx = b"\x00\x00\x08\x03" + np.array([40, 28, 28], ">u4").tobytes() + x.tobytes()
    assert len(data.load_user_dataset(gzip.compress(idx), "imgs-idx3-ubyte.gz").x_train) == 36
    zbuf = io.BytesIO()
    with zipfile.ZipFile(zbuf, "w") as zf:
        for i in range(25):
            png = io.BytesIO()
            Image.fromarray(x[i]).save(png, "PNG")
            zf.writestr(f"d/{i}.png", png.getvalue())
    assert data.load_user_dataset(zbuf.getvalue(), "pics.zip").x_test.shape[1:] == (28, 28, 1)


def test_user_pixels_are_read_exactly():
    """8-bit pixels become p / 255 exactly, in the order of the file (first 10 % held out)."""
    x = (np.arange(40 * 28 * 28) % 256).astype(np.uint8).reshape(40, 28, 28)
    ds = data.load_user_dataset(gzip.compress(b"\x00\x00\x08\x03" + np.array([40, 28, 28], ">u4").tobytes()
                                              + x.tobytes()), "x-idx3-ubyte.gz")
    np.testing.assert_array_equal(np.concatenate([ds.x_test, ds.x_train])[..., 0], x.astype(np.float32) / 255)
    assert "divided by 255" in ds.note


def test_an_idx_header_declaring_too_much_is_refused_before_decompressing():
    header = b"\x00\x00\x08\x03" + np.array([2_000_000, 28, 28], ">u4").tobytes()
    with pytest.raises(data.TooLargeError, match="1,568,000,000 values"):
        data.read_idx(gzip.compress(header + bytes(1000)))


@pytest.mark.parametrize("payload, name, fragment", [
    (b"", "a.npz", "empty"),
    (b"garbage", "a.npz", "Cannot read"),
    (b"\x00\x00\x08\x03" + np.array([40, 28, 28], ">u4").tobytes() + b"\x00" * 10, "a.idx", "promises"),
    (b"PK not really", "a.zip", "damaged"),
])
def test_user_files_bad(payload, name, fragment):
    with pytest.raises(data.DatasetError, match=fragment):
        data.load_user_dataset(payload, name)


def test_real_mnist_idx_reads_with_documented_label_counts():
    shipped = ROOT / "engine" / "assets" / "mnist"  # the copy the app ships: present in every checkout
    labels = data.read_idx((shipped / "t10k-labels-idx1-ubyte.gz").read_bytes())
    assert np.bincount(labels).tolist() == [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    images = data.read_idx((shipped / "t10k-images-idx3-ubyte.gz").read_bytes())
    assert images.shape == (10_000, 28, 28) and images.dtype == np.uint8


def test_user_dataset_labels_are_checked_before_the_images_are_read():
    """A label array of the wrong length is refused from its header: the images' data is never read (here it is
    not even there: the header declares 60,000 digits that the file does not hold)."""
    from tests.hostile import npy, npy_header, npz_members
    payload = npz_members(x=npy_header((60_000, 28, 28), "|u1"), y=npy(np.zeros(59_999, np.int64)))
    with pytest.raises(data.DatasetError, match=r"shape \(59999,\); 60,000 images need one label each"):
        data.load_user_dataset(payload, "d.npz")


def test_user_dataset_in_float64_and_int32_reads_the_same_as_uint8(monkeypatch):
    """Pieces of the conversion join up: every value in its place, across piece boundaries (pieces of 10 kB here,
    read in this process so that the small pieces apply)."""
    monkeypatch.setenv("CONVLAB_READ_IN_PROCESS", "1")
    monkeypatch.setattr(data, "PIECE_BYTES", 10_000)
    rng = np.random.default_rng(5)
    pixels = rng.integers(0, 256, (700, 28, 28)).astype(np.uint8)
    expected = pixels.astype(np.float32) / 255
    for dtype, code in ((np.float64, 0x0E), (np.int32, 0x0C), (np.uint8, 0x08)):
        stored = pixels.astype(np.dtype(dtype).newbyteorder(">"))
        idx = bytes([0, 0, code, 3]) + np.array([700, 28, 28], ">u4").tobytes() + stored.tobytes()
        ds = data.load_user_dataset(gzip.compress(idx), "x-idx3-ubyte.gz")
        np.testing.assert_allclose(np.concatenate([ds.x_test, ds.x_train])[..., 0], expected, rtol=0, atol=1e-6)
        ds = data.load_user_dataset(npz_of(x=pixels.astype(dtype)), "x.npz")
        np.testing.assert_allclose(np.concatenate([ds.x_test, ds.x_train])[..., 0], expected, rtol=0, atol=1e-6)


def npz_of(**arrays) -> bytes:
    buf = io.BytesIO()
    np.savez_compressed(buf, **arrays)
    return buf.getvalue()


def test_deskew_matches_scipy_affine_transform_on_random_images():
    from scipy import ndimage
    rng = np.random.default_rng(7)
    for _ in range(40):
        h, w = rng.integers(2, 40, 2)
        x = (rng.random((5, h, w, 1)) * (rng.random((5, h, w, 1)) < 0.3)).astype(np.float32)
        got = data.deskew(x)
        for image, straight in zip(x[..., 0].astype(np.float64), got[..., 0]):
            total = image.sum()
            if total == 0:
                continue
            rows, cols = np.mgrid[:h, :w]
            mean = np.array([(rows * image).sum(), (cols * image).sum()]) / total
            var_row = ((rows - mean[0]) ** 2 * image).sum()
            cov = ((rows - mean[0]) * (cols - mean[1]) * image).sum()
            shear = np.clip(cov / var_row, -data.MAX_SHEAR, data.MAX_SHEAR) if var_row > 0 else 0.0
            matrix = np.array([[1.0, 0.0], [shear, 1.0]])
            offset = mean - matrix @ np.array([(h - 1) / 2, (w - 1) / 2])
            ref = ndimage.affine_transform(image, matrix, offset=offset, order=1, mode="grid-constant")
            np.testing.assert_allclose(straight, ref, atol=1e-5)


def test_deskew_straightens_real_digits_and_leaves_blank_ones_alone():
    digits, _ = data.bundled_digits(200)

    def lean(x):  # each image's shear, the covariance of its ink's row and column over its row variance
        rows, cols = np.mgrid[:28, :28]
        ink = x[..., 0]
        total = ink.sum((1, 2))
        r = (ink * rows).sum((1, 2)) / total
        c = (ink * cols).sum((1, 2)) / total
        cov = (ink * (rows - r[:, None, None]) * (cols - c[:, None, None])).sum((1, 2))
        return cov / (ink * (rows - r[:, None, None]) ** 2).sum((1, 2)), r, c

    before, _, _ = lean(digits)
    after, r, c = lean(data.deskew(digits))
    assert np.abs(before).mean() > 0.15 and np.abs(after).mean() < 0.05 * np.abs(before).mean() + 0.01
    assert np.abs(r - 13.5).max() < 0.6 and np.abs(c - 13.5).max() < 0.6  # centred
    blank = np.zeros((2, 28, 28, 1), np.float32)
    assert np.array_equal(data.deskew(blank), blank) and data.deskew(blank[:0]).shape == (0, 28, 28, 1)
    with pytest.raises(ValueError, match="grayscale"):
        data.deskew(np.zeros((2, 8, 8, 3)))


def test_deskew_works_in_chunks_of_pixels_whatever_the_image_size(monkeypatch):
    """Large uploads are straightened a bounded number of pixels at a time, with the same result."""
    import tracemalloc
    x = np.random.default_rng(3).random((200, 64, 64, 1), dtype=np.float32)
    whole = data.deskew(x)
    monkeypatch.setattr(data, "DESKEW_CHUNK_PIXELS", 10 * 64 * 64)
    tracemalloc.start()
    chunked = data.deskew(x)
    peak = tracemalloc.get_traced_memory()[1] - chunked.nbytes
    tracemalloc.stop()
    np.testing.assert_array_equal(chunked, whole)
    assert peak < 8 * 2**20, f"{peak / 2**20:.1f} MB of temporaries for 10 images at a time"
