import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"
sys.path.insert(0, str(ROOT))
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CONVLAB_STRICT", "1")  # uncaught page errors fail AppTest instead of the calm notice


@pytest.fixture
def rng():
    import numpy as np
    return np.random.default_rng(20261123)


def pytest_configure(config):
    config.addinivalue_line("markers", "browser: needs Debian's Chromium and Playwright")
    config.addinivalue_line("markers", "slow: trains a model for a few seconds")


def pytest_terminal_summary(terminalreporter):
    try:
        from tests.test_robustness import REPORT, inventory
    except ImportError:
        return
    if REPORT["tried"]:
        terminalreporter.write_line(f"robustness: {REPORT['tried']} bad inputs tried, {REPORT['handled']} handled "
                                    f"with a clear message (the whole suite, as the README counts it: "
                                    f"{sum(inventory().values())})")
