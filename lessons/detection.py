"""Detection: boxes and PASCAL VOC XML, YOLO v1's grid and 7×7×30 targets, Faster R-CNN's anchors and their
matching, non-maximum suppression, the losses, segmentation metrics and an IoU calculator, on a built-in scene or
the student's own image and annotation."""
from dataclasses import dataclass, field

import numpy as np
import streamlit as st

from engine import images
from engine.detection import anchors, boxes, samples, segmentation, voc, yolo
from engine.errors import ConvLabError
from ui import caching, cnn_view, exercises, figures, shell, snippets
from ui.i18n import message, t, tn
from ui.state import PageState
from ui.uploads import parse_once

CFG = figures.PLOTLY_CONFIG
MIN_SIDE = 32  # the largest anchor stride: every tab needs at least one feature-map cell
MAX_WARNINGS_SHOWN = 5
MAX_ANCHORS_DRAWN = 60_000  # one WebGL trace, ~2.9 MB of float32 at the limit


@dataclass
class Picture:
    """The picture every tab works on: the built-in scene or the user's image with its VOC boxes."""
    image: np.ndarray
    boxes: np.ndarray          # (N, 4) xyxy in the image's pixels
    labels: list[str]
    xml: str
    index: int                 # the built-in scene's number (also seeds the NMS candidates)
    scale: np.ndarray = field(default_factory=lambda: np.ones(4))  # shown px per file px (x, y, x, y)

    @property
    def file_boxes(self) -> np.ndarray:
        """The boxes in the file's own pixels, as its annotation gives them."""
        return self.boxes / self.scale

    @property
    def class_ids(self) -> list[int]:
        return [voc.CLASS_IDS.get(name, -1) for name in self.labels]

    @property
    def voc_objects(self) -> list[int]:
        """Indices of the objects that belong to one of the 20 VOC classes (the YOLO targets' classes)."""
        return [i for i, c in enumerate(self.class_ids) if c >= 0]


def main():
    st.title(t("Detection: from YOLO's grid to anchor boxes"))
    state = PageState("detection")
    pic = picture_ui(state, st.sidebar)
    views = {"boxes": (t("Boxes & VOC XML"), lambda: boxes_tab(pic)),
             "yolo": (t("YOLO v1 grid"), lambda: yolo_tab(state, pic)),
             "anchors": (t("Anchor boxes"), lambda: anchors_tab(state, pic)),
             "nms": (t("Non-max suppression"), lambda: nms_tab(state, pic)),
             "losses": (t("Losses & YOLO network"), lambda: losses_tab(state, pic)),
             "segmentation": (t("Segmentation metrics"), lambda: segmentation_tab(state)),
             "iou": (t("IoU calculator"), lambda: iou_tab(state))}
    state.show_tabs(views)
    exercises.show("detection")


SCENE_SIZES = [448, 800]  # 800x800: Faster R-CNN's input, 22,500 anchors at stride 16 with 3 ratios x 3 scales
UPLOAD_MAX_SIDE = 1024


@caching.cache_data(max_entries=16, show_spinner=False)
def scene(index: int, size: int = 448):
    s = samples.detection_scene(index, size)
    return s.image, s.boxes, s.labels, s.xml


def parse_annotation(xml: bytes, skip_difficult: bool) -> voc.VocAnnotation:
    return voc.parse_voc(xml, skip_difficult=skip_difficult)


def load_upload(data: bytes) -> np.ndarray:
    return images.load_image(data, max_side=UPLOAD_MAX_SIDE, min_side=MIN_SIDE)


