"""ui.caching: a lesson script's cached functions are wrapped once per process, not on every rerun."""
from ui import caching

SCRIPT = '''
from ui import caching
calls = []

@caching.cache_data(max_entries=4, show_spinner=False)
def square(x):
    calls.append(x)
    return x * x
'''


def run_script(source: str, name: str = "lessons/probe.py") -> dict:
    """A lesson script's run: its source executed afresh in a new namespace, as Streamlit does on each rerun."""
    namespace = {"__name__": "__main__"}
    exec(compile(source, name, "exec"), namespace)
    return namespace


def test_a_rerun_gets_the_same_wrapper_and_its_cache():
    first, second = run_script(SCRIPT), run_script(SCRIPT)
    assert second["square"] is first["square"]
    assert first["square"](3) == second["square"](3) == 9
    assert first["calls"] == [3] and second["calls"] == []  # the second run's call was a cache hit


def test_edited_code_another_script_or_other_options_get_their_own_wrapper():
    first = run_script(SCRIPT)
    assert run_script(SCRIPT.replace("x * x", "x * x + 1"))["square"] is not first["square"]
    assert run_script(SCRIPT, "lessons/other.py")["square"] is not first["square"]
    assert run_script(SCRIPT.replace("max_entries=4", "max_entries=5"))["square"] is not first["square"]


def test_a_function_that_closes_over_local_values_is_wrapped_every_time():
    """A kept wrapper would keep the first call's `offset` (what Streamlit's cache itself keys on is its own
    business: it names a cache by the function's source, closures or not)."""
    def make(offset):
        @caching.cache_data(show_spinner=False)
        def shifted(x):
            return x + offset
        return shifted
    assert make(1) is not make(10)
