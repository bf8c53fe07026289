"""nlp-18-3: flash vs standard attention at growing sequence lengths. Edit this file;
`grader check nlp-18-3` tests it."""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import matplotlib.pyplot as plt  # noqa: F401  (you will need it for plot_sweep)
import numpy as np
import torch
from matplotlib.figure import Figure
from torch.utils._python_dispatch import TorchDispatchMode  # noqa: F401  (for peak_tensor_bytes)
from torch.utils._pytree import tree_leaves  # noqa: F401  (flattens an op's outputs)
from torch.utils.flop_counter import FlopCounterMode  # noqa: F401  (for matmul_flops)


def standard_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """Given: softmax(q k^T / sqrt(d)) v with the full (T, T) score matrix."""
    s = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    return torch.softmax(s, dim=-1) @ v


def flash_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, block: int) -> torch.Tensor:
    """Given (nlp-18-1): the same attention with (block x block) tiles and an online softmax."""
    t = q.shape[-2]
    outs = []
    for i0 in range(0, t, block):
        qi = q[..., i0:i0 + block, :] / math.sqrt(q.shape[-1])
        m = torch.full(qi.shape[:-1] + (1,), float("-inf"), dtype=q.dtype)
        denom = torch.zeros(qi.shape[:-1] + (1,), dtype=q.dtype)
        acc = torch.zeros_like(qi)
        for j0 in range(0, t, block):
            s = qi @ k[..., j0:j0 + block, :].transpose(-2, -1)
            m_new = torch.maximum(m, s.amax(-1, keepdim=True))
            p = torch.exp(s - m_new)
            scale = torch.exp(m - m_new)
            denom = scale * denom + p.sum(-1, keepdim=True)
            acc = scale * acc + p @ v[..., j0:j0 + block, :]
            m = m_new
        outs.append(acc / denom)
    return torch.cat(outs, dim=-2)


def peak_tensor_bytes(fn: Callable[..., Any], *args: Any) -> tuple[Any, int]:
    """Run fn(*args) and return (its result, the largest storage in bytes of any tensor an operation
    returns while it runs), i.e. max over op outputs of t.untyped_storage().nbytes(). The inputs are not
    op outputs; a view reports the storage it looks into. This is a deterministic proxy for peak memory.
    """
    raise NotImplementedError("peak_tensor_bytes: a TorchDispatchMode that looks at every op's outputs")


def matmul_flops(fn: Callable[..., Any], *args: Any) -> tuple[Any, int]:
    """Run fn(*args) under torch.utils.flop_counter.FlopCounterMode and return (result, total FLOPs)
    (2 m n p for each (m, n) @ (n, p) matmul)."""
    raise NotImplementedError("matmul_flops: FlopCounterMode(display=False)")


def sweep(lengths: Sequence[int], head_dim: int, block: int) -> dict[str, np.ndarray]:
    """Measure the given standard_attention and flash_attention(block) on q, k, v of shape (1, 1, T, head_dim),
    float32 (any values: the counts do not depend on them), for every T in lengths.

    Returns int64 arrays (also when lengths is an int32 array), one entry per length: "seq_len",
    "standard_flops", "flash_flops", "standard_peak_bytes", "flash_peak_bytes".
    """
    raise NotImplementedError("sweep: matmul_flops and peak_tensor_bytes of both algorithms per length")


def loglog_slope(x: np.ndarray, y: np.ndarray) -> float:
    """Least-squares slope of log(y) against log(x): the exponent p of y ~ x^p.

    Raises:
        ValueError: with fewer than two points.
    """
    raise NotImplementedError("loglog_slope: fit a line to the logs")


def plot_sweep(result: dict[str, np.ndarray]) -> Figure:
    """Two log-log axes over x = result["seq_len"], x label "sequence length", each with a line labelled
    "standard" and one labelled "flash": left y label "matmul FLOPs" (the *_flops arrays), right y label
    "largest tensor (bytes)" (the *_peak_bytes arrays)."""
    raise NotImplementedError("plot_sweep: two log-log axes, two lines each")
