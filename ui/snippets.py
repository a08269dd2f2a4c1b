"""Code snippets that reproduce a view outside ConvLab (strings only)."""
from __future__ import annotations

import numpy as np


def array_literal(a: np.ndarray) -> str:
    rows = ",\n    ".join("[" + ", ".join(f"{v:.4g}" for v in row) + "]" for row in np.asarray(a))
    return f"np.array([\n    {rows}], dtype=np.float32)"


def tensorflow_conv(kernel, *, stride, padding, dilation, boundary, flip, image_hw=(64, 64), pads=None) -> str:
    """The Kernels page's filtered image with TensorFlow, for an image of `image_hw` (pads: top, bottom, left, right
    as ConvLab computed them, needed when the boundary is not zeros or the padding is 'full')."""
    k = np.asarray(kernel)
    h, w = (int(v) for v in image_hw)
    lines = ["import numpy as np", "import tensorflow as tf", "",
             f"kernel = {array_literal(k)}"]
    if flip:
        lines.append("kernel = kernel[::-1, ::-1]  # true convolution flips the kernel; Conv2D does not")
    if dilation > 1:  # spread the taps with zeros (tf.nn.conv2d refuses dilation together with stride)
        d = dilation
        lines += [f"spread = np.zeros(((kernel.shape[0] - 1) * {d} + 1, (kernel.shape[1] - 1) * {d} + 1), np.float32)",
                  f"spread[::{d}, ::{d}] = kernel", "kernel = spread"]
        dilation = 1
    lines += [f"image = np.random.default_rng(0).random(({h}, {w}), dtype=np.float32)  # your grayscale image",
              "k = tf.constant(kernel[:, :, None, None])"]
    if padding in ("valid", "same") and boundary == "constant":
        lines += ["x = tf.constant(image[None, :, :, None])",
                  f'y = tf.nn.conv2d(x, k, strides={stride}, padding="{padding.upper()}", dilations={dilation})']
    else:
        top, bottom, left, right = pads if pads is not None else (0, 0, 0, 0)
        mode = {"constant": "constant", "nearest": "edge", "reflect": "symmetric", "mirror": "reflect",
                "wrap": "wrap"}[boundary]
        lines += [f"# padding (top, bottom, left, right) = {(top, bottom, left, right)}, '{boundary}' boundary",
                  f"padded = np.pad(image, (({top}, {bottom}), ({left}, {right})), mode={mode!r})",
                  "x = tf.constant(padded[None, :, :, None])",
                  f'y = tf.nn.conv2d(x, k, strides={stride}, padding="VALID", dilations={dilation})']
    lines.append("result = y.numpy()[0, :, :, 0]")
    lines.append("print(result.shape)")
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


# Each snippet below runs as it is in a plain notebook (NumPy, SciPy, Keras/TensorFlow only) and reproduces the
# numbers of the view it sits under; tests/app/test_snippets.py executes every one that a page shows.

def voc_boxes(xml_text: str) -> str:
    """Read the boxes of a PASCAL VOC annotation with the standard library."""
    return "\n".join([
        "import xml.etree.ElementTree as ET  # for files from strangers use defusedxml.ElementTree (same API)",
        "",
        f"xml = {xml_text!r}",
        "root = ET.fromstring(xml)",
        "for obj in root.iter('object'):",
        "    box = [float(obj.find('bndbox').find(tag).text) for tag in ('xmin', 'ymin', 'xmax', 'ymax')]",
        "    print(obj.find('name').text, box)  # (xmin, ymin, xmax, ymax) in pixels",
    ])


