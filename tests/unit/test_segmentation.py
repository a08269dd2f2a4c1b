"""Segmentation scores against independent formulas: sets of pixel coordinates and plain loops."""
import math

import numpy as np
import pytest

from engine.detection import boxes, segmentation
from engine.errors import InputError


def _reference(truth, pred, classes):
    """Every score from sets of pixel positions, class by class (no confusion matrix)."""
    where = {(m, c): {(i, j) for i, j in zip(*np.nonzero(mask == c))} for m, mask in (("t", truth), ("p", pred))
             for c in range(classes)}
    total = truth.size
    acc, iou, dice = [], [], []
    for c in range(classes):
        a, b = where["t", c], where["p", c]
        acc.append(len(a & b) / len(a) if a else math.nan)
        iou.append(len(a & b) / len(a | b) if a | b else math.nan)
        dice.append(2 * len(a & b) / (len(a) + len(b)) if a or b else math.nan)
    right = sum(1 for x, y in zip(truth.ravel(), pred.ravel()) if x == y)
    fw = sum(len(where["t", c]) * (0 if math.isnan(iou[c]) else iou[c]) for c in range(classes)) / total
    mean = lambda v: float(np.mean([x for x in v if not math.isnan(x)]))  # noqa: E731
    return dict(pixel_accuracy=right / total, class_accuracy=acc, mean_accuracy=mean(acc), iou=iou,
                mean_iou=mean(iou), frequency_weighted_iou=fw, dice=dice, mean_dice=mean(dice))


def test_scores_equal_set_formulas_on_random_masks():
    rng = np.random.default_rng(0)
    for _ in range(40):
        classes = int(rng.integers(2, 6))
        shape = tuple(int(v) for v in rng.integers(1, 30, 2))
        truth = rng.integers(0, classes, shape)
        pred = np.where(rng.random(shape) < 0.7, truth, rng.integers(0, classes, shape))
        if rng.random() < 0.3:
            truth[truth == classes - 1] = 0  # a class only in the prediction, or in neither
        got = segmentation.segmentation_scores(truth, pred, classes)
        want = _reference(truth, pred, classes)
        for name, value in want.items():
            np.testing.assert_allclose(getattr(got, name), value, rtol=1e-12, equal_nan=True, err_msg=name)
        assert got.confusion.sum() == truth.size


def test_a_perfect_prediction_scores_one_and_shifts_lower_the_scores():
    truth, pred = segmentation.scene_masks()
    perfect = segmentation.segmentation_scores(truth, pred)
    assert perfect.pixel_accuracy == perfect.mean_iou == perfect.mean_dice == 1.0
    before = 1.0
    for dx in (2, 6, 12):
        _, moved = segmentation.scene_masks(segmentation.ShapeEdit(dx=dx))
        iou = segmentation.segmentation_scores(truth, moved).iou[1]
        assert iou < before
        before = iou


def test_the_disc_s_bounding_box_has_box_iou_one_and_mask_iou_of_its_area_ratio():
    truth, pred = segmentation.scene_masks(disc_as_box=True)
    box_t, box_p = segmentation.mask_box(truth, 1), segmentation.mask_box(pred, 1)
    assert boxes.iou_matrix(box_t[None], box_p[None])[0, 0] == pytest.approx(1.0)
    disc_pixels, box_pixels = (truth == 1).sum(), (pred == 1).sum()
    assert segmentation.segmentation_scores(truth, pred).iou[1] == pytest.approx(disc_pixels / box_pixels)
    assert abs(disc_pixels / box_pixels - math.pi / 4) < 0.05


@pytest.mark.parametrize("call, fragment", [
    (lambda: segmentation.segmentation_scores(np.zeros((4, 4), int), np.zeros((4, 5), int)), "same shape"),
    (lambda: segmentation.segmentation_scores(np.zeros((4, 4)), np.zeros((4, 4)), 3), "whole class numbers"),
    (lambda: segmentation.segmentation_scores(np.full((2, 2), 7), np.zeros((2, 2), int), 3), "from 0 to 2"),
    (lambda: segmentation.segmentation_scores(np.zeros((3000, 3000), int), np.zeros((3000, 3000), int)),
     "too large"),
    (lambda: segmentation.scene_masks(segmentation.ShapeEdit(dx=10**9)), "dx must be"),
    (lambda: segmentation.scene_masks(segmentation.ShapeEdit(grow=1.5)), "grow must be"),
])
def test_refusals_say_why(call, fragment):
    with pytest.raises(InputError, match=fragment):
        call()


def test_empty_and_absent_classes_have_no_score_not_a_crash():
    s = segmentation.segmentation_scores(np.zeros((0, 0), int), np.zeros((0, 0), int))
    assert math.isnan(s.pixel_accuracy) and math.isnan(s.mean_iou)
    s = segmentation.segmentation_scores(np.zeros((3, 3), int), np.zeros((3, 3), int))
    assert s.mean_iou == 1.0 and math.isnan(s.iou[1]) and segmentation.mask_box(np.zeros((3, 3), int), 1) is None