def picture_ui(state: PageState, side) -> Picture:
    """The sidebar: a built-in scene, or an uploaded image with its VOC XML (parsed once; refusals say why)."""
    source = state.select(t("Picture"), ["scene", "upload"], "src", "scene", radio=True, horizontal=True,
                          container=side,
                          format_func=lambda s: t({"scene": "Built-in scene", "upload": "Upload image + VOC XML"}[s]))
    index = state.slider(t("Built-in scene"), "scene", 0, 0, samples.N_SCENES - 1, container=side)
    size = state.select_slider(t("Scene size (pixels)"), SCENE_SIZES, "ssize", SCENE_SIZES[0], container=side,
                               help=t("800×800 is the input size of the Faster R-CNN paper: 22,500 anchors at "
                                      "stride 16."))
    pic = Picture(*scene(index, size), index=index)
    skip_difficult = state.toggle(t("Skip 'difficult' objects"), "skipdiff", False, container=side)
    if source != "upload":
        return pic
    img_file = side.file_uploader(t("Image"), type=["png", "jpg", "jpeg", "bmp", "webp"], key="detection.img_file")
    xml_file = side.file_uploader(t("VOC XML annotation"), type=["xml"], key="detection.xml_file")
    if img_file is None or xml_file is None:
        side.caption(t("Choose both files; until then the built-in scene is shown."))
        return pic
    try:
        uploaded = parse_once(img_file, load_upload)
        ann = parse_once(xml_file, parse_annotation, skip_difficult)
    except ConvLabError as exc:
        side.error(f"{message(exc)} " + t("Showing the built-in scene instead."))
        return pic
    for warning in ann.warnings[:MAX_WARNINGS_SHOWN]:
        side.warning(message(warning))
    if len(ann.warnings) > MAX_WARNINGS_SHOWN:
        side.caption(t("…and {n} more warnings.", n=len(ann.warnings) - MAX_WARNINGS_SHOWN))
    if not ann.objects:
        side.error(t("The annotation has no objects to show.") + " " + t("Showing the built-in scene instead."))
        return pic
    scale = np.array([uploaded.shape[1] / ann.width, uploaded.shape[0] / ann.height] * 2)
    if not np.allclose(scale, 1):  # never silently: say what was shown and in which pixels the numbers are
        side.info(t("The image is shown at {w}×{h}; the annotation is for {W}×{H}. Boxes are drawn scaled by {s}; "
                    "the coordinates in the tables are the file's own pixels.", w=uploaded.shape[1],
                    h=uploaded.shape[0], W=ann.width, H=ann.height, s=f"{scale[0]:.3g}"))
    return Picture(uploaded, np.array([o.box for o in ann.objects], float) * scale, [o.name for o in ann.objects],
                   xml_file.getvalue().decode("utf-8", "replace"), index, scale)


def boxes_tab(pic: Picture):
    """The boxes, their table and the VOC XML they come from."""
    image, gt_boxes, gt_labels, colour = pic.image, pic.boxes, pic.labels, samples.class_colour
    a, b = st.columns([3, 2])
    a.plotly_chart(figures.image_with_boxes(image, gt_boxes, gt_labels, colour,
                                            title=tn("{n} object", "{n} objects", len(gt_boxes))), config=CFG)
    file_boxes = pic.file_boxes
    # one column for the box, so the table fits its column on a laptop and the screen of a phone
    shell.table(b, {t("class"): gt_labels, "VOC id": pic.class_ids,
                    "xmin, ymin, xmax, ymax": [", ".join(f"{v:g}" for v in box.round(1)) for box in file_boxes]})
    b.download_button(t("Download this annotation (VOC XML)"), pic.xml, f"scene_{pic.index}.xml", "application/xml")
    with b.expander("VOC XML"):
        st.code(pic.xml, language="xml")
    st.code(snippets.voc_boxes(pic.xml), language="python")


