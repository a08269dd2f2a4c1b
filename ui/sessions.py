"""Whether a browser session is still connected, for work that must not outlive its tab (a training's slot)."""
from __future__ import annotations

from collections.abc import Callable


def connection_probe() -> Callable[[], bool] | None:
    """A callable that says whether the current script's session is still connected to this server; None outside
    a served app (AppTest, scripts), where there is no connection to lose. A closed or reloaded tab disconnects
    its session at once (Streamlit keeps it only to allow a reconnect), so the probe turns False then."""
    from streamlit.runtime import Runtime
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    ctx = get_script_run_ctx()
    if ctx is None or not Runtime.exists():
        return None
    runtime, session_id = Runtime.instance(), ctx.session_id
    return lambda: runtime.is_active_session(session_id)
