"""The DCGAN's training step: step modes (both, D only, G only), its three losses against their formulas, the moving
average of G's weights, and what the loop reports."""
import glob
import os
import tempfile

import numpy as np
import pytest

from engine import training
from tests.conftest import tiny_digits

pytest.importorskip("keras")


@pytest.fixture(scope="module")
def tiny():
    return tiny_digits()


def _gan_trainer(tiny, **kwargs):
    config = dict(model="dcgan", gan_width=0.25, learning_rate=2e-4, epochs=1, seconds=None, batch_size=32)
    trainer = training.Trainer(training.TrainConfig(**(config | kwargs)), dataset=tiny)
    trainer._prepare()
    return trainer


def _weights(model, trainable_only=True):
    variables = model.trainable_variables if trainable_only else model.weights
    return {v.path: np.array(v.numpy()) for v in variables}


def _changed(before, after):
    return {p for p in before if not np.array_equal(before[p], after[p])}


def test_gan_step_modes_train_only_their_network(tiny):
    """One compiled step per mode: "d" moves only D's weights, "g" only G's, "both" both. BatchNorm's moving
    averages (not trained) move with every training-mode pass of G, so only trainable weights are compared."""
    trainer = _gan_trainer(tiny)
    temp_before = set(glob.glob(os.path.join(tempfile.gettempdir(), "__autograph_generated_file*")))
    for mode, moves in (("d", "D"), ("g", "G"), ("both", "GD")):
        g0, d0 = _weights(trainer.generator), _weights(trainer.discriminator)
        metrics = trainer._gan_step(trainer._next_batch(), mode)
        g_moved, d_moved = _changed(g0, _weights(trainer.generator)), _changed(d0, _weights(trainer.discriminator))
        assert (g_moved == set(g0)) == ("G" in moves) and (not g_moved) == ("G" not in moves), (mode, g_moved)
        assert (d_moved == set(d0)) == ("D" in moves) and (not d_moved) == ("D" not in moves), (mode, d_moved)
        assert ("d_loss" in metrics) == ("D" in moves) and ("g_loss" in metrics) == ("G" in moves), metrics
        assert all(np.isfinite(v) for v in metrics.values()) and 0 <= metrics["fake_acc"] <= 1
    # tf.function without autograph: no temp file per trainer in /tmp
    assert set(glob.glob(os.path.join(tempfile.gettempdir(), "__autograph_generated_file*"))) == temp_before


def test_gan_both_step_equals_d_step_then_g_step(tiny):
    """The fused step is exactly D's update followed by G's update on the same noise (no hidden extra work)."""
    import keras
    fused, split = _gan_trainer(tiny, d_dropout=0.0), _gan_trainer(tiny, d_dropout=0.0)
    for a, b in ((fused.generator, split.generator), (fused.discriminator, split.discriminator)):
        b.set_weights(a.get_weights())
    rng = np.random.default_rng(1)
    real = rng.uniform(-1, 1, (32, 28, 28, 1)).astype(np.float32)
    z_d, z_g = rng.normal(size=(32, 100)).astype(np.float32), rng.normal(size=(32, 100)).astype(np.float32)
    both = fused.gan.step(real, z_d, z_g, "both")
    d_only = split.gan.step(real, z_d, z_g, "d")
    g_only = split.gan.step(real, z_d, z_g, "g")
    assert both["d_loss"] == pytest.approx(d_only["d_loss"], abs=1e-6)
    assert both["g_loss"] == pytest.approx(g_only["g_loss"], abs=1e-5)
    for a, b in zip(fused.generator.weights + fused.discriminator.weights,
                    split.generator.weights + split.discriminator.weights):
        np.testing.assert_allclose(keras.ops.convert_to_numpy(a), keras.ops.convert_to_numpy(b), atol=1e-6)


@pytest.mark.parametrize("loss", ["ns", "hinge", "lsgan"])
def test_gan_losses_match_their_formulas(loss):
    """Each loss against its textbook formula in NumPy (log-sigmoid written out, not softplus)."""
    from engine.gan import gan_losses
    rng = np.random.default_rng(7)
    r, f = rng.normal(0, 3, 50).astype(np.float32), rng.normal(0, 3, 50).astype(np.float32)
    sigmoid = lambda x: 1 / (1 + np.exp(-x.astype(np.float64)))  # noqa: E731
    expected = {
        "ns": (-np.mean(0.9 * np.log(sigmoid(r)) + 0.1 * np.log(1 - sigmoid(r))) - np.mean(np.log(1 - sigmoid(f))),
               -np.mean(np.log(sigmoid(f)))),
        "hinge": (np.mean(np.maximum(0, 1 - r)) + np.mean(np.maximum(0, 1 + f)), -np.mean(f)),
        "lsgan": (0.5 * np.mean((r - 1) ** 2) + 0.5 * np.mean(f ** 2), 0.5 * np.mean((f - 1) ** 2)),
    }[loss]
    d, g = gan_losses(loss, r, f, smoothing=0.1 if loss == "ns" else 0.0)
    np.testing.assert_allclose([float(d), float(g)], expected, rtol=1e-5)


