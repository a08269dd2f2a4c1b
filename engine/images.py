"""Load, validate and resize images safely; generate the built-in sample images.

Images are float32 NumPy arrays in [0, 1], shaped (H, W) for grayscale or (H, W, 3) for colour.
"""
from __future__ import annotations

import io
import re
import warnings
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from engine import bounded
from engine.errors import ConvLabError, InputError, megabytes, shown

DEFAULT_MAX_SIDE = 1024
# Refuse anything whose header claims more pixels than this before decoding it (decompression bombs).
MAX_DECODE_PIXELS = 40_000_000
MAX_FILE_BYTES = 20 * 1024 * 1024
ALLOWED_FORMATS = ("PNG", "JPEG", "GIF", "BMP", "WEBP", "TIFF")
# libwebp decodes at full size into RGBA canvases: a 39.7 MP lossless WebP peaked at 643 MB above idle (16 B/pixel)
WEBP_BYTES_PER_PIXEL = 16


class ImageLoadError(ConvLabError):
    """An input that is not a usable image; the message is meant for the user."""


def load_image(source, *, max_side: int = DEFAULT_MAX_SIDE, gray: bool = False, min_side: int = 1) -> np.ndarray:
    """Decode `source` (bytes, a path, or a file-like object such as a Streamlit upload or camera shot).

    Applies EXIF orientation, flattens transparency onto white, maps palette, 16-bit and
    grayscale modes to [0, 1], and downscales so the longer side is at most `max_side`. Refuses an image
    whose shorter side ends up below `min_side` (a view that needs a few pixels to work on).

    Examples
    --------
    >>> import io
    >>> buf = io.BytesIO()
    >>> Image.new('RGB', (300, 200), (255, 0, 0)).save(buf, 'PNG')
    >>> image = load_image(buf.getvalue(), max_side=150)
    >>> image.shape, image[0, 0].tolist()
    ((100, 150, 3), [1.0, 0.0, 0.0])
    """
    data = _read_bytes(source)
    if not data:
        raise ImageLoadError("The file is empty (0 bytes), so there is no image to load.")
    if len(data) > MAX_FILE_BYTES:
        raise ImageLoadError("The file is {size}; images larger than {max_file_bytes} are refused.",
                             size=megabytes(len(data)), max_file_bytes=megabytes(MAX_FILE_BYTES))
    check_structure(data)
    return bounded.call(_decode, data, max_side, gray, min_side)


