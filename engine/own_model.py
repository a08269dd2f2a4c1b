"""A student's own Keras model (a `.keras` file), read without Keras and without running anything in it.

A `.keras` file is a zip of `config.json` (the layers, as JSON) and `model.weights.h5` (the weights, HDF5). Loading
it with Keras would import TensorFlow (seconds, hundreds of MB) and trust Keras' deserializer with a stranger's file;
safe mode stops Lambda layers, not a config built to exhaust memory. ConvLab reads the two members itself, under
engine.bounded's time and memory budget: every size is checked before it is read, only layer kinds from a fixed
list are accepted (no Lambda, no custom or registered classes, no nested models), and weights are read only where
a layer's own config says they must be, with the shape it implies. The model is then run by NumPy, layer by
layer, so every intermediate map can be shown; tests check each layer against Keras' own outputs.

Keras names each layer's weights in the file by its class, in order (`layers/conv2d`, `layers/conv2d_1`, ...),
not by the name the student gave it; the reader follows the same rule.
"""
from __future__ import annotations

import io
import json
import math
import re
import struct
import zipfile
import zlib
from dataclasses import dataclass

import numpy as np

from engine import cnn, conv
from engine.errors import ConvLabError, InputError, TooLargeError, megabytes, shown

MAX_FILE_BYTES = 50 * 2**20
MAX_CONFIG_BYTES = 2 * 2**20
MAX_WEIGHTS_BYTES = 200 * 2**20
MAX_CONFIG_DEPTH = 64
MAX_LAYERS = 200
MAX_PARAMS = 10_000_000          # 40 MB of float32 weights: a CIFAR-sized CNN has well under 1 M
MAX_INPUT_SIDE = 256
MAX_MACS = 400_000_000           # multiply-adds of one forward pass, about a second in NumPy
MAX_ACTIVATIONS = 25_000_000     # values of all the layers' outputs for one image (100 MB as float32)

WEIGHTLESS = ("InputLayer", "Flatten", "Reshape", "Dropout", "SpatialDropout2D", "GaussianNoise", "GaussianDropout",
              "ReLU", "LeakyReLU", "Activation", "Softmax", "MaxPooling2D", "AveragePooling2D",
              "GlobalAveragePooling2D", "GlobalMaxPooling2D", "UpSampling2D", "ZeroPadding2D", "Rescaling")
WITH_WEIGHTS = ("Conv2D", "Conv2DTranspose", "Dense", "BatchNormalization")
LAYER_KINDS = WITH_WEIGHTS + WEIGHTLESS   # the one list of layers this reader follows
ACTIVATIONS = ("linear", "relu", "relu6", "sigmoid", "tanh", "softmax", "elu", "selu", "softplus", "softsign",
               "swish", "silu", "gelu", "leaky_relu", "hard_sigmoid", "exponential")
MODEL_CLASSES = ("Sequential", "Functional", "Model")


class ModelFileError(ConvLabError):
    """A model file ConvLab will not read; the message says why, for the student."""


@dataclass(frozen=True)
class Layer:
    name: str           # the student's name for it
    kind: str           # Keras' class name
    config: dict        # the few settings the forward pass needs, checked
    weights: tuple      # float32 arrays in Keras' order
    out_shape: tuple    # without the batch axis
    params: int


@dataclass(frozen=True)
class OwnModel:
    name: str
    input_shape: tuple           # (H, W, C)
    layers: tuple                # of Layer, input layer left out

    @property
    def params(self) -> int:
        return sum(layer.params for layer in self.layers)

    @property
    def probabilities(self) -> bool:
        """Whether the last layer ends in a softmax: its output is class probabilities."""
        last = self.layers[-1]
        return last.kind == "Softmax" or last.config.get("activation") == "softmax"


# --- reading the file -----------------------------------------------------------------------------------

def read_keras_file(data: bytes) -> OwnModel:
    """Read a `.keras` file under engine.bounded's budget; ModelFileError or TooLargeError say what is wrong."""
    from engine import bounded
    if not data:
        raise ModelFileError("The file is empty.")
    if len(data) > MAX_FILE_BYTES:
        raise ModelFileError("The file is {size}; the limit is {max_user_bytes}.", size=megabytes(len(data)),
                             max_user_bytes=megabytes(MAX_FILE_BYTES))
    return bounded.call(_read, data)


