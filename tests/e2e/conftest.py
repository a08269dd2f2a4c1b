"""A real `streamlit run` on a free loopback port, driven by Playwright in Debian's Chromium."""
import contextlib
import os
import shutil
import subprocess
import sys
import time
import urllib.request

import pytest

from tests.conftest import ROOT
from tests.services import free_port  # noqa: F401  (the browser tests and benches import it from here)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]
SCREENSHOTS = ROOT / "test-output" / "screenshots"


def _require_browser():
    missing = []
    if not os.path.exists(CHROMIUM):
        missing.append(f"{CHROMIUM} (apt-get install chromium)")
    try:
        import playwright  # noqa: F401
    except ImportError:
        missing.append("the playwright package (pip install -r requirements-dev.txt)")
    if missing:
        message = "browser tests need " + " and ".join(missing)
        if os.environ.get("CONVLAB_REQUIRE_BROWSER") == "1":
            pytest.fail(message)  # CI must never skip these silently
        pytest.skip(message)


def launch_server(port: int, extra_env=None, app=None) -> subprocess.Popen:
    """`streamlit run` on loopback, without waiting for it (bench/startup.py times the start itself). `app`: another
    script (a bench's reference app), served with ConvLab's own .streamlit/config.toml."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", **(extra_env or {})}
    return subprocess.Popen([sys.executable, "-m", "streamlit", "run", str(app or ROOT / "streamlit_app.py"),
                             "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
                             "--browser.gatherUsageStats", "false"], cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)


def stop_server(proc: subprocess.Popen) -> None:
    """The server and every process it started (training workers, file readers): its whole process group, so no
    worker of one test's server keeps a core busy during the next test."""
    import signal
    for sig, wait in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(wait)
        except subprocess.TimeoutExpired:
            continue
        try:  # the server is gone; its children may not be
            os.killpg(proc.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        return


def start_server(port: int, extra_env=None, app=None) -> subprocess.Popen:
    """`streamlit run` on loopback, returned once its health endpoint answers."""
    return wait_until_healthy(launch_server(port, extra_env, app), port)


def wait_until_healthy(proc: subprocess.Popen, port: int) -> subprocess.Popen:
    """`proc`, once the Streamlit server it runs answers on `port`'s health endpoint; killed after 60 s without."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return proc
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("streamlit did not start within 60 s")


@contextlib.contextmanager
def served(extra_env=None):
    """A server on a free loopback port for the length of the block; yields its base URL."""
    port = free_port()
    proc = start_server(port, extra_env)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_server(proc)


@pytest.fixture(scope="session")
def server():
    _require_browser()
    with served() as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    _require_browser()
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1600, "height": 1000})
    pg = context.new_page()
    yield pg
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Each phase's report on the test item (`item.rep_call`), so a fixture can tell what a failed test showed."""
    outcome = yield
    setattr(item, f"rep_{call.when}", outcome.get_result())


def failed(request) -> bool:
    report = getattr(request.node, "rep_call", None)
    return bool(report is not None and report.failed)


@pytest.fixture
def tabs(browser, request):
    """New browser contexts on demand (each its own user and Streamlit session); all closed at the end. When the
    test failed, each tab's address and text are printed (a timeout alone does not say what the page showed)."""
    made = []

    def open_tab(url: str):
        context = browser.new_context(viewport={"width": 1440, "height": 900})
        page = context.new_page()
        page.convlab_events = events = []
        started = time.monotonic()

        def note(what):
            events.append((round(time.monotonic() - started, 1), what))

        page.convlab_note = note

        page.on("console", lambda m: m.type in ("error", "warning") and note(f"console {m.type}: {m.text[:300]}"))
        page.on("pageerror", lambda e: note(f"page error: {e}"))
        page.on("websocket", lambda ws: (note(f"websocket opened {ws.url}"),
                                         ws.on("framereceived", lambda f: note("in  " + forward_message(f))),
                                         ws.on("framesent", lambda f: note("out " + back_message(f))),
                                         ws.on("close", lambda _: note("websocket closed"))))
        page.goto(url)
        wait_for_app(page, timeout=120_000)
        made.append((context, page))
        return page
    yield open_tab
    for i, (context, page) in enumerate(made):
        if failed(request):
            with contextlib.suppress(Exception):
                print(f"--- tab {i}: {page.url}\n{page.inner_text('body', timeout=5_000)}")
            print(f"--- tab {i}'s events ---\n" + "\n".join(collapsed(page.convlab_events)))
        context.close()


def _parsed(message_class, payload):
    """A websocket frame as the protobuf message it carries; None when it is not one."""
    try:
        return message_class.FromString(payload if isinstance(payload, bytes) else payload.encode())
    except Exception:  # noqa: BLE001  (a report of a failure must not fail)
        return None


def forward_message(payload) -> str:
    """A websocket frame from the server, in words: its type, run and fragment (what a stuck page received)."""
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    msg = _parsed(ForwardMsg, payload)
    if msg is None:
        return f"{len(payload)} bytes, not a ForwardMsg"
    kind = msg.WhichOneof("type")
    run = msg.metadata.run
    detail = {"script_finished": lambda: ForwardMsg.ScriptFinishedStatus.Name(msg.script_finished),
              "session_status_changed": lambda: f"running={msg.session_status_changed.script_is_running}",
              "new_session": lambda: f"page {msg.new_session.page_script_hash[:8]}"}.get(kind, lambda: "")()
    fragments = f" fragments {list(run.fragment_ids)}" if run.fragment_ids else ""
    return f"{kind} {detail} run {run.script_run_id[:8]}{fragments}".replace("  ", " ")


def back_message(payload) -> str:
    from streamlit.proto.BackMsg_pb2 import BackMsg
    msg = _parsed(BackMsg, payload)
    if msg is None:
        return f"{len(payload)} bytes, not a BackMsg"
    kind = msg.WhichOneof("type")
    if kind == "rerun_script":
        rerun = msg.rerun_script
        triggers = [w.id.rsplit("-", 1)[-1] for w in rerun.widget_states.widgets if w.WhichOneof("value") ==
                    "trigger_value"]
        return (f"rerun_script fragment {rerun.fragment_id or '-'} auto {rerun.is_auto_rerun} "
                f"triggers {triggers}")
    return kind


def collapsed(events: list[tuple[float, str]], keep: int = 200) -> list[str]:
    """(seconds, what) as lines; repeats (the same event, one after another) as one line with a count; the first
    and last `keep` lines."""
    runs: list[list] = []
    for at, what in events:
        if runs and runs[-1][1] == what:
            runs[-1][2] += 1
        else:
            runs.append([at, what, 1])
    lines = [f"{at:7.1f} s {what}" + (f" ×{n}" if n > 1 else "") for at, what, n in runs]
    return lines if len(lines) <= 2 * keep else [*lines[:keep], f"... {len(lines) - 2 * keep} more ...",
                                                 *lines[-keep:]]


APP_TITLE = '[data-testid="stMainBlockContainer"] h1'
# The run has finished: no running indicator, and the app root says so (the indicator appears only after a
# delay, so a page that had just started a slow first run, such as Train's Keras import, passed without this)
APP_IDLE_JS = ("() => !document.querySelector('[data-testid=\"stStatusWidget\"]') && document.querySelector("
               "'[data-testid=\"stApp\"]')?.getAttribute('data-test-script-state') === 'notRunning'")


def wait_for_app(pg, timeout=60_000):
    """Wait until Streamlit has finished the script run and shows content."""
    pg.wait_for_selector(APP_TITLE, timeout=timeout)
    pg.wait_for_function(APP_IDLE_JS, timeout=timeout)


# Every visible Plotly chart has drawn, every visible image (st.image) has loaded, and no element is still on its
# way (a chart waiting for Plotly's module shows a skeleton, not a chart)
CHARTS_DRAWN_JS = """() => {
  const visible = sel => [...document.querySelectorAll(sel)].filter(e => e.offsetParent !== null);
  return visible('[data-testid="stPlotlyChart"]').every(c => c.querySelector('.main-svg'))
    && visible('[data-testid="stImage"] img').every(i => i.complete && i.naturalWidth > 0)
    && !document.querySelector('[data-testid="stSkeleton"]'); }"""


def wait_for_charts(pg, timeout=30_000):
    """Until every visible Plotly chart has drawn and every visible image has loaded (they arrive after the script
    run)."""
    try:
        pg.wait_for_function(CHARTS_DRAWN_JS, timeout=timeout)
    except Exception:  # a screenshot of a half-drawn page still helps more than none
        pass
    pg.wait_for_timeout(300)


def screenshot(pg, name: str):
    """Full-page screenshot once every visible Plotly chart has drawn."""
    wait_for_charts(pg)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


__all__ = ["wait_for_app", "screenshot", "shutil"]
