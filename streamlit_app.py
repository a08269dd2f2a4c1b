"""ConvLab entry point: navigation over the lesson pages."""
import streamlit as st

st.set_page_config(page_title="ConvLab", page_icon="🧠", layout="wide")

LESSONS = [
    st.Page("lessons/home.py", title="Home", icon=":material/home:", default=True),
    st.Page("lessons/kernels.py", title="Kernels", icon=":material/grid_on:", url_path="kernels"),
    st.Page("lessons/upsampling.py", title="Transposed conv vs deconv", icon=":material/open_in_full:",
            url_path="upsampling"),
    st.Page("lessons/train.py", title="Train live", icon=":material/model_training:", url_path="train"),
    st.Page("lessons/detection.py", title="Detection", icon=":material/center_focus_strong:", url_path="detection"),
]

page = st.navigation(LESSONS)
st.sidebar.caption("ConvLab · learn how convolutional networks see, upsample, generate and detect.")
page.run()
