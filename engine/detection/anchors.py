"""Faster R-CNN anchors and anchor-to-ground-truth matching."""
from __future__ import annotations

import numpy as np

from engine.detection.boxes import as_boxes, iou_blocks
from engine.errors import InputError, TooLargeError

# 22,500 is Faster R-CNN's 800x800 default; a 2048x2048 image at stride 4 with 20 anchors a cell is 5.2 M.
MAX_ANCHORS = 2_000_000


def base_anchors(stride: int = 16, ratios=(0.5, 1.0, 2.0), scales=(8, 16, 32)) -> np.ndarray:
    """Anchors centred at (0, 0): for each ratio r = w/h and scale s, area (s·stride)². Shape (R·S, 4).

    Examples
    --------
    >>> base_anchors(16, ratios=(1.0,), scales=(8,)).tolist()
    [[-64.0, -64.0, 64.0, 64.0]]
    """
    if stride < 1:
        raise InputError("stride must be at least 1, got {stride}.", stride=stride)
    if not ratios or not scales or min(ratios) <= 0 or min(scales) <= 0:
        raise InputError("ratios and scales must be non-empty lists of positive numbers.")
    out = []
    for r in ratios:
        for s in scales:
            side = s * stride
            w, h = side * np.sqrt(r), side / np.sqrt(r)
            out.append([-w / 2, -h / 2, w / 2, h / 2])
    return np.array(out)


def feature_map_size(image_hw, stride: int) -> tuple[int, int]:
    """Feature-map cells (rows, columns) of an image at a stride: floor(H / s), floor(W / s).

    Examples
    --------
    >>> feature_map_size((800, 600), 16)
    (50, 37)
    """
    return int(image_hw[0]) // stride, int(image_hw[1]) // stride


def anchor_centres(image_hw, stride: int = 16) -> np.ndarray:
    """(x, y) anchor centres, one per feature-map cell, at stride/2 + i·stride, row by row.

    Examples
    --------
    >>> anchor_centres((32, 32), 16).tolist()
    [[8.0, 8.0], [24.0, 8.0], [8.0, 24.0], [24.0, 24.0]]
    """
    fh, fw = feature_map_size(image_hw, stride)
    ys, xs = stride / 2 + np.arange(fh) * stride, stride / 2 + np.arange(fw) * stride
    cy, cx = np.meshgrid(ys, xs, indexing="ij")
    return np.stack([cx.ravel(), cy.ravel()], 1)


def generate_anchors(image_hw, stride: int = 16, ratios=(0.5, 1.0, 2.0), scales=(8, 16, 32)) -> np.ndarray:
    """All anchors of an image, ordered by feature-map row, column, then ratio, then scale.

    Shape (H/s · W/s · R · S, 4), xyxy in pixels; each cell's anchors are centred at stride/2 + i·stride.
    Refuses more than MAX_ANCHORS.

    Examples
    --------
    >>> generate_anchors((800, 800)).shape  # Faster R-CNN's default: 50 x 50 cells x 9 anchors
    (22500, 4)
    """
    if min(image_hw) < stride:
        raise InputError("The image ({height}x{width}) must be at least one stride ({stride}) wide.",
                         height=image_hw[0], width=image_hw[1], stride=stride)
    fh, fw = feature_map_size(image_hw, stride)
    count = fh * fw * len(ratios) * len(scales)
    if count > MAX_ANCHORS:
        raise TooLargeError("{fh}x{fw} cells x {ratios} anchors is {count} anchors; the limit is {max_anchors}. Use a "
                            "larger stride or fewer ratios and scales.", fh=fh, fw=fw, ratios=len(ratios) * len(scales),
                            count=format(count, ","), max_anchors=format(MAX_ANCHORS, ","))
    centres = anchor_centres(image_hw, stride)
    base = base_anchors(stride, ratios, scales)
    shifts = np.concatenate([centres, centres], 1)
    return (shifts[:, None, :] + base[None, :, :]).reshape(-1, 4)


def match_anchors(anchors, gt_boxes, pos_threshold: float = 0.7, neg_threshold: float = 0.3) -> dict:
    """Label anchors 1 (positive: IoU >= pos_threshold, or the best anchor for some GT), 0 (negative:
    max IoU < neg_threshold) or -1 (ignored). Returns labels, matched GT index and max IoU per anchor.

    Works through the anchors in blocks: memory is O(anchors + block x objects), never anchors x objects.

    >>> m = match_anchors([[0, 0, 10, 10], [20, 20, 30, 30], [0, 0, 9, 10]], [[0, 0, 10, 10]])
    >>> m["labels"].tolist(), m["max_iou"].round(2).tolist()
    ([1, 0, 1], [1.0, 0.0, 0.9])
    """
    if not 0 <= neg_threshold <= pos_threshold <= 1:
        raise InputError("Need 0 <= negative ({neg_threshold}) <= positive ({pos_threshold}) <= 1.",
                         neg_threshold=neg_threshold, pos_threshold=pos_threshold)
    anchors, gt = as_boxes(anchors), as_boxes(gt_boxes)
    n = len(anchors)
    labels = np.full(n, -1, dtype=np.int64)
    if len(gt) == 0:
        labels[:] = 0
        return {"labels": labels, "matched": np.full(n, -1), "max_iou": np.zeros(n)}
    matched = np.empty(n, dtype=np.int64)
    max_iou = np.empty(n)
    best_per_gt = np.zeros(len(gt))
    for start, block in iou_blocks(anchors, gt):
        stop = start + len(block)
        matched[start:stop] = block.argmax(1)
        max_iou[start:stop] = block[np.arange(len(block)), matched[start:stop]]
        np.maximum(best_per_gt, block.max(0), out=best_per_gt)
    labels[max_iou < neg_threshold] = 0
    labels[max_iou >= pos_threshold] = 1
    # every GT gets at least its best anchors (ties included), as in Faster R-CNN; a later GT wins a shared anchor
    for start, block in iou_blocks(anchors, gt):
        for g in np.flatnonzero(best_per_gt > 0):
            winners = start + np.flatnonzero(block[:, g] == best_per_gt[g])
            labels[winners] = 1
            matched[winners] = g
    return {"labels": labels, "matched": matched, "max_iou": max_iou}


def iou_with(anchors, box) -> np.ndarray:
    """IoU of every anchor with one box: the column of the anchor x GT matrix for that box.

    Examples
    --------
    >>> iou_with([[0, 0, 10, 10], [5, 0, 15, 10]], [0, 0, 10, 10]).round(4).tolist()
    [1.0, 0.3333]
    """
    return np.concatenate([block[:, 0] for _, block in iou_blocks(anchors, as_boxes(box)[:1])] or [np.zeros(0)])
