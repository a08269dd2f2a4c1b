"""Describe the compute device without importing TensorFlow (cheap, for the home page and badges),
and, on demand, what the active Keras backend actually sees."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from functools import lru_cache
from importlib import metadata

PACKAGES = ("streamlit", "numpy", "scipy", "keras", "tensorflow-cpu", "tensorflow", "jax", "jax-cuda12-plugin",
            "jax-cuda13-plugin", "torch")


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
    """Backend, accelerator (what training will most likely use: "CPU" or GPU names), the GPUs nvidia-smi sees,
    and versions; imports no framework.

    Examples
    --------
    >>> sorted(describe_device())
    ['accelerator', 'backend', 'gpus', 'versions']
    """
    return {"backend": keras_backend(), "accelerator": likely_accelerator(), "gpus": gpu_names(),
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
    """framework_accelerator() once it has been probed in this process, else likely_accelerator(): a page can show
    a device badge and pick its defaults without importing a framework on its first run (seconds for TensorFlow).

    Examples
    --------
    >>> isinstance(accelerator_without_loading(), str)
    True
    """
    if framework_accelerator.cache_info().currsize:
        return framework_accelerator()
    return likely_accelerator()


def likely_accelerator(gpus: tuple[str, ...] | None = None, backend: str | None = None,
                       installed: dict[str, str] | None = None) -> str:
    """What the active Keras backend will most likely compute on, from nvidia-smi and the installed packages alone:
    a GPU counts only when the backend's installed build can use one (tensorflow-cpu, a "+cpu" torch or a jax
    without a CUDA plugin cannot). A guess for defaults and badges; the trainer probes the framework itself.

    Examples
    --------
    >>> likely_accelerator((), 'tensorflow', {'tensorflow': '2.21.0'})
    'CPU'
    >>> likely_accelerator(('H200',), 'tensorflow', {'tensorflow-cpu': '2.21.0'})
    'CPU'
    >>> likely_accelerator(('H200',), 'torch', {'torch': '2.13.0+cpu'})
    'CPU'
    >>> likely_accelerator(('H200',), 'torch', {'torch': '2.13.0'})
    'H200'
    >>> likely_accelerator(('H200',), 'jax', {'jax': '0.10.2', 'jax-cuda12-plugin': '0.10.2'})
    'H200'
    """
    gpus = gpu_names() if gpus is None else gpus
    backend = keras_backend() if backend is None else backend
    installed = package_versions() if installed is None else installed
    if not gpus:
        return "CPU"
    if backend == "tensorflow":
        usable = "tensorflow" in installed
    elif backend == "torch":
        usable = "torch" in installed and "+cpu" not in installed["torch"]
    elif backend == "jax":
        usable = any(name.startswith(("jax-cuda", "jax_cuda")) for name in installed)
    else:
        usable = False
    return ", ".join(gpus) if usable else "CPU"


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