def _member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise ModelFileError("This is not a Keras 3 model file: it has no {name} (save the model with "
                             "model.save('name.keras')).", name=name) from None
    if info.file_size > limit:
        raise TooLargeError("{name} in the model file declares {file_size} uncompressed; the limit is {limit}.",
                            name=name, file_size=megabytes(info.file_size), limit=megabytes(limit))
    with archive.open(info) as fp:
        body = fp.read(limit + 1)  # a member that lies about its size still stops here
    if len(body) > limit:
        raise TooLargeError("{name} in the model file expands past {limit}.", name=name, limit=megabytes(limit))
    return body


def _read(data: bytes) -> OwnModel:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        if len(archive.infolist()) > 16:
            raise ModelFileError("This is not a Keras 3 model file: it holds {count} files (a .keras file holds 3).",
                                 count=len(archive.infolist()))
        config_text = _member(archive, "config.json", MAX_CONFIG_BYTES)
        weights_bytes = _member(archive, "model.weights.h5", MAX_WEIGHTS_BYTES)
    except ConvLabError:
        raise
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError, ValueError):
        raise ModelFileError("This is not a Keras 3 model file (a .keras file is a zip of config.json and "
                             "model.weights.h5); an older .h5 model can be saved again as .keras.") from None
    config = _parse_json(config_text)
    model = _model_from_config(config)
    weights = _weights(weights_bytes, model)
    layers = tuple(Layer(spec.name, spec.kind, spec.config, weights.get(i, ()), spec.out_shape, spec.params)
                   for i, spec in enumerate(model["layers"]))
    return OwnModel(model["name"], model["input_shape"], layers)


def _parse_json(text: bytes):
    try:
        config = json.loads(text)
    except RecursionError:
        raise ModelFileError("The model's config.json is nested more deeply than any model needs.") from None
    except (UnicodeDecodeError, ValueError):
        raise ModelFileError("The model's config.json is not valid JSON.") from None
    stack = [(config, 1)]
    while stack:  # depth and size of what the JSON parser built, without recursion
        node, depth = stack.pop()
        if depth > MAX_CONFIG_DEPTH:
            raise ModelFileError("The model's config.json is nested more deeply than any model needs.")
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else ()
        stack.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return config


