"""Other ways to shape a VAE's latent space, tried against the default (a standard normal prior, KL weighted by
β from the first step) by `bench/recipes.py --vae --vae-prior NAME`. Each replaces engine.models.Sampling for the
run; the engine keeps the default (docs/PERFORMANCE.md says what each gave).

- mixture: a learned mixture of ten Gaussians as the prior (centres start on a circle of radius 3), KL estimated
  from one sample, as in Dilokthanakul et al.'s GMVAE: each digit may settle around its own centre.
- mmd: InfoVAE's MMD-VAE (Zhao et al.): a deterministic code, and the maximum mean discrepancy between the batch's
  codes and standard normal samples instead of each digit's KL.
- warmup: the usual KL, its weight rising from 0 to β over the first 1,500 steps (Bowman et al.'s annealing).
"""
import math

import numpy as np

MIXTURE_COMPONENTS, MIXTURE_RADIUS, MMD_SAMPLES, WARMUP_STEPS = 10, 3.0, 200, 1500


def sampling_layer(prior: str):
    """A drop-in for engine.models.Sampling (same arguments) that shapes the latent space as `prior` says."""
    import keras
    from keras import ops

    from engine import models

    class MixturePrior(models.Sampling):
        def build(self, shapes):
            d = shapes[0][-1]
            angle = 2 * np.pi * np.arange(MIXTURE_COMPONENTS) / MIXTURE_COMPONENTS
            start = np.zeros((MIXTURE_COMPONENTS, d), np.float32)
            start[:, 0], start[:, 1 % d] = np.cos(angle) * MIXTURE_RADIUS, np.sin(angle) * MIXTURE_RADIUS
            self.centres = self.add_weight(shape=start.shape, initializer=keras.initializers.Constant(start),
                                           name="centres")
            self.log_scales = self.add_weight(shape=start.shape, initializer="zeros", name="log_scales")

        def call(self, inputs):
            mean, log_var = inputs
            eps = keras.random.normal(ops.shape(mean), seed=self.seed)
            z = mean + ops.exp(0.5 * log_var) * eps
            log_q = ops.sum(-0.5 * (log_var + ops.square(eps)), axis=1)  # log 2π cancels against log p's
            gap = (z[:, None, :] - self.centres[None]) / ops.exp(self.log_scales)[None]
            log_p = ops.logsumexp(ops.sum(-0.5 * ops.square(gap) - self.log_scales[None], axis=2), axis=1)
            self.add_loss(self.kl_weight * ops.mean(log_q - log_p + math.log(MIXTURE_COMPONENTS)))
            return z

    class MMD(models.Sampling):
        def call(self, inputs):
            mean, log_var = inputs
            prior = keras.random.normal((MMD_SAMPLES, ops.shape(mean)[1]), seed=self.seed)

            def kernel(a, b):
                return ops.exp(-ops.sum(ops.square(a[:, None] - b[None]), axis=2) / ops.cast(ops.shape(a)[1], a.dtype))
            mmd = ops.mean(kernel(mean, mean)) + ops.mean(kernel(prior, prior)) - 2 * ops.mean(kernel(mean, prior))
            # kl_weight is β per pixel (build_vae divides by the pixel count); MMD is weighed against the per-pixel
            # reconstruction loss directly, as in Zhao et al.'s tutorial
            self.add_loss(mmd + 0.0 * ops.sum(log_var))
            return mean

    class WarmUp(models.Sampling):
        """Sampling itself, whose KL weight is β times `share` (0 to 1, set by `before_step`)."""

        def build(self, shapes):
            self.share = self.add_weight(shape=(), initializer="zeros", trainable=False, name="share")

        @property
        def kl_weight(self):
            return self.share * self.full_kl_weight

        @kl_weight.setter
        def kl_weight(self, value):
            self.full_kl_weight = value

    return {"mixture": MixturePrior, "mmd": MMD, "warmup": WarmUp}[prior]


def before_step(trainer, prior: str) -> None:
    """Per-step bookkeeping a prior needs (the warm-up's KL share)."""
    if prior == "warmup":
        trainer.task.model.get_layer("sampling").share.assign(min(1.0, trainer.step_count / WARMUP_STEPS))
