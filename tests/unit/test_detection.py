import numpy as np
import pytest

from engine.detection import anchors, boxes, samples, voc, yolo


def random_boxes(rng, n, size=100.0):
    xy = rng.uniform(0, size, (n, 2))
    wh = rng.uniform(1, size / 2, (n, 2))
    return np.concatenate([xy, xy + wh], 1)


def iou_loop(p, q) -> float:
    """IoU of two boxes in plain Python: the reference the engine's vectorised, blocked version must equal."""
    iw = max(0.0, min(p[2], q[2]) - max(p[0], q[0]))
    ih = max(0.0, min(p[3], q[3]) - max(p[1], q[1]))
    inter = iw * ih
    union = (p[2] - p[0]) * (p[3] - p[1]) + (q[2] - q[0]) * (q[3] - q[1]) - inter
    return inter / union if union > 0 else 0.0


def test_iou_matrix_against_loop_reference(rng, monkeypatch):
    a, b = random_boxes(rng, 17), random_boxes(rng, 9)
    ref = np.array([[iou_loop(p, q) for q in b] for p in a])
    np.testing.assert_allclose(boxes.iou_matrix(a, b), ref, atol=1e-12)
    monkeypatch.setattr(boxes, "IOU_CHUNK", 4)  # blocks that do not divide the rows
    np.testing.assert_allclose(boxes.iou_matrix(a, b), ref, atol=1e-12)
    assert boxes.iou_matrix([[0, 0, 10, 10]], [[0, 0, 10, 10]])[0, 0] == 1
    assert boxes.iou_matrix([[0, 0, 10, 10]], [[5, 0, 15, 10]])[0, 0] == pytest.approx(1 / 3)


def test_iou_parts_against_counted_pixels_and_tensorflow(rng):
    """Integer boxes: the intersection and the union are counts of unit cells on a grid, an independent reference."""
    tf = pytest.importorskip("tensorflow")
    for _ in range(300):
        corners = rng.integers(0, 40, (2, 2, 2))
        a, b = (np.concatenate([c.min(0), c.max(0)]) for c in corners)  # (xmin, ymin, xmax, ymax)
        parts = boxes.iou_parts(a, b)
        grid_a, grid_b = np.zeros((40, 40), bool), np.zeros((40, 40), bool)
        grid_a[a[1]:a[3], a[0]:a[2]] = True
        grid_b[b[1]:b[3], b[0]:b[2]] = True
        assert parts.area_a == grid_a.sum() and parts.area_b == grid_b.sum()
        assert parts.intersection == (grid_a & grid_b).sum() and parts.union == (grid_a | grid_b).sum()
        union = (grid_a | grid_b).sum()
        assert parts.iou == pytest.approx((grid_a & grid_b).sum() / union if union else 0.0)
        if parts.intersection_box is not None:
            x0, y0, x1, y1 = parts.intersection_box
            assert (x1 - x0) * (y1 - y0) == parts.intersection
        # TensorFlow's NMS computes its own IoU: just below ours it suppresses B, just above it keeps both
        if parts.iou > 1e-3:
            yxyx = tf.constant([[a[1], a[0], a[3], a[2]], [b[1], b[0], b[3], b[2]]], tf.float32)
            for threshold, kept in ((parts.iou - 1e-4, [0]), (min(parts.iou + 1e-4, 1.0), [0, 1])):
                assert tf.image.non_max_suppression(yxyx, [1.0, 0.5], 2, threshold).numpy().tolist() == kept


@pytest.mark.parametrize("a, b, says", [
    ([10, 10, 0, 20], [0, 0, 5, 5], "Box A has xmax < xmin"),
    ([0, 0, 5, 5], [0, 20, 5, 10], "Box B has xmax < xmin"),
    ([0, 0, float("nan"), 5], [0, 0, 5, 5], "finite"),
    ([0, 0, 5, float("inf")], [0, 0, 5, 5], "finite"),
    ([0, 0, 5, 5, 1, 1, 2, 2], [0, 0, 5, 5], "one box each"),
])
def test_iou_parts_refuses_what_is_not_one_box_each(a, b, says):
    with pytest.raises(ValueError, match=says):
        boxes.iou_parts(a, b)


def test_iou_parts_of_empty_and_disjoint_boxes_is_zero():
    assert boxes.iou_parts([0, 0, 0, 0], [0, 0, 0, 0]).iou == 0.0
    disjoint = boxes.iou_parts([0, 0, 2, 2], [5, 5, 6, 6])
    assert disjoint.intersection_box is None and disjoint.union == 5 and disjoint.iou == 0.0
    touching = boxes.iou_parts([0, 0, 2, 2], [2, 0, 4, 2])  # a shared edge has no area
    assert touching.intersection == 0 and touching.intersection_box is None


