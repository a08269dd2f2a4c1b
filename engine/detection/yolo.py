"""YOLO v1 (Redmon et al. 2016): S x S x (B*5 + C) targets, decoding, the loss term by term, and the
network's layer table computed by arithmetic (no framework needed).

Target layout per cell: B slots of [x, y, w, h, confidence] (x, y relative to the cell, w, h relative to
the image), then C class probabilities. The ground truth is written into slot 0; at loss time the
predictor with the highest IoU against it is the responsible one, as in the paper.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from engine.detection.boxes import as_boxes, iou_matrix
from engine.errors import InputError, Message


def responsible_cell(box, image_hw, S: int = 7) -> tuple[int, int]:
    """(row, col) of the S x S grid cell that contains the box centre: the cell YOLO v1 makes responsible.

    Examples
    --------
    >>> responsible_cell([100, 100, 200, 200], (448, 448))
    (2, 2)
    """
    h, w = image_hw
    x0, y0, x1, y1 = as_boxes(box)[0]
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return min(int(cy / h * S), S - 1), min(int(cx / w * S), S - 1)


def encode_targets(boxes, classes, image_hw, S: int = 7, B: int = 2, C: int = 20) -> tuple[np.ndarray, list[str]]:
    """YOLO v1 training targets: an S x S x (B·5 + C) tensor and notes on dropped objects.

    Each object goes into box slot 0 of the cell holding its centre: x, y relative to the cell, w, h relative
    to the image, confidence 1, then a one-hot class.

    Examples
    --------
    >>> target, notes = encode_targets([[100, 100, 200, 200]], [11], (448, 448))
    >>> target.shape, [round(float(v), 4) for v in target[2, 2, :5]], float(target[2, 2, 10 + 11])
    ((7, 7, 30), [0.3438, 0.3438, 0.2232, 0.2232, 1.0], 1.0)
    """
    if S < 1 or B < 1 or C < 1:
        raise InputError("S, B and C must be positive, got S={s}, B={b}, C={c}.", s=S, b=B, c=C)
    boxes = as_boxes(boxes)
    classes = np.asarray(classes, dtype=np.int64).reshape(-1)
    if len(classes) != len(boxes):
        raise InputError("{boxes} boxes but {classes} class ids.", boxes=len(boxes), classes=len(classes))
    if len(classes) and (classes.min() < 0 or classes.max() >= C):
        raise InputError("class ids must be in 0..{c}.", c=C - 1)
    h, w = image_hw
    target = np.zeros((S, S, B * 5 + C), dtype=np.float32)
    notes = []
    for box, cls in zip(boxes, classes):
        row, col = responsible_cell(box, image_hw, S)
        if target[row, col, 4] == 1:
            notes.append(Message("Two objects centre in cell ({row}, {col}); YOLO v1 keeps only the first.", row=row,
                                 col=col))
            continue
        cx, cy = (box[0] + box[2]) / 2, (box[1] + box[3]) / 2
        target[row, col, 0:5] = [cx / w * S - col, cy / h * S - row, (box[2] - box[0]) / w, (box[3] - box[1]) / h, 1]
        target[row, col, B * 5 + cls] = 1
    return target, notes


def slot_labels(B: int = 2, C: int = 20, class_names=None) -> list[str]:
    """Names of the B·5 + C numbers of one YOLO cell, in order.

    Examples
    --------
    >>> slot_labels(2, 20)[:6]
    ['box1 x', 'box1 y', 'box1 w', 'box1 h', 'box1 conf', 'box2 x']
    """
    names = list(class_names) if class_names is not None else [f"class {i}" for i in range(C)]
    return [f"box{b + 1} {f}" for b in range(B) for f in ("x", "y", "w", "h", "conf")] + [f"P({n})" for n in names]


def _cell_boxes(tensor, image_hw, S, B) -> np.ndarray:
    """All predicted boxes as (S, S, B, 4) xyxy pixels."""
    h, w = image_hw
    t = tensor[..., : B * 5].reshape(S, S, B, 5)
    cols, rows = np.meshgrid(np.arange(S), np.arange(S))
    cx = (t[..., 0] + cols[..., None]) / S * w
    cy = (t[..., 1] + rows[..., None]) / S * h
    bw, bh = t[..., 2] * w, t[..., 3] * h
    return np.stack([cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2], -1)


def decode(tensor, image_hw, S: int = 7, B: int = 2, C: int = 20, threshold: float = 0.5):
    """Boxes (xyxy), class-specific scores (confidence x class probability) and class ids above threshold.

    Examples
    --------
    >>> target, _ = encode_targets([[100, 100, 200, 200]], [11], (448, 448))
    >>> decode(target, (448, 448))[0].round(1).tolist()
    [[100.0, 100.0, 200.0, 200.0]]
    """
    t = np.asarray(tensor, dtype=np.float64)
    if t.shape != (S, S, B * 5 + C):
        raise InputError("Expected a {s}x{s2}x{b} tensor, got {shape}.", s=S, s2=S, b=B * 5 + C, shape=t.shape)
    boxes = _cell_boxes(t, image_hw, S, B).reshape(-1, 4)
    conf = t[..., 4: B * 5: 5].reshape(S, S, B)
    cls = t[..., B * 5:]
    scores = (conf[..., None] * cls[:, :, None, :]).reshape(-1, C)
    best = scores.argmax(1)
    best_score = scores[np.arange(len(scores)), best]
    keep = best_score >= threshold
    return boxes[keep], best_score[keep], best[keep]


def yolo_v1_loss(pred, target, S: int = 7, B: int = 2, C: int = 20, lambda_coord: float = 5.0,
                 lambda_noobj: float = 0.5) -> dict:
    """Sum-squared YOLO v1 loss for one image, each term reported. w, h are compared through square roots.

    Examples
    --------
    >>> target, _ = encode_targets([[100, 100, 200, 200]], [11], (448, 448))
    >>> yolo_v1_loss(target, target)['total']  # a perfect prediction
    0.0
    """
    p, t = np.asarray(pred, dtype=np.float64), np.asarray(target, dtype=np.float64)
    if p.shape != t.shape or p.shape != (S, S, B * 5 + C):
        raise InputError("pred and target must both be {s}x{s2}x{b}, got {shape} and {shape2}.", s=S, s2=S, b=B * 5 + C,
                         shape=p.shape, shape2=t.shape)
    has_obj = t[..., 4] == 1                                        # (S, S)
    pb, tb = p[..., : B * 5].reshape(S, S, B, 5), t[..., :5]
    ious = np.zeros((S, S, B))
    image_hw = (1.0, 1.0)
    pred_xyxy = _cell_boxes(p, image_hw, S, B)
    true_xyxy = _cell_boxes(np.concatenate([t[..., :5]] * B + [t[..., B * 5:]], -1), image_hw, S, B)[:, :, 0]
    for r, c in zip(*np.nonzero(has_obj)):
        ious[r, c] = iou_matrix(pred_xyxy[r, c], true_xyxy[r, c][None])[:, 0]
    responsible = np.zeros((S, S, B), bool)
    responsible[has_obj, ious[has_obj].argmax(-1)] = True
    xy = np.sum(responsible[..., None] * (pb[..., :2] - tb[:, :, None, :2]) ** 2)
    sqrt = lambda v: np.sqrt(np.clip(v, 0, None))  # noqa: E731  predictions may dip below 0
    wh = np.sum(responsible[..., None] * (sqrt(pb[..., 2:4]) - sqrt(tb[:, :, None, 2:4])) ** 2)
    obj = np.sum(responsible * (pb[..., 4] - ious) ** 2)  # target confidence = IoU with the truth
    noobj = np.sum(~responsible * pb[..., 4] ** 2)
    cls = np.sum(has_obj[..., None] * (p[..., B * 5:] - t[..., B * 5:]) ** 2)
    terms = {"coord_xy": lambda_coord * xy, "coord_wh": lambda_coord * wh, "object": obj,
             "no_object": lambda_noobj * noobj, "class": cls}
    terms["total"] = sum(terms.values())
    return {k: float(v) for k, v in terms.items()}


@dataclass(frozen=True)
class LayerRow:
    """One row of the YOLO v1 layer table: name, detail, output shape, parameters."""
    name: str
    detail: str
    output: tuple[int, int, int] | tuple[int]
    params: int


def yolo_v1_layers(input_hw=(448, 448), S: int = 7, B: int = 2, C: int = 20) -> list[LayerRow]:
    """The YOLO v1 network, layer by layer: name, detail, output shape and parameters.

    Examples
    --------
    >>> sum(row.params for row in yolo_v1_layers())
    271703550
    """
    spec = [("conv", 7, 64, 2), ("pool",), ("conv", 3, 192, 1), ("pool",),
            ("conv", 1, 128, 1), ("conv", 3, 256, 1), ("conv", 1, 256, 1), ("conv", 3, 512, 1), ("pool",)]
    spec += [("conv", 1, 256, 1), ("conv", 3, 512, 1)] * 4 + [("conv", 1, 512, 1), ("conv", 3, 1024, 1), ("pool",)]
    spec += [("conv", 1, 512, 1), ("conv", 3, 1024, 1)] * 2 + [("conv", 3, 1024, 1), ("conv", 3, 1024, 2)]
    spec += [("conv", 3, 1024, 1), ("conv", 3, 1024, 1)]
    h, w = input_hw
    c = 3
    rows, n_conv = [], 0
    for layer in spec:
        if layer[0] == "pool":
            h, w = h // 2, w // 2
            rows.append(LayerRow("MaxPool", "2x2, stride 2", (h, w, c), 0))
            continue
        _, k, filters, stride = layer
        n_conv += 1
        h, w = -(-h // stride), -(-w // stride)
        rows.append(LayerRow(f"Conv {n_conv}", f"{k}x{k}x{filters}, stride {stride}, LeakyReLU 0.1", (h, w, filters),
                             k * k * c * filters + filters))
        c = filters
    flat = h * w * c
    rows.append(LayerRow("Flatten", "", (flat,), 0))
    rows.append(LayerRow("Dense", "4096, LeakyReLU 0.1, dropout 0.5", (4096,), flat * 4096 + 4096))
    out = S * S * (B * 5 + C)
    rows.append(LayerRow("Dense", f"{out}, linear", (out,), 4096 * out + out))
    rows.append(LayerRow("Reshape", "", (S, S, B * 5 + C), 0))
    return rows