def yolo_target(boxes, class_ids, image_hw, S: int, cell: tuple[int, int]) -> str:
    """YOLO v1's S x S x 30 target in NumPy, and the cell the page shows."""
    h, w = (int(v) for v in image_hw)
    return "\n".join([
        "import numpy as np",
        "",
        f"boxes = np.array({np.round(np.asarray(boxes, float), 2).tolist()})  # xmin, ymin, xmax, ymax",
        f"class_ids = {[int(c) for c in class_ids]}  # PASCAL VOC class numbers 0..19",
        f"H, W, S, B, C = {h}, {w}, {S}, 2, 20",
        "target = np.zeros((S, S, B * 5 + C))",
        "for (x0, y0, x1, y1), cls in zip(boxes, class_ids):",
        "    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2",
        "    row, col = min(int(cy / H * S), S - 1), min(int(cx / W * S), S - 1)  # the responsible cell",
        "    if target[row, col, 4] == 1:",
        "        continue  # YOLO v1 keeps one object per cell",
        "    target[row, col, :5] = [cx / W * S - col, cy / H * S - row, (x1 - x0) / W, (y1 - y0) / H, 1]",
        "    target[row, col, B * 5 + cls] = 1",
        f"print(target[{cell[0]}, {cell[1]}].round(4))",
    ])


def anchors(image_hw, stride: int, ratios, scales) -> str:
    """Faster R-CNN's anchors in NumPy: every feature-map cell, every ratio and scale."""
    h, w = (int(v) for v in image_hw)
    return "\n".join([
        "import numpy as np",
        "",
        f"H, W, stride = {h}, {w}, {stride}",
        f"ratios, scales = {list(ratios)}, {list(scales)}  # ratio = w / h; scale in strides",
        "ys, xs = np.meshgrid(stride / 2 + stride * np.arange(H // stride),",
        "                     stride / 2 + stride * np.arange(W // stride), indexing='ij')",
        "# every ratio and scale: area (s * stride) ** 2, width / height = r",
        "sizes = [(s * stride * np.sqrt(r), s * stride / np.sqrt(r)) for r in ratios for s in scales]",
        "anchors = np.array([[x - aw / 2, y - ah / 2, x + aw / 2, y + ah / 2]",
        "                    for y, x in zip(ys.ravel(), xs.ravel()) for aw, ah in sizes])",
        "print(len(anchors), 'anchors; the first:', anchors[0].round(1))",
    ])


def nms(boxes, scores, iou_threshold: float, score_threshold: float) -> str:
    """The same candidates through TensorFlow's non-max suppression (boxes as y, x corners)."""
    b = np.round(np.asarray(boxes, float), 1)
    return "\n".join([
        "import numpy as np",
        "import tensorflow as tf",
        "",
        f"boxes = np.array({b.tolist()})  # xmin, ymin, xmax, ymax",
        f"scores = np.array({np.round(np.asarray(scores, float), 3).tolist()})",
        "keep = tf.image.non_max_suppression(boxes[:, [1, 0, 3, 2]], scores, max_output_size=len(boxes),",
        f"                                    iou_threshold={iou_threshold}, score_threshold={score_threshold})",
        "print('kept', sorted(keep.numpy().tolist()))  # all classes at once, like the 'Per class' switch off",
    ])


def smooth_l1() -> str:
    return "\n".join([
        "import numpy as np",
        "import keras",
        "",
        "x = np.linspace(-3, 3, 7)",
        "smooth_l1 = np.where(np.abs(x) < 1, 0.5 * x ** 2, np.abs(x) - 0.5)",
        "huber = [float(keras.losses.Huber(delta=1.0)(np.array([v]), np.array([0.0]))) for v in x]",
        "print(smooth_l1, np.allclose(smooth_l1, huber))  # smooth L1 is Keras' Huber loss with delta 1",
    ])


def conv_matrix(n: int, kernel, stride: int) -> str:
    """A valid convolution as a matrix C, and C transposed."""
    k = np.asarray(kernel)
    return "\n".join([
        "import numpy as np",
        "from scipy import signal",
        "",
        f"n, stride = {n}, {stride}",
        f"k = np.array({k.tolist()}, float)",
        "out = (n - k.shape[0]) // stride + 1",
        "C = np.zeros((out * out, n * n))",
        "for r in range(out):",
        "    for c in range(out):",
        "        window = np.zeros((n, n))",
        "        window[r * stride:r * stride + k.shape[0], c * stride:c * stride + k.shape[1]] = k",
        "        C[r * out + c] = window.ravel()  # one row per output pixel: the kernel, shifted",
        "x = np.random.default_rng(0).random((n, n))",
        "same = np.allclose(C @ x.ravel(), signal.correlate2d(x, k, mode='valid')[::stride, ::stride].ravel())",
        "print(C.shape, same, (C.T @ C).shape)  # C.T maps back to n*n values: transposed convolution",
    ])


