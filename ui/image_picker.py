"""One image picker for every page: built-in samples, an upload, or the camera."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import streamlit as st

from engine import images
from engine.errors import ConvLabError
from ui.i18n import message, t
from ui.state import PageState
from ui.uploads import parse_once

SOURCES = ["sample", "upload", "camera"]
UPLOAD_TYPES = ["png", "jpg", "jpeg", "gif", "bmp", "webp", "tif", "tiff"]
SOURCE_LABELS = {"sample": "Sample", "upload": "Upload", "camera": "Camera"}


@dataclass
class PickedImage:
    array: np.ndarray  # float32 in [0, 1], (H, W, 3)
    label: str
    source: str
    key: str = ""  # names these pixels for caches shared by sessions: the sample and size, or the upload's file id


def _decode(data: bytes, max_side: int, min_side: int) -> np.ndarray:
    return images.load_image(data, max_side=max_side, min_side=min_side)


@st.cache_data(max_entries=32, show_spinner=False)
def _sample(name: str, size: int) -> np.ndarray:
    return images.sample_image(name, size)


def image_picker(state: PageState, *, key: str = "img", default_sample: str = "scene", max_side: int = 384,
                 allow_camera: bool = True, container=st.sidebar, heading: str | None = None,
                 min_side: int = 8) -> PickedImage:
    """Show the picker in `container`; uploads that fail to load, or whose shorter side is below `min_side`
    pixels, fall back to the sample with an error."""
    if heading:
        container.subheader(heading)
    sources = SOURCES if allow_camera else SOURCES[:2]
    source = state.select(t("Image source"), sources, f"{key}_src", "sample", radio=True, horizontal=True,
                          format_func=lambda s: t(SOURCE_LABELS[s]), container=container)
    name = state.select(t("Sample image"), images.sample_names(), key, default_sample, container=container,
                        help=t("Photographs (public domain or CC0, credited in the README) and pictures drawn by "
                               "code; all built in, nothing is downloaded."),
                        format_func=lambda n: t("{name} (photo)", name=t(n.capitalize()))
                        if n in images.PHOTO_DESCRIPTIONS else t(n.capitalize()))
    if source in ("upload", "camera"):
        if source == "upload":
            file = container.file_uploader(t("Upload an image"), type=UPLOAD_TYPES,
                                           key=f"{state.page}.{key}_file")
        else:
            file = container.camera_input(t("Take a picture"), key=f"{state.page}.{key}_cam")
        if file is not None:
            try:
                array = parse_once(file, _decode, max_side, min_side)
                file_id = getattr(file, "file_id", None) or f"{id(file)}"
                return PickedImage(array, getattr(file, "name", "camera"), source, f"{source}/{file_id}/{max_side}")
            except ConvLabError as exc:
                container.error(f"{message(exc)} " + t("Showing the sample image instead."))
        else:
            container.caption(t("Nothing chosen yet: showing the sample image. Uploads stay in your browser "
                                "session and are not part of shared links."))
    return PickedImage(_sample(name, max_side), name, "sample", f"sample/{name}/{max_side}")
