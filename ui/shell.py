"""App-wide chrome around every lesson: presenter mode and the "copy link to this view" button.

Both live in the URL like every other control. App-wide parameters survive page switches (Streamlit clears
query parameters when the page changes) by being re-written from the session on each run.
"""
from __future__ import annotations

import collections
import contextlib
import threading
from urllib.parse import urlencode, urlsplit

import streamlit as st

from ui import internals, markdown
from ui.i18n import LANG_KEY, LANGUAGES, t

PRESENTER_KEY = "shell.presenter"
PRESENTER_CSS = """
<style>
/* Presenter mode: larger text for a projector at the back of a classroom (figures scale in ui/figures.py).
   CSS zoom would crop Plotly charts, which size themselves to the unzoomed column. */
html { font-size: 21px; }
/* the figures, not the page's chrome, get the first screen: less space above and a smaller title */
[data-testid="stMainBlockContainer"] { max-width: 100%; padding: 3.4rem 2rem 2rem 2rem; }  /* clears the header */
[data-testid="stMainBlockContainer"] h1 { font-size: 2rem; padding-top: 0.2rem; padding-bottom: 0.4rem; }
/* six tab labels fit one 1280 px line (17 px text): none hides behind the tab bar's scroll arrow */
[data-testid="stTabs"] [role="tab"] p { font-size: 0.8rem; }
[data-testid="stTabs"] [role="tablist"] { gap: 0.9rem; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li { font-size: 1.15rem; }
/* a metric's value stays well above its label (the rule above had made labels as large as values) */
[data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"] p { font-size: 1rem; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] [data-testid="stMarkdownContainer"] p {
  font-size: 2.6rem; line-height: 1.2; }
</style>
"""


