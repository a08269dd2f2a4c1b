"""PASCAL VOC XML: read safely (defusedxml), validate, clamp, and write."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError
from xml.sax.saxutils import escape

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from engine.errors import ConvLabError, Message, TooLargeError, shown

VOC_CLASSES = ("aeroplane", "bicycle", "bird", "boat", "bottle", "bus", "car", "cat", "chair", "cow",
               "diningtable", "dog", "horse", "motorbike", "person", "pottedplant", "sheep", "sofa", "train",
               "tvmonitor")
CLASS_IDS = {name: i for i, name in enumerate(VOC_CLASSES)}
MAX_XML_BYTES = 1_000_000
# VOC images hold at most a few dozen objects (56 in VOC2012); every object costs anchor matching and drawing.
MAX_OBJECTS = 100
MAX_NAME_CHARS = 40


class VocError(ConvLabError):
    """An annotation that cannot be used; the message is meant for the user."""


@dataclass
class VocObject:
    """One <object> of a VOC annotation: class name, box (xmin, ymin, xmax, ymax) in pixels, flags."""
    name: str
    box: tuple[int, int, int, int]
    pose: str = "Unspecified"
    truncated: bool = False
    difficult: bool = False


@dataclass
class VocAnnotation:
    """A VOC annotation: image file name and size, its objects, and warnings about what was changed."""
    filename: str
    width: int
    height: int
    depth: int = 3
    objects: list[VocObject] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _text(node, tag: str, required: bool = True, default: str = "") -> str:
    child = node.find(tag)
    if child is None or child.text is None or not child.text.strip():
        if required:
            raise VocError("Missing <{tag}> in the annotation.", tag=tag)
        return default
    return child.text.strip()


def _number(node, tag: str, where: str) -> float:
    raw = _text(node, tag)
    try:
        value = float(raw)
    except ValueError:
        raise VocError("<{tag}> of {where} is {raw}, not a number.", tag=tag, where=where, raw=shown(raw)) from None
    if not math.isfinite(value):
        raise VocError("<{tag}> of {where} is {raw}; coordinates must be finite.", tag=tag, where=where, raw=shown(raw))
    if abs(value) > 1e7:
        raise VocError("<{tag}> of {where} is {raw}; coordinates must be within ±10,000,000.", tag=tag, where=where,
                       raw=shown(raw))
    return value


def parse_voc(xml, *, skip_difficult: bool = False) -> VocAnnotation:
    """Parse VOC XML (str or bytes). Refuses entity expansion and external entities; clamps boxes that
    stick out of the image (with a warning) and rejects inverted or empty boxes.

    Examples
    --------
    >>> ann = parse_voc(b'<annotation><size><width>64</width><height>48</height></size>'
    ...                b'<object><name>dog</name><bndbox><xmin>4</xmin><ymin>5</ymin><xmax>40</xmax>'
    ...                b'<ymax>30</ymax></bndbox></object></annotation>')
    >>> ann.width, ann.height, [(o.name, o.box) for o in ann.objects]
    (64, 48, [('dog', (4, 5, 40, 30))])
    """
    if isinstance(xml, str):
        xml = xml.encode("utf-8")
    if not xml or not xml.strip():
        raise VocError("The annotation file is empty.")
    if len(xml) > MAX_XML_BYTES:
        raise VocError("The annotation is larger than {max_xml_bytes} kB; VOC files are a few kB.",
                       max_xml_bytes=MAX_XML_BYTES // 1000)
    try:
        root = SafeET.fromstring(xml, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise VocError("Refused unsafe XML ({kind}): DTDs, entities and external references are not allowed in "
                       "annotations.", kind=type(exc).__name__) from None
    except ParseError as exc:
        raise VocError("The annotation is not well-formed XML: {exc}.", exc=shown(str(exc))) from None
    except (LookupError, ValueError, UnicodeError):  # encoding="bogus", multi-byte or mismatched encodings
        raise VocError("The annotation's text encoding cannot be read; save it as UTF-8.") from None
    if root.tag != "annotation":
        raise VocError("The root element is <{tag}>, expected <annotation>.", tag=shown(root.tag))
    size = root.find("size")
    if size is None:
        raise VocError("Missing <size> in the annotation.")
    width, height = int(_number(size, "width", "<size>")), int(_number(size, "height", "<size>"))
    if width < 1 or height < 1:
        raise VocError("Image size {width}x{height} must be positive.", width=width, height=height)
    n_objects = len(root.findall("object"))
    if n_objects > MAX_OBJECTS:
        raise TooLargeError("The annotation has {n_objects} objects; ConvLab shows at most {max_objects} (VOC images "
                            "hold a few dozen at most).", n_objects=format(n_objects, ","), max_objects=MAX_OBJECTS)
    ann = VocAnnotation(_text(root, "filename", required=False, default="image"), width, height,
                        int(_number(size, "depth", "<size>")) if size.find("depth") is not None else 3)
    for index, obj in enumerate(root.findall("object"), start=1):
        name = " ".join(_text(obj, "name").split())
        if len(name) > MAX_NAME_CHARS:
            ann.warnings.append(Message("object {index}: its name was cut to {max_name_chars} characters.", index=index,
                                        max_name_chars=MAX_NAME_CHARS))
            name = name[:MAX_NAME_CHARS]
        where = f"object {index} ({shown(name)})"
        box_node = obj.find("bndbox")
        if box_node is None:
            raise VocError("Missing <bndbox> in {where}.", where=where)
        coords = [_number(box_node, tag, where) for tag in ("xmin", "ymin", "xmax", "ymax")]
        if any(c != int(c) for c in coords):
            ann.warnings.append(Message("{where}: fractional coordinates rounded to whole pixels.", where=where))
        xmin, ymin, xmax, ymax = (int(round(c)) for c in coords)
        if xmin >= xmax or ymin >= ymax:
            raise VocError("{where} has an inverted or empty box: xmin={xmin}, xmax={xmax}, ymin={ymin}, ymax={ymax}.",
                           where=where, xmin=xmin, xmax=xmax, ymin=ymin, ymax=ymax)
        clamped = (max(xmin, 0), max(ymin, 0), min(xmax, width), min(ymax, height))
        if clamped[0] >= clamped[2] or clamped[1] >= clamped[3]:
            raise VocError("{where} lies entirely outside the {width}x{height} image.", where=where, width=width,
                           height=height)
        if clamped != (xmin, ymin, xmax, ymax):
            ann.warnings.append(Message("{where}: box {value} clamped to the image: {clamped}.",
                                        where=where, value=(xmin, ymin, xmax, ymax), clamped=clamped))
        if name not in CLASS_IDS:
            ann.warnings.append(Message("{where}: {name} is not one of the 20 VOC classes.", where=where,
                                        name=shown(name)))
        difficult = _text(obj, "difficult", required=False, default="0") == "1"
        if difficult and skip_difficult:
            continue
        ann.objects.append(VocObject(name, clamped, _text(obj, "pose", required=False, default="Unspecified"),
                                     _text(obj, "truncated", required=False, default="0") == "1", difficult))
    return ann


def write_voc(ann: VocAnnotation) -> str:
    """An annotation as PASCAL VOC XML text (names escaped); `parse_voc` reads it back.

    Examples
    --------
    >>> ann = VocAnnotation('a.png', 64, 48, objects=[VocObject('cat', (1, 2, 30, 40))])
    >>> parse_voc(write_voc(ann)).objects[0].box
    (1, 2, 30, 40)
    """
    objects = "".join(
        f"  <object>\n    <name>{escape(o.name)}</name>\n    <pose>{escape(o.pose)}</pose>\n"
        f"    <truncated>{int(o.truncated)}</truncated>\n    <difficult>{int(o.difficult)}</difficult>\n"
        f"    <bndbox>\n      <xmin>{o.box[0]}</xmin>\n      <ymin>{o.box[1]}</ymin>\n"
        f"      <xmax>{o.box[2]}</xmax>\n      <ymax>{o.box[3]}</ymax>\n    </bndbox>\n  </object>\n"
        for o in ann.objects)
    return (f"<annotation>\n  <folder>ConvLab</folder>\n  <filename>{escape(ann.filename)}</filename>\n"
            f"  <size>\n    <width>{ann.width}</width>\n    <height>{ann.height}</height>\n"
            f"    <depth>{ann.depth}</depth>\n  </size>\n  <segmented>0</segmented>\n{objects}</annotation>\n")
