"""Step-by-step animations: a Play toggle and a step slider (kept in the URL). While playing, a fragment
advances the step on its own every `interval` seconds and redraws only itself."""
from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from ui.i18n import t
from ui.state import PageState


def step_player(state: PageState, key: str, label: str, count: int, draw: Callable[[int], None], *,
                first: int = 0, interval: float = 1.0) -> None:
    """Steps run from `first` to `first + count - 1`; `draw(step)` renders the view for one step, above the
    step slider."""
    playing = st.toggle("▶ " + t("Play"), key=f"{state.page}.{key}_play")
    last = first + count - 1

    @st.fragment(run_every=interval if playing else None)
    def view():
        step_key = f"{state.page}.{key}"
        current = st.session_state.get(step_key, first)
        if playing and step_key in st.session_state:
            st.session_state[step_key] = first + (current - first + 1) % count
        elif not first <= current <= last:  # the range shrank (other settings changed): start again
            st.session_state[step_key] = first
        view_area = st.container()  # the view above its slider: the figure gets the first screen
        step = state.slider(label, key, first, first, max(last, first + 1))
        with view_area:
            draw(min(step, last))

    view()