# On every page: captions dark enough to read from the back of a room (WCAG AA, 4.5:1, where Streamlit's faded
# grey is 4.0:1), Korean broken between words, not inside them, and no Plotly toolbar over a phone's chart titles.
APP_CSS = """<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: #4a5060; opacity: 1; }
/* code colours at 4.5:1 or more on the code block's grey (Streamlit's blue keywords and grey comments are 3.6-3.7) */
[data-testid="stCode"] .token.keyword, [data-testid="stCode"] .token.tag, [data-testid="stCode"] .token.function,
[data-testid="stCode"] .token.class-name, [data-testid="stCode"] .token.builtin { color: #0b5cad; }
[data-testid="stCode"] .token.comment, [data-testid="stCode"] .token.punctuation { color: #5f6473; }
[data-testid="stCode"] .token.string, [data-testid="stCode"] .token.char, [data-testid="stCode"] .token.attr-value,
[data-testid="stCode"] .token.boolean, [data-testid="stCode"] .token.constant { color: #1a7f37; }
[data-testid="stCode"] .token.number, [data-testid="stCode"] .token.operator, [data-testid="stCode"] .token.decorator
  { color: #a34700; }
[data-testid="stCode"] .token.attr-name, [data-testid="stCode"] .token.property, [data-testid="stCode"] .token.variable
  { color: #6f42c1; }
:lang(ko) h1, :lang(ko) h2, :lang(ko) h3, :lang(ko) h4, :lang(ko) p, :lang(ko) li, :lang(ko) [role="tab"] {
  word-break: keep-all; overflow-wrap: anywhere; }
.katex-display { overflow-y: hidden; }
/* headings go h1, h2 in order (screen readers navigate by them); a lesson's h2 is sized as a section title */
[data-testid="stMainBlockContainer"] h2 { font-size: 1.5rem; padding: 0.75rem 0 0.5rem 0; }
.st-key-status-compact h2 { font-size: 1.2rem; padding: 0; }
@media (max-width: 640px) { .modebar-container { display: none; } }
</style>"""
# What CSS cannot do, once per browser tab: a region that scrolls (a wide code block, a wide matrix) can be reached
# with the keyboard; a chart's toolbar buttons leave the Tab order (the mouse still has them); and a button that a
# click disabled or replaced (Play, Step) hands its focus to its row's next enabled button instead of the page;
# an image that failed to load (asked for while its server was being replaced) is asked for again, since an
# unchanged image keeps its address and nothing else would ever reload it.
APP_JS = """<script>
(() => {
  if (window.__convlabA11y) return;
  window.__convlabA11y = true;
  let lost = null, regions = 0;
  const group = el => {  // the nearest keyed container that holds several buttons: the row a button sits in
    for (let n = el.parentElement; n; n = n.parentElement) {
      const key = [...n.classList].find(c => c.startsWith("st-key-"));
      if (key && n.querySelectorAll("button").length > 1) return key;
    }
    return null;
  };
  document.addEventListener("focusout", e => {
    const key = e.target.tagName === "BUTTON" && !e.relatedTarget ? group(e.target) : null;
    lost = key ? {key, label: e.target.innerText, at: Date.now()} : null;
  });
  document.addEventListener("pointerdown", e => { if (!e.target.closest("button")) lost = null; });
  document.addEventListener("error", e => {  // load errors do not bubble: heard while they go down (capture)
    const img = e.target;
    if (img.tagName !== "IMG" || !img.src.includes("/media/")) return;
    const tries = Number(img.dataset.convlabTries || 0) + 1;
    if (tries > 5) return;
    img.dataset.convlabTries = tries;
    const again = new URL(img.src);
    again.searchParams.set("try", tries);  // the media route reads the path only
    setTimeout(() => { img.src = again.href; }, 1000 * tries);
  }, true);
  const tidy = () => {
    document.querySelectorAll("pre, .katex-display").forEach(el => {
      if (!el.hasAttribute("tabindex") && el.scrollWidth > el.clientWidth + 1) {
        el.tabIndex = 0;
        el.setAttribute("role", "region");
        regions += 1;
        el.setAttribute("aria-label", (el.tagName === "PRE" ? "code " : "matrix ") + regions);
      }
    });
    document.querySelectorAll(".modebar-btn:not([tabindex='-1'])").forEach(b => b.tabIndex = -1);
    const active = document.activeElement;
    if (lost && Date.now() - lost.at < 15000 && (!active || active === document.body)) {
      const row = document.querySelector("." + CSS.escape(lost.key));
      const buttons = row ? [...row.querySelectorAll("button:not([disabled])")] : [];
      const target = buttons.find(b => b.innerText === lost.label) || buttons[0];
      if (target) { target.focus({preventScroll: true}); lost = null; }
    }
  };
  let pending = false;
  new MutationObserver(records => {  // a chart's own SVG (every point, at each redraw) needs no tidying
    if (pending || records.every(r => r.target instanceof SVGElement)) return;
    pending = true;
    requestAnimationFrame(() => { pending = false; tidy(); });
  }).observe(document.body, {subtree: true, childList: true, attributes: true, attributeFilter: ["disabled"]});
  tidy();
})();
</script>"""


# Images in a crisp_pixels container are enlarged as square pixels: each pixel of a map is a number, and the
# browser's smoothing would blur a 256-pixel edge map shown 430 px wide into a haze
CRISP_PIXELS_CSS = "<style>[class*='st-key-crisp-pixels'] img { image-rendering: pixelated; }</style>"


def crisp_pixels(name: str):
    """A container (use it with `with`) whose images the browser enlarges without smoothing."""
    st.html(CRISP_PIXELS_CSS)
    return st.container(key=f"crisp-pixels-{name}")


def presenter_active() -> bool:
    return bool(st.session_state.get(PRESENTER_KEY, False))


def intro(text: str) -> None:
    """A view's explanatory paragraph: on screen as it is, but on a projector folded away under "About this
    view", so the first screen holds the figures (the teacher says it aloud)."""
    if presenter_active():
        with st.expander(t("About this view")):
            st.markdown(text)
    else:
        st.markdown(text)


def figure_first():
    """(figures, controls): two containers in page order, so a tab can create its controls first (their values
    feed the figures) while the figures are drawn above them, on the first screen."""
    return st.container(), st.container()


def frame(data):
    """A pandas DataFrame of `data`, for st.dataframe and st.data_editor. pandas is imported here, not at the top of
    a page: it costs a fresh server's first run 0.3 s, and only a few tabs need it."""
    import pandas as pd
    return pd.DataFrame(data)


