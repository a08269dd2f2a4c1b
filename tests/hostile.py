"""Generated hostile inputs, one group per class of attack, each case measured in a separate worker process.

A case is `make()` (builds the payload; not measured) and `call(payload)` (measured: seconds and peak memory
above the worker's memory just before the call, plus the reading child process's peak above its start:
`engine.bounded`). The expected outcome is either a refusal (the engine raises
its own `ConvLabError` with a clear message) or a result that `check(result)` accepts (the input was handled
and what was done is said, e.g. a dataset note). Anything else, any other exception type, a time over
`MAX_SECONDS` or memory over `MAX_EXTRA_MB`, fails `tests/test_robustness.py`.
"""
from __future__ import annotations

import gc
import io
import json
import os
import struct
import time
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
from PIL import Image

MAX_SECONDS = 5.0
MAX_EXTRA_MB = 500.0
DENSE_RATIOS, DENSE_SCALES = [0.33, 0.5, 1, 2, 3], [2, 4, 8, 16]  # the detection page's densest choices


@dataclass
class Case:
    group: str
    name: str
    make: Callable[[], Any]
    call: Callable[[Any], Any]
    check: Callable[[Any], bool] | None = None  # None: must be refused

    @property
    def id(self) -> str:
        return f"{self.group}: {self.name}"


# --- payload builders ------------------------------------------------------------------------------

def voc_xml(n_objects: int, size=(640, 640), name="dog", seed=0) -> bytes:
    rng = np.random.default_rng(seed)
    w, h = size
    objects = []
    for _ in range(n_objects):
        x0, y0 = rng.integers(0, w - 20), rng.integers(0, h - 20)
        x1, y1 = x0 + rng.integers(8, min(200, w - x0)), y0 + rng.integers(8, min(200, h - y0))
        objects.append(f"<object><name>{name}</name><bndbox><xmin>{x0}</xmin><ymin>{y0}</ymin><xmax>{x1}</xmax>"
                       f"<ymax>{y1}</ymax></bndbox></object>")
    return (f"<annotation><filename>x.png</filename><size><width>{w}</width><height>{h}</height><depth>3</depth>"
            f"</size>{''.join(objects)}</annotation>").encode()


def npz(**arrays) -> bytes:
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def npz_declaring(shape, dtype="|u1", body=b"\x00" * 64) -> bytes:
    """An .npz whose one member has a valid .npy header declaring `shape`, and only a few bytes of data."""
    return zip_of({"x.npy": npy_header(shape, dtype, body)}, zipfile.ZIP_STORED)


def npz_bomb(n: int, dtype=np.uint8) -> bytes:
    """A real, complete .npz of n zero 28x28 images, deflated (~1000:1)."""
    buf = io.BytesIO()
    np.savez_compressed(buf, x=np.zeros((n, 28, 28), dtype))
    return buf.getvalue()


def idx_header(shape, code=0x08) -> bytes:
    return bytes([0, 0, code, len(shape)]) + struct.pack(f">{len(shape)}I", *shape)


def gzip_stream(head: bytes, zeros: int, chunk: int = 1 << 24) -> bytes:
    """gzip of `head` followed by `zeros` zero bytes, compressed piece by piece (never all in memory)."""
    comp = zlib.compressobj(1, zlib.DEFLATED, 31)
    parts = [comp.compress(head)]
    block = bytes(min(chunk, max(zeros, 1)))
    left = zeros
    while left > 0:
        parts.append(comp.compress(block[:min(left, chunk)]))
        left -= chunk
    parts.append(comp.flush())
    return b"".join(parts)


def png(size, mode="L", fmt="PNG", **save) -> bytes:
    buf = io.BytesIO()
    Image.new(mode, size).save(buf, fmt, **save)
    return buf.getvalue()


