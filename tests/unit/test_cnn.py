"""engine.cnn against independent references: Keras (layer shapes, parameter counts, every layer's output), NumPy
loops (cosine similarity, confusion matrix, surest mistakes); the Trainer's classifier run end to end."""
import numpy as np
import pytest

from engine import cnn, kernels, tasks, training
from engine import data as datasets
from engine.errors import InputError

SHAPES = [(28, 28, 1), (32, 32, 3), (29, 31, 1), (10, 10, 1), (17, 40, 3)]


def _keras_model(shape, size, classes):
    from engine import models
    return models.build_cnn(shape, size, classes)


@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("size", list(cnn.CNN_SIZES))
def test_layer_table_equals_keras_summary(shape, size):
    classes = int(np.random.default_rng(sum(shape)).integers(2, 30))
    model = _keras_model(shape, size, classes)
    table = cnn.layer_table(shape, size, classes)
    assert [row.name for row in table] == [layer.name for layer in model.layers[1:]]
    for row, layer in zip(table, model.layers[1:]):
        assert (None, *row.out_shape) == tuple(layer.output.shape), row.name
        assert row.params == layer.count_params(), row.name
        assert row.kind == type(layer).__name__
    assert sum(row.params for row in table) == model.count_params()


def test_forward_equals_keras_layer_by_layer_with_random_weights():
    import keras
    rng = np.random.default_rng(0)
    for shape, size, classes in [((28, 28, 1), "small", 10), ((32, 32, 3), "wide", 7), ((23, 19, 1), "tiny", 3)]:
        model = _keras_model(shape, size, classes)
        for layer in model.layers:
            weights = layer.get_weights()
            if weights:
                layer.set_weights([rng.normal(size=w.shape).astype(np.float32) for w in weights])
        probe = keras.Model(model.input, [layer.output for layer in model.layers[1:]])
        image = rng.random(shape).astype(np.float32)
        expected = dict(zip([layer.name for layer in model.layers[1:]],
                            (keras.ops.convert_to_numpy(o)[0] for o in probe(image[None]))))
        weights = {layer.name: layer.get_weights() for layer in model.layers if layer.get_weights()}
        got = cnn.forward(weights, image)
        for name, want in expected.items():
            np.testing.assert_allclose(got[name], want, rtol=1e-4, atol=1e-3 * max(1, np.abs(want).max()),
                                       err_msg=name)
        np.testing.assert_allclose(got["probabilities"].sum(), 1, rtol=1e-9)
        assert got["probabilities"].argmax() == expected["logits"].argmax()


def test_forward_refuses_an_image_that_does_not_fit():
    model = _keras_model((28, 28, 1), "tiny", 10)
    weights = {layer.name: layer.get_weights() for layer in model.layers if layer.get_weights()}
    with pytest.raises(InputError, match="does not fit"):
        cnn.forward(weights, np.zeros((28, 28, 3)))
    with pytest.raises(InputError, match="does not fit"):
        cnn.forward(weights, np.zeros((30, 30)))


def test_similarities_equal_a_loop_of_cosines():
    rng = np.random.default_rng(1)
    learned = rng.normal(size=(12, 3, 3))
    learned[3] = 0  # an all-zero kernel is like nothing
    sims = cnn.preset_similarities(learned)
    for f in range(len(learned)):
        for p, name in enumerate(cnn.MATCH_PRESETS):
            a, b = learned[f].ravel(), kernels.PRESETS[name].array.astype(float).ravel()
            norm = np.sqrt(sum(v * v for v in a)) * np.sqrt(sum(v * v for v in b))
            want = abs(sum(x * y for x, y in zip(a, b))) / norm if norm else 0.0
            assert sims[f, p] == pytest.approx(want, abs=1e-12)
    assert ((sims >= 0) & (sims <= 1 + 1e-12)).all()


def test_closest_preset_is_found_for_scaled_and_negated_presets():
    rng = np.random.default_rng(2)
    for name in cnn.MATCH_PRESETS:
        preset = kernels.PRESETS[name].array.astype(float)
        scale = rng.uniform(0.05, 3)
        noisy = preset + rng.normal(scale=0.01 * np.abs(preset).max(), size=(3, 3))
        for sign in (1, -1):
            match = cnn.closest_presets((sign * scale * noisy)[None])[0]
            # top and bottom (left and right) Sobel are each other's negatives: a negated one is the other
            same = match.preset == name and match.sign == sign
            twin = np.allclose(kernels.PRESETS[match.preset].array, -preset) and match.sign == 1
            assert same or twin, (name, sign, match)
            assert match.similarity > 0.99


def test_first_layer_kernels_sum_colour_channels():
    k = np.random.default_rng(3).normal(size=(3, 3, 3, 5))
    out = cnn.first_layer_kernels(k)
    assert out.shape == (5, 3, 3)
    np.testing.assert_allclose(out[2], k[:, :, 0, 2] + k[:, :, 1, 2] + k[:, :, 2, 2])