def test_conversions_and_encode_decode_roundtrip(rng):
    b = random_boxes(rng, 50)
    np.testing.assert_allclose(boxes.cxcywh_to_xyxy(boxes.xyxy_to_cxcywh(b)), b, atol=1e-9)
    a = random_boxes(rng, 50)
    t = boxes.encode(b, a)
    np.testing.assert_allclose(boxes.decode(t, a), b, atol=1e-9)
    np.testing.assert_allclose(boxes.encode(a, a), 0, atol=1e-12)


def nms_loop_reference(b, s, thr):
    order = list(np.argsort(-s))
    keep = []
    while order:
        i = order.pop(0)
        keep.append(i)
        order = [j for j in order if iou_loop(b[i], b[j]) <= thr]
    return keep


def test_nms_matches_tensorflow_and_loop_reference(rng):
    tf = pytest.importorskip("tensorflow")
    for _ in range(30):
        n = int(rng.integers(1, 60))
        b, s = random_boxes(rng, n), rng.random(n)
        thr = float(rng.uniform(0.1, 0.9))
        ours = boxes.nms(b, s, thr)
        assert list(ours) == nms_loop_reference(b, s, thr)
        ref = tf.image.non_max_suppression(b[:, [1, 0, 3, 2]].astype(np.float32), s.astype(np.float32), n,
                                           iou_threshold=thr).numpy()
        assert list(ours) == list(ref)
        st = float(rng.uniform(0, 1))
        ref = tf.image.non_max_suppression(b[:, [1, 0, 3, 2]].astype(np.float32), s.astype(np.float32), 5,
                                           iou_threshold=thr, score_threshold=st).numpy()
        assert list(boxes.nms(b, s, thr, score_threshold=st, max_output=5)) == list(ref)
        ref = tf.image.non_max_suppression(b[:, [1, 0, 3, 2]].astype(np.float32), s.astype(np.float32), 0,
                                           iou_threshold=thr).numpy()
        assert list(boxes.nms(b, s, thr, max_output=0)) == list(ref) == []


def match_loop_reference(a, gt, pos, neg):
    """Faster R-CNN labelling written out anchor by anchor from IoUs computed one pair at a time."""
    ious = [[iou_loop(p, q) for q in gt] for p in a]
    labels, matched, best_iou = [], [], []
    for row in ious:
        j = int(np.argmax(row))
        matched.append(j)
        best_iou.append(row[j])
        labels.append(1 if row[j] >= pos else (0 if row[j] < neg else -1))
    for g in range(len(gt)):
        best = max(row[g] for row in ious)
        for i, row in enumerate(ious):
            if best > 0 and row[g] == best:
                labels[i], matched[i] = 1, g
    return labels, matched, best_iou


@pytest.mark.parametrize("chunk", [3, 64, 4096])
def test_anchor_matching_in_blocks_equals_a_loop_reference(rng, monkeypatch, chunk):
    monkeypatch.setattr(boxes, "IOU_CHUNK", chunk)
    for _ in range(12):
        a = random_boxes(rng, int(rng.integers(1, 120)))
        gt = random_boxes(rng, int(rng.integers(1, 8)))
        a = np.concatenate([a, a])  # every anchor twice: the best anchor of each GT box is always a tie
        pos, neg = sorted(rng.uniform(0, 1, 2))[::-1]
        pos = max(pos, 0.8)  # the forced-best rule then labels anchors the threshold would not
        m = anchors.match_anchors(a, gt, pos, neg)
        labels, matched, best_iou = match_loop_reference(a, gt, pos, neg)
        assert m["labels"].tolist() == labels and m["matched"].tolist() == matched
        np.testing.assert_allclose(m["max_iou"], best_iou, atol=1e-12)
        column = anchors.iou_with(a, gt[1 % len(gt)])
        np.testing.assert_allclose(column, [iou_loop(p, gt[1 % len(gt)]) for p in a], atol=1e-12)


def test_nms_per_class_never_suppresses_across_classes():
    b = np.array([[0, 0, 10, 10], [1, 1, 10, 10], [0, 0, 10, 10]], float)
    kept = boxes.nms_per_class(b, [0.9, 0.8, 0.7], [0, 0, 1], iou_threshold=0.5)
    assert list(kept) == [0, 2]


