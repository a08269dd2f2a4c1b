"""Datasets for the training lesson: Keras loaders when online (cached by Keras), the real MNIST test set shipped
with ConvLab (engine/assets/mnist, 10,000 digits) when offline, and user files (.npz, IDX, zip of images).

Arrays come back as float32 images (N, H, W, C) in [0, 1] and int64 labels (-1 when unknown).
"""
from __future__ import annotations

import concurrent.futures
import contextlib
import io
import logging
import math
import os
import struct
import zipfile
import zlib
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from engine import bounded, images
from engine.errors import ConvLabError, InputError, Message, TooLargeError, megabytes, shown

DATASETS = ("mnist", "fashion", "cifar10", "builtin")
DATASET_LABELS = {"mnist": "MNIST digits", "fashion": "Fashion-MNIST", "cifar10": "CIFAR-10 (colour)",
                  "builtin": "Bundled MNIST test digits (offline)"}
DATASET_SHAPES = {"mnist": (28, 28, 1), "fashion": (28, 28, 1), "cifar10": (32, 32, 3), "builtin": (28, 28, 1)}
BUNDLED_MNIST = Path(__file__).parent / "assets" / "mnist"   # t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz
BUNDLED_TEST = 1000  # of the bundled 10,000 digits, the last 1,000 are held out (9,000 to train on)
LOADER_TIMEOUT_S = 8.0
MAX_USER_BYTES = 50 * 1024 * 1024
MAX_USER_IMAGES = 70_000


class DatasetError(ConvLabError):
    """A dataset file that cannot be used; the message is meant for the user."""


@dataclass
class Dataset:
    """Images (N, H, W, C) in [0, 1] with int64 labels (-1 unknown), split into train and held-out test."""
    name: str
    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    note: str = ""          # e.g. why the built-in set is used instead of the requested one

    @property
    def shape(self) -> tuple[int, int, int]:
        return tuple(self.x_train.shape[1:])

    @property
    def labelled(self) -> bool:
        """Every image, training and held out, has a label (what a classifier and a conditional GAN need)."""
        every = np.concatenate([np.ravel(self.y_train), np.ravel(self.y_test)])
        return bool(self.y_train.size) and bool(every.min() >= 0)

    @property
    def classes(self) -> int:
        """How many classes the labels name (the largest label + 1); 0 when not every image is labelled."""
        return int(max(self.y_train.max(), self.y_test.max(initial=0))) + 1 if self.labelled else 0


# --- digits drawn by code (tests), and the bundled MNIST test set (offline) ------------------------

