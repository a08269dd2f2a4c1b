"""Built-in detection scenes made by code: pictures of simple objects with VOC annotations."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from engine.detection.voc import VocAnnotation, VocObject, write_voc
from engine.errors import InputError

SCENE_CLASSES = ("car", "person", "dog", "bottle", "tvmonitor", "pottedplant")
PALETTE = {"car": (230, 57, 70), "person": (29, 53, 87), "dog": (244, 162, 97), "bottle": (42, 157, 143),
           "tvmonitor": (131, 56, 236), "pottedplant": (56, 142, 60)}
N_SCENES = 6


@dataclass
class Scene:
    """A built-in detection picture with its boxes, class names and VOC annotation."""
    image: np.ndarray              # (H, W, 3) float32 in [0, 1]
    boxes: np.ndarray              # (N, 4) xyxy pixels
    labels: list[str]
    annotation: VocAnnotation

    @property
    def xml(self) -> str:
        return write_voc(self.annotation)


def _draw_object(draw: ImageDraw.ImageDraw, name: str, box, rng):
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    col = PALETTE[name]
    if name == "car":
        draw.rounded_rectangle([x0, y0 + h * 0.35, x1, y1 - h * 0.2], radius=max(1, int(h * 0.1)), fill=col)
        draw.polygon([(x0 + w * 0.2, y0 + h * 0.35), (x0 + w * 0.35, y0), (x0 + w * 0.7, y0),
                      (x0 + w * 0.85, y0 + h * 0.35)], fill=col)
        for cx in (x0 + w * 0.25, x0 + w * 0.75):
            draw.ellipse([cx - h * 0.2, y1 - h * 0.4, cx + h * 0.2, y1], fill=(30, 30, 30))
    elif name == "person":
        draw.ellipse([x0 + w * 0.3, y0, x1 - w * 0.3, y0 + h * 0.22], fill=(240, 200, 170))
        draw.rectangle([x0 + w * 0.2, y0 + h * 0.22, x1 - w * 0.2, y0 + h * 0.62], fill=col)
        draw.rectangle([x0 + w * 0.25, y0 + h * 0.62, x0 + w * 0.45, y1], fill=(60, 60, 70))
        draw.rectangle([x1 - w * 0.45, y0 + h * 0.62, x1 - w * 0.25, y1], fill=(60, 60, 70))
    elif name == "dog":
        draw.ellipse([x0, y0 + h * 0.3, x1 - w * 0.2, y1 - h * 0.25], fill=col)
        draw.ellipse([x1 - w * 0.35, y0, x1, y0 + h * 0.45], fill=col)
        for lx in (x0 + w * 0.15, x0 + w * 0.55):
            draw.rectangle([lx, y1 - h * 0.35, lx + w * 0.1, y1], fill=col)
    elif name == "bottle":
        draw.rectangle([x0 + w * 0.35, y0, x1 - w * 0.35, y0 + h * 0.3], fill=col)
        draw.rounded_rectangle([x0, y0 + h * 0.25, x1, y1], radius=max(1, int(w * 0.2)), fill=col)
    elif name == "tvmonitor":
        draw.rectangle([x0, y0, x1, y1 - h * 0.15], fill=(40, 40, 40))
        draw.rectangle([x0 + w * 0.06, y0 + h * 0.06, x1 - w * 0.06, y1 - h * 0.22], fill=col)
        draw.rectangle([x0 + w * 0.4, y1 - h * 0.15, x1 - w * 0.4, y1], fill=(40, 40, 40))
    else:  # pottedplant
        draw.polygon([(x0 + w * 0.2, y0 + h * 0.6), (x1 - w * 0.2, y0 + h * 0.6), (x1 - w * 0.3, y1),
                      (x0 + w * 0.3, y1)], fill=(150, 80, 40))
        draw.ellipse([x0, y0, x1, y0 + h * 0.65], fill=col)


_SIZES = {"car": (0.34, 0.2), "person": (0.14, 0.38), "dog": (0.24, 0.18), "bottle": (0.08, 0.22),
          "tvmonitor": (0.26, 0.24), "pottedplant": (0.16, 0.28)}


def detection_scene(index: int, size: int = 448) -> Scene:
    """Scene `index` (0..N_SCENES-1): 3-5 non-overlapping-centre objects on a floor-and-wall background.

    Examples
    --------
    >>> scene = detection_scene(0)
    >>> scene.image.shape, scene.labels
    ((448, 448, 3), ['tvmonitor', 'person', 'bottle'])
    """
    if not 0 <= index < N_SCENES:
        raise InputError("Scene index must be between 0 and {n_scenes}, got {index}.", n_scenes=N_SCENES - 1,
                         index=index)
    rng = np.random.default_rng(100 + index)
    img = Image.new("RGB", (size, size), (222, 230, 238))
    draw = ImageDraw.Draw(img)
    draw.rectangle([0, int(size * 0.62), size, size], fill=(205, 190, 165))
    objects, boxes, labels = [], [], []
    for _ in range(200):
        if len(objects) >= 3 + index % 3:
            break
        name = SCENE_CLASSES[int(rng.integers(len(SCENE_CLASSES)))]
        fw, fh = _SIZES[name]
        scale = rng.uniform(0.8, 1.25)
        w, h = int(fw * scale * size), int(fh * scale * size)
        x0 = int(rng.integers(4, size - w - 4))
        y0 = int(rng.integers(int(size * 0.15), size - h - 4))
        box = (x0, y0, x0 + w, y0 + h)
        cell = lambda b: (int((b[1] + b[3]) / 2 / size * 7), int((b[0] + b[2]) / 2 / size * 7))  # noqa: E731
        if any(_overlap(box, b) > 0.15 or cell(box) == cell(b) for b in boxes):
            continue
        _draw_object(draw, name, box, rng)
        boxes.append(box)
        labels.append(name)
        objects.append(VocObject(name, box, "Frontal", False, False))
    noise = np.random.default_rng(index).normal(0, 0.015, (size, size, 3))
    arr = np.clip(np.asarray(img, dtype=np.float32) / 255.0 + noise, 0, 1).astype(np.float32)
    ann = VocAnnotation(f"convlab_scene_{index}.png", size, size, 3, objects)
    return Scene(arr, np.array(boxes, dtype=np.float64).reshape(-1, 4), labels, ann)


def _overlap(a, b) -> float:
    from engine.detection.boxes import iou_matrix
    return float(iou_matrix([a], [b])[0, 0])


def class_colour(name: str) -> tuple[int, int, int]:
    """The RGB colour the built-in scenes draw a class in (grey for other names).

    Examples
    --------
    >>> class_colour('dog')
    (244, 162, 97)
    """
    if name in PALETTE:
        return PALETTE[name]
    h = sum(map(ord, name))
    return (h * 67 % 200 + 30, h * 131 % 200 + 30, h * 29 % 200 + 30)


def draw_boxes(image: np.ndarray, boxes, labels, scores=None, width: int = 3) -> np.ndarray:
    """Boxes with class-coloured outlines and labels drawn onto a copy of the image.

    Examples
    --------
    >>> draw_boxes(np.zeros((20, 20, 3), np.float32), np.array([[2., 2, 10, 10]]), ['dog']).shape
    (20, 20, 3)
    """
    arr = (np.clip(np.asarray(image, dtype=np.float32), 0, 1) * 255).astype(np.uint8)
    pil = Image.fromarray(arr if arr.ndim == 3 else np.repeat(arr[..., None], 3, 2))
    draw = ImageDraw.Draw(pil)
    for i, (box, label) in enumerate(zip(np.asarray(boxes).reshape(-1, 4), labels)):
        col = class_colour(label)
        draw.rectangle([float(v) for v in box], outline=col, width=width)
        text = label if scores is None else f"{label} {scores[i]:.2f}"
        tx, ty = float(box[0]), max(float(box[1]) - 14, 0)
        draw.rectangle([tx, ty, tx + 7 * len(text) + 4, ty + 14], fill=col)
        draw.text((tx + 2, ty + 1), text, fill=(255, 255, 255))
    return np.asarray(pil, dtype=np.float32) / 255.0


def noisy_candidates(boxes, labels, per_object: int = 8, jitter: float = 0.12, seed: int = 0):
    """Detector-like candidates: jittered copies of each box with scores that fall as the jitter grows,
    plus a few low-score strays. Returns (boxes, scores, labels).

    Examples
    --------
    >>> cand, scores, labels = noisy_candidates(np.array([[10., 10, 50, 50]]), ['dog'])
    >>> cand.shape[1], len(cand) == len(scores) == len(labels)
    (4, True)
    """
    rng = np.random.default_rng(seed)
    boxes = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    out_boxes, out_scores, out_labels = [], [], []
    for box, label in zip(boxes, labels):
        w, h = box[2] - box[0], box[3] - box[1]
        for _ in range(per_object):
            shift = rng.normal(0, jitter, 4) * np.array([w, h, w, h])
            out_boxes.append(box + shift)
            out_scores.append(float(np.clip(0.95 - 2.5 * np.abs(shift / np.array([w, h, w, h])).mean()
                                            + rng.normal(0, 0.05), 0.05, 0.99)))
            out_labels.append(label)
    if len(boxes):
        extent = boxes.max(0)
        for _ in range(max(2, len(boxes))):
            x0, y0 = rng.uniform(0, extent[2] * 0.8), rng.uniform(0, extent[3] * 0.8)
            out_boxes.append([x0, y0, x0 + rng.uniform(20, 80), y0 + rng.uniform(20, 80)])
            out_scores.append(float(rng.uniform(0.05, 0.4)))
            out_labels.append(labels[int(rng.integers(len(labels)))])
    return np.array(out_boxes).reshape(-1, 4), np.array(out_scores), out_labels
