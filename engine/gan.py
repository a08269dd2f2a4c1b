"""The DCGAN's training step, compiled once per backend, the Keras 3 way: a `keras.Model` subclass whose
`train_step` updates the discriminator (k times) and the generator in one compiled call, with the losses and
D's accuracy on real and fake computed inside it. Fakes never leave the device between the two updates.

- TensorFlow: `train_step` with `tf.GradientTape`, compiled by `tf.function` (one trace per mode and k).
- JAX: a stateless `train_step` (`stateless_call` + `optimizer.stateless_apply`), compiled by `jax.jit`; the
  new values are written back to the Keras variables after each call.
- PyTorch: `train_step` with `backward()` and `optimizer.apply`, eager (as the Keras guide for PyTorch does).

Noise comes in with the batch (drawn by the caller), so the three backends compute the same step from the same
weights; tests/unit/test_backends.py checks that they agree. Imported lazily: importing this imports keras.
"""
from __future__ import annotations

import keras
import numpy as np
from keras import ops

from engine.errors import InputError
from engine.settings import GAN_LOSSES, GAN_MODES


def gan_losses(loss: str, real_out, fake_out, smoothing: float = 0.0):
    """(D's loss, G's loss) from D's raw outputs on a real and a fake batch.

    ns: non-saturating binary cross-entropy on logits (Goodfellow et al.), real target 1 - smoothing;
    hinge: max(0, 1 - D(x)) + max(0, 1 + D(G(z))) for D, -D(G(z)) for G (SAGAN, BigGAN);
    lsgan: least squares towards 1 (real) and 0 (fake), halved (Mao et al.).

    Examples
    --------
    >>> import numpy as np
    >>> d, g = gan_losses("hinge", np.array([2.0, 0.5]), np.array([-3.0, 0.0]))
    >>> round(float(d), 4), round(float(g), 4)
    (0.75, 1.5)
    """
    real_out, fake_out = ops.convert_to_tensor(real_out, "float32"), ops.convert_to_tensor(fake_out, "float32")
    if loss == "ns":
        target = 1.0 - smoothing  # BCE(x, t) on logits = t * softplus(-x) + (1 - t) * softplus(x)
        d = ops.mean(target * ops.softplus(-real_out) + (1.0 - target) * ops.softplus(real_out)) \
            + ops.mean(ops.softplus(fake_out))
        return d, ops.mean(ops.softplus(-fake_out))
    if loss == "hinge":
        return ops.mean(ops.relu(1.0 - real_out)) + ops.mean(ops.relu(1.0 + fake_out)), -ops.mean(fake_out)
    if loss == "lsgan":
        return 0.5 * (ops.mean(ops.square(real_out - 1.0)) + ops.mean(ops.square(fake_out))), \
            0.5 * ops.mean(ops.square(fake_out - 1.0))
    raise InputError("Unknown GAN loss {loss}; choose one of {gan_losses}.", loss=repr(loss),
                     gan_losses=", ".join(GAN_LOSSES))


def decision_threshold(loss: str) -> float:
    """Where D's raw output switches from 'fake' to 'real': 0 for logits and hinge, 0.5 for least squares.

    >>> decision_threshold("lsgan"), decision_threshold("ns")
    (0.5, 0.0)
    """
    return 0.5 if loss == "lsgan" else 0.0


