"""Every use of Streamlit's private or undocumented APIs, in one place; tests/unit/test_internals.py checks each,
so a Streamlit upgrade that changes one fails there, by name, rather than somewhere in a lesson."""
from __future__ import annotations

from collections.abc import Callable


def script_run_context():
    """The running script's context (its session id; ConvLab keeps the run's language on it), or None outside a
    run. `streamlit.runtime.scriptrunner.get_script_run_ctx` is not part of the public API."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx
    return get_script_run_ctx()


def session_probe() -> tuple[str, Callable[[str], bool] | None]:
    """This script's session id and a function that says whether a session id is still connected to this server;
    ("script", None) outside a served app (AppTest, a bare run), where there is no connection to lose.
    `Runtime.instance().is_active_session` is internal."""
    from streamlit.runtime import Runtime

    ctx = script_run_context()
    session = ctx.session_id if ctx is not None else "script"
    if ctx is None or not Runtime.exists():
        return session, None
    return session, Runtime.instance().is_active_session


def mark_repl_check_done() -> None:
    """Tell Streamlit its once-per-process "are we in a REPL?" check is done (it walks inspect.stack(): 50-60 ms of
    a fresh server's first run), only under a running server, where the answer is known."""
    from streamlit import delta_generator, runtime

    if runtime.exists():
        delta_generator._use_warning_has_been_displayed = True


def replace_problem_module_cleanup(cleanup: Callable[[], None]) -> None:
    """Run `cleanup` instead of the script runner's `_clean_problem_modules` after every script run (Streamlit's
    clears Keras' session each time); once per process."""
    from streamlit.runtime.scriptrunner import script_runner

    if getattr(script_runner._clean_problem_modules, "keeps_keras", False):
        return
    cleanup.keeps_keras = True
    cleanup.streamlits = script_runner._clean_problem_modules  # kept for the test
    script_runner._clean_problem_modules = cleanup
