"""Whether a browser session is still connected, for work that must not outlive its tab (a training's slot)."""
from __future__ import annotations

from collections.abc import Callable


def connection_probe() -> Callable[[], bool] | None:
    """A callable that says whether the current script's session is still connected to this server; None outside
    a served app (AppTest, scripts), where there is no connection to lose. A closed or reloaded tab disconnects
    its session at once (Streamlit keeps it only to allow a reconnect), so the probe turns False then."""
    from ui import internals

    session_id, is_active = internals.session_probe()
    if is_active is None:
        return None
    return lambda: is_active(session_id)