def _decode(data: bytes, max_side: int, gray: bool, min_side: int) -> np.ndarray:
    """load_image's decoding, run under engine.bounded's time and memory budget."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data), formats=ALLOWED_FORMATS)
            width, height = img.size
            if width * height > MAX_DECODE_PIXELS:
                raise ImageLoadError("The image claims {width}x{height} pixels ({megapixels} MP); more than "
                                     "{max_megapixels} MP is refused as a possible decompression bomb.", width=width,
                                     height=height, megapixels=format(width * height / 1e6, ".0f"),
                                     max_megapixels=format(MAX_DECODE_PIXELS / 1e6, ".0f"))
            if img.format == "WEBP" and width * height * WEBP_BYTES_PER_PIXEL > bounded.MEMORY_MB * 2**20:
                raise ImageLoadError("Decoding this {width}x{height} WebP image would take about {megabytes} MB of "
                                     "memory (WebP is decoded at full size); the limit is {memory_mb} MB.", width=width,
                                     height=height,
                                     megabytes=format(width * height * WEBP_BYTES_PER_PIXEL / 2**20, ".0f"),
                                     memory_mb=format(bounded.MEMORY_MB, ".0f"))
            if img.format == "JPEG":
                img.draft("RGB", (max_side, max_side))  # decode JPEGs at reduced size: fast and small
            img.load()
    except ImageLoadError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageLoadError("Refused as a possible decompression bomb: {exc}", exc=exc) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ImageLoadError("This file is not an image ConvLab can read (PNG, JPEG, GIF, BMP, WebP or TIFF): {kind}.",
                             kind=type(exc).__name__) from None
    try:
        img = ImageOps.exif_transpose(img)
    except Exception:  # a broken EXIF block should not lose an otherwise good picture
        pass
    try:
        array = pil_to_array(img, max_side=max_side, gray=gray)
    except (OSError, ValueError) as exc:  # a mode or a decoder fault Pillow meets only now
        raise ImageLoadError("This image could not be converted ({kind}).", kind=type(exc).__name__) from None
    if min(array.shape[:2]) < min_side:
        raise ImageLoadError("The image is {shape1}x{shape0} pixels (after fitting it into {max_side}x{max_side2}); "
                             "this view needs at least {min_side} pixels on each side.", shape1=array.shape[1],
                             shape0=array.shape[0], max_side=max_side, max_side2=max_side, min_side=min_side)
    return array


# --- structure checked before decoding: work that grows with a file's structure, not its pixels ----------
# Pillow walks PNG chunks, JPEG segments and GIF blocks in Python, and libjpeg makes one pass over the whole
# image per JPEG scan: a file of modest size and dimensions can hold millions of them. Real files hold few
# (a progressive JPEG has about 10 scans; libpng writes one IDAT chunk per 8 kB, 2,560 in a 20 MB PNG).
MAX_PNG_CHUNKS = 10_000
MAX_JPEG_SCANS = 64
MAX_JPEG_SEGMENTS = 1_000
MAX_JPEG_FILL = 65_536      # 0xFF fill bytes between segments
MAX_GIF_BLOCKS = 10_000     # extension data blocks before the first frame
MAX_RIFF_CHUNKS = 10_000    # WebP
_JPEG_NEXT_MARKER = re.compile(rb"\xff[^\x00\xd0-\xd7\xff]")  # the end of a scan's entropy-coded data
_JPEG_FILL = re.compile(rb"\xff+")


def check_structure(data: bytes) -> None:
    r"""Refuse a PNG, JPEG, GIF or WebP whose structure alone (chunks, scans, segments, blocks) would make decoding
    slow, before anything is decoded. Walks headers only, at most a few thousand of them.

    >>> check_structure(b"\x89PNG\r\n\x1a\n" + (b"\x00" * 4 + b"abCd" + b"\x00" * 4) * 20_000)
    Traceback (most recent call last):
    ...
    engine.images.ImageLoadError: The PNG file holds more than 10,000 chunks; ...
    """
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        _check_png(data)
    elif data.startswith(b"\xff\xd8"):
        _check_jpeg(data)
    elif data[:6] in (b"GIF87a", b"GIF89a"):
        _check_gif(data)
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        _check_riff(data)


def _check_png(data: bytes) -> None:
    pos, chunks = 8, 0
    while pos + 8 <= len(data):
        chunks += 1
        if chunks > MAX_PNG_CHUNKS:
            raise ImageLoadError("The PNG file holds more than {max_png_chunks} chunks; real images hold a few "
                                 "thousand at most, so it is refused unread.",
                                 max_png_chunks=format(MAX_PNG_CHUNKS, ","))
        length = int.from_bytes(data[pos:pos + 4], "big")
        if data[pos + 4:pos + 8] == b"IEND":
            return
        pos += 12 + length


def _check_jpeg(data: bytes) -> None:
    pos, segments, scans, fill, size = 2, 0, 0, 0, len(data)
    while pos + 1 < size:
        if data[pos] != 0xFF:  # stray bytes between segments: the decoder skips to the next marker, so do we
            pos = data.find(b"\xff", pos)
            if pos < 0:
                return
            continue
        marker = data[pos + 1]
        if marker == 0xFF:  # fill bytes: a run is skipped in one step here, but Pillow reads them one by one
            end = _JPEG_FILL.match(data, pos).end() - 1
            fill += end - pos
            if fill > MAX_JPEG_FILL:
                raise ImageLoadError("The JPEG file holds more than {max_jpeg_fill} fill bytes between its segments; "
                                     "real photographs hold a few, so it is refused unread.",
                                     max_jpeg_fill=format(MAX_JPEG_FILL, ","))
            pos = end
            continue
        if marker == 0xD9:  # end of image
            return
        segments += 1  # every marker counts, those without a length too: each costs this walk one step
        if segments > MAX_JPEG_SEGMENTS:
            raise ImageLoadError("The JPEG file holds more than {max_jpeg_segments} marker segments; real photographs "
                                 "hold a few dozen, so it is refused unread.",
                                 max_jpeg_segments=format(MAX_JPEG_SEGMENTS, ","))
        if marker == 0x01 or 0xD0 <= marker <= 0xD7:  # markers without a length
            pos += 2
            continue
        pos += 2 + int.from_bytes(data[pos + 2:pos + 4], "big")
        if marker == 0xDA:  # start of scan: the decoder passes over the whole image once per scan
            scans += 1
            if scans > MAX_JPEG_SCANS:
                raise ImageLoadError("The JPEG file holds more than {max_jpeg_scans} scans (progressive passes); real "
                                     "photographs hold about 10, and each one costs a pass over the whole image, so "
                                     "it is refused unread.", max_jpeg_scans=MAX_JPEG_SCANS)
            found = _JPEG_NEXT_MARKER.search(data, pos)
            pos = found.start() if found else size


def _check_gif(data: bytes) -> None:
    pos = 13 + (3 << ((data[10] & 7) + 1) if len(data) > 10 and data[10] & 0x80 else 0)
    blocks = 0
    while pos < len(data) and data[pos] == 0x21:  # extensions before the first frame (0x2C) or the end (0x3B)
        pos += 2
        while True:  # the extension itself counts, even with no data blocks: each costs the walk (and Pillow) a step
            blocks += 1
            if blocks > MAX_GIF_BLOCKS:
                raise ImageLoadError("The GIF file holds more than {max_gif_blocks} extension blocks before its first "
                                     "frame; real images hold a few, so it is refused unread.",
                                     max_gif_blocks=format(MAX_GIF_BLOCKS, ","))
            if pos >= len(data) or not data[pos]:
                break
            pos += 1 + data[pos]
        pos += 1


def _check_riff(data: bytes) -> None:
    pos, chunks = 12, 0
    while pos + 8 <= len(data):
        chunks += 1
        if chunks > MAX_RIFF_CHUNKS:
            raise ImageLoadError("The WebP file holds more than {max_riff_chunks} chunks; real images hold a few, so "
                                 "it is refused unread.", max_riff_chunks=format(MAX_RIFF_CHUNKS, ","))
        length = int.from_bytes(data[pos + 4:pos + 8], "little")
        pos += 8 + length + (length & 1)


def _read_bytes(source) -> bytes:
    if isinstance(source, (bytes, bytearray, memoryview)):
        return bytes(source)
    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise ImageLoadError("No image file at {path}.", path=path)
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ImageLoadError("{name} is larger than {max_file_bytes}.", name=shown(path.name),
                                 max_file_bytes=megabytes(MAX_FILE_BYTES))
        return path.read_bytes()
    if hasattr(source, "getvalue"):
        return bytes(source.getvalue())
    if hasattr(source, "read"):
        return source.read(MAX_FILE_BYTES + 1)
    raise ImageLoadError("Cannot read an image from a {kind}.", kind=type(source).__name__)


_NO_REDUCE_MODES = ("1", "P", "I;16", "I;16B", "I;16L", "I;16N")  # Image.reduce() refuses these


def _shrink_before_converting(img: Image.Image, limit: int) -> Image.Image:
    """Bring the longer side down to about `limit` in the image's own mode, so no conversion below ever
    runs at full size (a 40 MP RGBA or 16-bit image converted through float64 costs ~1 GB)."""
    longest = max(img.size)
    if longest <= limit:
        return img
    if img.mode in _NO_REDUCE_MODES:  # palette and 1-bit resize by nearest, 16-bit by box averaging
        scale = limit / longest
        size = (max(1, round(img.width * scale)), max(1, round(img.height * scale)))
        return img.resize(size, Image.Resampling.BOX if img.mode.startswith("I;16") else Image.Resampling.NEAREST)
    return img.reduce(longest // limit)  # integer box filter; Lanczos finishes the job at the small size


def pil_to_array(img: Image.Image, *, max_side: int = DEFAULT_MAX_SIDE, gray: bool = False) -> np.ndarray:
    """Convert any Pillow mode to float32 in [0, 1] and downscale to `max_side`.

    The image is first reduced in its own mode to at most twice `max_side`; every conversion after that
    works on the small image, in uint8 or float32.

    Examples
    --------
    >>> from PIL import Image
    >>> pil_to_array(Image.new('LA', (80, 40)), max_side=20).shape
    (10, 20, 3)
    """
    if max_side < 1:
        raise InputError("max_side must be at least 1, got {max_side}.", max_side=max_side)
    img = _shrink_before_converting(img, 2 * max_side)
    if img.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        arr = np.asarray(img).astype(np.float32)
        peak = 65535.0 if img.mode.startswith("I;16") or arr.max(initial=0) > 255 else 255.0
        img = Image.fromarray(np.clip(arr / peak * 255.0 + 0.5, 0, 255).astype(np.uint8), "L")
    elif img.mode == "F":
        arr = np.nan_to_num(np.asarray(img, dtype=np.float32), posinf=0.0, neginf=0.0)
        lo, hi = float(arr.min(initial=0)), float(arr.max(initial=1))
        img = Image.fromarray(((arr - lo) / max(hi - lo, 1e-12) * 255).astype(np.uint8), "L")
    if img.mode in ("P", "PA", "LA", "RGBA", "La", "RGBa"):
        rgba = img.convert("RGBA")
        background = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(background, rgba)
    img = img.convert("L" if gray else "RGB")
    if max(img.size) > max_side:
        img.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
    return np.asarray(img, dtype=np.float32) / 255.0


def to_gray(image: np.ndarray) -> np.ndarray:
    """ITU-R BT.601 luma for (H, W, 3): 0.299 R + 0.587 G + 0.114 B; (H, W) passes through.

    Examples
    --------
    >>> round(float(to_gray(np.array([[[1.0, 0.0, 0.0]]]))[0, 0]), 3)
    0.299
    """
    image = np.asarray(image, dtype=np.float32)
    if image.ndim == 2:
        return image
    if image.ndim == 3 and image.shape[2] >= 3:
        return (image[..., :3] @ np.array([0.299, 0.587, 0.114], dtype=np.float32)).astype(np.float32)
    if image.ndim == 3 and image.shape[2] == 1:
        return image[..., 0]
    raise InputError("Expected an (H, W) or (H, W, 3) image, got shape {shape}.", shape=image.shape)


def resize(image: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Resize an image in [0, 1] to (height, width) with Lanczos filtering.

    Examples
    --------
    >>> resize(np.ones((4, 4)), (2, 3)).shape
    (2, 3)
    """
    height, width = size
    arr = np.clip(np.asarray(image, dtype=np.float32), 0, 1)
    mode = "L" if arr.ndim == 2 else "RGB"
    pil = Image.fromarray((arr * 255 + 0.5).astype(np.uint8), mode)
    return np.asarray(pil.resize((width, height), Image.Resampling.LANCZOS), dtype=np.float32) / 255.0


