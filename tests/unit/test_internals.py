"""Each private or undocumented Streamlit API that ConvLab uses (all of them in ui/internals.py), checked here: a
Streamlit upgrade that changes one fails by name."""
from ui import internals, shell


def test_outside_a_run_there_is_no_context_and_no_connection_to_lose():
    assert internals.script_run_context() is None  # inside one, every page test's language depends on it
    assert internals.session_probe() == ("script", None)


def test_session_probe_asks_the_runtime_whether_a_session_is_connected(monkeypatch):
    from streamlit import runtime
    from streamlit.runtime import Runtime

    class Context:
        session_id = "abc"

    class Instance:
        @staticmethod
        def is_active_session(session_id):
            return session_id == "abc"
    monkeypatch.setattr(internals, "script_run_context", lambda: Context())
    monkeypatch.setattr(Runtime, "exists", staticmethod(lambda: True))
    monkeypatch.setattr(Runtime, "instance", staticmethod(lambda: Instance()))
    session, is_active = internals.session_probe()
    assert session == "abc" and is_active("abc") and not is_active("other")
    assert hasattr(runtime.Runtime, "is_active_session")  # the method the probe calls still exists


def test_the_repl_check_is_skipped_only_under_a_running_server(monkeypatch):
    from streamlit import delta_generator, runtime
    monkeypatch.setattr(delta_generator, "_use_warning_has_been_displayed", False)
    monkeypatch.setattr(runtime, "exists", lambda: False)
    shell.skip_repl_check()
    assert delta_generator._use_warning_has_been_displayed is False  # AppTest or a bare run: Streamlit still checks
    monkeypatch.setattr(runtime, "exists", lambda: True)
    shell.skip_repl_check()
    assert delta_generator._use_warning_has_been_displayed is True


def test_a_page_run_no_longer_clears_keras_state(monkeypatch):
    """Streamlit's script runner clears Keras' session after every run (a full gc, TensorFlow's kernel cache) while
    a training runs in another thread; shell.keep_keras_state() leaves Keras alone and still closes matplotlib's
    figures."""
    import sys
    import types

    from streamlit.runtime.scriptrunner import script_runner
    cleared, closed = [], []
    monkeypatch.setitem(sys.modules, "keras", types.SimpleNamespace(
        backend=types.SimpleNamespace(clear_session=lambda: cleared.append(1))))
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", types.SimpleNamespace(close=closed.append))
    current = script_runner._clean_problem_modules  # an earlier AppTest run in this process may have replaced it
    monkeypatch.setattr(script_runner, "_clean_problem_modules", getattr(current, "streamlits", current))
    script_runner._clean_problem_modules()
    assert cleared == [1], "Streamlit's own clean-up clears Keras (else this test checks nothing)"
    shell.keep_keras_state()
    shell.keep_keras_state()  # twice is harmless
    script_runner._clean_problem_modules()
    assert cleared == [1] and closed == ["all", "all"]
