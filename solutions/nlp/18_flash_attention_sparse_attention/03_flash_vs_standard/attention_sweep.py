"""Reference solution for nlp-18-3."""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import matplotlib.pyplot as plt
import numpy as np
import torch
from matplotlib.figure import Figure
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_leaves
from torch.utils.flop_counter import FlopCounterMode


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


class _Peak(TorchDispatchMode):
    def __init__(self) -> None:
        super().__init__()
        self.peak = 0

    def __torch_dispatch__(self, func: Any, types: Any, args: Any = (), kwargs: Any = None) -> Any:
        out = func(*args, **(kwargs or {}))
        for t in tree_leaves(out):
            if isinstance(t, torch.Tensor):
                self.peak = max(self.peak, t.untyped_storage().nbytes())
        return out


def peak_tensor_bytes(fn: Callable[..., Any], *args: Any) -> tuple[Any, int]:
    mode = _Peak()
    with mode:
        result = fn(*args)
    return result, mode.peak


def matmul_flops(fn: Callable[..., Any], *args: Any) -> tuple[Any, int]:
    counter = FlopCounterMode(display=False)
    with counter:
        result = fn(*args)
    return result, int(counter.get_total_flops())


def sweep(lengths: Sequence[int], head_dim: int, block: int) -> dict[str, np.ndarray]:
    g = torch.Generator().manual_seed(0)
    rows: dict[str, list[int]] = {k: [] for k in ("standard_flops", "flash_flops", "standard_peak_bytes",
                                                   "flash_peak_bytes")}
    for t in lengths:
        q, k, v = (torch.randn(1, 1, t, head_dim, generator=g) for _ in range(3))
        rows["standard_flops"].append(matmul_flops(standard_attention, q, k, v)[1])
        rows["flash_flops"].append(matmul_flops(flash_attention, q, k, v, block)[1])
        rows["standard_peak_bytes"].append(peak_tensor_bytes(standard_attention, q, k, v)[1])
        rows["flash_peak_bytes"].append(peak_tensor_bytes(flash_attention, q, k, v, block)[1])
    out = {k: np.asarray(v, dtype=np.int64) for k, v in rows.items()}
    out["seq_len"] = np.asarray(lengths, dtype=np.int64)
    return out


def loglog_slope(x: np.ndarray, y: np.ndarray) -> float:
    if len(x) < 2:
        raise ValueError("need at least two points")
    return float(np.polyfit(np.log(np.asarray(x, dtype=np.float64)), np.log(np.asarray(y, dtype=np.float64)), 1)[0])


def plot_sweep(result: dict[str, np.ndarray]) -> Figure:
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    t = result["seq_len"]
    for ax, key, ylabel in ((left, "flops", "matmul FLOPs"), (right, "peak_bytes", "largest tensor (bytes)")):
        for name in ("standard", "flash"):
            ax.plot(t, result[f"{name}_{key}"], marker="o", label=name)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("sequence length")
        ax.set_ylabel(ylabel)
        ax.legend()
    return fig
