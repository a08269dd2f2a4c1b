"""The "What a network learns" lesson in a real browser: live training refreshes the open tab, the tab is in the
link and survives a reload, and a learned kernel opens in the Kernels lesson as a custom kernel."""
import re
import time

import pytest

from tests.e2e.conftest import screenshot, wait_for_app
from tests.e2e.test_browser import metric, no_exceptions

pytestmark = pytest.mark.browser


def kernels_step(pg) -> int:
    text = pg.locator("text=/First-layer kernels at step/").first.inner_text()
    return int(re.search(r"step ([\d,]+)", text).group(1).replace(",", ""))


def held_out(pg) -> float:
    value = metric(pg, "Held-out accuracy")
    return float(value.rstrip("%")) / 100 if value.endswith("%") else 0.0


def test_training_updates_the_kernels_and_the_tab_stays_in_the_link(server, page):
    page.goto(f"{server}/learn?data=builtin&secs=60")
    wait_for_app(page, timeout=120_000)
    page.wait_for_selector('h2:has-text("Idle")', timeout=120_000)
    page.get_by_role("button", name="Play").click()
    page.wait_for_selector("text=/First-layer kernels at step/", timeout=120_000)
    first = kernels_step(page)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and (kernels_step(page) == first or held_out(page) < 0.9):
        page.wait_for_timeout(500)
    assert kernels_step(page) > first, "the open tab refreshes while the network trains"
    assert held_out(page) >= 0.9, "the bundled digits are learned to 90 % within seconds"
    page.get_by_role("tab", name="Feature maps").click()
    page.wait_for_function("() => location.search.includes('tab=maps')", timeout=30_000)
    page.wait_for_selector("text=/Class scores/", timeout=60_000)
    assert page.locator("text=First-layer kernels at step").count() == 0, "closed tabs are not computed"
    page.get_by_role("button", name="Pause").click()
    page.wait_for_selector('h2:has-text("Paused")', timeout=60_000)
    page.reload()
    wait_for_app(page, timeout=120_000)
    selected = page.locator('[role="tab"][aria-selected="true"]').inner_text()
    assert "Feature maps" in selected, selected
    no_exceptions(page)
    screenshot(page, "learn-feature-maps")


def test_a_learned_kernel_opens_in_the_kernels_lesson(server, page, browser):
    page.goto(f"{server}/learn?data=builtin&secs=20")
    wait_for_app(page, timeout=120_000)
    page.wait_for_selector('h2:has-text("Idle")', timeout=120_000)
    page.get_by_role("button", name="Step", exact=True).click()
    link = page.get_by_role("link", name="Open kernel #1 in the Kernels lesson")
    link.wait_for(timeout=120_000)
    href = link.get_attribute("href")
    values = re.search(r"kc=([^&]+)", href).group(1)
    assert "/kernels?kernel=custom&kc=" in href
    page.get_by_role("button", name="Stop").click()
    other = browser.new_context(viewport={"width": 1440, "height": 900}).new_page()
    other.goto(href)
    wait_for_app(other, timeout=120_000)
    assert other.locator('[data-testid="stAlert"]').filter(has_text="not valid").count() == 0
    assert "kernel=custom" in other.url and values in other.url, "the link keeps the learned numbers"
    sidebar = other.locator('[data-testid="stSidebar"]')
    assert "Edit the numbers" in sidebar.inner_text(), "the custom kernel's grid is shown"
    assert other.locator("text=Output size").count() > 0  # the kernel was applied to the picture
    no_exceptions(other)
    other.context.close()


def _student_model_bytes() -> tuple[bytes, int]:
    """A CIFAR-sized colour classifier, as a student would train and save it elsewhere, and its parameter count."""
    import os
    import tempfile
    keras = pytest.importorskip("keras")
    layers = keras.layers
    model = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(6, 3, activation="relu", name="edges"),
                              layers.MaxPooling2D(), layers.Conv2D(8, 3, padding="same"), layers.BatchNormalization(),
                              layers.ReLU(), layers.GlobalAveragePooling2D(),
                              layers.Dense(10, activation="softmax", name="classes")], name="my_cifar_net")
    with tempfile.TemporaryDirectory() as folder:
        model.save(os.path.join(folder, "mine.keras"))
        with open(os.path.join(folder, "mine.keras"), "rb") as fp:
            return fp.read(), model.count_params()


def test_a_students_own_model_shows_its_layers_kernels_and_a_picture_through_it(server, page):
    data, params = _student_model_bytes()
    page.goto(f"{server}/learn?net=own")
    wait_for_app(page)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(
        files=[{"name": "mine.keras", "mimeType": "application/octet-stream", "buffer": data}])
    page.wait_for_selector("text=/my_cifar_net/", timeout=60_000)
    assert f"{params:,} parameters" in page.locator("body").inner_text().replace("\n", " ")
    page.get_by_role("tab", name="First-layer kernels").click()
    page.wait_for_function("() => location.search.includes('otab=okernels')", timeout=30_000)
    page.wait_for_selector("text=/Layer edges/", timeout=60_000)
    link = page.get_by_role("link", name="Open kernel #1 in the Kernels lesson").get_attribute("href")
    assert "/kernels?kernel=custom&kc=" in link, link
    page.get_by_role("tab", name="An image through it").click()
    page.wait_for_selector("text=/Class scores \\(softmax\\)/", timeout=60_000)
    page.wait_for_selector("text=/edges · Conv2D · 30×30×6/", timeout=60_000)
    no_exceptions(page)
    screenshot(page, "learn-own-model")


def test_a_model_with_a_lambda_layer_is_refused_in_plain_words(server, page):
    from tests import hostile
    page.goto(f"{server}/learn?net=own&lang=ko")
    wait_for_app(page)
    lambda_layer = {"module": "keras.layers", "class_name": "Lambda", "registered_name": None,
                    "config": {"name": "evil", "function": "x"}}
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').first.set_input_files(
        files=[{"name": "evil.keras", "mimeType": "application/octet-stream",
                "buffer": hostile.keras_file([hostile.keras_input(), lambda_layer])}])
    page.wait_for_selector('[data-testid="stAlert"]:has-text("Lambda")', timeout=60_000)
    assert "코드" in page.locator('[data-testid="stAlert"]').first.inner_text()
    no_exceptions(page)