def test_smooth_l1_is_l2_near_zero_and_l1_far():
    x = np.array([-3.0, -0.5, 0.0, 0.5, 3.0])
    np.testing.assert_allclose(boxes.smooth_l1(x), [2.5, 0.125, 0, 0.125, 2.5])
    np.testing.assert_allclose(boxes.smooth_l1_grad(x), [-1, -0.5, 0, 0.5, 1])
    eps = 1e-6
    for fn, grad in [(boxes.smooth_l1, boxes.smooth_l1_grad), (boxes.l2, boxes.l2_grad), (boxes.l1, boxes.l1_grad)]:
        xs = np.array([-2.3, -0.4, 0.7, 1.9])
        np.testing.assert_allclose((fn(xs + eps) - fn(xs - eps)) / (2 * eps), grad(xs), atol=1e-5)


def test_default_anchor_count_and_geometry():
    a = anchors.generate_anchors((800, 800))
    assert a.shape == (22_500, 4)
    cxcywh = boxes.xyxy_to_cxcywh(a[:9])
    np.testing.assert_allclose(cxcywh[:, :2], 8)  # first cell centre = stride / 2
    np.testing.assert_allclose(cxcywh[:, 2] * cxcywh[:, 3], np.tile([128**2, 256**2, 512**2], 3))
    np.testing.assert_allclose(cxcywh[:, 2] / cxcywh[:, 3], np.repeat([0.5, 1, 2], 3))
    assert anchors.generate_anchors((600, 1000), 16, (1,), (8,)).shape == (37 * 62, 4)


def test_anchor_matching_thresholds_and_forced_best():
    a = np.array([[0, 0, 10, 10], [0, 0, 9, 10], [50, 50, 60, 60], [0, 0, 20, 10], [0, 0, 20, 20],
                  [100, 100, 101, 101]], float)
    gt = np.array([[0, 0, 10, 10], [48, 48, 70, 70]], float)
    m = anchors.match_anchors(a, gt)
    assert m["labels"][0] == 1 and m["labels"][1] == 1          # IoU 1.0 and 0.9
    assert m["labels"][2] == 1 and m["matched"][2] == 1          # IoU 0.21 but the best for GT 2: forced
    assert m["labels"][3] == -1 and m["max_iou"][3] == pytest.approx(0.5)   # between 0.3 and 0.7: ignored
    assert m["labels"][4] == 0 and m["max_iou"][4] == pytest.approx(0.25)   # below 0.3: negative
    assert m["labels"][5] == 0


def test_yolo_target_layout_and_decode_roundtrip():
    image_hw = (448, 448)
    gt = np.array([[10, 20, 110, 220], [300, 300, 400, 380]], float)
    target, notes = yolo.encode_targets(gt, [14, 6], image_hw)
    assert target.shape == (7, 7, 30) and not notes
    row, col = yolo.responsible_cell(gt[0], image_hw)
    assert (row, col) == (1, 0)
    x, y, w, h, conf = target[row, col, :5]
    assert conf == 1 and target[row, col, 10 + 14] == 1
    assert x == pytest.approx((60 / 448 * 7) - 0) and y == pytest.approx(120 / 448 * 7 - 1)
    assert w == pytest.approx(100 / 448) and h == pytest.approx(200 / 448)
    decoded, scores, classes = yolo.decode(target, image_hw)
    order = np.argsort(classes)[::-1]
    np.testing.assert_allclose(decoded[order], gt, atol=1e-3)
    assert sorted(classes.tolist()) == [6, 14] and np.all(scores == 1)


def test_yolo_two_objects_in_one_cell_are_noted():
    _, notes = yolo.encode_targets([[0, 0, 20, 20], [2, 2, 22, 22]], [0, 1], (448, 448))
    assert len(notes) == 1


def test_yolo_loss_terms():
    target, _ = yolo.encode_targets([[10, 20, 110, 220]], [3], (448, 448))
    zero = yolo.yolo_v1_loss(target, target)
    # a perfect box but predicted confidence 1 against IoU 1 -> all zero except nothing
    assert zero["total"] == pytest.approx(0, abs=1e-9)
    pred = target.copy()
    pred[1, 0, 0] += 0.1                         # x off by 0.1 -> coord term 5 * 0.01
    pred[3, 3, 4] = 0.4                          # confidence in an empty cell -> 0.5 * 0.16
    pred[1, 0, 10 + 3] = 0.5                     # class prob -> 0.25
    loss = yolo.yolo_v1_loss(pred, target)
    assert loss["coord_xy"] == pytest.approx(5 * 0.01)
    assert loss["no_object"] == pytest.approx(0.5 * 0.16)
    assert loss["class"] == pytest.approx(0.25)
    assert loss["object"] > 0  # IoU dropped below 1 once x moved
    assert loss["total"] == pytest.approx(sum(v for k, v in loss.items() if k != "total"))


