"""Describe the compute device without importing TensorFlow (cheap, for the home page and badges),
and, on demand, what the active Keras backend actually sees."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from functools import lru_cache
from importlib import metadata

PACKAGES = ("streamlit", "numpy", "scipy", "keras", "tensorflow-cpu", "tensorflow", "jax", "torch")


def keras_backend() -> str:
    """The Keras backend named by KERAS_BACKEND (Keras' default: tensorflow); imports nothing.

    Examples
    --------
    >>> keras_backend() in ('tensorflow', 'jax', 'torch')
    True
    """
    return os.environ.get("KERAS_BACKEND", "tensorflow")


@lru_cache(maxsize=1)
def gpu_names() -> tuple[str, ...]:
    """NVIDIA GPU names via nvidia-smi (2 s timeout); empty when there is none.

    Examples
    --------
    >>> isinstance(gpu_names(), tuple)
    True
    """
    exe = shutil.which("nvidia-smi")
    if not exe:
        return ()
    try:
        out = subprocess.run([exe, "--query-gpu=name", "--format=csv,noheader"], capture_output=True,
                             text=True, timeout=2, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return ()
    return tuple(line.strip() for line in out.splitlines() if line.strip())


@lru_cache(maxsize=1)
def package_versions() -> dict[str, str]:
    """Versions of the packages that matter for training, without importing them.

    Examples
    --------
    >>> 'numpy' in package_versions()
    True
    """
    versions = {"python": sys.version.split()[0]}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def describe_device() -> dict:
    """Backend, accelerator ("CPU" or GPU names) and versions; imports no framework.

    Examples
    --------
    >>> sorted(describe_device())[:2]
    ['accelerator', 'backend']
    """
    gpus = gpu_names()
    return {"backend": keras_backend(), "accelerator": ", ".join(gpus) if gpus else "CPU",
            "versions": package_versions()}


@lru_cache(maxsize=1)
def framework_accelerator() -> str:
    """What the active Keras backend will compute on (probed once per process: the backend cannot change).
    Imports keras (and its backend); with CONVLAB_RELEASE_LIBRARY_PAGES=1, the library pages touched only by
    that import then leave the resident set (engine/memory.py; off by default).

    Examples
    --------
    >>> isinstance(framework_accelerator(), str)  # 'CPU' or the GPU's name
    True
    """
    from engine.memory import release_library_pages

    try:
        return _framework_accelerator()
    finally:
        release_library_pages()


def accelerator_without_loading() -> str:
    """framework_accelerator() once it has been probed in this process, else what nvidia-smi sees: a page can show
    a device badge without importing a framework on its first run.

    Examples
    --------
    >>> isinstance(accelerator_without_loading(), str)
    True
    """
    if framework_accelerator.cache_info().currsize:
        return framework_accelerator()
    return describe_device()["accelerator"]


def _framework_accelerator() -> str:
    backend = keras_backend()
    try:
        if backend == "jax":
            import jax
            devices = [d for d in jax.devices() if d.platform != "cpu"]
            return ", ".join(getattr(d, "device_kind", str(d)) for d in devices) or "CPU"
        if backend == "torch":
            import torch
            return torch.cuda.get_device_name(0) if torch.cuda.is_available() else "CPU"
        import tensorflow as tf
        gpus = tf.config.list_physical_devices("GPU")
        return ", ".join(tf.config.experimental.get_device_details(g).get("device_name", g.name) for g in gpus) or "CPU"
    except Exception as exc:  # a broken GPU stack still leaves the CPU
        return f"CPU ({type(exc).__name__} while probing GPU)"
