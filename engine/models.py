"""Keras 3 model builders (keras.ops only: runs on TensorFlow, JAX and PyTorch backends).

Imported lazily by the training code; importing this module imports keras.
"""
from __future__ import annotations

import keras
import numpy as np
from keras import layers, ops

from engine import cnn
from engine.errors import InputError
from engine.settings import AE_PRESETS


def _check_shape(input_shape):
    h, w, c = input_shape
    if h % 4 or w % 4 or c not in (1, 3):
        raise InputError("Images must be (H, W, 1 or 3) with H and W divisible by 4, got {input_shape}.",
                         input_shape=input_shape)


def build_autoencoder(input_shape=(28, 28, 1), decoder: str = "upsampling", preset: str = "better") -> keras.Model:
    """Two stride-2 stages down to (H/4, W/4, bottleneck), then back up by UpSampling2D+Conv2D or
    Conv2DTranspose. 'classic' uses MSE like the original tutorial; 'better' wider layers and
    binary cross-entropy, which gives sharp reconstructions within seconds.

    Examples
    --------
    >>> build_autoencoder((28, 28, 1), 'transpose').output_shape
    (None, 28, 28, 1)
    """
    _check_shape(input_shape)
    if decoder not in ("upsampling", "transpose"):
        raise InputError("decoder must be 'upsampling' or 'transpose', got {decoder}.", decoder=repr(decoder))
    if preset not in AE_PRESETS:
        raise InputError("preset must be one of {ae_presets}, got {preset}.", ae_presets=', '.join(AE_PRESETS),
                         preset=repr(preset))
    (f1, f2), bottleneck, _ = AE_PRESETS[preset]
    inputs = keras.Input(input_shape, name="image")
    x = layers.Conv2D(f1, 3, padding="same", activation="relu", name="enc_conv1")(inputs)
    x = layers.MaxPooling2D(2, padding="same", name="enc_pool1")(x)
    x = layers.Conv2D(f2, 3, padding="same", activation="relu", name="enc_conv2")(x)
    x = layers.MaxPooling2D(2, padding="same", name="enc_pool2")(x)
    code = layers.Conv2D(bottleneck, 3, padding="same", activation="relu", name="bottleneck")(x)
    if decoder == "upsampling":
        x = layers.Conv2D(f2, 3, padding="same", activation="relu", name="dec_conv1")(code)
        x = layers.UpSampling2D(2, name="dec_up1")(x)
        x = layers.Conv2D(f1, 3, padding="same", activation="relu", name="dec_conv2")(x)
        x = layers.UpSampling2D(2, name="dec_up2")(x)
    else:
        x = layers.Conv2DTranspose(f2, 3, strides=2, padding="same", activation="relu", name="dec_deconv1")(code)
        x = layers.Conv2DTranspose(f1, 3, strides=2, padding="same", activation="relu", name="dec_deconv2")(x)
    outputs = layers.Conv2D(input_shape[2], 3, padding="same", activation="sigmoid", name="reconstruction")(x)
    model = keras.Model(inputs, outputs, name=f"autoencoder_{decoder}_{preset}")
    return model


def ae_loss(preset: str):
    """Ae loss.

    Examples
    --------
    >>> ae_loss('classic'), ae_loss('better')
    ('mse', 'binary_crossentropy')
    """
    return {"mse": "mse", "bce": "binary_crossentropy"}[AE_PRESETS[preset][2]]


@keras.saving.register_keras_serializable(package="convlab")
class Sampling(layers.Layer):
    """z = mean + exp(log_var / 2) * epsilon, plus the KL divergence to N(0, I) added as a layer loss."""

    def __init__(self, kl_weight: float = 1.0, **kwargs):
        super().__init__(**kwargs)
        self.kl_weight = kl_weight
        self.seed = keras.random.SeedGenerator(1337)

    def call(self, inputs):
        mean, log_var = inputs
        kl = -0.5 * ops.mean(ops.sum(1 + log_var - ops.square(mean) - ops.exp(log_var), axis=1))
        self.add_loss(self.kl_weight * kl)
        eps = keras.random.normal(ops.shape(mean), seed=self.seed)
        return mean + ops.exp(0.5 * log_var) * eps

    def get_config(self):
        return super().get_config() | {"kl_weight": self.kl_weight}