def test_yolo_v1_layer_table():
    rows = yolo.yolo_v1_layers()
    convs = [r for r in rows if r.name.startswith("Conv")]
    assert len(convs) == 24 and convs[0].output == (224, 224, 64) and convs[-1].output == (7, 7, 1024)
    assert rows[-1].output == (7, 7, 30)
    assert sum(r.params for r in rows) == 271_703_550
    assert rows[-3].params == 7 * 7 * 1024 * 4096 + 4096


VALID = b"""<annotation><filename>a.jpg</filename><size><width>100</width><height>80</height><depth>3</depth></size>
<object><name>dog</name><pose>Left</pose><truncated>1</truncated><difficult>0</difficult>
<bndbox><xmin>10</xmin><ymin>5</ymin><xmax>50</xmax><ymax>40</ymax></bndbox></object>
<object><name>cat</name><difficult>1</difficult><bndbox><xmin>60</xmin><ymin>10</ymin><xmax>120</xmax><ymax>70</ymax></bndbox></object>
</annotation>"""


def test_voc_parse_clamps_and_skips_difficult():
    ann = voc.parse_voc(VALID)
    assert (ann.filename, ann.width, ann.height) == ("a.jpg", 100, 80)
    assert ann.objects[0].name == "dog" and ann.objects[0].truncated and ann.objects[0].pose == "Left"
    assert ann.objects[1].box == (60, 10, 100, 70) and any("clamped" in w for w in ann.warnings)
    assert voc.CLASS_IDS[ann.objects[0].name] == voc.CLASS_IDS["dog"] == 11
    assert len(voc.parse_voc(VALID, skip_difficult=True).objects) == 1
    assert len(voc.VOC_CLASSES) == 20


def test_voc_write_parse_roundtrip():
    for i in range(samples.N_SCENES):
        scene = samples.detection_scene(i, size=224)
        ann = voc.parse_voc(scene.xml)
        assert [o.box for o in ann.objects] == [tuple(map(int, b)) for b in scene.boxes]
        assert [o.name for o in ann.objects] == scene.labels and not ann.warnings


BILLION_LAUGHS = b"""<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">
]><annotation><filename>&lol2;</filename></annotation>"""
EXTERNAL = b"""<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><annotation>&x;</annotation>"""


@pytest.mark.parametrize("xml, fragment", [
    (BILLION_LAUGHS, "unsafe XML"),
    (EXTERNAL, "unsafe XML"),
    (b"<annotation><size>", "not well-formed"),
    (b"", "empty"),
    (b"<foo/>", "root element"),
    (b"<annotation><filename>x</filename></annotation>", "Missing <size>"),
    (VALID.replace(b"<xmin>10</xmin>", b"<xmin>ten</xmin>"), "not a number"),
    (VALID.replace(b"<xmin>10</xmin>", b"<xmin>70</xmin>"), "inverted"),
    (VALID.replace(b"<xmin>60</xmin><ymin>10</ymin>", b"<xmin>160</xmin><ymin>10</ymin>")
     .replace(b"<xmax>120</xmax>", b"<xmax>180</xmax>"), "entirely outside"),
    (VALID.replace(b"<bndbox><xmin>10</xmin><ymin>5</ymin><xmax>50</xmax><ymax>40</ymax></bndbox>", b""),
     "Missing <bndbox>"),
])
def test_voc_hostile_and_malformed(xml, fragment):
    with pytest.raises(voc.VocError, match=fragment):
        voc.parse_voc(xml)


def test_nms_keeps_a_box_whose_iou_equals_the_threshold():
    """tf.image.non_max_suppression suppresses only IoU > threshold; 1/3 is exact here (overlap 1, union 3)."""
    b = np.array([[0, 0, 2, 1], [1, 0, 3, 1]], float)
    assert boxes.iou_matrix(b[:1], b[1:])[0, 0] == 1 / 3
    assert boxes.nms(b, [0.9, 0.8], iou_threshold=1 / 3).tolist() == [0, 1]
    assert boxes.nms(b, [0.9, 0.8], iou_threshold=0.33).tolist() == [0]