def yolo_tab(state: PageState, pic: Picture):
    """YOLO v1's S×S grid and the 7×7×30 target of one cell."""
    image, gt_boxes, gt_labels, colour = pic.image, pic.boxes, pic.labels, samples.class_colour
    H, W = image.shape[:2]
    figs, controls = shell.figure_first()
    s_col, o_col = controls.columns(2)
    S = state.slider(t("Grid size S"), "S", 7, 2, 14, container=s_col)
    chosen = state.select(t("Object"), [str(i) for i in range(len(gt_labels))], "obj", "0", container=o_col,
                          format_func=lambda i: f"{i}: {gt_labels[int(i)]}") if gt_labels else "0"
    obj = min(int(chosen), len(gt_labels) - 1)
    valid = pic.voc_objects
    target, notes = yolo.encode_targets(gt_boxes[valid], [pic.class_ids[i] for i in valid], (H, W), S=S)
    cells = [yolo.responsible_cell(b, (H, W), S) for b in gt_boxes]
    a, b = figs.columns([3, 2])
    a.plotly_chart(figures.image_with_boxes(image, gt_boxes, gt_labels, colour, grid=S, highlight_cells=cells,
                                            title=t("{s}×{s} grid: the cell holding each box centre is "
                                                    "responsible", s=S)),
                   config=CFG)
    row, col = cells[obj]
    labels30 = yolo.slot_labels(2, 20, voc.VOC_CLASSES)
    vector = target[row, col]
    b.markdown(t("**Target for cell ({row}, {col})** — {n} numbers = B·5 + C = 2·5 + 20", row=row, col=col,
                 n=len(vector)))
    b.dataframe(shell.frame({t("slot"): labels30, t("value"): vector.round(4)}), hide_index=True, height=420)
    for note in notes:
        st.warning(note)
    decoded, scores, decoded_cls = yolo.decode(target, (H, W), S=S)
    if len(decoded):
        error = boxes.iou_matrix(decoded, gt_boxes[pic.voc_objects]).max(1).min()
        st.success(t("Decode-back check: {n} boxes decoded from the {s}×{s}×30 tensor; the worst match with its "
                     "ground-truth box has IoU {iou}.", n=len(decoded), s=S, iou=f"{error:.6f}"))
    st.code(snippets.yolo_target(gt_boxes[valid], [pic.class_ids[i] for i in valid], (H, W), S, (row, col)),
            language="python")