def conv_transpose(x, kernel, stride: int, padding, output_padding: int) -> str:
    """The scatter tab's transposed convolution in TensorFlow: Keras' layer for "valid"/"same", tf.nn with explicit
    padding for PyTorch's integer padding (the output padding is then in the output shape)."""
    lines = ["import numpy as np",
             "import tensorflow as tf",
             "",
             f"x = np.array({np.asarray(x).astype(int).tolist()}, np.float32)[None, :, :, None]",
             f"k = np.array({np.asarray(kernel).astype(int).tolist()}, np.float32)[:, :, None, None]"]
    if isinstance(padding, int):
        n, kh = len(x), len(kernel)
        size = (n - 1) * stride + kh - 2 * padding + output_padding
        return "\n".join(lines + [
            f"# PyTorch: nn.ConvTranspose2d(1, 1, {kh}, stride={stride}, padding={padding}, "
            f"output_padding={output_padding}, bias=False)",
            f"p, size = {padding}, {size}  # (n - 1)*stride + k - 2p + output_padding",
            f"y = tf.nn.conv2d_transpose(x, k, output_shape=[1, size, size, 1], strides={stride},",
            "                           padding=[[0, 0], [p, p], [p, p], [0, 0]])",
            "print(y[0, :, :, 0].numpy())"])
    return "\n".join(lines + [
        f"layer = tf.keras.layers.Conv2DTranspose(1, {len(kernel)}, strides={stride}, padding='{padding}', "
        f"output_padding={output_padding or None}, use_bias=False)",
        "layer.build(x.shape); layer.set_weights([k])",
        "print(layer(x)[0, :, :, 0].numpy())"])


def checkerboard(kernel_size: int, stride: int) -> str:
    return "\n".join([
        "import keras",
        "from keras import layers",
        "",
        "x = keras.ops.ones((1, 8, 8, 1))",
        f"artifact = layers.Conv2DTranspose(1, {kernel_size}, strides={stride}, padding='same',",
        "                                  kernel_initializer='ones')(x)",
        f"remedy = layers.Conv2D(1, {kernel_size}, padding='same', kernel_initializer='ones')(",
        f"    layers.UpSampling2D({stride})(x))",
        "print(keras.ops.convert_to_numpy(artifact)[0, 2:6, 2:6, 0])  # uneven where kernel % stride != 0",
        "print(keras.ops.convert_to_numpy(remedy)[0, 2:6, 2:6, 0])    # flat away from the border",
    ])


def wiener(noise: float, nsr: float) -> str:
    return "\n".join([
        "import numpy as np",
        "",
        "image = np.random.default_rng(0).random((64, 64))  # your grayscale image in [0, 1]",
        "psf = np.outer(*[np.exp(-np.arange(-3, 4) ** 2 / 2.0)] * 2)",
        "psf /= psf.sum()  # a 7x7 Gaussian blur",
        "H = np.fft.fft2(psf, image.shape)",
        f"blurred = np.real(np.fft.ifft2(np.fft.fft2(image) * H)) + np.random.default_rng(1).normal(0, {noise:g}, "
        "image.shape)",
        f"restored = np.real(np.fft.ifft2(np.conj(H) * np.fft.fft2(blurred) / (np.abs(H) ** 2 + {nsr:g})))",
        "psnr = lambda a: 10 * np.log10(1 / np.mean((a - image) ** 2))",
        "print(f'blurred {psnr(blurred):.2f} dB, Wiener {psnr(restored):.2f} dB')",
    ])


def decoders() -> str:
    return "\n".join([
        "import keras",
        "from keras import layers",
        "",
        "feature = keras.ops.ones((1, 8, 8, 1))",
        "decoder_a = keras.Sequential([layers.UpSampling2D(2), layers.Conv2D(1, 3, padding='same')])",
        "decoder_b = keras.Sequential([layers.Conv2DTranspose(1, 3, strides=2, padding='same')])",
        "print(decoder_a(feature).shape, decoder_b(feature).shape)  # both (1, 16, 16, 1)",
    ])