def test_confusion_matrix_and_mistakes_equal_loops():
    rng = np.random.default_rng(4)
    for _ in range(20):
        classes = int(rng.integers(2, 12))
        n = int(rng.integers(0, 300))
        y = rng.integers(0, classes, n)
        p = rng.dirichlet(np.ones(classes), n) if n else np.zeros((0, classes))
        pred = p.argmax(1) if n else np.zeros(0, int)
        want = np.zeros((classes, classes), int)
        for a, b in zip(y, pred):
            want[a, b] += 1
        np.testing.assert_array_equal(cnn.confusion_matrix(y, pred, classes), want)
        wrong = sorted((-p[i].max(), i) for i in range(n) if pred[i] != y[i])[:8]
        assert [m[0] for m in cnn.confident_mistakes(p, y, 8)] == [i for _, i in wrong]


@pytest.mark.parametrize("call, fragment", [
    (lambda: cnn.check_cnn_input((8, 28, 1), 10), "at least 10x10"),
    (lambda: cnn.check_cnn_input((28, 28, 2), 10), "1 or 3 channels"),
    (lambda: cnn.check_cnn_input((28, 28, 1), 1), "between 2 and"),
    (lambda: cnn.layer_table((28, 28, 1), "huge", 10), "size must be one of"),
    (lambda: cnn.confusion_matrix([0, 5], [0, 1], 3), "from 0 to 2"),
    (lambda: cnn.confusion_matrix([0, 1], [0], 3), "one prediction per label"),
])
def test_refusals_say_why(call, fragment):
    with pytest.raises(InputError, match=fragment):
        call()


def test_kernel_text_for_the_kernels_lesson_round_trips():
    learned = np.random.default_rng(5).normal(size=(3, 3)) * 0.3
    text = kernels.grid_to_text(np.round(learned, 3))
    np.testing.assert_allclose(kernels.grid_from_text(text), np.round(learned, 3), atol=1e-6)


def _digits(n=600, classes=10):
    x, y = datasets.builtin_digits(n, seed=3)
    y = y % classes
    return datasets.Dataset("builtin", x[: n - 100], y[: n - 100], x[n - 100:], y[n - 100:])


def test_trainer_trains_the_classifier_and_publishes_its_views():
    trainer = training.Trainer(training.TrainConfig(model="cnn", cnn_size="tiny", batch_size=32, learning_rate=3e-3,
                                                    seconds=None, epochs=3, sample_every=10), dataset=_digits())
    trainer.run_blocking()
    snap = trainer.snapshot()
    s = snap["samples"]
    assert snap["status"] == "finished" and s["step"] == snap["step"]
    assert s["kernels"].shape == (4, 3, 3) and len(s["matches"]) == 4
    assert s["confusion"].sum() == 100 == s["eval_images"]
    held = [v for v in snap["history"]["val_accuracy"] if np.isfinite(v)]
    assert held and held[-1] == pytest.approx(np.trace(s["confusion"]) / 100)
    assert held[-1] > 0.5, "the drawn digits are easy: a few epochs should learn most of them"
    # the page's feature maps come from these weights: the NumPy forward pass agrees with the live model
    image, label = trainer.held_out(7)
    out = cnn.forward(s["weights"], image)
    live = tasks.to_numpy(trainer.model(image[None], training=False))[0]
    np.testing.assert_allclose(out["logits"], live, rtol=1e-4, atol=1e-4)
    assert [k for k, _ in s["kernel_history"]][-1] == s["step"]
    with pytest.raises(InputError, match="outside"):
        trainer.held_out(100)


def test_classifier_refuses_unlabelled_data_and_counts_classes():
    unlabelled = _digits()
    unlabelled.y_train[:] = -1
    trainer = training.Trainer(training.TrainConfig(model="cnn", seconds=5), dataset=unlabelled)
    trainer.step()
    trainer.join(timeout=60)
    snap = trainer.snapshot()
    assert snap["status"] == "error" and "no labels" in snap["message"]
    three = training.Trainer(training.TrainConfig(model="cnn", cnn_size="tiny", seconds=None, epochs=0.2),
                             dataset=_digits(classes=3))
    three.run_blocking()
    assert three.snapshot()["samples"]["confusion"].shape == (3, 3)
    assert three.model.output_shape == (None, 3)


@pytest.mark.parametrize("shape, size, classes", [((28, 28, 1), "small", 10), ((32, 32, 3), "wide", 4)])
def test_the_keras_snippet_runs_as_it_is_and_builds_the_same_table(shape, size, classes, capsys):
    from ui import snippets
    code = snippets.keras_small_cnn(shape, cnn.CNN_SIZES[size], classes)
    assert "engine" not in code and "convlab" not in code.lower()
    scope = {}
    exec(compile(code, "snippet", "exec"), scope)  # noqa: S102 (our own text)
    model = scope["model"]
    table = cnn.layer_table(shape, size, classes)
    assert [(layer.name, layer.count_params()) for layer in model.layers] == [(r.name, r.params) for r in table]
    assert f"{sum(r.params for r in table):,}" in capsys.readouterr().out
