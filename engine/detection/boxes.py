"""Boxes are (xmin, ymin, xmax, ymax) in pixels unless a function says otherwise."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.errors import InputError, TooLargeError

# An IoU matrix is N x M float64; past this many entries (400 MB) it is refused rather than built.
MAX_IOU_ENTRIES = 50_000_000
# Rows of `a` handled per block, so the temporaries stay near 8 * 2 * CHUNK * M bytes whatever N is.
IOU_CHUNK = 4096


def as_boxes(boxes) -> np.ndarray:
    """Boxes as an (N, 4) float64 array; refuses NaN and infinity.

    Examples
    --------
    >>> as_boxes([1, 2, 3, 4]).tolist()
    [[1.0, 2.0, 3.0, 4.0]]
    """
    b = np.asarray(boxes, dtype=np.float64).reshape(-1, 4)
    if not np.all(np.isfinite(b)):
        raise InputError("Boxes must hold finite numbers.")
    return b


def area(boxes) -> np.ndarray:
    """Box areas; inverted boxes count 0.

    Examples
    --------
    >>> area([[0, 0, 2, 3], [5, 5, 4, 4]]).tolist()
    [6.0, 0.0]
    """
    b = as_boxes(boxes)
    return np.clip(b[:, 2] - b[:, 0], 0, None) * np.clip(b[:, 3] - b[:, 1], 0, None)


def _iou_block(a: np.ndarray, area_a: np.ndarray, b: np.ndarray, area_b: np.ndarray) -> np.ndarray:
    w = np.minimum(a[:, None, 2], b[None, :, 2]) - np.maximum(a[:, None, 0], b[None, :, 0])
    h = np.minimum(a[:, None, 3], b[None, :, 3]) - np.maximum(a[:, None, 1], b[None, :, 1])
    np.clip(w, 0, None, out=w)
    np.clip(h, 0, None, out=h)
    inter = np.multiply(w, h, out=w)
    union = area_a[:, None] + area_b[None, :] - inter
    positive = union > 0
    return np.divide(inter, union, out=np.zeros_like(inter), where=positive)


def iou_matrix(a, b) -> np.ndarray:
    """IoU of every box in `a` (N) with every box in `b` (M): an (N, M) matrix; empty boxes give 0.

    Computed in blocks of rows, so memory beyond the result stays small; refuses N x M above
    `MAX_IOU_ENTRIES`.

    >>> iou_matrix([[0, 0, 2, 2]], [[1, 1, 3, 3], [0, 0, 2, 2]]).round(4).tolist()
    [[0.1429, 1.0]]
    """
    a, b = as_boxes(a), as_boxes(b)
    if len(a) * len(b) > MAX_IOU_ENTRIES:
        raise TooLargeError("{a} x {b} box pairs is too many to compare at once (at most {max_iou_entries}).",
                            a=format(len(a), ","), b=format(len(b), ","), max_iou_entries=format(MAX_IOU_ENTRIES, ","))
    out = np.empty((len(a), len(b)))
    for start, block in iou_blocks(a, b):
        out[start:start + len(block)] = block
    return out


@dataclass(frozen=True)
class IoUParts:
    """Everything a student checks by hand for one pair of boxes: IoU = intersection / union."""
    area_a: float
    area_b: float
    intersection_box: tuple[float, float, float, float] | None  # None where the boxes do not overlap
    intersection: float
    union: float
    iou: float


def iou_parts(a, b) -> IoUParts:
    """The intersection box, its area, both areas, the union and the IoU of two boxes (xyxy). A box whose max is
    below its min is refused: a typed pair of corners in the wrong order is a mistake to show, not an empty box.

    >>> p = iou_parts([0, 0, 2, 2], [1, 1, 3, 3])
    >>> p.intersection_box, p.intersection, p.union, round(p.iou, 4)
    ((1.0, 1.0, 2.0, 2.0), 1.0, 7.0, 0.1429)
    """
    a, b = as_boxes(a), as_boxes(b)
    if len(a) != 1 or len(b) != 1:
        raise InputError("The IoU calculator takes one box each for A and B.")
    for name, box in (("A", a[0]), ("B", b[0])):
        if box[2] < box[0] or box[3] < box[1]:
            raise InputError("Box {name} has xmax < xmin or ymax < ymin; give its top-left corner first.", name=name)
    area_a, area_b = float(area(a)[0]), float(area(b)[0])
    x0, y0 = max(a[0, 0], b[0, 0]), max(a[0, 1], b[0, 1])
    x1, y1 = min(a[0, 2], b[0, 2]), min(a[0, 3], b[0, 3])
    overlap = x1 > x0 and y1 > y0
    intersection = float((x1 - x0) * (y1 - y0)) if overlap else 0.0
    union = area_a + area_b - intersection
    return IoUParts(area_a, area_b, (float(x0), float(y0), float(x1), float(y1)) if overlap else None,
                    intersection, union, intersection / union if union > 0 else 0.0)


def iou_blocks(a, b, chunk: int | None = None):
    """(start, IoU block) pairs covering `iou_matrix(a, b)` row block by row block, never holding all of it.

    Examples
    --------
    >>> [(start, block.shape) for start, block in iou_blocks(np.zeros((5, 4)), np.zeros((2, 4)), chunk=2)]
    [(0, (2, 2)), (2, (2, 2)), (4, (1, 2))]
    """
    a, b = as_boxes(a), as_boxes(b)
    chunk = chunk or IOU_CHUNK
    area_a, area_b = area(a), area(b)
    for start in range(0, len(a), chunk):
        yield start, _iou_block(a[start:start + chunk], area_a[start:start + chunk], b, area_b)


def xyxy_to_cxcywh(boxes) -> np.ndarray:
    """(xmin, ymin, xmax, ymax) to (centre x, centre y, width, height).

    Examples
    --------
    >>> xyxy_to_cxcywh([[0, 0, 4, 2]]).tolist()
    [[2.0, 1.0, 4.0, 2.0]]
    """
    b = as_boxes(boxes)
    return np.stack([(b[:, 0] + b[:, 2]) / 2, (b[:, 1] + b[:, 3]) / 2, b[:, 2] - b[:, 0], b[:, 3] - b[:, 1]], 1)


def cxcywh_to_xyxy(boxes) -> np.ndarray:
    """(centre x, centre y, width, height) to (xmin, ymin, xmax, ymax).

    Examples
    --------
    >>> cxcywh_to_xyxy([[2, 1, 4, 2]]).tolist()
    [[0.0, 0.0, 4.0, 2.0]]
    """
    b = as_boxes(boxes)
    return np.stack([b[:, 0] - b[:, 2] / 2, b[:, 1] - b[:, 3] / 2, b[:, 0] + b[:, 2] / 2, b[:, 1] + b[:, 3] / 2], 1)


def encode(gt, anchors) -> np.ndarray:
    """Faster R-CNN offsets of each gt box against its anchor:
    tx = (x - xa) / wa, ty = (y - ya) / ha, tw = log(w / wa), th = log(h / ha).

    Examples
    --------
    >>> encode([[0, 0, 20, 10]], [[0, 0, 10, 10]]).round(4).tolist()
    [[0.5, 0.0, 0.6931, 0.0]]
    """
    g, a = xyxy_to_cxcywh(gt), xyxy_to_cxcywh(anchors)
    if np.any(g[:, 2:] <= 0) or np.any(a[:, 2:] <= 0):
        raise InputError("Boxes and anchors need positive width and height to be encoded.")
    return np.stack([(g[:, 0] - a[:, 0]) / a[:, 2], (g[:, 1] - a[:, 1]) / a[:, 3],
                     np.log(g[:, 2] / a[:, 2]), np.log(g[:, 3] / a[:, 3])], 1)


def decode(offsets, anchors) -> np.ndarray:
    """Boxes from Faster R-CNN offsets against anchors: the inverse of `encode`.

    Examples
    --------
    >>> decode([[0.5, 0.0, np.log(2), 0.0]], [[0, 0, 10, 10]]).round(6).tolist()
    [[0.0, 0.0, 20.0, 10.0]]
    """
    t, a = np.asarray(offsets, dtype=np.float64).reshape(-1, 4), xyxy_to_cxcywh(anchors)
    t = np.concatenate([t[:, :2], np.clip(t[:, 2:], -10, 10)], 1)  # guard exp() against huge offsets
    return cxcywh_to_xyxy(np.stack([a[:, 0] + t[:, 0] * a[:, 2], a[:, 1] + t[:, 1] * a[:, 3],
                                    a[:, 2] * np.exp(t[:, 2]), a[:, 3] * np.exp(t[:, 3])], 1))


def nms(boxes, scores, iou_threshold: float = 0.5, score_threshold: float = -np.inf,
        max_output: int | None = None) -> np.ndarray:
    """Greedy non-maximum suppression: indices kept, highest score first.

    A box is suppressed when its IoU with a kept box is greater than `iou_threshold`, as in
    `tf.image.non_max_suppression`. Memory is one row of IoUs per kept box.

    Parameters
    ----------
    boxes : array_like, (N, 4) xyxy
    scores : array_like, (N,)
    iou_threshold : float in [0, 1]
    score_threshold : float
        Boxes scoring at or below it are dropped first.
    max_output : int or None
        At most this many indices (0 keeps none).

    Examples
    --------
    >>> nms([[0, 0, 10, 10], [1, 1, 10, 10], [20, 20, 30, 30]], [0.9, 0.8, 0.7], 0.5).tolist()
    [0, 2]
    """
    b = as_boxes(boxes)
    s = np.asarray(scores, dtype=np.float64).reshape(-1)
    if len(s) != len(b):
        raise InputError("{b} boxes but {s} scores.", b=len(b), s=len(s))
    if not 0 <= iou_threshold <= 1:
        raise InputError("iou_threshold must be between 0 and 1, got {iou_threshold}.", iou_threshold=iou_threshold)
    if np.any(np.isnan(s)):
        raise InputError("Scores must be numbers (no NaN).")
    if max_output is not None and (not float(max_output).is_integer() or max_output < 0):
        raise InputError("max_output must be a whole number >= 0, got {max_output}.", max_output=max_output)
    order = np.argsort(-s, kind="stable")
    order = order[s[order] > score_threshold]
    limit = len(order) if max_output is None else min(int(max_output), len(order))
    candidates = b[order]
    areas = area(candidates)
    keep: list[int] = []
    alive = np.ones(len(order), bool)
    # One row of IoUs per kept box (O(N) memory) instead of the N x N matrix.
    for pos in range(len(order)):
        if len(keep) >= limit:
            break
        if not alive[pos]:
            continue
        keep.append(int(order[pos]))
        rest = slice(pos + 1, None)
        row = _iou_block(candidates[pos:pos + 1], areas[pos:pos + 1], candidates[rest], areas[rest])[0]
        alive[rest] &= row <= iou_threshold
    return np.array(keep, dtype=np.int64)


def nms_per_class(boxes, scores, classes, iou_threshold: float = 0.5, score_threshold: float = -np.inf) -> np.ndarray:
    """NMS run separately for each class; kept indices sorted by score.

    Examples
    --------
    >>> nms_per_class([[0, 0, 10, 10], [1, 1, 10, 10]], [0.9, 0.8], ['dog', 'cat']).tolist()
    [0, 1]
    """
    classes = np.asarray(classes).reshape(-1)
    s = np.asarray(scores, dtype=np.float64).reshape(-1)
    keep = [np.flatnonzero(classes == c)[nms(as_boxes(boxes)[classes == c], s[classes == c], iou_threshold,
                                             score_threshold)] for c in np.unique(classes)]
    kept = np.concatenate(keep) if keep else np.zeros(0, np.int64)
    return kept[np.argsort(-s[kept], kind="stable")]


# --- regression losses ----------------------------------------------------------------------------

def smooth_l1(x, beta: float = 1.0) -> np.ndarray:
    """Smooth L1 (Huber with delta = beta): 0.5·x²/beta below beta, |x| - 0.5·beta above.

    Examples
    --------
    >>> smooth_l1([0.5, 2.0]).tolist()
    [0.125, 1.5]
    """
    x = np.abs(np.asarray(x, dtype=np.float64))
    return np.where(x < beta, 0.5 * x**2 / beta, x - 0.5 * beta)


def smooth_l1_grad(x, beta: float = 1.0) -> np.ndarray:
    """Derivative of `smooth_l1`: x/beta below beta, sign(x) above (never more than 1).

    Examples
    --------
    >>> smooth_l1_grad([-3.0, 0.5, 2.0]).tolist()
    [-1.0, 0.5, 1.0]
    """
    x = np.asarray(x, dtype=np.float64)
    return np.where(np.abs(x) < beta, x / beta, np.sign(x))


def l1(x) -> np.ndarray:
    """|x|.

    Examples
    --------
    >>> l1([-2.0, 1.5]).tolist()
    [2.0, 1.5]
    """
    return np.abs(np.asarray(x, dtype=np.float64))


def l1_grad(x) -> np.ndarray:
    """sign(x): the L1 gradient, the same size for every error.

    Examples
    --------
    >>> l1_grad([-2.0, 0.0, 1.5]).tolist()
    [-1.0, 0.0, 1.0]
    """
    return np.sign(np.asarray(x, dtype=np.float64))


def l2(x) -> np.ndarray:
    """x²/2.

    Examples
    --------
    >>> l2([-2.0, 1.0]).tolist()
    [2.0, 0.5]
    """
    return 0.5 * np.asarray(x, dtype=np.float64) ** 2


def l2_grad(x) -> np.ndarray:
    """x: the L2 gradient, growing with the error.

    Examples
    --------
    >>> l2_grad([-2.0, 1.0]).tolist()
    [-2.0, 1.0]
    """
    return np.asarray(x, dtype=np.float64)