def anchors_tab(state: PageState, pic: Picture):
    """Faster R-CNN anchors, their IoU with the objects, matching and box encoding."""
    image, gt_boxes, gt_labels, colour = pic.image, pic.boxes, pic.labels, samples.class_colour
    H, W = image.shape[:2]
    figs, controls = shell.figure_first()
    a, b, c = controls.columns(3)
    stride = state.select_slider(t("Stride (feature-map cell size, px)"), [8, 16, 32], "stride", 16, container=a)
    ratio_text = state.select(t("Aspect ratios w/h"), ["0.5,1,2", "1", "0.5,1,2,3", "0.33,0.5,1,2,3"], "ratios",
                              "0.5,1,2", container=b)
    scale_text = state.select(t("Scales (× stride)"), ["4,8,16", "8,16,32", "2,4,8", "2,4,8,16"], "scales", "4,8,16",
                              container=c)
    ratios = [float(v) for v in ratio_text.split(",")]
    scales = [float(v) for v in scale_text.split(",")]
    all_anchors = anchors.generate_anchors((H, W), stride, ratios, scales)
    fh, fw = anchors.feature_map_size((H, W), stride)
    per_cell = len(ratios) * len(scales)
    count_text = t("Feature map {fh}×{fw} cells × {k} anchors per cell = **{n} anchors** (the Faster R-CNN default, "
                   "800×800, stride 16, 3 ratios × 3 scales, gives 22,500).", fh=fh, fw=fw, k=per_cell,
                   n=f"{len(all_anchors):,}")
    a, b, c = controls.columns(3)
    pos_t = state.slider(t("Positive IoU ≥"), "pos", 0.7, 0.3, 0.95, 0.05, container=a)
    neg_t = state.slider(t("Negative IoU <"), "neg", 0.3, 0.0, 0.6, 0.05, container=b)
    anchor_obj = state.select(t("Object for the IoU heatmap"), [str(i) for i in range(len(gt_labels))], "aobj", "0",
                              container=c, format_func=lambda i: f"{i}: {gt_labels[int(i)]}")
    neg_t = min(neg_t, pos_t)
    match = anchors.match_anchors(all_anchors, gt_boxes, pos_t, neg_t)
    labels_ = match["labels"]
    oi = min(int(anchor_obj), len(gt_labels) - 1)
    cx, cy = boxes.xyxy_to_cxcywh(gt_boxes[oi:oi + 1])[0, :2]
    cell_r, cell_c = min(int(cy // stride), fh - 1), min(int(cx // stride), fw - 1)
    if not state.toggle(t("Show the cell at the object's centre"), "follow", True, container=controls):
        r_col, c_col = controls.columns(2)
        cell_r = state.slider(t("Feature-map row"), "arow", cell_r, 0, fh - 1, container=r_col)
        cell_c = state.slider(t("Feature-map column"), "acol", cell_c, 0, fw - 1, container=c_col)
    first = (cell_r * fw + cell_c) * per_cell
    cell_anchors = all_anchors[first: first + per_cell]
    positives = np.flatnonzero(labels_ == 1)
    p1, p2, p3 = controls.columns(3)
    p1.metric(t("Positive anchors"), f"{len(positives):,}")
    p2.metric(t("Negative anchors"), f"{int((labels_ == 0).sum()):,}")
    p3.metric(t("Ignored anchors"), f"{int((labels_ == -1).sum()):,}")
    a, b = figs.columns(2)
    fig_cell = figures.image_with_boxes(image, gt_boxes, gt_labels, colour,
                                        title=t("The {k} anchors of feature-map cell ({r}, {c})", k=per_cell, r=cell_r,
                                                c=cell_c),
                                        extra_boxes=[(box, "#f5a623", 2, "dot") for box in cell_anchors])
    a.plotly_chart(fig_cell, config=CFG)
    object_ious = anchors.iou_with(all_anchors, gt_boxes[oi])
    iou_cells = object_ious.reshape(fh, fw, per_cell).max(2)
    b.plotly_chart(figures.heatmap(iou_cells, t("Best anchor IoU per cell with object {i} ({name})", i=oi,
                                                name=gt_labels[oi]),
                                   diverging=False, zmax=1.0, height=460), config=CFG)
    figs.markdown(count_text)
    if len(all_anchors) <= MAX_ANCHORS_DRAWN:
        st.plotly_chart(figures.anchor_cloud(image, all_anchors, t("All {n} anchors of this {w}×{h} image, drawn at "
                                                                   "once", n=f"{len(all_anchors):,}", w=W, h=H),
                                             height=560), config=CFG)
    else:
        st.caption(t("{n} anchors are too many to draw at once (at most {m}); pick a larger stride or fewer ratios "
                     "and scales.", n=f"{len(all_anchors):,}", m=f"{MAX_ANCHORS_DRAWN:,}"))
    pos_fig = figures.image_with_boxes(image, all_anchors[positives], [""] * len(positives), "rgba(0,200,80,0.9)",
                                       title=t("Positive anchors (green) and ground truth"),
                                       widths=[1] * len(positives),
                                       extra_boxes=[(box, "black", 3, "solid") for box in gt_boxes])
    a, b = st.columns(2)
    a.plotly_chart(pos_fig, config=CFG)
    best = int(np.argmax(object_ious))
    offsets = boxes.encode(gt_boxes[oi:oi + 1], all_anchors[best:best + 1])[0]
    b.markdown(t("**Best anchor for object {i}**: index {best}, IoU {iou}", i=oi, best=best,
                 iou=f"{object_ious[best]:.3f}"))
    shell.table(b, {t("offset"): ["tx = (x − xa)/wa", "ty = (y − ya)/ha", "tw = log(w/wa)", "th = log(h/ha)"],
                    t("value"): offsets.round(4).tolist()})
    decoded_back = boxes.decode(offsets[None], all_anchors[best:best + 1])[0]
    b.caption(t("Decoding the offsets against the anchor gives back {box}.", box=np.round(decoded_back, 2).tolist()))
    st.code(snippets.anchors((H, W), stride, ratios, scales), language="python")


def nms_tab(state: PageState, pic: Picture):
    """Greedy non-maximum suppression on noisy candidate boxes."""
    image, gt_boxes, gt_labels = pic.image, pic.boxes, pic.labels
    figs, controls = shell.figure_first()
    a, b, c = controls.columns(3)
    score_t = state.slider(t("Score threshold"), "score", 0.3, 0.0, 1.0, 0.05, container=a)
    iou_t = state.slider(t("IoU threshold"), "iou", 0.5, 0.05, 0.95, 0.05, container=b)
    per_class = state.toggle(t("Per class"), "perclass", True, container=c)
    cand, scores, cand_labels = samples.noisy_candidates(gt_boxes, gt_labels, seed=pic.index)
    cand_cls = np.array([voc.CLASS_IDS.get(n, -1) for n in cand_labels])
    keep = (boxes.nms_per_class(cand, scores, cand_cls, iou_t, score_t) if per_class
            else boxes.nms(cand, scores, iou_t, score_t))
    a, b = figs.columns(2)
    a.plotly_chart(figures.image_with_boxes(image, cand, [""] * len(cand), "rgba(220,50,50,0.7)",
                                            title=tn("Before: {n} candidate", "Before: {n} candidates", len(cand)),
                                            widths=[1] * len(cand)), config=CFG)
    b.plotly_chart(figures.image_with_boxes(image, cand[keep], [f"{cand_labels[i]} {scores[i]:.2f}" for i in keep],
                                            "rgba(20,140,60,0.95)",
                                            title=t("After NMS: {n} kept", n=len(keep))), config=CFG)
    st.caption(t("Greedy NMS: take the highest-scoring box, drop every other box whose IoU with it exceeds the "
                 "threshold, repeat. Per-class NMS never lets a dog suppress a person."))
    st.code(snippets.nms(cand, scores, iou_t, score_t), language="python")


def losses_tab(state: PageState, pic: Picture):
    """Smooth L1 against L1 and L2, the YOLO v1 loss by term, and its layer table."""
    gt_boxes, (H, W) = pic.boxes, pic.image.shape[:2]
    x = np.linspace(-3, 3, 241)
    a, b = st.columns(2)
    # smooth L1 last, so it is drawn on top; each line its own colour-blind-safe colour and dash
    a.plotly_chart(figures.line_chart({"L1": (x, boxes.l1(x)), "L2 (½x²)": (x, boxes.l2(x)),
                                       "smooth L1": (x, boxes.smooth_l1(x))}, t("Losses of a box offset error x"),
                                      x_title=t("error x"), y_title=t("loss"), styled=True), config=CFG)
    b.plotly_chart(figures.line_chart({"L1": (x, boxes.l1_grad(x)), "L2": (x, boxes.l2_grad(x)),
                                       "smooth L1": (x, boxes.smooth_l1_grad(x))}, t("Their gradients"),
                                      x_title=t("error x"), y_title="d loss / dx", styled=True), config=CFG)
    st.caption(t("Smooth L1 behaves like L2 near zero (gentle, smooth gradients) and like L1 far away (gradients "
                 "never exceed 1, so outliers cannot blow up training) — why Fast/Faster R-CNN use it for box "
                 "offsets."))
    st.code(snippets.smooth_l1(), language="python")
    st.markdown("## " + t("YOLO v1 loss, term by term"))
    jitter = state.slider(t("Prediction error (noise added to the target)"), "jit", 0.05, 0.0, 0.5, 0.01)
    target7, _ = yolo.encode_targets(gt_boxes[pic.voc_objects], [pic.class_ids[i] for i in pic.voc_objects], (H, W))
    pred = np.clip(target7 + np.random.default_rng(0).normal(0, jitter, target7.shape), 0, 1)
    terms = yolo.yolo_v1_loss(pred, target7)
    cols = st.columns(6)
    for col, (name, value) in zip(cols, terms.items()):
        col.metric(t(name.replace("_", " ")), f"{value:.3f}")
    st.caption(t("λ_coord = 5 weights the box terms up; λ_noobj = 0.5 weights down the many empty cells. "
                 "Width and height are compared through square roots so small boxes matter as much as big ones."))
    st.markdown("## " + t("The YOLO v1 network (448×448×3 → 7×7×30)"))
    rows = yolo.yolo_v1_layers()
    st.dataframe(shell.frame({t("layer"): [r.name for r in rows], t("detail"): [r.detail for r in rows],
                               t("output"): ["×".join(map(str, r.output)) for r in rows],
                               t("parameters"): [f"{r.params:,}" for r in rows]}), hide_index=True, height=400)
    st.metric(t("Total parameters"), f"{sum(r.params for r in rows):,}")


CORNERS = ("xmin", "ymin", "xmax", "ymax")
IOU_DEFAULTS = {"a": (40, 40, 200, 160), "b": (120, 100, 280, 240)}
MAX_COORDINATE = 100_000


def iou_tab(state: PageState):
    """Two boxes typed as corners: their intersection and union drawn, and every number of the IoU shown."""
    figs, controls = shell.figure_first()
    typed = {}
    for name, column in zip(IOU_DEFAULTS, controls.columns(2)):
        column.markdown("**" + t("Box {name} (pixels)", name=name.upper()) + "**")
        cells = column.columns(4)
        typed[name] = [state.number(corner, f"{name}{corner}", default, -MAX_COORDINATE, MAX_COORDINATE,
                                    container=cell)
                       for cell, corner, default in zip(cells, CORNERS, IOU_DEFAULTS[name])]
    try:
        parts = boxes.iou_parts(typed["a"], typed["b"])
    except ConvLabError as exc:
        figs.error(message(exc))
        return
    a, b = typed["a"], typed["b"]
    left, right = figs.columns([3, 2])
    left.plotly_chart(figures.iou_pair(a, b, parts.intersection_box, ("A", "B", "A ∩ B"),
                                       t("IoU = {iou}", iou=f"{parts.iou:.4f}")), config=CFG)
    m1, m2 = right.columns(2)
    m1.metric(t("Area of A"), f"{parts.area_a:,.0f}")
    m2.metric(t("Area of B"), f"{parts.area_b:,.0f}")
    m1.metric(t("Intersection"), f"{parts.intersection:,.0f}")
    m2.metric(t("Union"), f"{parts.union:,.0f}")
    right.metric("IoU", f"{parts.iou:.4f}")
    lines = [t("Intersection: x from max({a0}, {b0}) = {x0} to min({a2}, {b2}) = {x1}; y from max({a1}, {b1}) = {y0} "
               "to min({a3}, {b3}) = {y1}.", a0=a[0], b0=b[0], a1=a[1], b1=b[1], a2=a[2], b2=b[2], a3=a[3], b3=b[3],
               x0=max(a[0], b[0]), x1=min(a[2], b[2]), y0=max(a[1], b[1]), y1=min(a[3], b[3]))]
    if parts.intersection_box is None:
        lines.append(t("The boxes do not overlap, so the intersection is 0 and so is the IoU."))
    lines.append(t("Union = area A + area B − intersection = {a} + {b} − {i} = {u}; IoU = {i} / {u} = **{iou}**.",
                   a=f"{parts.area_a:,.0f}", b=f"{parts.area_b:,.0f}", i=f"{parts.intersection:,.0f}",
                   u=f"{parts.union:,.0f}", iou=f"{parts.iou:.4f}"))
    right.markdown("\n\n".join(lines))


# background in light grey (so the mask's frame shows on a white page), then Okabe-Ito blue and orange
SEG_COLOURS = np.array([[0.93, 0.93, 0.93], [0.0, 0.447, 0.698], [0.902, 0.624, 0.0]])
WRONG, RIGHT = np.array([0.835, 0.369, 0.0]), np.array([0.7, 0.7, 0.7])


def shape_edit_ui(state: PageState, container, key: str, title: str) -> segmentation.ShapeEdit:
    container.markdown(f"**{title}**")
    m, g = segmentation.MAX_SHIFT, segmentation.MAX_GROW
    return segmentation.ShapeEdit(state.slider(t("Move right"), f"{key}dx", 0, -m, m, container=container),
                                  state.slider(t("Move down"), f"{key}dy", 0, -m, m, container=container),
                                  state.slider(t("Grow (negative: shrink)"), f"{key}grow", 0, -g, g,
                                               container=container))


def segmentation_tab(state: PageState):
    """Semantic-segmentation scores of a prediction the student moves and grows, against the true mask; and why a
    box IoU is not a mask IoU."""
    shell.intro(t("A segmentation network labels **every pixel**. Move or grow the predicted shapes and watch the "
                  "scores, all computed from one pixel confusion matrix (FCN paper's definitions)."))
    figs, controls = shell.figure_first()
    a, b = controls.columns(2)
    disc = shape_edit_ui(state, a, "sd", t("Predicted disc"))
    disc_as_box = state.toggle(t("Predict the disc's bounding box instead of the disc"), "sdbox", False, container=a)
    square = shape_edit_ui(state, b, "sq", t("Predicted square"))
    truth, pred = segmentation.scene_masks(disc, square, disc_as_box)
    scores = segmentation.segmentation_scores(truth, pred)
    names = [t(name) for name in segmentation.CLASSES]
    m = figs.columns(5)  # the scores first: they are what the student watches while moving the shapes
    for column, label, value in ((m[0], t("Pixel accuracy"), scores.pixel_accuracy),
                                 (m[1], t("Mean pixel accuracy"), scores.mean_accuracy),
                                 (m[2], t("Mean IoU"), scores.mean_iou),
                                 (m[3], t("Frequency-weighted IoU"), scores.frequency_weighted_iou),
                                 (m[4], t("Mean Dice (F1)"), scores.mean_dice)):
        column.metric(label, f"{value:.3f}")
    cols = figs.columns(3)
    errors_map = np.where((truth == pred)[..., None], np.where((truth > 0)[..., None], RIGHT, SEG_COLOURS[0]), WRONG)
    for column, image, title in ((cols[0], SEG_COLOURS[truth], t("Ground truth")),
                                 (cols[1], SEG_COLOURS[pred], t("Prediction")),
                                 (cols[2], errors_map, t("Wrong pixels (orange-red)"))):
        column.plotly_chart(figures.rgb_image(image, title, height=220 if shell.presenter_active() else 300),
                            config=CFG)
    left, right = st.columns([3, 2])
    conf = scores.confusion
    left.dataframe(shell.frame({
        t("class"): names, t("pixels in truth"): conf.sum(axis=1), t("pixels predicted"): conf.sum(axis=0),
        t("accuracy (recall)"): scores.class_accuracy.round(4), "IoU": scores.iou.round(4),
        "Dice (F1)": scores.dice.round(4)}), hide_index=True, width="stretch")
    rows = []
    for cls in (1, 2):
        box_t, box_p = segmentation.mask_box(truth, cls), segmentation.mask_box(pred, cls)
        box_iou = float(boxes.iou_matrix(box_t[None], box_p[None])[0, 0]) if box_p is not None else 0.0
        rows.append({t("class"): names[cls], t("box IoU"): round(box_iou, 4), t("mask IoU"): round(scores.iou[cls], 4)})
    left.markdown(t("**Box IoU vs mask IoU.** The boxes around the shapes can agree while the pixels do not: predict "
                    "the disc's bounding box and the box IoU is 1, yet a quarter of those pixels are not disc."))
    left.dataframe(shell.frame(rows), hide_index=True, width="stretch")
    right.plotly_chart(cnn_view.confusion_figure(conf, t("Pixel confusion matrix"), names=names, height=340),
                       config=CFG)
    st.caption(t("Pixel accuracy = right pixels / all pixels; it stays high when a small object is missed, because "
                 "background dominates. Mean pixel accuracy averages each class's recall; IoU = overlap / union per "
                 "class; Dice = 2·overlap / (truth + prediction) = F1. Means run over the classes present."))


main()
