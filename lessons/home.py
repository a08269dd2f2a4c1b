import streamlit as st

from engine import device, thumbnails
from ui import caching
from ui.i18n import t
from ui.markdown import escape

LESSONS = [
    ("kernels", "lessons/kernels.py", "Kernels",
     "Slide a small grid of numbers over a picture: edges, blur, sharpen, emboss. Stride, padding, "
     "dilation, ReLU and max-pooling, step by step with every multiply-add."),
    ("upsampling", "lessons/upsampling.py", "Transposed conv vs deconv",
     "How a network makes images bigger (scatter-add, the matrix Cᵀ, checkerboard artifacts) and why "
     "that is not the same as undoing a blur (inverse filter, Wiener, Richardson-Lucy)."),
    ("train", "lessons/train.py", "Train live",
     "Press play and watch an autoencoder, a VAE or a GAN learn to draw digits, with live loss curves "
     "and samples — on a GPU when there is one."),
    ("learn", "lessons/learn.py", "What a network learns",
     "Train a small CNN on digits and watch its first-layer kernels turn into edge and Sobel detectors; "
     "feature maps, parameter counts and the mistakes it still makes."),
    ("detection", "lessons/detection.py", "Detection",
     "From YOLO's 7×7 grid to Faster R-CNN's anchor boxes: IoU, anchor matching, box encoding, "
     "non-maximum suppression and the losses that train them."),
]


@caching.cache_data(show_spinner=False)
def thumbnail(name: str):
    return thumbnails.THUMBNAILS[name]()


st.title("ConvLab")
st.markdown("#### " + t("See how convolutional networks see, upsample, generate and detect."))
st.write(t("Five lessons, each a live playground. Every number on screen is computed by ConvLab's own "
           "engine and checked against SciPy and TensorFlow in its test suite. Every view lives in the "
           "link: copy the address bar to share exactly what you see."))

columns = st.columns(len(LESSONS))
for column, (key, path, title, blurb) in zip(columns, LESSONS):
    with column.container(border=True):
        st.image(thumbnail(key), width="stretch")
        st.page_link(path, label=f"**{t(title)}**")
        st.caption(t(blurb))

info = device.describe_device()
with st.container(border=True):
    st.markdown("**" + t("Compute device") + "**")
    c1, c2, c3 = st.columns(3)
    c1.metric(t("Accelerator"), info["accelerator"])
    c2.metric(t("Keras backend"), info["backend"])
    c3.metric("Python", info["versions"]["python"])
    if info["gpus"] and info["accelerator"] == "CPU":  # a GPU the installed build cannot use: say how to use it
        st.info(t("This machine has a GPU ({gpus}), but the installed {backend} build cannot use it, so training "
                  "runs on the CPU. To train on the GPU, install requirements-gpu.txt instead of requirements.txt.",
                  gpus=escape(", ".join(info["gpus"])), backend=info["backend"]))
    st.caption(" · ".join(f"{name} {version}" for name, version in info["versions"].items() if name != "python"))