class GAN(keras.Model):
    """Generator and discriminator with their own optimizers; `step()` runs one compiled training iteration.

    mode "both": k discriminator updates (each on its own real chunk and noise), then one generator update;
    "d": the discriminator updates only; "g": the generator update only (GAN Lab's single-network steps).
    With `ema` > 0 an exponential moving average of G's weights is kept inside the step for the samples shown;
    its decay warms up as min(ema, (1 + t) / (10 + t)) over G's updates t, so the average never remembers the
    random start for long.
    """

    def __init__(self, generator, discriminator, loss: str = "ns", smoothing: float = 0.0, ema: float = 0.0,
                 **kwargs):
        super().__init__(name=kwargs.pop("name", "gan"), **kwargs)
        if loss not in GAN_LOSSES:
            raise InputError("Unknown GAN loss {loss}; choose one of {gan_losses}.", loss=repr(loss),
                             gan_losses=", ".join(GAN_LOSSES))
        self.generator, self.discriminator = generator, discriminator
        self.loss_name, self.smoothing, self.ema_decay = loss, float(smoothing), float(ema)
        self.threshold = decision_threshold(loss)
        # initialised from copies: on PyTorch a Variable made from another shares its storage
        self.ema_weights = [keras.Variable(ops.convert_to_numpy(w).copy(), trainable=False, name=f"ema_{i}")
                            for i, w in enumerate(generator.weights)] if ema > 0 else []
        self._compiled: dict = {}
        self.g_updates = 0

    def ema_decay_now(self) -> float:
        """The moving average's decay for the next G update (warm-up, then `ema`).

        >>> from types import SimpleNamespace
        >>> [round(GAN.ema_decay_now(SimpleNamespace(ema_decay=0.999, g_updates=t)), 4) for t in (0, 90, 10**5)]
        [0.1, 0.91, 0.999]
        """
        return min(self.ema_decay, (1.0 + self.g_updates) / (10.0 + self.g_updates))

    def call(self, z, training=False):
        return self.generator(z, training=training)

    def compile(self, d_optimizer, g_optimizer):
        super().compile()
        self.d_optimizer, self.g_optimizer = d_optimizer, g_optimizer
        self.d_optimizer.build(self.discriminator.trainable_variables)
        self.g_optimizer.build(self.generator.trainable_variables)
        self._compiled = {}

    # -- the public step -----------------------------------------------------------------------------
    def step(self, real, z_d, z_g, mode: str = "both") -> dict:
        """One iteration: `real` (k*n, H, W, C) in [-1, 1], `z_d` (k*n, noise) for the D updates, `z_g` (n, noise)
        for the G update. Returns the metrics as Python floats (NaN for a part that did not run)."""
        if mode not in GAN_MODES:
            raise InputError("Unknown step {mode}; choose one of {gan_modes}.", mode=repr(mode),
                             gan_modes=", ".join(GAN_MODES))
        k = max(1, len(real) // max(1, len(z_g)))
        decay = np.float32(self.ema_decay_now())  # an input, not a constant: no retracing as it warms up
        backend = keras.backend.backend()
        if backend == "jax":
            out = self._jax_step(real, z_d, z_g, decay, mode, k)
        else:
            fn = self._compiled.get((mode, k))
            if fn is None:
                fn = self._compiled[(mode, k)] = self._compile_backend_step(mode, k)
            out = fn(real, z_d, z_g, decay)
        if mode != "d":
            self.g_updates += 1
        return {name: float(ops.convert_to_numpy(value)) for name, value in out.items()}

    def _compile_backend_step(self, mode: str, k: int):
        def run(real, z_d, z_g, decay):
            return self.train_step((real, z_d, z_g, decay), mode=mode, k=k)
        if keras.backend.backend() == "tensorflow":
            import tensorflow as tf
            return tf.function(run, autograph=False, reduce_retracing=True)
        return run

    # -- what every backend computes ------------------------------------------------------------------
    def _step_metrics(self, d_loss, g_loss, real_out, fake_out) -> dict:
        nan = ops.convert_to_tensor(float("nan"), "float32")
        return {"d_loss": nan if d_loss is None else d_loss, "g_loss": nan if g_loss is None else g_loss,
                "real_acc": nan if real_out is None else ops.mean(ops.cast(real_out > self.threshold, "float32")),
                "fake_acc": nan if fake_out is None else ops.mean(ops.cast(fake_out <= self.threshold, "float32"))}

    def train_step(self, data, mode: str = "both", k: int = 1):
        backend = keras.backend.backend()
        if backend == "tensorflow":
            return self._tf_train_step(data, mode, k)
        if backend == "torch":
            return self._torch_train_step(data, mode, k)
        raise NotImplementedError  # on JAX the step is stateless: step() calls _jax_train_step with the state

    # -- TensorFlow -----------------------------------------------------------------------------------
    def _tf_train_step(self, data, mode, k):
        import tensorflow as tf
        real, z_d, z_g, decay = data
        G, D = self.generator, self.discriminator
        d_loss = g_loss = real_out = fake_out = None
        if mode in ("both", "d"):
            n = tf.shape(z_g)[0]
            for i in range(k):
                real_i, z_i = real[i * n:(i + 1) * n], z_d[i * n:(i + 1) * n]
                fake = G(z_i, training=True)
                with tf.GradientTape() as tape:
                    real_out = D(real_i, training=True)
                    fake_out = D(fake, training=True)
                    d_loss, _ = gan_losses(self.loss_name, real_out, fake_out, self.smoothing)
                grads = tape.gradient(d_loss, D.trainable_variables)
                self.d_optimizer.apply(grads, D.trainable_variables)
        if mode in ("both", "g"):
            with tf.GradientTape() as tape:
                gen_out = D(G(z_g, training=True), training=True)
                _, g_loss = gan_losses(self.loss_name, gen_out, gen_out)
            grads = tape.gradient(g_loss, G.trainable_variables)
            self.g_optimizer.apply(grads, G.trainable_variables)
            for average, weight in zip(self.ema_weights, G.weights):
                average.assign(decay * average + (1.0 - decay) * weight)
            if fake_out is None:
                fake_out = gen_out
        return self._step_metrics(d_loss, g_loss, real_out, fake_out)

    # -- PyTorch --------------------------------------------------------------------------------------
    def _torch_train_step(self, data, mode, k):
        import torch
        real, z_d, z_g, decay = (ops.convert_to_tensor(x, "float32") for x in data)
        G, D = self.generator, self.discriminator
        d_loss = g_loss = real_out = fake_out = None
        n = z_g.shape[0]
        if mode in ("both", "d"):
            for i in range(k):
                with torch.no_grad():
                    fake = G(z_d[i * n:(i + 1) * n], training=True)
                D.zero_grad()
                real_out = D(real[i * n:(i + 1) * n], training=True)
                fake_out = D(fake, training=True)
                d_loss, _ = gan_losses(self.loss_name, real_out, fake_out, self.smoothing)
                d_loss.backward()
                variables = D.trainable_variables
                with torch.no_grad():
                    self.d_optimizer.apply([v.value.grad for v in variables], variables)
        if mode in ("both", "g"):
            G.zero_grad()
            D.zero_grad()
            gen_out = D(G(z_g, training=True), training=True)
            _, g_loss = gan_losses(self.loss_name, gen_out, gen_out)
            g_loss.backward()
            variables = G.trainable_variables
            with torch.no_grad():
                self.g_optimizer.apply([v.value.grad for v in variables], variables)
                for average, weight in zip(self.ema_weights, G.weights):
                    average.assign(decay * average.value + (1.0 - decay) * weight.value)
            D.zero_grad()  # G's backward pass left gradients in D; D's next step must not see them
            if fake_out is None:
                fake_out = gen_out
        return self._step_metrics(*(None if x is None else x.detach() for x in (d_loss, g_loss, real_out, fake_out)))

    # -- JAX ------------------------------------------------------------------------------------------
    def _jax_state(self):
        return tuple([v.value for v in variables] for variables in self._jax_variables())

    def _jax_variables(self):
        G, D = self.generator, self.discriminator
        return (G.trainable_variables, G.non_trainable_variables, D.trainable_variables, D.non_trainable_variables,
                self.g_optimizer.variables, self.d_optimizer.variables, self.ema_weights)

    def _jax_step(self, real, z_d, z_g, decay, mode, k):
        import jax
        fn = self._compiled.get((mode, k))
        if fn is None:
            fn = self._compiled[(mode, k)] = jax.jit(
                lambda state, data: self._jax_train_step(state, data, mode, k))
        state, metrics = fn(self._jax_state(), (real, z_d, z_g, decay))
        for variables, values in zip(self._jax_variables(), state):
            for variable, value in zip(variables, values):
                variable.assign(value)
        return metrics

    def _jax_train_step(self, state, data, mode, k):
        import jax
        g_tr, g_ntr, d_tr, d_ntr, g_opt, d_opt, ema = state
        real, z_d, z_g, decay = data
        G, D = self.generator, self.discriminator
        d_loss = g_loss = real_out = fake_out = None
        n = z_g.shape[0]

        def d_objective(d_tr, d_ntr, real_i, fake):
            real_o, d_ntr = D.stateless_call(d_tr, d_ntr, real_i, training=True)
            fake_o, d_ntr = D.stateless_call(d_tr, d_ntr, fake, training=True)
            loss, _ = gan_losses(self.loss_name, real_o, fake_o, self.smoothing)
            return loss, (d_ntr, real_o, fake_o)

        def g_objective(g_tr, g_ntr, d_ntr):
            fake, g_ntr = G.stateless_call(g_tr, g_ntr, z_g, training=True)
            out, d_ntr = D.stateless_call(d_tr, d_ntr, fake, training=True)
            _, loss = gan_losses(self.loss_name, out, out)
            return loss, (g_ntr, d_ntr, out)

        if mode in ("both", "d"):
            for i in range(k):
                fake, g_ntr = G.stateless_call(g_tr, g_ntr, z_d[i * n:(i + 1) * n], training=True)
                fake = jax.lax.stop_gradient(fake)
                (d_loss, (d_ntr, real_out, fake_out)), grads = jax.value_and_grad(d_objective, has_aux=True)(
                    d_tr, d_ntr, real[i * n:(i + 1) * n], fake)
                d_tr, d_opt = self.d_optimizer.stateless_apply(d_opt, grads, d_tr)
        if mode in ("both", "g"):
            (g_loss, (g_ntr, d_ntr, gen_out)), grads = jax.value_and_grad(g_objective, has_aux=True)(
                g_tr, g_ntr, d_ntr)
            g_tr, g_opt = self.g_optimizer.stateless_apply(g_opt, grads, g_tr)
            if ema:
                weights = self._jax_generator_weights(g_tr, g_ntr)
                ema = [decay * a + (1.0 - decay) * w for a, w in zip(ema, weights)]
            if fake_out is None:
                fake_out = gen_out
        return (g_tr, g_ntr, d_tr, d_ntr, g_opt, d_opt, ema), self._step_metrics(d_loss, g_loss, real_out, fake_out)

    def _jax_generator_weights(self, trainable, non_trainable):
        """G's values in the order of `generator.weights` (which interleaves trainable and non-trainable)."""
        by_id = dict(zip((id(v) for v in self.generator.trainable_variables), trainable))
        by_id.update(zip((id(v) for v in self.generator.non_trainable_variables), non_trainable))
        return [by_id[id(v)] for v in self.generator.weights]

    # -- views ----------------------------------------------------------------------------------------
    def sample_generator(self):
        """The generator whose samples are shown: G itself, or a copy holding the moving average of its weights."""
        if not self.ema_weights:
            return self.generator
        if getattr(self, "_ema_generator", None) is None:
            self._ema_generator = keras.models.clone_model(self.generator)
        self._ema_generator.set_weights([ops.convert_to_numpy(v) for v in self.ema_weights])
        return self._ema_generator