def build_vae(input_shape=(28, 28, 1), latent_dim: int = 2, beta: float = 1.0, decoder_filters=(32, 16)):
    """Returns (vae, encoder, decoder). The VAE's compiled loss is the reconstruction term (binary
    cross-entropy summed over pixels, via a per-pixel mean times the pixel count); KL comes from Sampling,
    weighted by `beta` (1: the ELBO; below 1 the classes spread further apart in the latent space).

    Encoder: Conv 32 / 64 (s2) -> Dense 64 -> mean, log-variance. Decoder: Dense(h/4*w/4*f1) -> Conv2DTranspose
    f1 / f2 (s2) -> Conv 3x3 (sigmoid), with (f1, f2) = `decoder_filters`. The default (32, 16) is light on purpose:
    on a CPU it trains 1.6 times as many steps a second as (64, 32), so within a lesson's minute the latent map
    tells the digits apart better (docs/PERFORMANCE.md, decision 41).

    Examples
    --------
    >>> vae, encoder, decoder = build_vae((28, 28, 1), latent_dim=2)
    >>> decoder.output_shape
    (None, 28, 28, 1)
    """
    _check_shape(input_shape)
    h, w, c = input_shape
    enc_in = keras.Input(input_shape, name="enc_image")
    x = layers.Conv2D(32, 3, strides=2, padding="same", activation="relu", name="enc_conv1")(enc_in)
    x = layers.Conv2D(64, 3, strides=2, padding="same", activation="relu", name="enc_conv2")(x)
    x = layers.Flatten(name="enc_flatten")(x)
    x = layers.Dense(64, activation="relu", name="enc_dense")(x)
    z_mean = layers.Dense(latent_dim, name="z_mean")(x)
    z_log_var = layers.Dense(latent_dim, name="z_log_var")(x)
    encoder = keras.Model(enc_in, [z_mean, z_log_var], name="encoder")
    dec_in = keras.Input((latent_dim,), name="z")
    f1, f2 = decoder_filters
    x = layers.Dense((h // 4) * (w // 4) * f1, activation="relu", name="dec_dense")(dec_in)
    x = layers.Reshape((h // 4, w // 4, f1), name="dec_reshape")(x)
    x = layers.Conv2DTranspose(f1, 3, strides=2, padding="same", activation="relu", name="dec_deconv1")(x)
    x = layers.Conv2DTranspose(f2, 3, strides=2, padding="same", activation="relu", name="dec_deconv2")(x)
    dec_out = layers.Conv2D(c, 3, padding="same", activation="sigmoid", name="dec_image")(x)
    decoder = keras.Model(dec_in, dec_out, name="decoder")
    inputs = keras.Input(input_shape, name="image")
    mean, log_var = encoder(inputs)
    z = Sampling(kl_weight=beta / (h * w * c), name="sampling")([mean, log_var])  # KL per pixel, like the BCE mean
    vae = keras.Model(inputs, decoder(z), name="vae")
    return vae, encoder, decoder


def build_dcgan(image_shape=(28, 28, 1), noise_dim: int = 100, width: float = 1.0, d_dropout: float = 0.3):
    """Generator: Dense(h/4*w/4*256) -> BN -> LeakyReLU -> Conv2DTranspose 128 (s1) / 64 (s2) / C (s2, tanh).
    Discriminator: Conv 64 / 128 (s2) with LeakyReLU and dropout (`d_dropout`, 0 for none), one logit out.
    `width` scales every filter count (1.0 = the layout above; 0.25 trains ~16x faster on a CPU).

    Examples
    --------
    >>> generator, discriminator = build_dcgan((28, 28, 1), noise_dim=100, width=0.25)
    >>> generator.output_shape, discriminator.output_shape
    ((None, 28, 28, 1), (None, 1))
    """
    _check_shape(image_shape)
    _filters(width)  # refuses a width out of range before anything is built
    return _dcgan_generator(noise_dim, image_shape, width), _dcgan_discriminator(image_shape, width, d_dropout)


def _filters(width: float):
    """Filter counts scaled by `width`, at least 4."""
    if not 0.05 <= width <= 4:
        raise InputError("width must be between 0.05 and 4, got {width}.", width=width)
    return lambda n: max(4, int(round(n * width)))


def _dcgan_generator(noise_dim: int, image_shape: tuple, width: float):
    h, w, c = image_shape
    f = _filters(width)
    return keras.Sequential([
        keras.Input((noise_dim,), name="noise"),
        layers.Dense((h // 4) * (w // 4) * f(256), use_bias=False, name="g_dense"),
        layers.BatchNormalization(name="g_bn1"), layers.LeakyReLU(0.2, name="g_act1"),
        layers.Reshape((h // 4, w // 4, f(256)), name="g_reshape"),
        layers.Conv2DTranspose(f(128), 5, strides=1, padding="same", use_bias=False, name="g_deconv1"),
        layers.BatchNormalization(name="g_bn2"), layers.LeakyReLU(0.2, name="g_act2"),
        layers.Conv2DTranspose(f(64), 5, strides=2, padding="same", use_bias=False, name="g_deconv2"),
        layers.BatchNormalization(name="g_bn3"), layers.LeakyReLU(0.2, name="g_act3"),
        layers.Conv2DTranspose(c, 5, strides=2, padding="same", activation="tanh", name="g_image"),
    ], name="generator")


def _dcgan_discriminator(image_shape: tuple, width: float, d_dropout: float):
    f = _filters(width)
    return keras.Sequential([
        keras.Input(image_shape, name="d_image"),
        layers.Conv2D(f(64), 5, strides=2, padding="same", name="d_conv1"), layers.LeakyReLU(0.2, name="d_act1"),
        layers.Dropout(d_dropout, name="d_drop1"),
        layers.Conv2D(f(128), 5, strides=2, padding="same", name="d_conv2"), layers.LeakyReLU(0.2, name="d_act2"),
        layers.Dropout(d_dropout, name="d_drop2"),
        layers.Flatten(name="d_flatten"), layers.Dense(1, name="d_logit"),
    ], name="discriminator")


def build_conditional_dcgan(image_shape=(28, 28, 1), noise_dim: int = 100, classes: int = 10, width: float = 1.0,
                            d_dropout: float = 0.3):
    """The DCGAN told which class to draw (Mirza and Osindero's conditional GAN, as a DCGAN). Returns (generator,
    conditioned, discriminator): `generator` maps noise followed by a one-hot label (noise_dim + classes numbers) to
    an image; `conditioned` is the same generator whose output also carries the label as `classes` constant planes,
    which is what the discriminator sees: an image with its label's planes (C + classes channels). So a training
    step is the unconditional one, with the label inside the noise and inside the real batch.

    Examples
    --------
    >>> generator, conditioned, discriminator = build_conditional_dcgan((28, 28, 1), 100, 10, width=0.25)
    >>> generator.output_shape, conditioned.output_shape, discriminator.input_shape
    ((None, 28, 28, 1), (None, 28, 28, 11), (None, 28, 28, 11))
    """
    _check_shape(image_shape)
    if not 2 <= classes <= 100:
        raise InputError("A conditional GAN needs between 2 and 100 classes, got {classes}.", classes=classes)
    h, w, c = image_shape
    _filters(width)
    generator = _dcgan_generator(noise_dim + classes, image_shape, width)
    discriminator = _dcgan_discriminator((h, w, c + classes), width, d_dropout)
    z = keras.Input((noise_dim + classes,), name="noise_and_label")
    label = layers.Reshape((1, 1, classes), name="label_pixel")(z[:, noise_dim:])
    planes = layers.UpSampling2D((h, w), name="label_planes")(label)
    conditioned = keras.Model(z, layers.Concatenate(name="image_and_label")([generator(z), planes]),
                              name="conditioned_generator")
    return generator, conditioned, discriminator


def label_planes(images: np.ndarray, labels: np.ndarray, classes: int) -> np.ndarray:
    """Images with their labels as `classes` constant one-hot planes after their channels (what the conditional
    discriminator takes).

    >>> label_planes(np.zeros((2, 4, 4, 1), np.float32), np.array([0, 2]), 3)[1, 0, 0].tolist()
    [0.0, 0.0, 0.0, 1.0]
    """
    onehot = np.eye(classes, dtype=np.float32)[np.asarray(labels)]
    planes = np.broadcast_to(onehot[:, None, None, :], (*images.shape[:3], classes))
    return np.concatenate([images.astype(np.float32), planes], axis=-1)


def build_cnn(input_shape=(28, 28, 1), size: str = "small", classes: int = 10) -> keras.Model:
    """The small classifier of the "What a network learns" lesson: Conv 3x3 -> ReLU -> MaxPool 2, twice, then one
    Dense layer of logits. ReLU is its own layer so its output can be shown apart from the convolution's; layer
    names and shapes are engine.cnn.layer_table's.

    Examples
    --------
    >>> build_cnn((28, 28, 1), "small", 10).count_params()
    5258
    """

    cnn.layer_table(input_shape, size, classes)  # refuses what the network cannot take, before building
    inputs = keras.Input(tuple(int(v) for v in input_shape), name="image")
    x = inputs
    for i, filters in enumerate(cnn.CNN_SIZES[size], start=1):
        x = layers.Conv2D(filters, cnn.KERNEL_SIDE, name=f"conv{i}")(x)
        x = layers.ReLU(name=f"relu{i}")(x)
        x = layers.MaxPooling2D(cnn.POOL, name=f"pool{i}")(x)
    x = layers.Flatten(name="flatten")(x)
    outputs = layers.Dense(int(classes), name="logits")(x)
    return keras.Model(inputs, outputs, name=f"cnn_{size}")