def test_gan_ema_follows_the_generator(tiny):
    """The shown generator's weights are the running average, updated inside each G step with the warm-up decay
    (0.1 at the first update, then 2/11, ... up to `ema`)."""
    trainer = _gan_trainer(tiny, ema=0.5)
    w0 = [np.array(w) for w in trainer.generator.get_weights()]
    trainer._gan_step(trainer._next_batch(), "both")
    w1 = trainer.generator.get_weights()
    shown = trainer.gan.sample_generator().get_weights()
    for a, b, s in zip(w0, w1, shown):
        np.testing.assert_allclose(s, 0.1 * a + 0.9 * b, atol=1e-6)
    trainer._gan_step(trainer._next_batch(), "g")
    w2 = trainer.generator.get_weights()
    shown = [np.array(w) for w in shown]
    for s, b, c in zip(shown, w2, trainer.gan.sample_generator().get_weights()):
        np.testing.assert_allclose(c, 2 / 11 * s + 9 / 11 * b, atol=1e-6)
    shown = trainer.gan.sample_generator().get_weights()
    trainer._gan_step(trainer._next_batch(), "d")  # D only: the average does not move
    for s, t in zip(shown, trainer.gan.sample_generator().get_weights()):
        np.testing.assert_array_equal(s, t)


def test_gan_loop_reports_losses_and_accuracy(tiny):
    trainer = training.Trainer(training.TrainConfig(model="dcgan", gan_width=0.25, learning_rate=2e-4, epochs=2,
                                                    seconds=None, batch_size=32), dataset=tiny)
    trainer.run_blocking()
    snap = trainer.snapshot()
    h = snap["history"]
    assert len(h["d_loss"]) == 12 and np.all(np.isfinite(h["g_loss"]))
    acc = np.array(h["real_acc"] + h["fake_acc"])
    assert np.all(np.isfinite(acc)) and np.all((0 <= acc) & (acc <= 1))  # computed inside every step
    assert trainer.samples_array(8).shape == (8, 28, 28, 1)
    scores = snap["samples"]
    assert len(scores["d_real"]) == len(tiny.x_test) and len(scores["d_fake"]) == len(tiny.x_test)
    assert np.all((0 <= scores["d_real"]) & (scores["d_real"] <= 1)) and scores["d_threshold"] == 0.5


def test_a_conditional_gan_shows_d_every_image_with_its_own_label(tiny, monkeypatch):
    """D takes each real image with its label's one-hot planes (constant over the image), and G's input is noise
    followed by a one-hot label, for the k discriminator updates and the generator update alike."""
    trainer = _gan_trainer(tiny, conditional=True, d_steps=2)
    taken, seen = [], {}
    next_indices, step = trainer._next_indices, trainer.gan.step
    monkeypatch.setattr(trainer, "_next_indices", lambda: taken.append(next_indices()) or taken[-1])
    monkeypatch.setattr(trainer.gan, "step", lambda real, z_d, z_g, mode: seen.update(real=real, z_d=z_d, z_g=z_g)
                        or step(real, z_d, z_g, mode))
    trainer._one_step()
    idx = np.concatenate(taken)
    real, z_d, z_g = seen["real"], seen["z_d"], seen["z_g"]
    assert real.shape == (64, 28, 28, 11) and z_d.shape == (64, 110) and z_g.shape == (32, 110)
    np.testing.assert_array_equal(real[..., :1], trainer._x[idx])
    planes = real[..., 1:]
    assert np.array_equal(planes, np.broadcast_to(planes[:, :1, :1], planes.shape))  # constant over each image
    np.testing.assert_array_equal(planes[:, 0, 0], np.eye(10)[tiny.y_train[idx]])
    for z in (z_d, z_g):
        onehot = z[:, 100:]
        assert set(np.unique(onehot)) == {0.0, 1.0} and np.all(onehot.sum(1) == 1)


def test_a_conditional_gan_draws_the_class_it_is_told_and_needs_labels(tiny):
    from engine.errors import InputError
    trainer = _gan_trainer(tiny, conditional=True)
    trainer._one_step()
    samples = trainer._render_samples(1)
    assert samples["grid_classes"] == 10 and trainer.task.fixed_noise.shape == (40, 110)
    assert np.array_equal(trainer.task.fixed_noise[:, 100:].argmax(1), np.arange(40) % 10)  # column k: class k
    sevens = trainer.task.samples_array(5, label=7)
    assert sevens.shape == (5, 28, 28, 1) and 0 <= sevens.min() and sevens.max() <= 1
    z = trainer.task.noise(np.random.default_rng(0), np.array([3, 8]))
    z[1, :100] = z[0, :100]  # the same noise, told two different digits: two different images
    drawn = np.asarray(trainer.task.sampler()(z, training=False))
    assert not np.allclose(drawn[0], drawn[1])
    with pytest.raises(InputError, match="not one this generator"):
        trainer.task.samples_array(2, label=10)
    unlabelled = training.datasets.Dataset("mine", tiny.x_train, -np.ones(len(tiny.x_train), np.int64),
                                           tiny.x_test, -np.ones(len(tiny.x_test), np.int64))
    refused = training.Trainer(training.TrainConfig(model="dcgan", gan_width=0.25, conditional=True, seconds=5),
                               dataset=unlabelled)
    with pytest.raises(InputError, match="no labels"):
        refused._prepare()