def zip_of(members: dict[str, bytes], method=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def digits_png(n: int, size=(28, 28), seed=0) -> dict[str, bytes]:
    rng = np.random.default_rng(seed)
    out = {}
    for i in range(n):
        buf = io.BytesIO()
        Image.fromarray(rng.integers(0, 255, size[::-1], dtype=np.uint8)).save(buf, "PNG")
        out[f"img/{i:03d}.png"] = buf.getvalue()
    return out


def jpeg_segments(data: bytes) -> list[tuple[int, bytes]]:
    """A JPEG cut into (marker, bytes) pieces: each header segment, and each scan with its entropy-coded data."""
    pos, pieces = 2, []
    while data[pos + 1] != 0xD9:
        marker, length = data[pos + 1], struct.unpack(">H", data[pos + 2:pos + 4])[0]
        end = pos + 2 + length
        if marker == 0xDA:
            while data[end] != 0xFF or data[end + 1] == 0 or 0xD0 <= data[end + 1] <= 0xD7:
                end += 1
        pieces.append((marker, data[pos:end]))
        pos = end
    return pieces


def progressive_jpeg(size=(2048, 2048), repeat: int = 5, times: int = 4000) -> bytes:
    """A real progressive JPEG whose scan number `repeat` is sent again `times` times: each repeat is a few
    bytes, and the decoder makes one pass over the whole image for each."""
    buf = io.BytesIO()
    Image.new("RGB", size, (120, 130, 140)).save(buf, "JPEG", progressive=True, quality=90)
    pieces = jpeg_segments(buf.getvalue())
    scans = [p for m, p in pieces if m == 0xDA]
    return (b"\xff\xd8" + b"".join(p for m, p in pieces if m != 0xDA) + b"".join(scans)
            + scans[repeat % len(scans)] * times + b"\xff\xd9")


def jpeg_with_comments(n: int) -> bytes:
    """A small JPEG with `n` empty comment segments before its frame (Pillow reads each one in Python)."""
    buf = io.BytesIO()
    Image.new("RGB", (64, 64), (9, 99, 199)).save(buf, "JPEG")
    data = buf.getvalue()
    return data[:2] + b"\xff\xfe\x00\x02" * n + data[2:]


def png_chunks(n: int, where: str = "before", chunk_type: bytes = b"abCd", size=(64, 64)) -> bytes:
    """A valid PNG with `n` empty chunks of `chunk_type` before its image data or after it."""
    buf = io.BytesIO()
    Image.new("RGB", size).save(buf, "PNG")
    data = buf.getvalue()
    chunk = struct.pack(">I", 0) + chunk_type + struct.pack(">I", zlib.crc32(chunk_type))
    at = data.index(b"IDAT" if where == "before" else b"IEND") - 4
    return data[:at] + chunk * n + data[at:]


def png_split_idat(size, n: int) -> bytes:
    """A noisy RGB PNG whose compressed image data is cut into `n` IDAT chunks (as streaming encoders write)."""
    buf = io.BytesIO()
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (size[1], size[0], 3), dtype=np.uint8)).save(buf, "PNG")
    data = buf.getvalue()
    first, pos, stream = data.index(b"IDAT") - 4, data.index(b"IDAT") - 4, b""
    while data[pos + 4:pos + 8] == b"IDAT":
        length = struct.unpack(">I", data[pos:pos + 4])[0]
        stream += data[pos + 8:pos + 8 + length]
        pos += 12 + length
    step = -(-len(stream) // n)
    chunks = b"".join(struct.pack(">I", len(part)) + b"IDAT" + part + struct.pack(">I", zlib.crc32(b"IDAT" + part))
                      for part in (stream[i:i + step] for i in range(0, len(stream), step)))
    return data[:first] + chunks + data[pos:]


def gif_with_blocks(n: int, empty_extensions: int = 0) -> bytes:
    """A GIF whose first frame follows a comment extension of `n` one-byte data blocks and `empty_extensions`
    comment extensions with no data at all."""
    buf = io.BytesIO()
    Image.new("P", (32, 32)).save(buf, "GIF")
    data = buf.getvalue()
    at = 13 + (3 << ((data[10] & 7) + 1) if data[10] & 0x80 else 0)
    return data[:at] + b"\x21\xfe\x00" * empty_extensions + b"\x21\xfe" + b"\x01x" * n + b"\x00" + data[at:]


def webp_with_chunks(n: int) -> bytes:
    body = png((32, 32), "RGB", "WEBP", lossless=True)[12:] + b"XTRA\x00\x00\x00\x00" * n
    return b"RIFF" + struct.pack("<I", 4 + len(body)) + b"WEBP" + body


def bmp_rle8(width: int, height: int) -> bytes:
    """An 8-bit run-length BMP: 255-pixel runs, one byte pair each."""
    runs = bytearray()
    for _ in range(height):
        left = width
        while left > 0:
            runs += bytes([min(255, left), 1])
            left -= 255
        runs += b"\x00\x00"
    runs += b"\x00\x01"
    palette = b"".join(bytes([i, i, i, 0]) for i in range(256))
    offset = 14 + 40 + len(palette)
    return (b"BM" + struct.pack("<IHHI", offset + len(runs), 0, 0, offset)
            + struct.pack("<IiiHHIIiiII", 40, width, height, 1, 8, 1, len(runs), 2835, 2835, 256, 0)
            + palette + bytes(runs))


def npz_members(**members: bytes) -> bytes:
    """An .npz from ready .npy bytes (real or header-only), one member per name."""
    return zip_of({f"{name}.npy": member for name, member in members.items()})


def npy(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, array)
    return buf.getvalue()


def npy_header(shape, dtype="<i8", body=bytes(64)) -> bytes:
    """A .npy member whose valid header declares `shape` of `dtype`, followed by only `body`."""
    header = np.lib.format.header_data_from_array_1_0(np.zeros(1, np.uint8))
    header.update(shape=tuple(shape), descr=dtype)
    member = io.BytesIO()
    np.lib.format.write_array_header_1_0(member, header)
    return member.getvalue() + body


def keras_file(layers: list, weights: dict | None = None, class_name: str = "Sequential", extra=None,
               h5: bytes | None = None, config_text: bytes | None = None) -> bytes:
    """A .keras file written by hand (no Keras needed): config.json of `layers` (each a (class, config) pair or a
    ready dict) and model.weights.h5 with `weights` (path -> array, or path -> (shape, dtype) for a dataset
    declared with a fill value and no data)."""
    import h5py
    entries = [layer if isinstance(layer, dict) else
               {"module": "keras.layers", "class_name": layer[0], "config": layer[1], "registered_name": None}
               for layer in layers]
    config = {"module": "keras", "class_name": class_name, "registered_name": None,
              "config": {"name": "m", "layers": entries, **(extra or {})}}
    if h5 is None:
        buffer = io.BytesIO()
        with h5py.File(buffer, "w") as store:
            store.create_group("layers")
            for path, value in (weights or {}).items():
                if isinstance(value, tuple):
                    store.create_dataset(path, shape=value[0], dtype=value[1], chunks=True, compression="gzip")
                else:
                    store.create_dataset(path, data=value)
        h5 = buffer.getvalue()
    return zip_of({"metadata.json": b'{"keras_version": "3.15.1"}',
                   "config.json": config_text if config_text is not None else json.dumps(config).encode(),
                   "model.weights.h5": h5})


def keras_input(shape=(8, 8, 1), name="input_layer") -> tuple:
    return ("InputLayer", {"batch_shape": [None, *shape], "name": name})


def keras_conv(filters=2, kernel=3, name="conv", **extra) -> tuple:
    return ("Conv2D", {"name": name, "filters": filters, "kernel_size": [kernel, kernel], "strides": [1, 1],
                       "padding": "valid", "activation": "relu", "use_bias": True, **extra})


def flip(data: bytes, offset: int) -> bytes:
    offset %= len(data)
    return data[:offset] + bytes([data[offset] ^ 0x5A]) + data[offset + 1:]


def _zip_data_offset(data: bytes) -> int:
    """Where the first member's compressed bytes start (after its local header)."""
    name_len, extra_len = struct.unpack("<HH", data[26:30])
    return 30 + name_len + extra_len


# --- the cases ---------------------------------------------------------------------------------------

def _detection_cases() -> list[Case]:
    from engine.detection import anchors, boxes, voc
    cases = [Case("detection bounds", f"VOC file with {n:,} objects", lambda n=n: voc_xml(n), voc.parse_voc)
             for n in (101, 1_000, 9_400)]

    def dense_match(xml):
        ann = voc.parse_voc(xml)
        gt = np.array([o.box for o in ann.objects], float)
        all_anchors = anchors.generate_anchors((640, 640), 8, DENSE_RATIOS, DENSE_SCALES)
        match = anchors.match_anchors(all_anchors, gt, 0.7, 0.3)
        return len(all_anchors), int((match["labels"] == 1).sum()), anchors.iou_with(all_anchors, gt[0]).shape
    cases.append(Case("detection bounds", "100 objects x 128,000 dense anchors (stride 8, 5 ratios x 4 scales)",
                      lambda: voc_xml(100), dense_match, lambda r: r[0] == 128_000 and r[1] > 0))
    cases += [Case("detection bounds", f"anchors for {hw[0]}x{hw[1]} at stride {s}",
                   lambda hw=hw: hw, lambda hw, s=s: anchors.generate_anchors(hw, s, DENSE_RATIOS, DENSE_SCALES))
              for hw, s in (((4096, 4096), 4), ((2048, 8192), 2), ((100_000, 100_000), 16))]
    cases.append(Case("detection bounds", "IoU matrix of 200,000 x 1,000 boxes",
                      lambda: (np.tile([0, 0, 5, 5], (200_000, 1)), np.tile([1, 1, 4, 4], (1_000, 1))),
                      lambda ab: boxes.iou_matrix(*ab)))

    def many_boxes(n, seed=1):
        rng = np.random.default_rng(seed)
        xy = rng.uniform(0, 600, (n, 2))
        return np.hstack([xy, xy + rng.uniform(5, 60, (n, 2))]), rng.random(n)
    for n in (5_000, 20_000):
        cases.append(Case("detection bounds", f"NMS over {n:,} boxes", lambda n=n: many_boxes(n),
                          lambda bs: boxes.nms(*bs, iou_threshold=0.5), lambda keep: 0 < len(keep)))
    cases.append(Case("detection bounds", "NMS with max_output=0 keeps none (as TensorFlow)", lambda: many_boxes(10),
                      lambda bs: boxes.nms(*bs, max_output=0), lambda keep: len(keep) == 0))
    cases.append(Case("detection bounds", "NMS with max_output=-1", lambda: many_boxes(10),
                      lambda bs: boxes.nms(*bs, max_output=-1)))
    return cases


def _bomb_cases() -> list[Case]:
    from engine import data
    load = lambda payload: data.load_user_dataset(payload, "bomb.npz")  # noqa: E731
    cases = [Case("decompression bombs", f".npz header declaring {shape} {dtype}",
                  lambda shape=shape, dtype=dtype: npz_declaring(shape, dtype), load)
             for shape, dtype in (((10**6, 64, 64, 3), "|u1"), ((70_000, 64, 64, 3), "<f8"), ((2**40, 28, 28), "|u1"),
                                  ((10**5, 10**5), "<f4"))]
    cases.append(Case("decompression bombs", ".npz of 800,000 zero digits (real: 627 MB deflated to 0.6 MB)",
                      lambda: npz_bomb(800_000), load))
    cases.append(Case("decompression bombs", ".npz declaring a header but holding too few bytes",
                      lambda: npz_declaring((100, 28, 28)), load))
    idx = lambda name: (lambda payload: data.load_user_dataset(payload, name))  # noqa: E731
    cases += [Case("decompression bombs", f"gzip IDX declaring {shape}",
                   lambda shape=shape: gzip_stream(idx_header(shape), 1 << 20), idx("x-idx3-ubyte.gz"))
              for shape in ((2_000_000, 28, 28), (70_000, 64, 64, 3), (2**32 - 1, 2**32 - 1, 2**32 - 1))]
    cases.append(Case("decompression bombs", "gzip IDX of 700,000 zero digits (real: 549 MB deflated to 2.4 MB)",
                      lambda: gzip_stream(idx_header((700_000, 28, 28)), 700_000 * 784), idx("x-idx3-ubyte.gz")))
    cases.append(Case("decompression bombs", "gzip IDX whose stream holds 400 MB more than its header says",
                      lambda: gzip_stream(idx_header((1000, 28, 28)), 400 << 20), idx("x-idx3-ubyte.gz")))
    cases.append(Case("decompression bombs", "raw IDX header whose dimensions overflow 64 bits",
                      lambda: idx_header((2**32 - 1,) * 4) + b"\x00" * 16, idx("x.idx")))
    big_png = lambda: png((6400, 6400))  # noqa: E731  40.96 MP of zeros: a few kB
    cases.append(Case("decompression bombs", ".zip of 3 PNGs declaring 41 MP each",
                      lambda: zip_of({f"{i}.png": big_png() for i in range(3)}), idx("a.zip")))
    cases.append(Case("decompression bombs", ".zip of 30 PNGs declaring 3.6 MP each (108 MP in all)",
                      lambda: zip_of({f"{i}.png": p for i, p in enumerate([png((1900, 1900))] * 30)}), idx("a.zip")))
    cases.append(Case("decompression bombs", ".zip with one 300 MB member of zeros",
                      lambda: zip_of({"a.png": bytes(300 << 20)}), idx("a.zip")))
    return cases


def _structure_cases() -> list[Case]:
    """Decode work that grows with a file's structure, not its pixels: through load_image (the Kernels and Detection
    uploads and the camera) and inside a dataset .zip."""
    from engine import data, images
    load = lambda p: images.load_image(p, max_side=384)  # noqa: E731
    in_zip = lambda p: data.load_user_dataset(zip_of({"a.png": p, "b.jpg": p}), "a.zip")  # noqa: E731
    cases = [Case("decode structure", f"progressive JPEG {size[0]}x{size[1]} with scan {scan} repeated {n:,} times",
                  lambda size=size, scan=scan, n=n: progressive_jpeg(size, scan, n), load)
             for size, scan, n in (((2048, 2048), 5, 4000), ((2048, 2048), 9, 4000), ((1024, 1024), 1, 20_000),
                                   ((4000, 4000), 7, 70))]
    cases += [
        Case("decode structure", "JPEG with 200,000 empty comment segments", lambda: jpeg_with_comments(200_000),
             load),
        Case("decode structure", "PNG with 1,000,000 empty ancillary chunks before its image data",
             lambda: png_chunks(1_000_000), load),
        Case("decode structure", "PNG with 1,000,000 empty text chunks after its image data",
             lambda: png_chunks(1_000_000, "after", b"tEXt"), load),
        Case("decode structure", "PNG with 500,000 empty IDAT chunks", lambda: png_chunks(500_000, "before", b"IDAT"),
             load),
        Case("decode structure", "GIF with 2,000,000 comment blocks before its frame",
             lambda: gif_with_blocks(2_000_000), load),
        Case("decode structure", "WebP with 200,000 empty chunks", lambda: webp_with_chunks(200_000), load),
        Case("decode structure", "JPEG with 19 MB of fill bytes before its frame",
             lambda: b"\xff\xd8" + b"\xff" * (19 << 20) + jpeg_with_comments(0)[2:], load),
        Case("decode structure", "JPEG with 5,000,000 markers that have no length",
             lambda: b"\xff\xd8" + b"\xff\x01" * 5_000_000 + jpeg_with_comments(0)[2:], load),
        Case("decode structure", "GIF with 6,000,000 empty extensions before its frame",
             lambda: gif_with_blocks(0, empty_extensions=6_000_000), load),
        Case("decode structure", "progressive JPEG with 20,000 repeated scans inside a dataset .zip",
             lambda: progressive_jpeg((1024, 1024), 1, 20_000), in_zip),
        Case("decode structure", "PNG with 3,000,000 empty chunks inside a dataset .zip (36 MB, deflated)",
             lambda: png_chunks(3_000_000), in_zip),
        Case("decode structure", "run-length BMP of 36 MP (Pillow's RLE decoder) is read within the budget",
             lambda: bmp_rle8(6000, 6000), load, lambda image: image.shape == (384, 384, 3)),
        Case("decode structure", "a real progressive JPEG (10 scans) still reads",
             lambda: progressive_jpeg((1024, 1024), 0, 0), load, lambda image: image.shape == (384, 384, 3)),
        Case("decode structure", "a PNG whose image data is split into 5,000 IDAT chunks still reads",
             lambda: png_split_idat((600, 400), 5_000), load, lambda image: image.shape == (256, 384, 3)),
    ]
    return cases


def _dataset_bytes_cases() -> list[Case]:
    """Dataset memory bounded in bytes, not only in values: every intermediate array is counted."""
    from engine import data
    idx = lambda name: (lambda payload: data.load_user_dataset(payload, name))  # noqa: E731
    as_npz = lambda p: data.load_user_dataset(p, "d.npz")  # noqa: E731
    zeros_from = lambda n, code, itemsize: gzip_stream(idx_header((n, 28, 28), code), n * 784 * itemsize)  # noqa: E731
    return [
        Case("dataset bytes", "gzip IDX of 61,000 float64 digits (48M values, 383 MB as stored)",
             lambda: zeros_from(61_000, 0x0E, 8), idx("x-idx3-ubyte.gz")),
        Case("dataset bytes", "gzip IDX of 30,000 float64 digits (188 MB as stored) is read in pieces",
             lambda: zeros_from(30_000, 0x0E, 8), idx("x-idx3-ubyte.gz"),
             lambda ds: len(ds.x_train) + len(ds.x_test) == 30_000 and ds.x_train.dtype == np.float32),
        Case("dataset bytes", "gzip IDX of 61,000 int32 digits (48M values) is read in pieces",
             lambda: zeros_from(61_000, 0x0C, 4), idx("x-idx3-ubyte.gz"),
             lambda ds: len(ds.x_train) + len(ds.x_test) == 61_000),
        Case("dataset bytes", ".npz of 25,000 float64 digits (157 MB as stored) is read in pieces",
             lambda: npz_bomb(25_000, np.float64), as_npz,
             lambda ds: len(ds.x_train) + len(ds.x_test) == 25_000),
        Case("dataset bytes", ".npz of 61,000 float64 digits (48M values, 383 MB as stored)",
             lambda: npz_bomb(61_000, np.float64), as_npz),
        Case("dataset bytes", ".npz whose labels declare 10^9 values beside 30 images",
             lambda: npz_members(x=npy(np.zeros((30, 28, 28), np.uint8)), y=npy_header((10**9,))), as_npz),
        Case("dataset bytes", ".npz whose labels declare (30, 10^6) beside 30 images",
             lambda: npz_members(x=npy(np.zeros((30, 28, 28), np.uint8)), y=npy_header((30, 10**6))), as_npz),
        Case("dataset bytes", ".npz whose 30 labels come before 200 MB of images that are never read",
             lambda: npz_members(y=npy(np.zeros(31, np.int64)), x=npy_header((60_000, 28, 28), "|u1")), as_npz),
        Case("dataset bytes", "Fortran-ordered .npz of 20,000 float64 digits keeps its image order",
             lambda: npz_members(x=npy(np.asfortranarray(np.arange(20_000 * 784, dtype=np.float64)
                                                          .reshape(20_000, 28, 28)) % 7)), as_npz,
             lambda ds: np.allclose(ds.x_test[:2, ..., 0], (np.arange(2 * 784).reshape(2, 28, 28) % 7) / 255)),
    ]


def _own_model_cases() -> list[Case]:
    """A student's .keras file (What a network learns): code, bombs, lies and recursion, read by engine.own_model
    without Keras."""
    from engine import own_model
    read = own_model.read_keras_file
    good = {"layers/conv2d/vars/0": np.ones((3, 3, 1, 2), np.float32), "layers/conv2d/vars/1": np.zeros(2, "f4")}
    chain = [keras_input(), keras_conv()]
    lambda_layer = {"module": "keras.layers", "class_name": "Lambda", "registered_name": None,
                    "config": {"name": "evil", "function": {"class_name": "__lambda__", "config": {
                        "code": "4wEAAAAAAAAAAAAAAAEAAAACAAAAQwAAAHMIAAAAdABkAYMBUwApAk7aAmxz"}}}}
    custom = {"module": "my_package.layers", "class_name": "Sampling", "registered_name": "my_package>Sampling",
              "config": {"name": "sampling"}}
    nested = {"module": "keras", "class_name": "Sequential", "registered_name": None, "config": {"name": "inner",
                                                                                                  "layers": []}}
    branch = [dict(zip(("class_name", "config"), keras_input())) | {"module": "keras.layers", "inbound_nodes": []},
              {"module": "keras.layers", "class_name": "Conv2D", "config": keras_conv(name="a")[1],
               "inbound_nodes": [{"args": [{"config": {"keras_history": ["input_layer", 0, 0]}}]}]},
              {"module": "keras.layers", "class_name": "Conv2D", "config": keras_conv(name="b")[1],
               "inbound_nodes": [{"args": [{"config": {"keras_history": ["b", 0, 0]}}]}]}]
    return [
        Case("own model", "a Lambda layer (Python code in the file)", lambda: keras_file([keras_input(), lambda_layer]),
             read),
        Case("own model", "a custom registered layer", lambda: keras_file([keras_input(), custom]), read),
        Case("own model", "a model nested inside the model", lambda: keras_file([keras_input(), nested]), read),
        Case("own model", "a layer that takes its input from itself", lambda: keras_file(
            branch, class_name="Functional", extra={"output_layers": [["b", 0, 0]]}), read),
        Case("own model", "a zip bomb renamed .keras (config.json of 300 MB of zeros, deflated)",
             lambda: zip_of({"config.json": bytes(300 << 20), "model.weights.h5": b""}), read),
        Case("own model", "a weight tensor declared as 2 GB (a fill value, no data)",
             lambda: keras_file(chain, {"layers/conv2d/vars/0": ((500_000_000,), "f4"),
                                        "layers/conv2d/vars/1": np.zeros(2, "f4")}), read),
        Case("own model", "a Dense layer of 10^10 weights declared in the config",
             lambda: keras_file([keras_input((256, 256, 3)), ("Flatten", {"name": "f"}),
                                 ("Dense", {"name": "d", "units": 50_000})]), read),
        Case("own model", "a config.json nested 100,000 lists deep", lambda: keras_file(
            chain, good, config_text=b"[" * 100_000 + b"]" * 100_000), read),
        Case("own model", "a config.json nested 100 objects deep", lambda: keras_file(
            chain, good, config_text=("{\"a\": " * 100 + "1" + "}" * 100).encode()), read),
        Case("own model", "a picture renamed .keras", lambda: png((64, 64), "RGB"), read),
        Case("own model", "weights that are not HDF5", lambda: keras_file(chain, h5=b"\x89HDF\r\n\x1a\n" + bytes(500)),
             read),
        Case("own model", "weights of the wrong shape for their layer", lambda: keras_file(
            chain, {"layers/conv2d/vars/0": np.ones((5, 5, 1, 2), np.float32),
                    "layers/conv2d/vars/1": np.zeros(2, "f4")}), read),
        Case("own model", "NaN in the weights", lambda: keras_file(
            chain, {"layers/conv2d/vars/0": np.full((3, 3, 1, 2), np.nan, np.float32),
                    "layers/conv2d/vars/1": np.zeros(2, "f4")}), read),
        Case("own model", "an input of 100,000 x 100,000 pixels", lambda: keras_file(
            [keras_input((100_000, 100_000, 3)), keras_conv()]), read),
        Case("own model", "a kernel of 10^6 pixels a side", lambda: keras_file(
            [keras_input(), keras_conv(kernel=1_000_000)]), read),
        Case("own model", "an activation by name that is code", lambda: keras_file(
            [keras_input(), keras_conv(activation="__import__('os').system")]), read),
        Case("own model", "a hand-written file with the right weights is read", lambda: keras_file(chain, good), read,
             lambda m: m.params == 20 and m.layers[0].out_shape == (6, 6, 2)),
    ]


def _image_mode_cases() -> list[Case]:
    from engine import images
    cases = []
    deflate = {"compression": "tiff_deflate"}
    for mode, fmt, extra in (("RGBA", "PNG", {}), ("LA", "PNG", {}), ("I;16", "PNG", {}), ("I", "TIFF", deflate),
                             ("F", "TIFF", deflate), ("P", "PNG", {}), ("1", "PNG", {}), ("RGB", "PNG", {}),
                             ("CMYK", "TIFF", deflate)):
        for gray in (False, True):
            cases.append(Case("image modes", f"36 MP {mode} {fmt} ({'gray' if gray else 'colour'})",
                              lambda mode=mode, fmt=fmt, extra=extra: png((6000, 6000), mode, fmt, **extra),
                              lambda payload, gray=gray: images.load_image(payload, max_side=640, gray=gray).shape,
                              lambda shape, gray=gray: shape == ((640, 640) if gray else (640, 640, 3))))
    return cases


def _traceback_cases() -> list[Case]:
    from engine import data, images
    from engine.detection import voc
    cases = []
    body = "<annotation><size><width>9</width><height>9</height></size></annotation>"
    for encoding in ("bogus", "utf-16", "utf-32", "shift_jis", "euc-kr", "gb18030", "utf-7", "x-mac-korean", "ebcdic"):
        cases.append(Case("tracebacks", f"XML declared as {encoding!r}",
                          lambda e=encoding: f'<?xml version="1.0" encoding="{e}"?>{body}'.encode(), voc.parse_voc))
    cases.append(Case("tracebacks", "XML in UTF-16 without a declaration",
                      lambda: body.encode("utf-16"), voc.parse_voc, lambda ann: ann.width == 9))
    cases.append(Case("tracebacks", "XML declared latin-1 (a single-byte encoding reads fine)",
                      lambda: f'<?xml version="1.0" encoding="latin-1"?>{body}'.encode(), voc.parse_voc,
                      lambda ann: ann.width == 9))
    load = data.load_user_dataset
    x = np.zeros((30, 28, 28), np.uint8)
    cases += [
        Case("tracebacks", ".npz of strings", lambda: npz(x=np.array(["a"] * 30)), lambda p: load(p, "s.npz")),
        Case("tracebacks", ".npz of bytes images", lambda: npz(x=np.array([b"ab"] * 30)), lambda p: load(p, "s.npz")),
        Case("tracebacks", ".npz of complex images", lambda: npz(x=np.zeros((30, 28, 28), complex)),
             lambda p: load(p, "s.npz")),
        Case("tracebacks", ".npz with string labels", lambda: npz(x=x, y=np.array(["cat"] * 30)),
             lambda p: load(p, "s.npz")),
        Case("tracebacks", ".npz with a 0-d image array", lambda: npz(x=np.array(3.0)), lambda p: load(p, "s.npz")),
        Case("tracebacks", ".npz with a member that is not .npy", lambda: zip_of({"x.npy": b"not an array"}),
             lambda p: load(p, "s.npz")),
    ]
    gz_idx = gzip_stream(idx_header((30, 28, 28)), 30 * 28 * 28)
    for cut in (5, 11, 40, len(gz_idx) - 9, len(gz_idx) - 1):
        cases.append(Case("tracebacks", f"gzip IDX cut at byte {cut}", lambda cut=cut: gz_idx[:cut],
                          lambda p: load(p, "x-ubyte.gz")))
    for offset in (10, 14, 20, len(gz_idx) - 8, len(gz_idx) - 3):
        cases.append(Case("tracebacks", f"gzip IDX with byte {offset} flipped", lambda o=offset: flip(gz_idx, o),
                          lambda p: load(p, "x-ubyte.gz")))
    members = digits_png(25)
    for method, label in ((zipfile.ZIP_DEFLATED, "deflated"), (zipfile.ZIP_STORED, "stored")):
        archive = zip_of(members, method)
        start = _zip_data_offset(archive)
        for delta in (0, 5, 40):
            cases.append(Case("tracebacks", f"{label} .zip with a corrupt byte {delta} into its first member",
                              lambda a=archive, o=start + delta: flip(a, o), lambda p: load(p, "a.zip")))
    cases.append(Case("tracebacks", ".zip cut in half", lambda: zip_of(members)[: len(zip_of(members)) // 2],
                      lambda p: load(p, "a.zip")))
    cases.append(Case("tracebacks", "encrypted-looking .zip member", lambda: _encrypted_flag(zip_of(members)),
                      lambda p: load(p, "a.zip")))
    for hw in ((1, 1), (3, 2), (31, 200), (500, 7)):
        cases.append(Case("tracebacks", f"{hw[0]}x{hw[1]} image where 32 px are needed", lambda hw=hw: png(hw, "RGB"),
                          lambda p: images.load_image(p, max_side=640, min_side=32)))
    cases.append(Case("tracebacks", "4000x20 image shrunk below 16 px", lambda: png((4000, 20), "RGB"),
                      lambda p: images.load_image(p, max_side=160, min_side=16)))
    return cases


def _encrypted_flag(archive: bytes) -> bytes:
    """Set the 'encrypted' bit of every member's headers: zipfile then refuses to read them."""
    out = bytearray(archive)
    pos = 0
    while (pos := out.find(b"PK\x03\x04", pos)) >= 0:
        out[pos + 6] |= 1
        pos += 4
    pos = 0
    while (pos := out.find(b"PK\x01\x02", pos)) >= 0:
        out[pos + 8] |= 1
        pos += 4
    return bytes(out)


def _silent_cases() -> list[Case]:
    from engine import data
    rng = np.random.default_rng(3)
    load = lambda p: data.load_user_dataset(p, "d.npz")  # noqa: E731
    signed = rng.uniform(-1, 1, (40, 28, 28)).astype(np.float32)
    nearly_one = rng.uniform(0, 1, (40, 28, 28)).astype(np.float32)
    nearly_one[0, 0, 0] = 1.02
    cases = [
        Case("silently wrong", "data in [-1, 1] is mapped, not clipped", lambda: npz(x=signed), load,
             lambda ds: ds.x_train.min() >= 0 and "[-1, 1]" in ds.note
             and abs(float(np.concatenate([ds.x_test, ds.x_train]).mean()) - (signed.mean() + 1) / 2) < 1e-3),
        Case("silently wrong", "one pixel at 1.02 does not divide the set by 255", lambda: npz(x=nearly_one), load,
             lambda ds: np.concatenate([ds.x_test, ds.x_train]).max() == 1.0
             and float(np.concatenate([ds.x_test, ds.x_train]).mean()) > 0.4 and "stretched" in ds.note),
        Case("silently wrong", "0-255 floats are divided by 255 and it is said",
             lambda: npz(x=np.clip(nearly_one, 0, 1) * 255), load,
             lambda ds: ds.x_train.max() <= 1 and "255" in ds.note),
        Case("silently wrong", "values from -5 to 300 are stretched and it is said",
             lambda: npz(x=np.linspace(-5, 300, 40 * 784).reshape(40, 28, 28)), load,
             lambda ds: ds.x_train.min() >= 0 and ds.x_train.max() <= 1 and "stretched" in ds.note),
    ]
    x = np.zeros((40, 28, 28), np.uint8)
    for label, y in (("39 labels for 40 images", np.arange(39)), ("labels of shape (40, 2)", np.zeros((40, 2))),
                     ("NaN labels", np.full(40, np.nan)), ("fractional labels", np.full(40, 1.5)),
                     ("negative labels", np.full(40, -3)), ("labels of 10^9", np.full(40, 10**9))):
        cases.append(Case("silently wrong", label, lambda y=y: npz(x=x, y=y), load))
    mixed = digits_png(30) | {f"big/{i}.png": v for i, v in digits_png(5, size=(40, 20), seed=1).items()}
    cases.append(Case("silently wrong", "mixed sizes in a .zip are resized and it is said",
                      lambda: zip_of(mixed), lambda p: data.load_user_dataset(p, "m.zip"),
                      lambda ds: ds.x_train.shape[1:] == (28, 28, 1) and "resized to 28x28" in ds.note))
    return cases


def _smaller_cases() -> list[Case]:
    from engine import data, images
    from engine.detection import voc
    return [
        Case("smaller", "a dataset whose values are all 300 is refused, not turned into NaN",
             lambda: npz(x=np.full((30, 28, 28), 300.0)), lambda p: data.load_user_dataset(p, "c.npz")),
        Case("smaller", "a dataset whose values are all 7 (uint8) is refused",
             lambda: npz(x=np.full((30, 28, 28), 7, np.uint8)), lambda p: data.load_user_dataset(p, "c.npz")),
        Case("smaller", "a dataset whose values are all -2.5 is refused",
             lambda: npz(x=np.full((30, 8, 8, 3), -2.5, np.float32)), lambda p: data.load_user_dataset(p, "c.npz")),
        Case("smaller", "a 39.7 MP lossless WebP (about 600 MB to decode) is refused before decoding",
             lambda: png((6300, 6300), "RGB", "WEBP", lossless=True), images.load_image),
        Case("smaller", "a 6 MP lossless WebP still reads",
             lambda: png((3000, 2000), "RGB", "WEBP", lossless=True), images.load_image,
             lambda image: image.shape == (683, 1024, 3)),
        Case("smaller", "image just over 20 MB: the refusal names the 20 MB limit",
             lambda: b"\x89PNG" + bytes(20 * 2**20), images.load_image),
        Case("smaller", "dataset over 50 MB: the refusal names the 50 MB limit",
             lambda: bytes(50 * 2**20 + 1), lambda p: data.load_user_dataset(p, "x.npz")),
        Case("smaller", "a .npz with 20,000 array names gives a short message",
             lambda: zip_of({f"{'k' * 40}{i}.npy": b"" for i in range(20_000)}, zipfile.ZIP_STORED),
             lambda p: data.load_user_dataset(p, "x.npz")),
        Case("smaller", "XML parse error inside 900 kB of text gives a short message",
             lambda: b"<annotation>" + b"<a>" * 300_000, voc.parse_voc),
    ]


def all_cases() -> dict[str, Case]:
    cases = (_detection_cases() + _bomb_cases() + _structure_cases() + _dataset_bytes_cases() + _image_mode_cases()
             + _traceback_cases() + _silent_cases() + _smaller_cases() + _own_model_cases())
    out = {c.id: c for c in cases}
    assert len(out) == len(cases), "case names must be unique"
    return out


# --- the measurement (runs in the worker process) ------------------------------------------------------

def _status_kb(field: str) -> int:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def run_case(case_id: str) -> dict:
    """Build the payload, then run the call with the peak-RSS counter reset; report what happened."""
    from engine import bounded
    from engine.errors import ConvLabError
    case = all_cases()[case_id]
    payload = case.make()
    bounded.warm_up()  # the reader's forkserver starts once per process, not inside the first case measured
    bounded.last_child_peak_mb = 0.0
    gc.collect()
    try:
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")  # resets VmHWM (peak RSS) to the current RSS
    except OSError:
        pass
    before = _status_kb("VmRSS")
    start = time.perf_counter()
    outcome: dict = {}
    try:
        result = case.call(payload)
        outcome = {"outcome": "returned", "ok": bool(case.check(result)) if case.check else False}
    except ConvLabError as exc:
        outcome = {"outcome": "refused", "type": type(exc).__name__, "message": str(exc),
                   "template": exc.message.template, "values": exc.message.values}
    except BaseException as exc:  # noqa: BLE001 - reported, the test fails on it
        outcome = {"outcome": "crashed", "type": type(exc).__name__, "message": str(exc)[:300]}
    outcome["seconds"] = time.perf_counter() - start
    # the reader's child process counts too, added: its peak above its own start (engine.bounded reports it)
    outcome["extra_mb"] = max(0, _status_kb("VmHWM") - before) / 1024 + bounded.last_child_peak_mb
    outcome["expects_refusal"] = case.check is None
    del payload
    gc.collect()
    return outcome


if __name__ == "__main__":  # python tests/hostile.py: run every case here and print a table
    import sys
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    for cid in all_cases():
        r = run_case(cid)
        print(f"{r['outcome']:8} {r['seconds']:6.2f} s {r['extra_mb']:7.1f} MB  {cid}  {r.get('message', '')[:90]}")
