"""Home: what ConvLab is, the lessons as cards in a first class's order (each card one link), the path a first class
takes through them, and the compute device."""
import streamlit as st

from engine import device, thumbnails
from ui import caching
from ui.i18n import t
from ui.lessons import LESSONS
from ui.markdown import escape

# A card is one link: its page link's click area is stretched over the whole card (the "stretched link" pattern),
# so the keyboard still meets one focusable link per card and a screen reader one link name.
CARD_CSS = """<style>
[class*="st-key-lesson-card-"] { position: relative; }
[class*="st-key-lesson-card-"]:hover { box-shadow: 0 0 0 2px #0072B2; border-radius: 0.5rem; }
[class*="st-key-lesson-card-"] [data-testid="stPageLink"] a::after { content: ""; position: absolute; inset: 0;
  z-index: 1; }
[class*="st-key-lesson-card-"] [data-testid="stPageLink"] a:focus-visible { outline: 3px solid #0072B2; }
/* a long title wraps instead of ending in "…" (a projector's larger text, Korean titles) */
[class*="st-key-lesson-card-"] [data-testid="stPageLink"] * { white-space: normal; overflow: visible;
  text-overflow: clip; }
</style>"""


@caching.cache_data(show_spinner=False)
def thumbnail(name: str):
    return thumbnails.THUMBNAILS[name]()


def cards() -> None:
    st.html(CARD_CSS)
    for column, (number, lesson) in zip(st.columns(len(LESSONS)), enumerate(LESSONS, 1)):
        with column.container(border=True, key=f"lesson-card-{lesson.key}"):
            st.image(thumbnail(lesson.key), width="stretch", alt=t(lesson.picture))
            st.page_link(lesson.path, label=f"**{number}. {t(lesson.title)}**")
            st.caption(t(lesson.blurb))


def start_here() -> None:
    st.markdown("## " + t("Start here: a first class"))
    for number, lesson in enumerate(LESSONS, 1):
        st.page_link(lesson.path, label=f"{number}. **{t(lesson.title)}**: {t(lesson.first_class)}",
                     icon=lesson.icon)


def compute_device() -> None:
    info = device.describe_device()
    with st.container(border=True):
        st.markdown("**" + t("Compute device") + "**")
        c1, c2, c3 = st.columns(3)
        c1.metric(t("Accelerator"), info["accelerator"])
        c2.metric(t("Keras backend"), info["backend"])
        c3.metric("Python", info["versions"]["python"])
        if info["gpus"] and info["accelerator"] == "CPU":  # a GPU the installed build cannot use: say how to use it
            st.info(t("This machine has a GPU ({gpus}), but the installed {backend} build cannot use it, so training "
                      "runs on the CPU. To train on the GPU, install requirements-gpu.txt instead of "
                      "requirements.txt.", gpus=escape(", ".join(info["gpus"])), backend=info["backend"]))
        st.caption(" · ".join(f"{name} {version}" for name, version in info["versions"].items() if name != "python"))


st.title("ConvLab")
st.markdown("## " + t("See how convolutional networks see, upsample, generate and detect."))
st.write(t("{n} lessons, each a live playground, in the order a first class takes them: click a card to open it. "
           "Every number on screen is computed by ConvLab's own engine and checked against SciPy and TensorFlow in "
           "its test suite. Every view lives in the link: copy the address bar to share exactly what you see.",
           n=len(LESSONS)))
cards()
start_here()
compute_device()
