"""The engine's modules form no import circle: not at import time (each module imports by itself in a fresh
interpreter) and not through imports made later inside functions (the graph of every engine import is acyclic)."""
import ast
import subprocess
import sys

import pytest

from tests.conftest import ROOT

MODULES = sorted(".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")
                 for path in (ROOT / "engine").rglob("*.py"))


def engine_imports(module: str) -> set[str]:
    """Every engine module that `module` imports anywhere in its file, at the top or inside a function."""
    path = ROOT / (module.replace(".", "/") + ".py")
    if not path.exists():
        path = ROOT / module.replace(".", "/") / "__init__.py"
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("engine.")}
        elif isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "engine":
            for alias in node.names:  # `from engine import data` names a module; `from engine.x import f` does not
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if candidate in MODULES else node.module)
    return {name for name in found if name in MODULES and name != module}


def test_the_graph_of_engine_imports_has_no_circle():
    graph = {module: engine_imports(module) for module in MODULES}
    assert graph["engine.training"] and graph["engine.gan"], "the scan must see imports"
    done, path = set(), []

    def visit(module):
        if module in path:
            raise AssertionError("import circle: " + " -> ".join(path[path.index(module):] + [module]))
        if module in done:
            return
        path.append(module)
        for child in sorted(graph[module]):
            visit(child)
        path.pop()
        done.add(module)
    for module in MODULES:
        visit(module)


@pytest.mark.parametrize("module", MODULES)
def test_each_engine_module_imports_by_itself(module):
    result = subprocess.run([sys.executable, "-c", f"import {module}"], cwd=ROOT, capture_output=True, text=True,
                            timeout=120, env={"PATH": "/usr/bin:/bin", "TF_CPP_MIN_LOG_LEVEL": "3",
                                              "PYTHONPATH": str(ROOT)})
    assert result.returncode == 0, result.stderr[-2000:]


def test_the_trainer_names_no_model_and_every_model_has_a_task():
    """The trainer's thread, state machine, line and snapshots hold no `model == ...` branch: each model's work is
    its task's (engine/tasks.py), one per entry of the model registry."""
    from engine import settings, tasks
    assert set(tasks.TASKS) == set(settings.MODELS)
    for module in ("engine/training.py", "engine/worker.py", "engine/hall.py", "engine/hall_worker.py"):
        names = {node.value for node in ast.walk(ast.parse((ROOT / module).read_text()))
                 if isinstance(node, ast.Constant) and isinstance(node.value, str)}
        assert not names & set(settings.MODELS), (module, names & set(settings.MODELS))