def to_uint8(image: np.ndarray) -> np.ndarray:
    """An image in [0, 1] as 8-bit pixels (clipped, rounded).

    Examples
    --------
    >>> to_uint8([0.0, 0.5, 1.2]).tolist()
    [0, 128, 255]
    """
    return (np.clip(np.asarray(image, dtype=np.float32), 0, 1) * 255 + 0.5).astype(np.uint8)


# --- built-in samples: photographs shipped with the code, and pictures generated by code ---------

PHOTOS = Path(__file__).parent / "assets" / "photos"  # from scikit-image's data, public domain or CC0 (README)
PHOTO_DESCRIPTIONS = {
    "cat": "Photograph: Chelsea the cat (fur, whiskers, eyes)",
    "coffee": "Photograph: a cup of coffee on a saucer (ellipses, smooth china, wood grain)",
    "astronaut": "Photograph: astronaut Eileen Collins (NASA)",
    "camera": "Photograph: a man with a camera on a tripod (grey)",
    "rocket": "Photograph: a Falcon 9 rocket on the launch pad at night",
}
SAMPLE_DESCRIPTIONS = PHOTO_DESCRIPTIONS | {
    "scene": "A landscape: sky, sun, mountains, trees and a lake (natural-looking, colour)",
    "shapes": "Circles, squares and triangles on a plain background",
    "checkerboard": "A checkerboard: sharp edges in both directions",
    "text": "Letters and digits: thin strokes and corners",
    "gradient": "A smooth colour gradient with a few stripes",
    "house": "A little house with windows, a door and a fence: many straight edges",
}


