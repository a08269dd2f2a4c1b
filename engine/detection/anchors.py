"""Faster R-CNN anchors and anchor-to-ground-truth matching."""
from __future__ import annotations

import numpy as np

from engine.detection.boxes import as_boxes, iou_matrix


def base_anchors(stride: int = 16, ratios=(0.5, 1.0, 2.0), scales=(8, 16, 32)) -> np.ndarray:
    """Anchors centred at (0, 0): for each ratio r = w/h and scale s, area (s*stride)^2. Shape (R*S, 4)."""
    if stride < 1:
        raise ValueError(f"stride must be at least 1, got {stride}.")
    if not ratios or not scales or min(ratios) <= 0 or min(scales) <= 0:
        raise ValueError("ratios and scales must be non-empty lists of positive numbers.")
    out = []
    for r in ratios:
        for s in scales:
            side = s * stride
            w, h = side * np.sqrt(r), side / np.sqrt(r)
            out.append([-w / 2, -h / 2, w / 2, h / 2])
    return np.array(out)


def feature_map_size(image_hw, stride: int) -> tuple[int, int]:
    return int(image_hw[0]) // stride, int(image_hw[1]) // stride


def anchor_centres(image_hw, stride: int = 16) -> np.ndarray:
    fh, fw = feature_map_size(image_hw, stride)
    ys, xs = stride / 2 + np.arange(fh) * stride, stride / 2 + np.arange(fw) * stride
    cy, cx = np.meshgrid(ys, xs, indexing="ij")
    return np.stack([cx.ravel(), cy.ravel()], 1)


def generate_anchors(image_hw, stride: int = 16, ratios=(0.5, 1.0, 2.0), scales=(8, 16, 32)) -> np.ndarray:
    """All anchors, ordered by feature-map row, column, then ratio, then scale. Shape (H/s * W/s * R * S, 4)."""
    if min(image_hw) < stride:
        raise ValueError(f"The image ({image_hw[0]}x{image_hw[1]}) must be at least one stride ({stride}) wide.")
    centres = anchor_centres(image_hw, stride)
    base = base_anchors(stride, ratios, scales)
    shifts = np.concatenate([centres, centres], 1)
    return (shifts[:, None, :] + base[None, :, :]).reshape(-1, 4)


def match_anchors(anchors, gt_boxes, pos_threshold: float = 0.7, neg_threshold: float = 0.3) -> dict:
    """Label anchors 1 (positive: IoU >= pos_threshold, or the best anchor for some GT), 0 (negative:
    max IoU < neg_threshold) or -1 (ignored). Returns labels, matched GT index and max IoU per anchor."""
    if not 0 <= neg_threshold <= pos_threshold <= 1:
        raise ValueError(f"Need 0 <= negative ({neg_threshold}) <= positive ({pos_threshold}) <= 1.")
    anchors, gt = as_boxes(anchors), as_boxes(gt_boxes)
    labels = np.full(len(anchors), -1, dtype=np.int64)
    if len(gt) == 0:
        labels[:] = 0
        return {"labels": labels, "matched": np.full(len(anchors), -1), "max_iou": np.zeros(len(anchors)),
                "ious": np.zeros((len(anchors), 0))}
    ious = iou_matrix(anchors, gt)
    matched = ious.argmax(1)
    max_iou = ious[np.arange(len(anchors)), matched]
    labels[max_iou < neg_threshold] = 0
    labels[max_iou >= pos_threshold] = 1
    for g in range(len(gt)):  # every GT gets at least its best anchors (ties included), as in Faster R-CNN
        best = ious[:, g].max()
        if best > 0:
            winners = np.flatnonzero(ious[:, g] == best)
            labels[winners] = 1
            matched[winners] = g
    return {"labels": labels, "matched": matched, "max_iou": max_iou, "ious": ious}