TABLE_ROWS_UNSCROLLED = 12


def table(container, columns: dict[str, list], row_px: int = 36) -> None:
    """A small table as markdown (no pandas on a page's first run); past TABLE_ROWS_UNSCROLLED rows it scrolls."""
    rows = len(next(iter(columns.values()), []))
    if rows > TABLE_ROWS_UNSCROLLED:
        container = container.container(height=row_px * (TABLE_ROWS_UNSCROLLED + 1))
    container.markdown(markdown.table(columns))


def presenter_from_url() -> bool:
    """Read before st.set_page_config: presenter mode collapses the sidebar (the controls). The link is read
    once per session; afterwards the toggle (session state) decides and the URL follows it."""
    if PRESENTER_KEY not in st.session_state:
        raw = st.query_params.get("present")
        st.session_state[PRESENTER_KEY] = raw == "1"
        if raw not in (None, "0", "1"):
            from ui.state import bad_app_value
            bad_app_value("present", raw, ("1", "0"), "0")
    return bool(st.session_state[PRESENTER_KEY])


HIDE_SIDEBAR_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"] {
  display: none; }
</style>"""


def sidebar_chrome(presenter: bool) -> None:
    st.html(APP_CSS)
    from ui.state import PageState
    if PageState.hidden("sidebar"):  # a link for slides or a course page: the lesson alone (`?sidebar_hide=1`)
        st.html(HIDE_SIDEBAR_CSS)
    st.sidebar.html(APP_JS, unsafe_allow_javascript=True)
    if presenter:
        st.html(PRESENTER_CSS)
        st.query_params["present"] = "1"
    elif "present" in st.query_params:
        del st.query_params["present"]
    st.sidebar.toggle(t("Presenter mode"), key=PRESENTER_KEY,
                      help=t("Larger text and figures with the controls tucked away; kept in the link."))
    # A radio, not a segmented control: that one checks a non-ASCII label ("한국어") for a leading emoji, which
    # loads Streamlit's emoji catalogue (~85 ms of every fresh server's first run).
    lang = st.sidebar.radio(t("Language"), list(LANGUAGES), key=LANG_KEY, format_func=LANGUAGES.get, horizontal=True)
    # the page's language for screen readers (and for the :lang(ko) rules above); runs again when it changes
    st.sidebar.html(f"<script>document.documentElement.lang = {lang!r};</script>", unsafe_allow_javascript=True)
    if lang == "ko":
        st.query_params["lang"] = "ko"
    elif "lang" in st.query_params:
        del st.query_params["lang"]


def share_link(url_path: str, params: dict | None = None) -> str:
    """The address of the current view (this server, this page, every non-default control), or of this page with
    the given `params` only."""
    parts = urlsplit(st.context.url or "http://localhost:8501/")
    base = f"{parts.scheme}://{parts.netloc}/{url_path}"
    if params is None:
        params = {key: st.query_params.get(key) for key in st.query_params}
    return base + ("?" + urlencode(params) if params else "")


def share_button(container, url_path: str) -> None:
    with container.popover(t("Copy link to this view"), icon=":material/link:", width="stretch"):
        st.caption(t("Anyone who opens this link sees this page with the same settings (uploads stay private)."))
        st.code(share_link(url_path), language=None, wrap_lines=True)


TURN_WAIT_S = 2.0


class _Turns:
    """A first-come, first-served turn: release() hands the turn straight to the longest waiter, so a run that
    arrives just then cannot take it first (a plain Semaphore lets it, and the runs it overtakes made the slow
    tail of a class's clicks)."""

    def __init__(self):
        self._lock, self._waiting, self._taken = threading.Lock(), collections.deque(), False

    def acquire(self, timeout: float) -> bool:
        with self._lock:
            if not self._taken and not self._waiting:
                self._taken = True
                return True
            handed = threading.Event()
            self._waiting.append(handed)
        if handed.wait(timeout):
            return True
        with self._lock:
            if handed.is_set():  # handed over while the wait ran out: the turn is ours
                return True
            self._waiting.remove(handed)
            return False

    def release(self) -> None:
        with self._lock:
            if self._waiting:
                self._waiting.popleft().set()
            else:
                self._taken = False


_turn = _Turns()
_holding = threading.local()  # whether this thread's page run holds the turn now


@contextlib.contextmanager
def taking_turns(wait_s: float = TURN_WAIT_S):
    """Page runs take turns: one runs, the others wait in arrival order.

    Python runs one thread at a time, so thirty sessions' reruns started together shared one core in 5 ms slices:
    each finished near the end of the whole batch, and every switch between them cost time too. In turns, the
    first finishes after one run and only the last after the batch (bench/load.py: p95 at 30 sessions 1.7 s ->
    about 1.1 s). A run that has waited `wait_s` goes ahead anyway, so a slow run (a first import, a TensorFlow
    check) holds the others up by at most that. Fragment reruns (live training views) do not take turns."""
    _holding.turn = _turn.acquire(wait_s)
    try:
        yield
    finally:
        if getattr(_holding, "turn", False):
            _turn.release()
        _holding.turn = False


@contextlib.contextmanager
def outside_turn(wait_s: float = TURN_WAIT_S):
    """Long work inside a page run (reading an upload: engine.bounded, up to seconds) gives the turn to the next
    run while it waits, and takes a turn again afterwards: one student's slow file does not hold up the class."""
    held = getattr(_holding, "turn", False)
    if held:
        _turn.release()
        _holding.turn = False
    try:
        yield
    finally:
        if held:
            _holding.turn = _turn.acquire(wait_s)


def skip_repl_check() -> None:
    """Before a fresh server's first element: Streamlit asks once per process whether it runs in a Python REPL,
    with inspect.stack(), which reads the source of every frame and resolves every module's path: 15% of a fresh
    server's first Kernels run in py-spy, about 50-60 ms. Under a running server the answer is known (no REPL,
    nothing to warn about), so the check is marked as done; without one (AppTest, `python streamlit_app.py`)
    Streamlit's own check and warning stay."""
    internals.mark_repl_check_done()


def keep_keras_state() -> None:
    """Once Keras is imported, Streamlit clears its session after every script run (the script runner's
    `_clean_problem_modules`): a full garbage collection, TensorFlow's default graph reset and its eager kernel cache
    cleared, on every click of every student and every watcher's refresh, while a training runs in another
    thread, which then rebuilds its kernels (PyTorch: every compiled function dropped). ConvLab builds its models
    in training threads, never in a page run, so a run leaves no Keras state to clear: only matplotlib's figures
    are still closed, as Streamlit does. py-spy of a server with fifty watchers found 16% of their runs' time
    there."""
    import sys

    def close_matplotlib_figures() -> None:
        if "matplotlib.pyplot" in sys.modules:
            sys.modules["matplotlib.pyplot"].close("all")

    internals.replace_problem_module_cleanup(close_matplotlib_figures)


_frozen_module_count = 0


def freeze_imports() -> None:
    """Keep full garbage collections cheap.

    Streamlit can run gc.collect(2) after every script run (runner.postScriptGC, off in .streamlit/config.toml:
    decision 42), and Python runs full collections of its own. With SciPy, Plotly and Keras loaded, walking their
    millions of module-level objects was ~40% of a kernel-page rerun. Whenever a run has imported new modules,
    move what lives (module objects, caches, live sessions) to the permanent generation: collections then walk
    only what later runs create. Only the young generations are collected first: a full collection here cost
    60-80 ms of each page's first run, and what it would free is the little cyclic garbage of one run."""
    import gc
    import sys

    global _frozen_module_count
    if len(sys.modules) != _frozen_module_count:
        _frozen_module_count = len(sys.modules)
        gc.collect(1)
        gc.freeze()


def unexpected_error(url_path: str) -> None:
    """An exception no page caught: logged with its traceback on the server, shown to the user as one calm
    sentence without server paths. Tests set CONVLAB_STRICT=1 so AppTest still sees the exception."""
    import logging
    import os

    if os.environ.get("CONVLAB_STRICT") == "1":
        raise
    logging.getLogger("convlab").exception("Unhandled error on page %r", url_path)
    st.error(t("Something went wrong on this page. Change a setting or reload the page; the problem has been "
               "logged on the server."), icon=":material/error:")
