import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
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


def tiny_digits():
    """256 bundled digits as a data set (192 to train, 64 held out): small enough for a training test."""
    from engine import data
    x, y = data.builtin_digits(256, seed=5)
    return data.Dataset("builtin", x[:192], y[:192], x[192:], y[192:])


def wait_for(predicate, timeout: float = 60.0) -> bool:
    """True as soon as `predicate()` is, polled every 50 ms; False after `timeout` seconds."""
    import time
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.05)
    return False
