"""What accelerator this machine has, answered without importing torch (which costs ~1.5 s)."""
from __future__ import annotations

import os
from functools import cache
from pathlib import Path


@cache
def cuda_likely() -> bool:
    """A cheap guess from the driver's device files: used where importing torch is too slow."""
    if os.environ.get("CUDA_VISIBLE_DEVICES", None) in ("", "-1"):
        return False
    return Path("/dev/nvidiactl").exists() or Path("/proc/driver/nvidia/version").exists()


@cache
def cuda_available() -> bool:
    """The definitive answer, from torch, for deciding whether `gpu` tests run."""
    if not cuda_likely():
        return False
    try:
        import torch
    except ImportError:
        return False
    return bool(torch.cuda.is_available())


def triton_interpreted() -> bool:
    return os.environ.get("TRITON_INTERPRET") == "1" or not cuda_likely()


def describe() -> str:
    if cuda_likely():
        return "CUDA device present: gpu tests run; Triton kernels compile for the GPU"
    return "no CUDA device: gpu tests are skipped; Triton katas run in the interpreter on CPU (TRITON_INTERPRET=1)"