def builtin_digits(n: int, seed: int = 0, size: int = 28) -> tuple[np.ndarray, np.ndarray]:
    """`n` handwritten-looking digits drawn with random size, slant, rotation, stroke and position.

    Examples
    --------
    >>> x, y = builtin_digits(3, seed=0)
    >>> x.shape, y.tolist()
    ((3, 28, 28, 1), [8, 6, 5])
    """
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 10, n)
    out = np.empty((n, size, size, 1), dtype=np.float32)
    canvas = size * 2
    for i, label in enumerate(labels):
        img = Image.new("L", (canvas, canvas), 0)
        draw = ImageDraw.Draw(img)
        px = int(rng.uniform(0.75, 1.05) * canvas)
        font = images.font(px)
        stroke = int(rng.integers(1, 4))
        draw.text((canvas / 2, canvas / 2), str(label), fill=255, font=font, anchor="mm", stroke_width=stroke,
                  stroke_fill=255)
        shear = rng.uniform(-0.3, 0.3)
        img = img.transform(img.size, Image.Transform.AFFINE, (1, shear, -shear * canvas / 2, 0, 1, 0),
                            resample=Image.Resampling.BILINEAR)
        img = img.rotate(rng.uniform(-12, 12), resample=Image.Resampling.BILINEAR,
                         translate=tuple(rng.uniform(-2, 2, 2) * 2))
        bbox = img.getbbox() or (0, 0, canvas, canvas)
        glyph = img.crop(bbox)
        scale = 20 / max(glyph.size)  # MNIST-style: fit in a 20x20 box, centred in 28x28
        glyph = glyph.resize((max(1, round(glyph.width * scale)), max(1, round(glyph.height * scale))),
                             Image.Resampling.LANCZOS)
        frame = Image.new("L", (28, 28), 0)
        frame.paste(glyph, ((28 - glyph.width) // 2, (28 - glyph.height) // 2))
        if size != 28:
            frame = frame.resize((size, size), Image.Resampling.BILINEAR)
        out[i, ..., 0] = np.asarray(frame, dtype=np.float32) / 255.0
    return out, labels.astype(np.int64)


def bundled_digits(n: int | None = None) -> tuple[np.ndarray, np.ndarray]:
    """The first `n` (default all 10,000) of the bundled MNIST test digits, (n, 28, 28, 1) in [0, 1], with labels.

    >>> x, y = bundled_digits(3)
    >>> x.shape, y.tolist()
    ((3, 28, 28, 1), [7, 2, 1])
    """
    x = read_idx((BUNDLED_MNIST / "t10k-images-idx3-ubyte.gz").read_bytes())[:n, ..., None].astype(np.float32) / 255.0
    return x, read_idx((BUNDLED_MNIST / "t10k-labels-idx1-ubyte.gz").read_bytes())[:n].astype(np.int64)


@lru_cache(maxsize=1)
def builtin_dataset() -> Dataset:
    """The offline set: the real MNIST test set shipped with ConvLab (10,000 handwritten digits, LeCun, Cortes and
    Burges, CC BY-SA 3.0), 9,000 to train on and the last 1,000 held out.

    Examples
    --------
    >>> ds = builtin_dataset()
    >>> ds.x_train.shape, ds.x_test.shape, ds.y_test[:5].tolist()
    ((9000, 28, 28, 1), (1000, 28, 28, 1), [7, 6, 1, 1, 0])
    """
    x, y = bundled_digits()
    return Dataset("builtin", x[:-BUNDLED_TEST], y[:-BUNDLED_TEST], x[-BUNDLED_TEST:], y[-BUNDLED_TEST:])


# --- Keras loaders with fallback -------------------------------------------------------------------

def _keras_loader(name: str):
    import keras
    return {"mnist": keras.datasets.mnist, "fashion": keras.datasets.fashion_mnist,
            "cifar10": keras.datasets.cifar10}[name].load_data


def _to_float_images(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x)
    if x.ndim == 3:
        x = x[..., None]
    return (x.astype(np.float32) / 255.0) if x.dtype == np.uint8 else x.astype(np.float32)


def load_dataset(name: str, timeout_s: float = LOADER_TIMEOUT_S) -> Dataset:
    """Keras' loader for mnist/fashion/cifar10 (downloads once, then cached); the bundled MNIST test digits when
    offline, when the loader fails, or when it takes longer than `timeout_s`, with a note that says so.

    Examples
    --------
    >>> load_dataset('builtin').x_train.shape  # shipped with ConvLab, never downloaded
    (9000, 28, 28, 1)
    """
    if name not in DATASETS:
        raise InputError("Unknown dataset {name}; choose one of {datasets}.", name=repr(name),
                         datasets=', '.join(DATASETS))
    if name == "builtin":
        return builtin_dataset()
    if os.environ.get("CONVLAB_OFFLINE") == "1":  # a server known to be offline (a classroom) skips the attempt
        return _offline(name)
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    try:
        (x_train, y_train), (x_test, y_test) = pool.submit(_keras_loader(name)).result(timeout=timeout_s)
    except concurrent.futures.TimeoutError:
        return _fallback(Message("{dataset_labels} did not download within {timeout_s} s: training on the bundled "
                                 "10,000 MNIST test digits instead.", dataset_labels=DATASET_LABELS[name],
                                 timeout_s=format(timeout_s, ".0f")))
    except Exception:  # offline: "URL fetch failure"; broken cache: bad zip / hash (the class name helps nobody)
        logging.getLogger("convlab").info("Keras loader for %s failed", name, exc_info=True)
        return _offline(name)
    finally:
        pool.shutdown(wait=False)
    return Dataset(name, _to_float_images(x_train), np.asarray(y_train).reshape(-1).astype(np.int64),
                   _to_float_images(x_test), np.asarray(y_test).reshape(-1).astype(np.int64))


def _offline(name: str) -> Dataset:
    return _fallback(Message("Offline: {dataset_labels} could not be downloaded, so this trains on the bundled 10,000 "
                             "MNIST test digits.", dataset_labels=DATASET_LABELS[name]))


def _fallback(note) -> Dataset:
    data = builtin_dataset()
    return Dataset("builtin", data.x_train, data.y_train, data.x_test, data.y_test, note=note)


# --- user data -----------------------------------------------------------------------------------
# Uploads are bounded by what they decode to, not by their compressed size: a 65 kB .npz or .gz can declare
# gigabytes. Every reader checks the declared shape and type first (the labels' too, before any data is read),
# decompresses in bounded pieces and converts each piece to float32 as it arrives, so no array ever exists in the
# file's own type: the bytes held are the float32 result plus one piece. The whole parse runs under
# engine.bounded's time and memory budget.
MAX_DECODED_VALUES = 48_000_000      # pixels x channels over all images: 60,000 MNIST digits fit (192 MB as float32)
MAX_DECODED_BYTES = 200 * 2**20      # the data as the file stores it (48M uint8 values, or 25M float64 ones)
MAX_ZIP_MEMBER_BYTES = 4 * MAX_USER_BYTES  # uncompressed bytes of all images in a .zip
MAX_ZIP_PIXELS = 100_000_000         # pixels all the images of a .zip declare in their headers
MAX_ZIP_IMAGE_PIXELS = 4_000_000     # pixels one image of a dataset .zip may declare (datasets are <= 64 px)
MAX_LABEL = 999
PIECE_BYTES = 4 * 2**20              # decompressed and converted at a time
_IDX_DTYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
_ZIP_FAULTS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError)


def _check_values(shape: tuple[int, ...], what: str, dtype: np.dtype | None = None) -> None:
    count = math.prod(int(d) for d in shape)  # Python ints: a header's dimensions cannot overflow
    if count > MAX_DECODED_VALUES:
        raise TooLargeError("{what} declares shape {shape}: {count} values; the limit is {max_decoded_values}.",
                            what=what, shape=shape, count=format(count, ","),
                            max_decoded_values=format(MAX_DECODED_VALUES, ","))
    if dtype is not None and count * dtype.itemsize > MAX_DECODED_BYTES:
        raise TooLargeError("{what} declares shape {shape} of {itemsize}-byte values: {count}; the limit is "
                            "{max_decoded_bytes}.", what=what, shape=shape, itemsize=dtype.itemsize,
                            count=megabytes(count * dtype.itemsize), max_decoded_bytes=megabytes(MAX_DECODED_BYTES))


class _Gunzip:
    """A gzip stream read piece by piece: read(n) decompresses at most n bytes (a bomb stays shut)."""

    def __init__(self, data: bytes):
        self._stream, self._pending = zlib.decompressobj(wbits=31), memoryview(data)

    def read(self, n: int) -> bytes:
        pieces, left = [], n
        try:
            while left > 0 and not self._stream.eof and len(self._pending):
                piece = self._stream.decompress(self._pending, left)
                self._pending = memoryview(self._stream.unconsumed_tail)
                pieces.append(piece)
                left -= len(piece)
        except zlib.error:  # zlib's own words ("invalid block type") help nobody in class
            raise DatasetError("The gzip file is damaged: its compressed data or checksum is wrong.") from None
        return b"".join(pieces)

    def finished(self) -> bool:
        """The stream ended with its checksum and length; False when the input ran out before."""
        return self._stream.eof


class _Bytes:
    """The same read(n) over bytes already in memory (no copy of the rest)."""

    def __init__(self, data: bytes):
        self._data, self._pos = memoryview(data), 0

    def read(self, n: int) -> bytes:
        piece = self._data[self._pos:self._pos + n]
        self._pos += len(piece)
        return bytes(piece)

    def finished(self) -> bool:
        return True


class _CutShort(Exception):
    def __init__(self, got: int):
        self.got = got


def _float32_pieces(read, count: int, dtype: np.dtype):
    """`count` values of `dtype` from read(n), as float32 pieces of about PIECE_BYTES each (as they arrive)."""
    per_piece, done = max(1, PIECE_BYTES // dtype.itemsize), 0
    while done < count:
        want = min(per_piece, count - done) * dtype.itemsize
        raw = read(want)
        got = len(raw) // dtype.itemsize
        if got:
            yield np.frombuffer(raw, dtype, count=got).astype(np.float32)
        done += got
        if len(raw) < want:
            raise _CutShort(done * dtype.itemsize + len(raw) % dtype.itemsize)


def _fill(out: np.ndarray, pieces) -> int:
    """Copy float32 pieces into `out` in C order; returns how many values came (more than `out` holds is
    refused)."""
    flat, filled = out.reshape(-1), 0
    for piece in pieces:
        if filled + piece.size > flat.size:
            raise DatasetError("The file holds {filled} values where its header promises {size}.", filled="more",
                               size=flat.size)
        flat[filled:filled + piece.size] = piece
        filled += piece.size
    return filled


def _pieces_of(x: np.ndarray):
    """An array already in memory, as the same float32 pieces (C order)."""
    flat = x.reshape(-1)
    step = max(1, PIECE_BYTES // 4)
    for start in range(0, flat.size, step):
        yield flat[start:start + step].astype(np.float32)


def _idx_header(reader) -> tuple[tuple[int, ...], np.dtype, int]:
    head = reader.read(4)
    if len(head) < 4 or head[0] != 0 or head[1] != 0:
        raise DatasetError("Not an IDX file: it must start with two zero bytes.")
    if head[2] not in _IDX_DTYPES:
        raise DatasetError("Unknown IDX data type 0x{data_type}.", data_type=format(head[2], "02x"))
    ndim = head[3]
    if not 1 <= ndim <= 4:
        raise DatasetError("IDX header claims {ndim} dimensions; expected 1 to 4.", ndim=ndim)
    dims = reader.read(4 * ndim)
    if len(dims) < 4 * ndim:
        raise DatasetError("The IDX header is cut short.")
    shape = struct.unpack(f">{ndim}I", dims)
    dtype = np.dtype(_IDX_DTYPES[head[2]])
    _check_values(shape, "The IDX header", dtype)
    return shape, dtype, math.prod(shape) * dtype.itemsize


def _idx_tail(reader, shape, expected: int) -> None:
    """After the promised bytes: nothing more, and (gzip) the stream's end with its checksum."""
    if reader.read(1):
        raise DatasetError("IDX header promises {expected} bytes of data for shape {shape}, file has {got}.",
                           expected=expected, shape=shape, got="more")
    if not reader.finished():
        raise DatasetError("The gzip file is cut short: its end (checksum and length) is missing.")


def _idx_cut_short(reader, shape, expected: int, got: int) -> DatasetError:
    if isinstance(reader, _Gunzip) and not reader.finished():
        return DatasetError("The gzip file is cut short: its end (checksum and length) is missing.")
    return DatasetError("IDX header promises {expected} bytes of data for shape {shape}, file has {got}.",
                        expected=expected, shape=shape, got=got)


def _reader(data: bytes):
    return _Gunzip(data) if data[:2] == b"\x1f\x8b" else _Bytes(data)


def read_idx(data: bytes) -> np.ndarray:
    r"""Parse an IDX file (optionally gzip-compressed), as MNIST is distributed, in the file's own number type.
    The header is checked before the body is decompressed.

    >>> read_idx(b"\x00\x00\x08\x02" + b"\x00\x00\x00\x02" + b"\x00\x00\x00\x03" + bytes(range(6))).tolist()
    [[0, 1, 2], [3, 4, 5]]
    """
    reader = _reader(data)
    shape, dtype, expected = _idx_header(reader)
    raw = reader.read(expected)
    if len(raw) < expected:
        raise _idx_cut_short(reader, shape, expected, len(raw))
    _idx_tail(reader, shape, expected)
    return np.frombuffer(raw, dtype=dtype).reshape(shape).astype(dtype.newbyteorder("="))


def _idx_pieces(data: bytes):
    """An IDX file's images: (shape, stored type) first, then float32 pieces as the body is decompressed."""
    reader = _reader(data)
    shape, dtype, expected = _idx_header(reader)
    _check_image_shape(shape)
    yield shape, dtype
    try:
        yield from _float32_pieces(reader.read, math.prod(shape), dtype)
    except _CutShort as short:
        raise _idx_cut_short(reader, shape, expected, short.got) from None
    _idx_tail(reader, shape, expected)


def load_user_dataset(data: bytes, filename: str, test_fraction: float = 0.1) -> Dataset:
    """A user's .npz (x or x_train [+ y]), IDX images (.idx/.gz/-ubyte), or .zip of image files.

    Values are brought to [0, 1] and the dataset's `note` says how (0-255 divided by 255, [-1, 1] mapped,
    other ranges stretched); labels must be whole numbers 0-999, one per image, or are left out. The file is
    read under engine.bounded's time and memory budget.

    Examples
    --------
    >>> import io
    >>> buf = io.BytesIO()
    >>> np.savez(buf, x=(np.arange(30 * 28 * 28) % 256).astype(np.uint8).reshape(30, 28, 28), y=np.arange(30) % 10)
    >>> ds = load_user_dataset(buf.getvalue(), 'digits.npz')
    >>> ds.x_train.shape, ds.x_test.shape, str(ds.note)
    ((27, 28, 28, 1), (3, 28, 28, 1), 'Values from 0 to 255 were read as 8-bit pixels and divided by 255.')
    """
    if not data:
        raise DatasetError("The file is empty.")
    if len(data) > MAX_USER_BYTES:
        raise DatasetError("The file is {size}; the limit is {max_user_bytes}.", size=megabytes(len(data)),
                           max_user_bytes=megabytes(MAX_USER_BYTES))
    # The reader streams float32 pieces from its child process into one array here: the images exist once, in
    # this process, and the child never holds more than a piece of them
    with contextlib.closing(bounded.stream(_user_dataset_pieces, data, str(filename))) as pieces:
        shape, integer, y, notes = next(pieces)  # closing: the child goes, and its reader's turn, whatever happens
        x = np.empty(shape, np.float32)
        filled = _fill(x, pieces)
    if filled != x.size:
        raise DatasetError("The file holds {filled} values where its header promises {size}.", filled=filled,
                           size=x.size)
    if x.ndim == 3:
        x = x[..., None]
    labels = _labels(y, len(x))
    x = _to_unit_range(x, integer, notes)
    split = max(1, int(len(x) * test_fraction))
    return Dataset(f"user:{str(filename)[:60]}", x[split:], labels[split:], x[:split], labels[:split],
                   note=Message.lines(notes))


def _user_dataset_pieces(data: bytes, filename: str):
    """Run in engine.bounded's child: first (shape, whole numbers?, labels or None, notes), then float32 pieces
    of the images in C order."""
    lower, notes = filename.lower(), []
    if lower.endswith(".npz"):
        yield from _npz_pieces(data)
    elif lower.endswith(".zip"):
        x = _from_zip(data, notes)
        _check_image_shape(x.shape)
        yield x.shape, False, None, notes
        yield from _pieces_of(x)
    else:
        pieces = _idx_pieces(data)
        shape, dtype = next(pieces)
        yield shape, dtype.kind in "biu", None, notes
        yield from pieces


def _check_image_shape(shape: tuple[int, ...]) -> None:
    """(N, H, W) or (N, H, W, 1 or 3), 8 <= H, W <= 64, 20 to MAX_USER_IMAGES images: checked on a header's
    shape before any data is read."""
    full = tuple(shape) + ((1,) if len(shape) == 3 else ())
    if len(full) != 4 or full[-1] not in (1, 3) or not (8 <= full[1] <= 64 and 8 <= full[2] <= 64):
        raise DatasetError("Images must be (N, H, W) or (N, H, W, 1 or 3) with 8 <= H, W <= 64; got {shape}.",
                           shape=tuple(shape))
    if full[0] < 20 or full[0] > MAX_USER_IMAGES:
        raise DatasetError("Need between 20 and {max_images} images, got {count}.",
                           max_images=format(MAX_USER_IMAGES, ","), count=format(full[0], ","))


def _kind_name(dtype: np.dtype) -> str:
    return {"U": "text", "S": "bytes", "O": "Python objects", "c": "complex numbers", "M": "dates",
            "m": "time spans", "V": "raw records"}.get(dtype.kind, str(dtype))


def _to_unit_range(x: np.ndarray, integer: bool, notes: list[str]) -> np.ndarray:
    """float32 in [0, 1], converted in place (`x` is the reader's own float32 array); what was done goes into
    `notes`. `integer`: the file stored whole numbers (0-255 is then read as 8-bit pixels)."""
    lo, hi = float(x.min()), float(x.max())  # a NaN or an infinity shows in one of the two: no mask array needed
    if not (math.isfinite(lo) and math.isfinite(hi)):
        raise DatasetError("The images contain NaN or infinite values.")
    if lo >= 0 and hi <= 1:
        return x
    if lo == hi:  # one value everywhere: stretching would divide by zero (all-NaN images)
        raise DatasetError("Every value in the images is {lo}: with no contrast there is nothing to learn, and the "
                           "images cannot be brought to [0, 1].", lo=format(lo, ".4g"))
    if lo >= -1 and hi <= 1:
        x += 1
        x *= 0.5
        notes.append("Values in [-1, 1] were mapped to [0, 1].")
    elif lo >= 0 and hi <= 255 and (integer or hi > 2):
        x /= 255
        notes.append(Message("Values from 0 to {hi} were read as 8-bit pixels and divided by 255.", hi=format(hi, "g")))
    else:
        x -= lo
        x /= hi - lo
        notes.append(Message("Values from {lo} to {hi} were stretched linearly to [0, 1].",
                             lo=format(lo, ".4g"), hi=format(hi, ".4g")))
    np.clip(x, 0, 1, out=x)
    return x


def _labels(y, n: int) -> np.ndarray:
    if y is None:
        return np.full(n, -1, np.int64)
    y = np.asarray(y)
    if y.dtype.kind not in "biuf":
        raise DatasetError("The labels must be whole numbers; this file's labels are {kind_name}.",
                           kind_name=_kind_name(y.dtype))
    if y.ndim == 2 and y.shape[1] == 1:
        y = y[:, 0]
    if y.shape != (n,):
        raise DatasetError("The labels have shape {shape}; {n} images need one label each, shape ({n2},).",
                           shape=y.shape, n=format(n, ","), n2=n)
    if not np.isfinite(y).all() or np.any(y != np.round(y)) or y.min() < 0 or y.max() > MAX_LABEL:
        raise DatasetError("Labels must be whole numbers from 0 to {max_label} (no NaN).", max_label=MAX_LABEL)
    return y.astype(np.int64)


def _npz_header(archive: zipfile.ZipFile, key: str) -> tuple[tuple[int, ...], bool, np.dtype]:
    """One array's shape, order and type from its .npy header; nothing of its data is read or decompressed."""
    with archive.open(key + ".npy") as fp:
        version = np.lib.format.read_magic(fp)
        reader = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
        shape, fortran_order, dtype = reader(fp)
    if dtype.hasobject:
        raise DatasetError("Cannot read the .npz file (it holds Python objects, which are not loaded).")
    if dtype.kind not in "biuf":
        what = "images" if key in _IMAGE_KEYS else "labels"
        raise DatasetError("The {what} must be numbers; this file's {what2} are {kind_name}.", what=what, what2=what,
                           kind_name=_kind_name(dtype))
    _check_values(shape, f"Array {shown(key)}", dtype)
    return tuple(shape), fortran_order, dtype


def _npz_image_pieces(archive: zipfile.ZipFile, key: str, shape, fortran_order: bool, dtype: np.dtype):
    with archive.open(key + ".npy") as fp:
        version = np.lib.format.read_magic(fp)
        (np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0)(fp)
        try:
            if fortran_order:  # the file holds the transpose's rows: gathered here, then sent in C order
                transposed = np.empty(tuple(shape)[::-1], np.float32)
                _fill(transposed, _float32_pieces(fp.read, math.prod(shape), dtype))
                yield from _pieces_of(np.ascontiguousarray(transposed.T))
            else:
                yield from _float32_pieces(fp.read, math.prod(shape), dtype)
        except _CutShort:
            raise DatasetError("Array {key} in the .npz is cut short: its header promises more data than it holds.",
                               key=shown(key)) from None


_IMAGE_KEYS = ("x_train", "x", "images", "X")
_LABEL_KEYS = ("y_train", "y", "labels")


def _npz_pieces(data: bytes):
    """An .npz's images: (shape, whole numbers?, labels or None, notes) first, then float32 pieces. Both headers
    are checked, the labels' shape against the images' count, before either body is read."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        keys = {name[:-4] for name in archive.namelist() if name.endswith(".npy")}
        xk = next((k for k in _IMAGE_KEYS if k in keys), None)
        if xk is None:
            raise DatasetError("The .npz needs an array named x_train, x or images; it has {keys}.",
                               keys=shown(sorted(keys)))
        yk = next((k for k in _LABEL_KEYS if k in keys), None)
        shape, fortran_order, dtype = _npz_header(archive, xk)
        _check_image_shape(shape)
        y = None
        if yk:
            y_shape = _npz_header(archive, yk)[0]
            if y_shape not in ((shape[0],), (shape[0], 1)):
                raise DatasetError("The labels have shape {shape}; {n} images need one label each, shape ({n2},).",
                                   shape=y_shape, n=format(shape[0], ","), n2=shape[0])
            with archive.open(yk + ".npy") as fp:
                y = np.lib.format.read_array(fp, allow_pickle=False)
        yield shape, dtype.kind in "biu", y, []
        yield from _npz_image_pieces(archive, xk, shape, fortran_order, dtype)
    except ConvLabError:
        raise
    except (*_ZIP_FAULTS, ValueError, KeyError, struct.error) as exc:
        raise DatasetError("Cannot read the .npz file ({kind}).", kind=type(exc).__name__) from None


def _from_zip(data: bytes, notes: list[str]) -> np.ndarray:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except _ZIP_FAULTS:
        raise DatasetError("The .zip file is damaged or not a zip archive.") from None
    members = sorted((i for i in infos if i.filename.lower().endswith(IMAGE_SUFFIXES) and not i.is_dir()),
                     key=lambda i: i.filename)
    if not members:
        raise DatasetError("The .zip contains no PNG/JPEG/BMP/GIF/WebP images.")
    if len(members) > MAX_USER_IMAGES:
        raise DatasetError("The .zip holds {members} images; the limit is {max_user_images}.",
                           members=format(len(members), ","), max_user_images=format(MAX_USER_IMAGES, ","))
    if sum(i.file_size for i in members) > MAX_ZIP_MEMBER_BYTES:  # declared sizes; reading enforces them
        raise DatasetError("The .zip expands to more than {max_zip_member_bytes}.",
                           max_zip_member_bytes=megabytes(MAX_ZIP_MEMBER_BYTES))
    decoded, pixels, values, unreadable = [], 0, 0, 0
    for info in members:
        try:
            raw = archive.read(info)
        except _ZIP_FAULTS:
            raise DatasetError("The .zip file is damaged: {filename} cannot be extracted (bad checksum or compressed "
                               "data).", filename=shown(info.filename)) from None
        try:  # before Pillow opens it to read its size: opening walks every chunk up to the image data
            images.check_structure(raw)
        except images.ImageLoadError as exc:
            raise DatasetError("{filename} in the .zip: {message}", filename=shown(info.filename),
                               message=exc.message) from None
        declared = _declared_pixels(raw)
        if declared > MAX_ZIP_IMAGE_PIXELS:
            raise TooLargeError("{filename} declares {declared} pixels; images in a dataset .zip may have at most "
                                "{max_zip_image_pixels}.", filename=shown(info.filename),
                                declared=format(declared, ","), max_zip_image_pixels=format(MAX_ZIP_IMAGE_PIXELS, ","))
        pixels += declared
        if pixels > MAX_ZIP_PIXELS:
            raise TooLargeError("The images in the .zip declare more than {max_zip_pixels} pixels in all.",
                                max_zip_pixels=format(MAX_ZIP_PIXELS, ","))
        try:
            decoded.append(images.load_image(raw, max_side=64, gray=True))
        except images.ImageLoadError:
            unreadable += 1
            continue
        values += decoded[-1].size
        if values > MAX_DECODED_VALUES:
            raise TooLargeError("The images in the .zip decode to more than {max_decoded_values} values in all.",
                                max_decoded_values=format(MAX_DECODED_VALUES, ","))
    if not decoded:
        raise DatasetError("None of the images in the .zip could be read.")
    if unreadable:
        notes.append(Message("{unreadable} of {members} files could not be read as images and were skipped.",
                             unreadable=unreadable, members=len(members)))
    return _same_size(decoded, notes)


IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".webp")


def _declared_pixels(raw: bytes) -> int:
    """Width x height from the image header, without decoding; 0 when Pillow cannot tell."""
    try:
        with Image.open(io.BytesIO(raw)) as img:
            return int(img.width) * int(img.height)
    except Exception:  # unreadable images are counted (and skipped) by the loader
        return 0


def _same_size(decoded: list[np.ndarray], notes: list[str]) -> np.ndarray:
    """Stack images, resizing those whose size differs from the most common one (and saying so)."""
    size = Counter(img.shape[:2] for img in decoded).most_common(1)[0][0]
    odd = sum(img.shape[:2] != size for img in decoded)
    if odd:
        notes.append(Message("{odd} of {decoded} images had another size and were resized to {width}x{height}.",
                             odd=odd, decoded=len(decoded), width=size[1], height=size[0]))
    out = np.empty((len(decoded), *size), np.float32)
    for i, img in enumerate(decoded):  # each decoded image is let go as it is copied: one copy of the set at a time
        out[i] = img if img.shape[:2] == size else images.resize(img, size)
        decoded[i] = None
    return out


# --- helpers -------------------------------------------------------------------------------------

def normalise_for(model: str, x: np.ndarray) -> np.ndarray:
    """[0, 1] for the autoencoders and VAE (sigmoid outputs), [-1, 1] for the GAN (tanh output).

    Examples
    --------
    >>> normalise_for('dcgan', np.array([0.0, 1.0])).tolist(), normalise_for('ae', np.array([0.0, 1.0])).tolist()
    ([-1.0, 1.0], [0.0, 1.0])
    """
    return (x * 2 - 1).astype(np.float32) if model == "dcgan" else x.astype(np.float32)


MAX_SHEAR = 1.0      # deskew: at most one pixel sideways per pixel down (45 degrees); odd images stay sane
DESKEW_CHUNK_PIXELS = 2048 * 28 * 28  # pixels straightened at a time: about 100 MB of temporary arrays


def deskew(x: np.ndarray) -> np.ndarray:
    """Straighten each grayscale image (N, H, W, 1) in [0, 1]: shear it so that its ink's principal axis is
    vertical and move its centre of mass to the middle (LeCun et al.'s deskewed MNIST). Bilinear, zero outside;
    the same as `scipy.ndimage.affine_transform(img, [[1, 0], [s, 1]], offset, order=1, mode="grid-constant")`
    with s = cov(row, col) / var(row) of the ink, clipped to +-MAX_SHEAR. Blank images come back unchanged.

    Examples
    --------
    >>> slanted = np.zeros((1, 5, 5, 1)); slanted[0, [0, 1, 2, 3, 4], [4, 3, 2, 1, 0], 0] = 1  # a "/" stroke
    >>> deskew(slanted)[0, :, :, 0].round(2)  # a "|" in the middle column
    array([[0., 0., 1., 0., 0.],
           [0., 0., 1., 0., 0.],
           [0., 0., 1., 0., 0.],
           [0., 0., 1., 0., 0.],
           [0., 0., 1., 0., 0.]], dtype=float32)
    """
    x = np.asarray(x, np.float32)
    if x.ndim != 4 or x.shape[-1] != 1:
        raise InputError("Only grayscale images (N, H, W, 1) can be straightened, not {shape}.", shape=str(x.shape))
    out = np.empty_like(x)
    chunk = max(1, DESKEW_CHUNK_PIXELS // max(1, x.shape[1] * x.shape[2]))
    for start in range(0, len(x), chunk):
        out[start: start + chunk, ..., 0] = _deskew_chunk(x[start: start + chunk, ..., 0])
    return out


def _deskew_chunk(ink: np.ndarray) -> np.ndarray:
    n, h, w = ink.shape
    rows, cols = np.arange(h, dtype=np.float64), np.arange(w, dtype=np.float64)
    total = ink.sum((1, 2), dtype=np.float64)
    blank = total <= 0
    total[blank] = 1.0
    row_mass, col_mass = ink.sum(2, dtype=np.float64), ink.sum(1, dtype=np.float64)
    mean_row, mean_col = row_mass @ rows / total, col_mass @ cols / total
    d_row = rows[None, :] - mean_row[:, None]
    var_row = (row_mass * d_row ** 2).sum(1) / total
    cov = np.einsum("nr,nc,nrc->n", d_row, cols[None, :] - mean_col[:, None], ink) / total
    shear = np.clip(np.divide(cov, var_row, out=np.zeros(n), where=var_row > 0), -MAX_SHEAR, MAX_SHEAR)
    # where each output pixel reads the input: a constant row shift, a column shift that grows down the image
    centre_row, centre_col = (h - 1) / 2, (w - 1) / 2
    src_row = rows[None, :] + (mean_row - centre_row)[:, None]                                   # (n, h)
    src_col = (cols.astype(np.float32)[None, None, :]
               + (shear[:, None] * (rows[None, :] - centre_row) + (mean_col - centre_col)[:, None])
               .astype(np.float32)[:, :, None])                                                   # (n, h, w)
    # bilinear, one axis at a time (exact: the columns read depend on the output row only); indices clipped into
    # a one-pixel border of zeros read zero outside the image
    padded = np.pad(ink, ((0, 0), (1, 1), (1, 1)))
    r0, c0 = np.floor(src_row).astype(np.int64), np.floor(src_col).astype(np.int64)
    fr, fc = (src_row - r0).astype(np.float32)[:, :, None], src_col - c0

    def taps(start, size):
        return np.clip(start, -1, size) + 1, np.clip(start + 1, -1, size) + 1

    above, below = taps(r0[:, :, None], h)
    rows_read = (np.take_along_axis(padded, above, 1) * (1 - fr) + np.take_along_axis(padded, below, 1) * fr)
    left, right = taps(c0, w)
    out = np.take_along_axis(rows_read, left, 2) * (1 - fc) + np.take_along_axis(rows_read, right, 2) * fc
    out[blank] = ink[blank]
    return out


def image_grid(images: np.ndarray, cols: int = 8, pad: int = 1) -> np.ndarray:
    """Tile (N, H, W[, C]) images in [0, 1] into one (H', W'[, C]) picture with white gutters.

    Examples
    --------
    >>> image_grid(np.zeros((3, 2, 2)), cols=2).shape
    (7, 7)
    """
    x = np.asarray(images, dtype=np.float32)
    if x.ndim == 4 and x.shape[-1] == 1:
        x = x[..., 0]
    n, h, w = x.shape[:3]
    cols = max(1, min(cols, n))
    rows = -(-n // cols)
    grid = np.ones((rows * (h + pad) + pad, cols * (w + pad) + pad) + x.shape[3:], np.float32)
    for i in range(n):
        r, c = divmod(i, cols)
        grid[pad + r * (h + pad): pad + r * (h + pad) + h, pad + c * (w + pad): pad + c * (w + pad) + w] = x[i]
    return np.clip(grid, 0, 1)
