"""Messages a browser would never send, sent to a real server in Streamlit's own protocol (tests/e2e/protocol.py)."""
import asyncio
import json

import pytest

from tests.e2e.protocol import MessageCache, read_run, run_script

pytestmark = pytest.mark.browser  # needs the served app, like the browser tests


async def _kernel_grid_session(url: str, edit: dict) -> tuple[dict, str]:
    """The Kernels page with a custom kernel; its grid then gets `edit` as if typed; returns what the page showed
    after it and the link."""
    import websockets
    from streamlit.proto.ClientState_pb2 import ClientState

    async with websockets.connect(url.replace("http", "ws") + "/_stcore/stream", subprotocols=["streamlit"],
                                  max_size=None, open_timeout=120) as ws:
        state, cache = ClientState(page_name="kernels", query_string="kernel=custom"), MessageCache()
        shown = await run_script(ws, state, cache)
        grid = shown["ids"]["dataframe"][0]
        state.widget_states.widgets.add(id=grid).string_value = json.dumps(edit)
        shown = await asyncio.wait_for(run_script(ws, state, cache), 120)
        while shown["status"] == 2:  # FINISHED_EARLY_FOR_RERUN: the page asked for a rerun, which starts by itself
            shown = await asyncio.wait_for(read_run(ws, state, cache), 120)
        return shown, state.query_string


def run_apart(coroutine):
    """asyncio.run in a thread of its own: Playwright's sync API keeps an event loop running in this one."""
    import concurrent.futures
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result(timeout=300)


def test_a_grid_message_that_adds_rows_is_dropped_before_streamlit_applies_it(server):
    """The custom kernel's grid adds no rows; a crafted message adding 5,000 (Streamlit would apply each, one by
    one, for seconds of server time) is dropped unread with a notice, and the kernel stays."""
    crafted = {"edited_rows": {}, "added_rows": [{"0": 1, "1": 2, "2": 3}] * 5_000, "deleted_rows": []}
    shown, link = run_apart(_kernel_grid_session(server, crafted))
    assert any("was not an edit of its cells" in alert for alert in shown["alerts"]), shown["alerts"]
    assert "kc=" not in link, link


def test_a_real_grid_edit_still_changes_the_kernel(server):
    shown, link = run_apart(_kernel_grid_session(server, {"edited_rows": {"0": {"0": 7}}, "added_rows": [],
                                                            "deleted_rows": []}))
    assert not shown["alerts"], shown["alerts"]
    assert "kc=7" in link, link
