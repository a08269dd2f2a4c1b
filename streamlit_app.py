"""ConvLab entry point: navigation over the lessons, plus app-wide presenter mode and share link."""
import streamlit as st

from ui import i18n, shell, state
from ui.i18n import t

with shell.taking_turns():  # page runs take turns (ui/shell.py says why)
    shell.skip_repl_check()
    shell.keep_keras_state()
    presenter = shell.presenter_from_url()
    i18n.language_from_url()
    st.set_page_config(page_title="ConvLab", page_icon=":material/neurology:", layout="wide",
                       initial_sidebar_state="collapsed" if presenter else "auto")

    LESSONS = [
        st.Page("lessons/home.py", title=t("Home"), icon=":material/home:", default=True),
        st.Page("lessons/kernels.py", title=t("Kernels"), icon=":material/grid_on:", url_path="kernels"),
        st.Page("lessons/upsampling.py", title=t("Transposed conv vs deconv"), icon=":material/open_in_full:",
                url_path="upsampling"),
        st.Page("lessons/train.py", title=t("Train live"), icon=":material/model_training:", url_path="train"),
        st.Page("lessons/learn.py", title=t("What a network learns"), icon=":material/neurology:", url_path="learn"),
        st.Page("lessons/detection.py", title=t("Detection"), icon=":material/center_focus_strong:",
                url_path="detection"),
    ]

    page = st.navigation(LESSONS)
    state.show_app_notices()  # a bad language or presenter value in the link, told at the top of the page
    share_slot = st.sidebar.container()
    shell.sidebar_chrome(presenter)
    st.sidebar.caption(t("ConvLab · learn how convolutional networks see, upsample, generate and detect."))
    try:
        page.run()
    except Exception:  # the last line of defence: pages catch their own input errors, this hides what slipped by
        shell.unexpected_error(page.url_path)
    finally:  # after the page has written its controls to the URL, even when it stopped early
        shell.share_button(share_slot, page.url_path)
        shell.freeze_imports()
