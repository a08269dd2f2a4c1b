"""ConvLab entry point: navigation over the lessons, plus app-wide presenter mode and share link."""
import streamlit as st

from engine.errors import ConvLabError
from ui import i18n, lessons, shell, state
from ui.i18n import message, t

with shell.taking_turns():  # page runs take turns (ui/shell.py says why)
    shell.skip_repl_check()
    shell.keep_keras_state()
    presenter = shell.presenter_from_url()
    i18n.language_from_url()
    st.set_page_config(page_title="ConvLab", page_icon=":material/neurology:", layout="wide",
                       initial_sidebar_state="collapsed" if presenter else "auto")

    pages = [st.Page("lessons/home.py", title=t("Home"), icon=":material/home:", default=True)]
    pages += [st.Page(lesson.path, title=t(lesson.title), icon=lesson.icon, url_path=lesson.key)
              for lesson in lessons.LESSONS]

    page = st.navigation(pages)
    state.show_app_notices()  # a bad language or presenter value in the link, told at the top of the page
    share_slot = st.sidebar.container()
    shell.sidebar_chrome(presenter)
    st.sidebar.caption(t("ConvLab · learn how convolutional networks see, upsample, generate and detect."))
    try:
        page.run()
    except ConvLabError as exc:  # the project's own error (a service out of reach, say): its words, not a traceback
        st.error(message(exc), icon=":material/error:")
    except Exception:  # the last line of defence: pages catch their own input errors, this hides what slipped by
        shell.unexpected_error(page.url_path)
    finally:  # after the page has written its controls to the URL, even when it stopped early
        shell.share_button(share_slot, page.url_path)
        shell.freeze_imports()
