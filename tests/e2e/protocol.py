"""Streamlit's own browser protocol, spoken by a test or a bench without a browser: protobuf BackMsg and
ForwardMsg over /_stcore/stream, with the browser's message cache. Used where a browser would cost too much (thirty
clients on two cores, bench/load.py) or cannot send what a test needs (a crafted widget message)."""


def forward_message(raw: bytes):
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    msg = ForwardMsg()
    msg.ParseFromString(raw)
    return msg


class MessageCache:
    """The browser's ForwardMsg cache (Streamlit's frontend ForwardMessageCache): large elements are kept by hash,
    their hashes go back with every rerun request, and the server then sends a reference instead of an element
    this client already holds. Entries unused for more than `max_age` runs are dropped, as the browser does."""

    def __init__(self, max_age: int = 2):
        self.max_age, self.run, self.messages = max_age, 0, {}

    def resolve(self, msg):
        """The element a message carries, or the cached one it refers to; caches what the browser would."""
        if msg.WhichOneof("type") == "ref_hash":
            cached = self.messages[msg.ref_hash]
            cached[0] = self.run
            return cached[1]
        if msg.metadata.cacheable and msg.hash:
            self.messages.setdefault(msg.hash, [self.run, msg])[0] = self.run
        return msg

    def script_finished(self):
        self.run += 1
        for key in [k for k, (used, _) in self.messages.items() if self.run - used > self.max_age]:
            del self.messages[key]


async def run_script(ws, client_state, cache: MessageCache) -> dict:
    """Send one rerun request (of the fragment `client_state.fragment_id`, if set) and read until the run finishes;
    returns what the run showed: widgets by label, element ids by type, markdown and alert texts, exceptions, the
    fragments to rerun on a timer, and how the run finished."""
    from streamlit.proto.BackMsg_pb2 import BackMsg

    client_state.ClearField("cached_message_hashes")
    client_state.cached_message_hashes.extend(cache.messages)
    back = BackMsg()
    back.rerun_script.CopyFrom(client_state)
    await ws.send(back.SerializeToString())
    return await read_run(ws, client_state, cache)


async def read_run(ws, client_state, cache: MessageCache) -> dict:
    """Read one run's messages until it finishes (a run the server started by itself: after st.rerun)."""
    shown = {"widgets": {}, "markdown": [], "alerts": [], "exceptions": 0, "ids": {}, "status": None,
             "auto_rerun": {}}
    while True:
        msg = cache.resolve(forward_message(await ws.recv()))
        kind = msg.WhichOneof("type")
        if kind == "navigation":  # the page st.navigation chose: the browser sends its hash back on reruns
            client_state.page_script_hash = msg.navigation.page_script_hash
        elif kind == "page_info_changed":
            client_state.query_string = msg.page_info_changed.query_string
        elif kind == "auto_rerun":  # a fragment with run_every: the browser's timer reruns it at this interval
            shown["auto_rerun"][msg.auto_rerun.fragment_id] = msg.auto_rerun.interval
        elif kind == "new_session":
            cache.max_age = msg.new_session.config.max_cached_message_age or cache.max_age
        elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            element = msg.delta.new_element
            which = element.WhichOneof("type")
            if which and getattr(getattr(element, which), "id", ""):
                shown["ids"].setdefault(which, []).append(getattr(element, which).id)
            if which == "markdown":
                shown["markdown"].append(element.markdown.body)
            elif which == "alert":
                shown["alerts"].append(element.alert.body)
            elif which == "exception":
                shown["exceptions"] += 1
            elif which and getattr(getattr(element, which), "id", "") and hasattr(getattr(element, which), "label"):
                shown["widgets"][getattr(element, which).label] = getattr(element, which).id
        elif kind == "script_finished":
            cache.script_finished()
            shown["status"] = msg.script_finished
            return shown
