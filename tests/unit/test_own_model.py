"""engine.own_model: a .keras file read without Keras, its layer table equal to Keras' model.summary(), and its
NumPy forward pass equal to Keras' own intermediate outputs, layer by layer, on ConvLab's exports and on plain
Keras models built here."""
import io
import os

import numpy as np
import pytest

from engine import own_model

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
keras = pytest.importorskip("keras")
layers = keras.layers


def saved(model) -> bytes:
    import tempfile
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "m.keras")
        model.save(path)
        with open(path, "rb") as fp:
            return fp.read()


def randomize(model, seed: int = 0):
    """Weights that are not Keras' initial ones (zero biases, unit BatchNorm) so that every term is checked."""
    rng = np.random.default_rng(seed)
    for layer in model.layers:
        layer.set_weights([rng.normal(0, 0.3, w.shape).astype(np.float32) if "variance" not in v.path
                           else rng.uniform(0.5, 2, w.shape).astype(np.float32)
                           for w, v in zip(layer.get_weights(), layer.weights)])
    return model


def cifar_cnn():
    return keras.Sequential([
        keras.Input((32, 32, 3)),
        layers.Rescaling(1 / 2, offset=-0.25),
        layers.Conv2D(8, 3, padding="same", activation="relu", name="first"),
        layers.BatchNormalization(),
        layers.Conv2D(12, 5, strides=2, padding="same", dilation_rate=1),
        layers.LeakyReLU(0.1),
        layers.MaxPooling2D(3, strides=2, padding="same"),
        layers.Conv2D(16, 3, dilation_rate=2, activation="elu"),
        layers.ZeroPadding2D(((1, 0), (2, 1))),
        layers.AveragePooling2D(2, padding="same"),
        layers.ReLU(max_value=3.0, negative_slope=0.05),
        layers.SpatialDropout2D(0.2),
        layers.GlobalAveragePooling2D(),
        layers.Dense(24, activation="gelu"),
        layers.Dropout(0.5),
        layers.Dense(10),
        layers.Softmax(),
    ], name="cifar_cnn")


def decoder_like():
    inputs = keras.Input((8, 8, 3))
    x = layers.Conv2DTranspose(6, 3, strides=2, padding="same", activation="tanh")(inputs)
    x = layers.Conv2DTranspose(5, 5, strides=2, padding="same", use_bias=False)(x)  # crops 1 row and column
    x = layers.Conv2DTranspose(4, 4, strides=2, padding="valid")(x)
    x = layers.UpSampling2D(2)(x)
    x = layers.Conv2D(3, 2, activation="sigmoid")(x)
    x = layers.GlobalMaxPooling2D()(x)
    x = layers.Reshape((3, 1))(x)
    x = layers.Flatten()(x)
    outputs = layers.Activation("swish")(x)
    return keras.Model(inputs, outputs, name="decoder_like")


def convlab(name: str):
    from engine import models
    if name == "cnn":
        return models.build_cnn((28, 28, 1), "small", 10)
    if name == "discriminator":
        return models.build_dcgan((28, 28, 1), noise_dim=16, width=0.25)[1]
    return models.build_autoencoder((28, 28, 1), decoder=name)


BUILDERS = {"cifar cnn": cifar_cnn, "transposed decoder": decoder_like, "convlab cnn": lambda: convlab("cnn"),
            "convlab discriminator": lambda: convlab("discriminator"),
            "convlab autoencoder (UpSampling2D)": lambda: convlab("upsampling"),
            "convlab autoencoder (Conv2DTranspose)": lambda: convlab("transpose")}


def intermediate(model, x):
    shown = [layer.output for layer in model.layers if layer.__class__.__name__ != "InputLayer"]
    probe = keras.Model(model.inputs, shown)
    out = probe(x[None], training=False)
    return [np.asarray(o)[0] for o in (out if isinstance(out, (list, tuple)) else [out])]