def _snake(name: str) -> str:
    """Keras' own to_snake_case: how the weights file names a layer of class `name`.

    >>> _snake("Conv2D"), _snake("BatchNormalization"), _snake("LeakyReLU"), _snake("MaxPooling2D")
    ('conv2d', 'batch_normalization', 'leaky_re_lu', 'max_pooling2d')
    """
    name = re.sub(r"\W+", "", name)
    name = re.sub("(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub("([a-z])([A-Z])", r"\1_\2", name).lower()


@dataclass
class _Spec:
    name: str
    kind: str
    config: dict
    path: str
    out_shape: tuple = ()
    params: int = 0
    weight_shapes: tuple = ()


def _model_from_config(config) -> dict:
    if not isinstance(config, dict) or config.get("class_name") not in MODEL_CLASSES \
            or config.get("module") not in ("keras", "keras.models", "keras.src.models.functional"):
        raise ModelFileError("The file's config.json does not describe a Keras Sequential or Functional model.")
    if config.get("registered_name") not in (None, "Functional", "Sequential"):
        raise ModelFileError("The model is a custom class ({class_name}): its code would have to run, and ConvLab "
                             "runs no code from a file.", class_name=shown(config.get("registered_name"), 40))
    body = config.get("config")
    layers = body.get("layers") if isinstance(body, dict) else None
    if not isinstance(layers, list) or not layers:
        raise ModelFileError("The model's config.json lists no layers.")
    if len(layers) > MAX_LAYERS:
        raise TooLargeError("The model has {layers} layers; this view follows at most {max_layers}.",
                            layers=len(layers), max_layers=MAX_LAYERS)
    specs, counts, names = [], {}, set()
    for entry in layers:
        kind, name, settings = _layer_identity(entry)
        if name in names:
            raise ModelFileError("Two layers are named {name}.", name=shown(name, 40))
        names.add(name)
        snake = _snake(kind)
        path = f"layers/{snake}" + (f"_{counts[snake]}" if counts.get(snake) else "")
        counts[snake] = counts.get(snake, 0) + 1
        specs.append(_Spec(name, kind, settings, path))
    if config["class_name"] != "Sequential":
        _check_chain(layers, body)
    if specs[0].kind == "InputLayer":
        input_shape = _batch_shape(specs[0].config.get("batch_shape") or specs[0].config.get("batch_input_shape"))
        specs = specs[1:]
    else:  # a Sequential built without an Input: Keras keeps the shape it was built on
        input_shape = _batch_shape(body.get("build_input_shape") or (layers[0].get("build_config") or {})
                                   .get("input_shape"))
    if not specs:
        raise ModelFileError("The model has no layers after its input.")
    shape = input_shape
    for spec in specs:
        spec.config = _settings(spec.kind, spec.config)
        shape, spec.weight_shapes = _infer(spec, shape)
        spec.out_shape, spec.params = shape, sum(math.prod(s) for s in spec.weight_shapes)
    total = sum(spec.params for spec in specs)
    if total > MAX_PARAMS:
        raise TooLargeError("The model has {total} parameters; this view reads at most {max_params}.",
                            total=format(total, ","), max_params=format(MAX_PARAMS, ","))
    name = body.get("name") if isinstance(body.get("name"), str) else "model"
    return {"name": name[:60], "input_shape": input_shape, "layers": specs}


def _layer_identity(entry) -> tuple[str, str, dict]:
    if not isinstance(entry, dict) or not isinstance(entry.get("config"), dict):
        raise ModelFileError("A layer in config.json is not a Keras layer description.")
    kind, settings = entry.get("class_name"), entry["config"]
    name = settings.get("name")
    if not isinstance(kind, str) or not isinstance(name, str):
        raise ModelFileError("A layer in config.json has no class or no name.")
    if kind == "Lambda":
        raise ModelFileError("Layer {name} is a Lambda layer, which is Python code: ConvLab runs no code from a file. "
                             "Replace it with built-in layers and save the model again.", name=shown(name, 40))
    if kind in MODEL_CLASSES:
        raise ModelFileError("Layer {name} is a whole model inside the model; this view follows one chain of layers. "
                             "Save the inner model on its own.", name=shown(name, 40))
    custom = entry.get("registered_name") not in (None, kind) or entry.get("module") not in ("keras.layers", None)
    if custom:
        raise ModelFileError("Layer {name} is a custom layer ({value}): its code would have to run, and ConvLab runs "
                             "no code from a file.", name=shown(name, 40),
                             value=shown(entry.get("registered_name") or kind, 40))
    if kind not in LAYER_KINDS:
        raise ModelFileError("Layer {name} is a {kind} layer, which this view does not follow. It follows "
                             "{layer_kinds}.", name=shown(name, 40), kind=shown(kind, 40),
                             layer_kinds=", ".join(LAYER_KINDS))
    return kind, name, settings


def _check_chain(layers: list, body: dict) -> None:
    """A Functional model must be one chain: each layer's only input is the layer listed before it."""
    for before, entry in zip(layers, layers[1:]):
        nodes = entry.get("inbound_nodes")
        sources = []
        if isinstance(nodes, list) and len(nodes) == 1 and isinstance(nodes[0], dict):
            args = nodes[0].get("args")
            if isinstance(args, list) and len(args) == 1 and isinstance(args[0], dict):
                history = (args[0].get("config") or {}).get("keras_history")
                if isinstance(history, list) and history and isinstance(history[0], str):
                    sources = [history[0]]
        if sources != [before["config"]["name"]]:
            raise ModelFileError("This view follows models that are one chain of layers; layer {name} does not take "
                                 "its input from the layer before it ({name2}).",
                                 name=shown(entry["config"]["name"], 40), name2=shown(before["config"]["name"], 40))
    outputs = body.get("output_layers")
    if not (isinstance(outputs, list) and outputs and outputs[0] == layers[-1]["config"]["name"]):
        raise ModelFileError("This view follows models that are one chain of layers, ending in the last one.")


def _batch_shape(shape) -> tuple:
    if not (isinstance(shape, list) and len(shape) == 4 and all(isinstance(v, int) for v in shape[1:])):
        raise ModelFileError("The model takes input of shape {value}; this view needs images, (height, width, "
                             "channels).", value=shown(tuple(shape[1:]) if isinstance(shape, list) else shape, 40))
    h, w, c = shape[1:]
    if not (1 <= h <= MAX_INPUT_SIDE and 1 <= w <= MAX_INPUT_SIDE and c in (1, 3)):
        raise ModelFileError("The model takes {h}x{w} images with {c} channels; this view takes up to "
                             "{max_input_side}x{max_input_side2} pixels with 1 or 3 channels.", h=h, w=w, c=c,
                             max_input_side=MAX_INPUT_SIDE, max_input_side2=MAX_INPUT_SIDE)
    return (h, w, c)


def _pair_of(value, what: str, minimum: int = 1) -> tuple[int, int]:
    if isinstance(value, int) and not isinstance(value, bool):
        value = [value, value]
    if not (isinstance(value, list) and len(value) == 2 and all(isinstance(v, int) and not isinstance(v, bool)
                                                                and minimum <= v <= 64 for v in value)):
        raise ModelFileError("The model's {what} is {value}; expected two whole numbers from {minimum} to 64.",
                             what=what, value=shown(value, 40), minimum=minimum)
    return tuple(value)


def _activation(value) -> str:
    if isinstance(value, dict):  # Keras writes some as {"class_name": "function", "config": "relu"}
        value = value.get("config") if value.get("module") in ("keras.activations", None) else None
    if value not in ACTIVATIONS:
        raise ModelFileError("The activation {value} is not one this view computes ({activations}).",
                             value=shown(value, 40), activations=", ".join(ACTIVATIONS))
    return value


def _number(settings: dict, key: str, default, lo: float = -1e6, hi: float = 1e6) -> float:
    value = settings.get(key, default)
    if value is None:
        value = default
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not (lo <= value <= hi):
        raise ModelFileError("The model's {key} is {value}; expected a number from {lo} to {hi}.", key=key,
                             value=shown(value, 40), lo=lo, hi=hi)
    return float(value)


def _settings(kind: str, c: dict) -> dict:
    """The settings the forward pass uses, each checked; anything the pass does not compute is refused."""
    if c.get("data_format", "channels_last") != "channels_last":
        raise ModelFileError("The model stores images channels-first; this view follows channels-last models.")
    out: dict = {}
    if kind in ("Conv2D", "Conv2DTranspose"):
        out["filters"] = int(_number(c, "filters", None, 1, 4096))
        out["kernel"], out["strides"] = _pair_of(c.get("kernel_size"), "kernel_size"), _pair_of(c.get("strides"),
                                                                                               "strides")
        out["dilation"] = _pair_of(c.get("dilation_rate", 1), "dilation_rate")
        out["padding"] = c.get("padding")
        if out["padding"] not in ("valid", "same"):
            raise ModelFileError("The model's padding is {padding}; expected valid or same.",
                                 padding=shown(out["padding"], 40))
        if c.get("groups", 1) != 1 or (kind == "Conv2DTranspose" and (c.get("output_padding") is not None
                                                                      or out["dilation"] != (1, 1))):
            raise ModelFileError("Layer {name} uses grouped, dilated-transposed or output-padded convolution, which "
                                 "this view does not compute.", name=shown(c.get("name"), 40))
        out["use_bias"], out["activation"] = bool(c.get("use_bias", True)), _activation(c.get("activation", "linear"))
    elif kind == "Dense":
        out["units"] = int(_number(c, "units", None, 1, 100_000))
        out["use_bias"], out["activation"] = bool(c.get("use_bias", True)), _activation(c.get("activation", "linear"))
    elif kind == "BatchNormalization":
        if c.get("axis", -1) not in (-1, 3, [3], [-1]):
            raise ModelFileError("A BatchNormalization over axis {axis} is not one this view computes.",
                                 axis=shown(c.get("axis"), 20))
        out["epsilon"] = _number(c, "epsilon", 1e-3, 0, 1)
        out["center"], out["scale"] = bool(c.get("center", True)), bool(c.get("scale", True))
    elif kind in ("MaxPooling2D", "AveragePooling2D"):
        out["pool"] = _pair_of(c.get("pool_size"), "pool_size")
        out["strides"] = _pair_of(c.get("strides") or list(out["pool"]), "strides")
        out["padding"] = c.get("padding", "valid")
        if out["padding"] not in ("valid", "same"):
            raise ModelFileError("The model's padding is {padding}; expected valid or same.",
                                 padding=shown(out["padding"], 40))
    elif kind in ("GlobalAveragePooling2D", "GlobalMaxPooling2D"):
        if c.get("keepdims"):
            raise ModelFileError("Global pooling that keeps its axes is not one this view computes.")
    elif kind == "ReLU":
        out["max_value"] = c.get("max_value")
        if out["max_value"] is not None:
            out["max_value"] = _number(c, "max_value", None, 0, 1e6)
        out["negative_slope"], out["threshold"] = _number(c, "negative_slope", 0.0), _number(c, "threshold", 0.0)
    elif kind == "LeakyReLU":
        out["negative_slope"] = _number(c, "negative_slope", c.get("alpha", 0.3))
    elif kind == "Activation":
        out["activation"] = _activation(c.get("activation"))
    elif kind == "Softmax":
        if c.get("axis", -1) not in (-1, [-1]):
            raise ModelFileError("A softmax over axis {axis} is not one this view computes.",
                                 axis=shown(c.get("axis"), 20))
    elif kind == "UpSampling2D":
        out["size"] = _pair_of(c.get("size"), "size")
        if c.get("interpolation", "nearest") != "nearest":
            raise ModelFileError("UpSampling2D with {interpolation} interpolation is not one this view computes "
                                 "(nearest is).", interpolation=shown(c.get("interpolation"), 20))
    elif kind == "ZeroPadding2D":
        pad = c.get("padding")
        if isinstance(pad, int):
            pad = [[pad, pad], [pad, pad]]
        elif isinstance(pad, list) and len(pad) == 2 and all(isinstance(p, int) for p in pad):
            pad = [[pad[0], pad[0]], [pad[1], pad[1]]]
        if not (isinstance(pad, list) and len(pad) == 2
                and all(isinstance(p, list) and len(p) == 2 and all(isinstance(v, int) and 0 <= v <= 64 for v in p)
                        for p in pad)):
            raise ModelFileError("The model's zero padding is {pad}; expected up to 64 rows and columns on each side.",
                                 pad=shown(pad, 40))
        out["padding"] = tuple(tuple(p) for p in pad)
    elif kind == "Reshape":
        target = c.get("target_shape")
        if not (isinstance(target, list) and 1 <= len(target) <= 3
                and all(isinstance(v, int) and (v == -1 or 1 <= v <= 1_000_000) for v in target)):
            raise ModelFileError("The model reshapes to {target}, which this view does not follow.",
                                 target=shown(target, 40))
        out["target"] = tuple(target)
    elif kind == "Rescaling":
        out["scale"], out["offset"] = _number(c, "scale", 1.0), _number(c, "offset", 0.0)
    return out


def _infer(spec: _Spec, shape: tuple) -> tuple[tuple, tuple]:
    """The layer's output shape (no batch axis) and the shapes of its weights, from its settings."""
    kind, c = spec.kind, spec.config
    image = len(shape) == 3
    if kind in ("Conv2D", "Conv2DTranspose", "MaxPooling2D", "AveragePooling2D", "UpSampling2D", "ZeroPadding2D",
                "GlobalAveragePooling2D", "GlobalMaxPooling2D") and not image:
        raise ModelFileError("Layer {name} ({kind}) needs an image-shaped input, but gets {shape}.",
                             name=shown(spec.name, 40), kind=kind, shape=shape)
    if kind == "Conv2D":
        pads = conv.resolve_padding(c["padding"], shape[:2], c["kernel"], c["strides"], c["dilation"])
        h = conv.conv_output_size(shape[0], c["kernel"][0], c["strides"][0], pads[0] + pads[1], c["dilation"][0])
        w = conv.conv_output_size(shape[1], c["kernel"][1], c["strides"][1], pads[2] + pads[3], c["dilation"][1])
        if h < 1 or w < 1:
            raise ModelFileError("Layer {name} leaves no pixels of its {h}x{w} input.", name=shown(spec.name, 40),
                                 h=shape[0], w=shape[1])
        weights = ((*c["kernel"], shape[2], c["filters"]),) + (((c["filters"],),) if c["use_bias"] else ())
        return (h, w, c["filters"]), weights
    if kind == "Conv2DTranspose":
        (kh, kw), (sh, sw) = c["kernel"], c["strides"]
        h, w = _transpose_size(shape[0], kh, sh, c["padding"]), _transpose_size(shape[1], kw, sw, c["padding"])
        if h > 4 * MAX_INPUT_SIDE or w > 4 * MAX_INPUT_SIDE:
            raise TooLargeError("Layer {name} makes {h}x{w} maps; this view follows maps up to {value} pixels a side.",
                                name=shown(spec.name, 40), h=h, w=w, value=4 * MAX_INPUT_SIDE)
        weights = ((kh, kw, c["filters"], shape[2]),) + (((c["filters"],),) if c["use_bias"] else ())
        return (h, w, c["filters"]), weights
    if kind == "Dense":
        return shape[:-1] + (c["units"],), ((shape[-1], c["units"]),) + (((c["units"],),) if c["use_bias"] else ())
    if kind == "BatchNormalization":
        n = shape[-1]
        return shape, tuple((n,) for _ in range(int(c["scale"]) + int(c["center"]) + 2))
    if kind in ("MaxPooling2D", "AveragePooling2D"):
        pads = conv.resolve_padding(c["padding"], shape[:2], c["pool"], c["strides"])
        h = conv.conv_output_size(shape[0], c["pool"][0], c["strides"][0], pads[0] + pads[1])
        w = conv.conv_output_size(shape[1], c["pool"][1], c["strides"][1], pads[2] + pads[3])
        if h < 1 or w < 1:
            raise ModelFileError("Layer {name} leaves no pixels of its {h}x{w} input.", name=shown(spec.name, 40),
                                 h=shape[0], w=shape[1])
        return (h, w, shape[2]), ()
    if kind in ("GlobalAveragePooling2D", "GlobalMaxPooling2D"):
        return (shape[2],), ()
    if kind == "Flatten":
        return (math.prod(shape),), ()
    if kind == "Reshape":
        target, size = list(c["target"]), math.prod(shape)
        if target.count(-1) > 1:
            raise ModelFileError("The model reshapes to {target}, which this view does not follow.",
                                 target=tuple(target))
        if -1 in target:
            known = math.prod(v for v in target if v != -1)
            target[target.index(-1)] = size // known if known and size % known == 0 else -1
        if math.prod(target) != size or -1 in target:
            raise ModelFileError("Layer {name} reshapes {size} values to {target}.", name=shown(spec.name, 40),
                                 size=size, target=tuple(c["target"]))
        return tuple(target), ()
    if kind == "UpSampling2D":
        return (shape[0] * c["size"][0], shape[1] * c["size"][1], shape[2]), ()
    if kind == "ZeroPadding2D":
        (t, b), (left, r) = c["padding"]
        return (shape[0] + t + b, shape[1] + left + r, shape[2]), ()
    return shape, ()


def _transpose_size(n: int, k: int, s: int, padding: str) -> int:
    """Keras' Conv2DTranspose output length (no output padding)."""
    return n * s if padding == "same" else n * s + max(k - s, 0)


def _weights(weights_bytes: bytes, model: dict) -> dict[int, tuple]:
    """Each layer's weights, read from the HDF5 file where Keras writes them, after their shapes and types are
    checked against what the layer's settings imply (a declared 2 GB tensor is refused unread)."""
    import h5py
    out = {}
    try:
        with h5py.File(io.BytesIO(weights_bytes), "r") as store:
            for i, spec in enumerate(model["layers"]):
                if not spec.weight_shapes:
                    continue
                group = store.get(f"{spec.path}/vars")
                if not isinstance(group, h5py.Group):
                    raise ModelFileError("The weights file has no weights for layer {name} (looked for {path}).",
                                         name=shown(spec.name, 40), path=spec.path)
                arrays = []
                for j, expected in enumerate(spec.weight_shapes):
                    dataset = group.get(str(j))
                    if not isinstance(dataset, h5py.Dataset) or tuple(dataset.shape) != expected \
                            or dataset.dtype.kind != "f" or dataset.dtype.itemsize > 8:
                        found = tuple(dataset.shape) if isinstance(dataset, h5py.Dataset) else None
                        raise ModelFileError("Weight {j} of layer {name} has shape {found} in the file; the layer's "
                                             "settings make it {expected}.", j=j, name=shown(spec.name, 40),
                                             found=found, expected=expected)
                    values = np.asarray(dataset[()], dtype=np.float32)
                    if not np.isfinite(values).all():
                        raise ModelFileError("The weights of layer {name} hold NaN or infinite values.",
                                             name=shown(spec.name, 40))
                    values.setflags(write=False)
                    arrays.append(values)
                out[i] = tuple(arrays)
    except ConvLabError:
        raise
    except (OSError, ValueError, KeyError, TypeError, RuntimeError, struct.error):
        raise ModelFileError("The model's weights (model.weights.h5) cannot be read as HDF5.") from None
    return out


# --- running it ---------------------------------------------------------------------------------------

def multiply_adds(model: OwnModel) -> int:
    """About how many multiply-adds one image costs (convolutions and dense layers)."""
    total, shape = 0, model.input_shape
    for layer in model.layers:
        if layer.kind in ("Conv2D", "Conv2DTranspose"):
            kh, kw = layer.config["kernel"]
            inputs = shape[2]
            spots = math.prod(layer.out_shape[:2]) if layer.kind == "Conv2D" else math.prod(shape[:2])
            total += spots * kh * kw * inputs * layer.config["filters"]
        elif layer.kind == "Dense":
            total += math.prod(layer.out_shape) * shape[-1]
        shape = layer.out_shape
    return total


def _apply(name: str, x: np.ndarray, slope: float = 0.2) -> np.ndarray:
    if name == "linear":
        return x
    if name == "relu":
        return np.maximum(x, 0)
    if name == "relu6":
        return np.clip(x, 0, 6)
    if name == "leaky_relu":
        return np.where(x >= 0, x, slope * x)
    if name == "sigmoid":
        return 1 / (1 + np.exp(-x))
    if name == "hard_sigmoid":
        return np.clip(x / 6 + 0.5, 0, 1)
    if name == "tanh":
        return np.tanh(x)
    if name == "softmax":
        return cnn.softmax(x)
    if name == "elu":
        return np.where(x > 0, x, np.expm1(np.minimum(x, 0)))
    if name == "selu":
        return 1.0507009873554805 * np.where(x > 0, x, 1.6732632423543772 * np.expm1(np.minimum(x, 0)))
    if name == "softplus":
        return np.logaddexp(0, x)
    if name == "softsign":
        return x / (1 + np.abs(x))
    if name in ("swish", "silu"):
        return x / (1 + np.exp(-x))
    if name == "gelu":
        from scipy.special import erf
        return 0.5 * x * (1 + erf(x / np.sqrt(2)))
    if name == "exponential":
        return np.exp(x)
    raise InputError("Unknown activation {name}.", name=shown(name))


def _conv_transpose(x: np.ndarray, kernel: np.ndarray, strides, padding: str) -> np.ndarray:
    """Keras' Conv2DTranspose: every input pixel scatters the kernel, times its channels, into the output."""
    kh, kw, _, _ = kernel.shape
    (h, w), (sh, sw) = x.shape[:2], strides
    full = np.zeros(((h - 1) * sh + kh, (w - 1) * sw + kw, kernel.shape[2]), np.float64)
    for i in range(kh):
        for j in range(kw):
            full[i: i + (h - 1) * sh + 1: sh, j: j + (w - 1) * sw + 1: sw] += x @ kernel[i, j].T
    out_h, out_w = _transpose_size(h, kh, sh, padding), _transpose_size(w, kw, sw, padding)
    top = max(kh - sh, 0) // 2 if padding == "same" else 0
    left = max(kw - sw, 0) // 2 if padding == "same" else 0
    out = np.zeros((out_h, out_w, kernel.shape[2]), np.float64)
    part = full[top: top + out_h, left: left + out_w]
    out[: part.shape[0], : part.shape[1]] = part
    return out


def forward(model: OwnModel, image) -> list[np.ndarray]:
    """Each layer's output for one image (H, W, C) already scaled as the model expects, in layer order.

    Convolutions by engine.conv (float32, as Keras computes them), the rest in float64; checked against Keras
    layer by layer in the tests."""
    x = np.asarray(image, np.float64)
    if x.shape != tuple(model.input_shape):
        raise InputError("The model takes images of shape {input_shape}, got {shape}.",
                         input_shape=tuple(model.input_shape), shape=x.shape)
    if multiply_adds(model) > MAX_MACS:
        raise TooLargeError("One image through this model costs {multiply_adds} multiply-adds; this view runs at most "
                            "{max_macs}.", multiply_adds=format(multiply_adds(model), ","),
                            max_macs=format(MAX_MACS, ","))
    activations = sum(math.prod(layer.out_shape) for layer in model.layers)
    if activations > MAX_ACTIVATIONS:
        raise TooLargeError("One image through this model makes {activations} values in its layers' outputs; this "
                            "view keeps at most {max_activations}.", activations=format(activations, ","),
                            max_activations=format(MAX_ACTIVATIONS, ","))
    outputs = []
    for layer in model.layers:
        x = _layer_forward(layer, x)
        outputs.append(x.astype(np.float32))
    return outputs


def _layer_forward(layer: Layer, x: np.ndarray) -> np.ndarray:
    kind, c, w = layer.kind, layer.config, [np.asarray(a, np.float64) for a in layer.weights]
    if kind == "Conv2D":  # the engine's filter-bank convolution: TensorFlow's padding, strides and dilation
        y = conv.conv2d(x, w[0], stride=c["strides"], padding=c["padding"], dilation=c["dilation"]).astype(np.float64)
        return _apply(c["activation"], y + (w[1] if c["use_bias"] else 0))
    if kind == "Conv2DTranspose":
        y = _conv_transpose(x, w[0], c["strides"], c["padding"])
        return _apply(c["activation"], y + (w[1] if c["use_bias"] else 0))
    if kind == "Dense":
        return _apply(c["activation"], x @ w[0] + (w[1] if c["use_bias"] else 0))
    if kind == "BatchNormalization":
        gamma = w.pop(0) if c["scale"] else 1.0
        beta = w.pop(0) if c["center"] else 0.0
        mean, variance = w
        return (x - mean) / np.sqrt(variance + c["epsilon"]) * gamma + beta
    if kind in ("MaxPooling2D", "AveragePooling2D"):
        pool = conv.max_pool2d if kind == "MaxPooling2D" else conv.avg_pool2d
        return pool(x.astype(np.float32), c["pool"], c["strides"], c["padding"]).astype(np.float64)
    if kind == "GlobalAveragePooling2D":
        return x.mean(axis=(0, 1))
    if kind == "GlobalMaxPooling2D":
        return x.max(axis=(0, 1))
    if kind in ("Flatten", "Reshape"):
        return x.reshape(layer.out_shape)
    if kind == "ReLU":
        y = np.where(x >= c["threshold"], x, c["negative_slope"] * (x - c["threshold"]))
        return np.minimum(y, c["max_value"]) if c["max_value"] is not None else y
    if kind == "LeakyReLU":
        return np.where(x >= 0, x, c["negative_slope"] * x)
    if kind == "Activation":
        return _apply(c["activation"], x)
    if kind == "Softmax":
        return _apply("softmax", x)
    if kind == "UpSampling2D":
        return np.repeat(np.repeat(x, c["size"][0], axis=0), c["size"][1], axis=1)
    if kind == "ZeroPadding2D":
        return np.pad(x, (*c["padding"], (0, 0)))
    if kind == "Rescaling":
        return x * c["scale"] + c["offset"]
    return x  # Dropout, SpatialDropout2D, GaussianNoise, GaussianDropout: nothing at inference


def first_conv(model: OwnModel) -> tuple[int, Layer] | None:
    """The first Conv2D layer and its index, or None."""
    return next(((i, layer) for i, layer in enumerate(model.layers) if layer.kind == "Conv2D"), None)