def sample_names() -> list[str]:
    """The names of the built-in sample images.

    Examples
    --------
    >>> sample_names()[:5]
    ['cat', 'coffee', 'astronaut', 'camera', 'rocket']
    >>> sample_names()[5:]
    ['scene', 'shapes', 'checkerboard', 'text', 'gradient', 'house']
    """
    return list(SAMPLE_DESCRIPTIONS)


def sample_image(name: str, size: int = 256) -> np.ndarray:
    """A built-in RGB sample image in [0, 1]; returns a fresh copy the caller may modify.

    Examples
    --------
    >>> sample_image('checkerboard', 16).shape
    (16, 16, 3)
    """
    if name not in SAMPLE_DESCRIPTIONS:
        raise InputError("Unknown sample image {name}; choose one of {sample_descriptions}.", name=shown(name),
                         sample_descriptions=', '.join(SAMPLE_DESCRIPTIONS))
    if not 8 <= int(size) <= 2048:
        raise InputError("Sample size must be between 8 and 2048 pixels, got {size}.", size=size)
    return _sample_cached(name, int(size)).copy()


@lru_cache(maxsize=32)
def _sample_cached(name: str, size: int) -> np.ndarray:
    arr = _photo(name, size) if name in PHOTO_DESCRIPTIONS else _SAMPLE_MAKERS[name](size)
    arr.setflags(write=False)
    return arr


