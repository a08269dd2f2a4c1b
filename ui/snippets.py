"""Code snippets that reproduce a view outside ConvLab (strings only)."""
from __future__ import annotations

import numpy as np

_TF_PAD = {"constant": "CONSTANT", "mirror": "REFLECT", "reflect": "SYMMETRIC"}


def array_literal(a: np.ndarray) -> str:
    rows = ",\n    ".join("[" + ", ".join(f"{v:.4g}" for v in row) + "]" for row in np.asarray(a))
    return f"np.array([\n    {rows}], dtype=np.float32)"


def tensorflow_conv(kernel, *, stride, padding, dilation, boundary, flip) -> str:
    k = np.asarray(kernel)
    lines = ["import numpy as np", "import tensorflow as tf", "",
             f"kernel = {array_literal(k)}"]
    if flip:
        lines.append("kernel = kernel[::-1, ::-1]  # true convolution flips the kernel; Conv2D does not")
    lines += ["image = ...  # (H, W) grayscale array in [0, 1]",
              "x = tf.constant(image[None, :, :, None], tf.float32)",
              "k = tf.constant(kernel[:, :, None, None])"]
    if padding in ("valid", "same") and boundary == "constant":
        lines.append(f'y = tf.nn.conv2d(x, k, strides={stride}, padding="{padding.upper()}", dilations={dilation})')
    elif boundary in _TF_PAD:
        lines += ["# explicit padding (top, bottom, left, right) as ConvLab computed it:",
                  "pads = ...  # see the 'Output size' line above",
                  "x = tf.pad(x, [[0, 0], [pads[0], pads[1]], [pads[2], pads[3]], [0, 0]], "
                  f'mode="{_TF_PAD[boundary]}")',
                  f'y = tf.nn.conv2d(x, k, strides={stride}, padding="VALID", dilations={dilation})']
    else:
        lines += [f"# TensorFlow has no '{boundary}' padding; pad with numpy first:",
                  f"# np.pad(image, pads, mode={'edge' if boundary == 'nearest' else 'wrap'!r}), then padding='VALID'"]
    lines.append("result = y.numpy()[0, :, :, 0]")
    return "\n".join(lines)


def keras_small_cnn(input_shape, filters: tuple[int, int], classes: int) -> str:
    """The learn lesson's network in plain Keras: runs as it is in a notebook and prints the same table."""
    h, w, c = (int(v) for v in input_shape)
    a, b = (int(v) for v in filters)
    return "\n".join([
        "import keras",
        "from keras import layers",
        "",
        "model = keras.Sequential([",
        f"    keras.Input(({h}, {w}, {c})),",
        f'    layers.Conv2D({a}, 3, name="conv1"), layers.ReLU(name="relu1"), layers.MaxPooling2D(2, name="pool1"),',
        f'    layers.Conv2D({b}, 3, name="conv2"), layers.ReLU(name="relu2"), layers.MaxPooling2D(2, name="pool2"),',
        f'    layers.Flatten(name="flatten"), layers.Dense({int(classes)}, name="logits"),',
        "])",
        "model.summary()",
        "# train it: model.compile('adam', keras.losses.SparseCategoricalCrossentropy(from_logits=True), "
        "metrics=['accuracy'])",
        "first_layer_kernels = model.get_layer('conv1').get_weights()[0]  # (3, 3, channels, filters)",
    ])