@pytest.mark.parametrize("name", list(BUILDERS))
def test_every_layer_agrees_with_keras(name):
    model = BUILDERS[name]()
    randomize(model, seed=3)
    read = own_model.read_keras_file(saved(model))
    expected_layers = [layer for layer in model.layers if layer.__class__.__name__ != "InputLayer"]
    # the layer table is Keras' model.summary(): names, kinds, output shapes, parameter counts
    assert [(row.name, row.kind, row.out_shape, row.params) for row in read.layers] == \
        [(k.name, k.__class__.__name__, tuple(k.output.shape[1:]), k.count_params()) for k in expected_layers]
    assert read.params == model.count_params()
    x = np.random.default_rng(7).uniform(0, 1, read.input_shape).astype(np.float32)
    ours, theirs = own_model.forward(read, x), intermediate(model, x)
    for layer, a, b in zip(read.layers, ours, theirs):
        np.testing.assert_allclose(a, b, rtol=2e-4, atol=2e-4, err_msg=f"{layer.name} ({layer.kind})")


def test_probabilities_are_recognised_and_first_conv_found():
    read = own_model.read_keras_file(saved(randomize(cifar_cnn())))
    assert read.probabilities
    index, layer = own_model.first_conv(read)
    assert (index, layer.name, layer.weights[0].shape) == (1, "first", (3, 3, 3, 8))


def test_a_lambda_layer_is_refused_unread():
    model = keras.Sequential([keras.Input((8, 8, 1)), layers.Lambda(lambda t: t * 2), layers.Flatten()])
    with pytest.raises(own_model.ModelFileError, match="Lambda layer, which is Python code"):
        own_model.read_keras_file(saved(model))


def test_a_branching_model_is_refused_with_the_layer_named():
    inputs = keras.Input((8, 8, 1))
    a = layers.Conv2D(2, 3, padding="same", name="left")(inputs)
    b = layers.Conv2D(2, 3, padding="same", name="right")(inputs)
    model = keras.Model(inputs, layers.Add(name="join")([a, b]))
    with pytest.raises(own_model.ModelFileError):
        own_model.read_keras_file(saved(model))


def test_a_generator_taking_noise_is_refused_as_not_taking_images():
    from engine import models
    generator, _ = models.build_dcgan((28, 28, 1), noise_dim=16, width=0.25)
    with pytest.raises(own_model.ModelFileError, match="needs images"):
        own_model.read_keras_file(saved(generator))


def test_a_too_large_image_pass_is_refused_before_running():
    model = keras.Sequential([keras.Input((256, 256, 3)), layers.Conv2D(256, 7, padding="same"),
                              layers.Conv2D(256, 7, padding="same")])
    read = own_model.read_keras_file(saved(model))
    with pytest.raises(own_model.TooLargeError, match="multiply-adds"):
        own_model.forward(read, np.zeros((256, 256, 3), np.float32))


def test_the_weight_names_follow_keras_rule():
    """Two layers of one class are conv2d and conv2d_1 in the file, whatever the student named them."""
    import zipfile

    import h5py
    data = saved(keras.Sequential([keras.Input((8, 8, 1)), layers.Conv2D(2, 3, name="a"), layers.Conv2D(3, 3,
                                                                                                       name="b")]))
    with h5py.File(io.BytesIO(zipfile.ZipFile(io.BytesIO(data)).read("model.weights.h5")), "r") as store:
        assert {"conv2d", "conv2d_1"} <= set(store["layers"])
    read = own_model.read_keras_file(data)
    assert [layer.weights[0].shape for layer in read.layers] == [(3, 3, 1, 2), (3, 3, 2, 3)]


def test_too_many_values_in_the_layers_outputs_are_refused_before_running():
    model = keras.Sequential([keras.Input((256, 256, 3))] + [layers.Conv2D(8, 1) for _ in range(50)])
    read = own_model.read_keras_file(saved(model))
    assert own_model.multiply_adds(read) <= own_model.MAX_MACS
    with pytest.raises(own_model.TooLargeError, match="values in its layers' outputs"):
        own_model.forward(read, np.zeros((256, 256, 3), np.float32))
