"""Semantic-segmentation metrics on label masks, and the built-in scene the Detection lesson scores them on.

A mask is an (H, W) array of class ids (0 = background). Everything comes from the pixel confusion matrix
(engine.cnn.confusion_matrix: row = true class, column = predicted), with the definitions of Long, Shelhamer and
Darrell, "Fully Convolutional Networks for Semantic Segmentation" (2015), section 5:
pixel accuracy = sum_i n_ii / sum_i t_i; mean accuracy = mean_i n_ii / t_i; IoU_i = n_ii / (t_i + p_i - n_ii);
frequency-weighted IoU = sum_i t_i IoU_i / sum_i t_i; plus Dice (F1) = 2 n_ii / (t_i + p_i).
Means run over the classes that occur in the ground truth or the prediction (a class in neither has no score).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.cnn import confusion_matrix
from engine.errors import InputError

CLASSES = ("background", "disc", "square")
SCENE_SIZE = 96
# The ground truth: a disc (centre x, y, radius) and a square (centre x, y, half side), in pixels.
DISC = (32, 44, 20)
SQUARE = (70, 40, 14)
MAX_SHIFT, MAX_GROW = 24, 12
MAX_MASK_PIXELS = 4_000_000


@dataclass(frozen=True)
class ShapeEdit:
    """How the prediction differs from the truth for one shape: moved by (dx, dy), grown by `grow` pixels
    (negative shrinks)."""
    dx: int = 0
    dy: int = 0
    grow: int = 0

    def checked(self) -> ShapeEdit:
        limits = (("dx", self.dx, MAX_SHIFT), ("dy", self.dy, MAX_SHIFT), ("grow", self.grow, MAX_GROW))
        for name, value, limit in limits:
            if not isinstance(value, (int, np.integer)) or abs(value) > limit:
                raise InputError("{name} must be a whole number from -{limit} to {limit2}, got {value}.", name=name,
                                 limit=limit, limit2=limit, value=value)
        return self


def scene_masks(disc: ShapeEdit = ShapeEdit(), square: ShapeEdit = ShapeEdit(), disc_as_box: bool = False,
                size: int = SCENE_SIZE) -> tuple[np.ndarray, np.ndarray]:
    """(ground truth, prediction) label masks of the built-in scene. The prediction is the truth with each shape
    moved and grown; `disc_as_box` predicts the disc's bounding box instead of the disc (box IoU 1, mask IoU
    pi/4). Where the predicted shapes overlap, the square wins.

    >>> truth, pred = scene_masks()
    >>> bool((truth == pred).all()), sorted(np.unique(truth).tolist())
    (True, [0, 1, 2])
    """
    disc, square = disc.checked(), square.checked()
    yy, xx = np.mgrid[0:size, 0:size]

    def draw(mask, cls, d: ShapeEdit, box: bool, is_disc: bool):
        (cx, cy, r) = DISC if is_disc else SQUARE
        cx, cy, r = cx + d.dx, cy + d.dy, max(r + d.grow, 0)
        if is_disc and not box:
            inside = (xx - cx) ** 2 + (yy - cy) ** 2 <= r * r
        else:
            inside = (np.abs(xx - cx) <= r) & (np.abs(yy - cy) <= r)
        mask[inside] = cls

    truth = np.zeros((size, size), np.int64)
    draw(truth, 1, ShapeEdit(), False, True)
    draw(truth, 2, ShapeEdit(), True, False)
    pred = np.zeros((size, size), np.int64)
    draw(pred, 1, disc, disc_as_box, True)
    draw(pred, 2, square, True, False)
    return truth, pred


def check_masks(truth, pred, classes: int) -> tuple[np.ndarray, np.ndarray]:
    truth, pred = np.asarray(truth), np.asarray(pred)
    if truth.shape != pred.shape or truth.ndim != 2:
        raise InputError("The two masks must be 2-D and the same shape, got {shape} and {shape2}.", shape=truth.shape,
                         shape2=pred.shape)
    if truth.size > MAX_MASK_PIXELS:
        raise InputError("Masks of {size} pixels are too large (at most {max_mask_pixels}).", size=truth.size,
                         max_mask_pixels=MAX_MASK_PIXELS)
    for m in (truth, pred):
        if m.dtype.kind not in "biu" or (m.size and (m.min() < 0 or m.max() >= classes)):
            raise InputError("Mask values must be whole class numbers from 0 to {classes}.", classes=classes - 1)
    return truth, pred


@dataclass(frozen=True)
class SegmentationScores:
    """The pixel confusion matrix and every score derived from it; per-class arrays hold NaN for a class that
    occurs in neither mask."""
    confusion: np.ndarray
    pixel_accuracy: float
    class_accuracy: np.ndarray   # n_ii / t_i (recall); NaN where the class is not in the truth
    mean_accuracy: float
    iou: np.ndarray
    mean_iou: float
    frequency_weighted_iou: float
    dice: np.ndarray
    mean_dice: float


def segmentation_scores(truth, pred, classes: int = len(CLASSES)) -> SegmentationScores:
    """All the usual semantic-segmentation scores of a predicted mask against the truth.

    >>> s = segmentation_scores(np.array([[0, 0, 1, 1]]), np.array([[0, 1, 1, 1]]), classes=2)
    >>> s.pixel_accuracy, s.iou.round(3).tolist(), round(s.mean_iou, 4), s.dice.round(3).tolist()
    (0.75, [0.5, 0.667], 0.5833, [0.667, 0.8])
    """
    truth, pred = check_masks(truth, pred, classes)
    conf = confusion_matrix(truth, pred, classes).astype(np.float64)
    hit, t, p = np.diag(conf), conf.sum(axis=1), conf.sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        class_acc = np.where(t > 0, hit / t, np.nan)
        union = t + p - hit
        iou = np.where(union > 0, hit / union, np.nan)
        dice = np.where(t + p > 0, 2 * hit / (t + p), np.nan)
    total = conf.sum()

    def mean(v):
        return float(np.nanmean(v)) if np.isfinite(v).any() else float("nan")

    return SegmentationScores(conf.astype(np.int64), float(hit.sum() / total) if total else float("nan"),
                              class_acc, mean(class_acc), iou, mean(iou),
                              float(np.nansum(t * np.nan_to_num(iou)) / total) if total else float("nan"),
                              dice, mean(dice))


def mask_box(mask, cls: int) -> np.ndarray | None:
    """The tight box (xmin, ymin, xmax, ymax), in pixel edges, around class `cls` in a mask; None if absent.

    >>> mask_box(np.array([[0, 1, 1], [0, 1, 0]]), 1).tolist()
    [1.0, 0.0, 3.0, 2.0]
    """
    ys, xs = np.nonzero(np.asarray(mask) == cls)
    if not len(xs):
        return None
    return np.array([xs.min(), ys.min(), xs.max() + 1, ys.max() + 1], np.float64)