def _photo(name: str, size: int) -> np.ndarray:
    """A shipped photograph (square, at most 512 px) resized to size x size, RGB in [0, 1]."""
    with Image.open(PHOTOS / f"{name}.jpg") as img:
        img = img.convert("RGB").resize((size, size), Image.Resampling.LANCZOS)
        return np.asarray(img, dtype=np.float32) / 255.0


def _checkerboard(size: int) -> np.ndarray:
    cells = 8
    yy, xx = np.mgrid[0:size, 0:size]
    board = ((yy * cells // size + xx * cells // size) % 2).astype(np.float32)
    return np.repeat(board[..., None], 3, axis=2)


def _gradient(size: int) -> np.ndarray:
    t = np.linspace(0, 1, size, dtype=np.float32)
    yy, xx = np.meshgrid(t, t, indexing="ij")
    img = np.stack([xx, yy, 1 - xx * 0.5 - yy * 0.5], axis=2)
    stripes = (np.sin(xx * 40) > 0.9) & (yy > 0.6)
    img[stripes] = 1.0
    return img.astype(np.float32)


def _shapes(size: int) -> np.ndarray:
    img = Image.new("RGB", (size, size), (235, 235, 225))
    draw = ImageDraw.Draw(img)
    s = size / 256
    draw.ellipse([20 * s, 24 * s, 110 * s, 114 * s], fill=(220, 60, 50))
    draw.rectangle([140 * s, 30 * s, 230 * s, 110 * s], fill=(40, 90, 200))
    draw.polygon([(40 * s, 230 * s), (90 * s, 140 * s), (140 * s, 230 * s)], fill=(40, 160, 80))
    draw.ellipse([160 * s, 150 * s, 230 * s, 220 * s], outline=(30, 30, 30), width=max(1, int(6 * s)))
    return np.asarray(img, dtype=np.float32) / 255.0


@lru_cache(maxsize=64)
def font(px: int):
    """Pillow's default font at `px` pixels, cached: Pillow decodes its embedded font on every call.

    Examples
    --------
    >>> font(12) is font(12)  # decoded once
    True
    """
    try:
        return ImageFont.load_default(size=px)
    except TypeError:  # Pillow without scalable default font
        return ImageFont.load_default()


def _text(size: int) -> np.ndarray:
    img = Image.new("RGB", (size, size), (255, 255, 255))
    draw = ImageDraw.Draw(img)
    draw.text((size * 0.08, size * 0.08), "CNN", fill=(0, 0, 0), font=font(int(size * 0.33)))
    draw.text((size * 0.08, size * 0.52), "3x3 → 1", fill=(20, 20, 120), font=font(int(size * 0.16)))
    draw.text((size * 0.08, size * 0.75), "ABC 0123", fill=(120, 20, 20), font=font(int(size * 0.12)))
    return np.asarray(img, dtype=np.float32) / 255.0


def _fractal_ridge(size: int, rng: np.random.Generator, octaves: int = 6) -> np.ndarray:
    """1-D midpoint-style ridge line in [0, 1] made of summed smooth noise octaves."""
    x = np.linspace(0, 1, size)
    ridge = np.zeros(size)
    for octave in range(octaves):
        points = 2 ** (octave + 2) + 1
        knots = rng.uniform(-1, 1, points)
        ridge += np.interp(x, np.linspace(0, 1, points), knots) / 2**octave
    ridge -= ridge.min()
    return ridge / max(ridge.max(), 1e-9)


def _scene(size: int) -> np.ndarray:
    rng = np.random.default_rng(7)
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float32) / size
    sky_top, sky_bottom = np.array([0.25, 0.45, 0.85]), np.array([0.85, 0.9, 0.98])
    img = sky_top + (sky_bottom - sky_top) * yy[..., None]
    sun = (xx - 0.75) ** 2 + (yy - 0.2) ** 2 < 0.006
    img[sun] = [1.0, 0.92, 0.55]
    far = 0.35 + 0.15 * _fractal_ridge(size, rng)
    near = 0.5 + 0.12 * _fractal_ridge(size, rng)
    img[yy > far[None, :]] = [0.45, 0.5, 0.62]
    img[yy > near[None, :]] = [0.25, 0.42, 0.22]
    lake = yy > 0.72
    ripple = 0.04 * np.sin(xx * 90 + yy * 30)
    img[lake] = (np.array([0.2, 0.35, 0.6]) + ripple[lake][:, None]).clip(0, 1)
    grass = (yy > 0.62) & ~lake
    img[grass] = [0.3, 0.55, 0.2]
    for cx in (0.1, 0.18, 0.3, 0.86):  # trees: brown trunk, green triangle
        trunk = (np.abs(xx - cx) < 0.008) & (yy > 0.56) & (yy < 0.66)
        img[trunk] = [0.35, 0.22, 0.1]
        crown = (yy > 0.42) & (yy < 0.6) & (np.abs(xx - cx) < (yy - 0.42) * 0.35)
        img[crown] = [0.1, 0.35, 0.15]
    texture = rng.normal(0, 0.008, (size, size, 1))  # a little grain; more would swamp edge maps
    return np.clip(img + texture, 0, 1).astype(np.float32)


def _house(size: int) -> np.ndarray:
    img = Image.new("RGB", (size, size), (200, 225, 245))
    draw = ImageDraw.Draw(img)
    s = size / 256
    draw.rectangle([0, 200 * s, size, size], fill=(110, 170, 90))
    line = max(1, int(2 * s))
    draw.rectangle([60 * s, 110 * s, 196 * s, 210 * s], fill=(230, 200, 150), outline=(60, 40, 30), width=line)
    draw.polygon([(50 * s, 112 * s), (128 * s, 50 * s), (206 * s, 112 * s)], fill=(170, 50, 40))
    for x0 in (75, 150):
        draw.rectangle([x0 * s, 130 * s, (x0 + 32) * s, 160 * s], fill=(120, 170, 220), outline=(40, 40, 40),
                       width=line)
        draw.line([((x0 + 16) * s, 130 * s), ((x0 + 16) * s, 160 * s)], fill=(40, 40, 40), width=max(1, int(2 * s)))
    draw.rectangle([115 * s, 165 * s, 141 * s, 210 * s], fill=(100, 60, 35))
    for x in range(0, 256, 14):
        draw.rectangle([x * s, 196 * s, (x + 6) * s, 230 * s], fill=(245, 245, 240))
    return np.asarray(img, dtype=np.float32) / 255.0


_SAMPLE_MAKERS = {
    "scene": _scene,
    "shapes": _shapes,
    "checkerboard": _checkerboard,
    "text": _text,
    "gradient": _gradient,
    "house": _house,
}
