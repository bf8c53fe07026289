"""Plausible wrong versions of the sweep that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
import torch
from torch.utils._python_dispatch import TorchDispatchMode
from torch.utils._pytree import tree_leaves
from torch.utils.flop_counter import FlopCounterMode

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from attention_sweep import flash_attention, matmul_flops, peak_tensor_bytes, standard_attention


@pitfall(replaces="peak_tensor_bytes", why="measures only the final result, not the intermediates")
def result_only(fn: Callable[..., Any], *args: Any) -> tuple[Any, int]:
    result = fn(*args)
    return result, result.untyped_storage().nbytes()


@pitfall(replaces="peak_tensor_bytes", why="counts elements (numel) instead of bytes")
def numel_not_bytes(fn: Callable[..., Any], *args: Any) -> tuple[Any, int]:
    class Mode(TorchDispatchMode):
        peak = 0

        def __torch_dispatch__(self, func: Any, types: Any, args: Any = (), kwargs: Any = None) -> Any:
            out = func(*args, **(kwargs or {}))
            for t in tree_leaves(out):
                if isinstance(t, torch.Tensor):
                    Mode.peak = max(Mode.peak, t.untyped_storage().nbytes() // t.element_size())
            return out

    with Mode():
        result = fn(*args)
    return result, Mode.peak


@pitfall(replaces="peak_tensor_bytes", why="adds up every output (total allocated), not the largest one")
def total_not_peak(fn: Callable[..., Any], *args: Any) -> tuple[Any, int]:
    class Mode(TorchDispatchMode):
        total = 0

        def __torch_dispatch__(self, func: Any, types: Any, args: Any = (), kwargs: Any = None) -> Any:
            out = func(*args, **(kwargs or {}))
            for t in tree_leaves(out):
                if isinstance(t, torch.Tensor):
                    Mode.total += t.untyped_storage().nbytes()
            return out

    with Mode():
        result = fn(*args)
    return result, Mode.total


@pitfall(replaces="matmul_flops", why="counts multiply-accumulates (m n p) instead of FLOPs (2 m n p)")
def macs(fn: Callable[..., Any], *args: Any) -> tuple[Any, int]:
    counter = FlopCounterMode(display=False)
    with counter:
        result = fn(*args)
    return result, int(counter.get_total_flops()) // 2


@pitfall(replaces="sweep", why="forgets to pass the block size on: flash runs with block = head_dim")
def block_is_head_dim(lengths: Sequence[int], head_dim: int, block: int) -> dict[str, np.ndarray]:
    g = torch.Generator().manual_seed(0)
    rows: dict[str, list[int]] = {k: [] for k in ("standard_flops", "flash_flops", "standard_peak_bytes",
                                                   "flash_peak_bytes")}
    for t in lengths:
        q, k, v = (torch.randn(1, 1, t, head_dim, generator=g) for _ in range(3))
        rows["standard_flops"].append(matmul_flops(standard_attention, q, k, v)[1])
        rows["flash_flops"].append(matmul_flops(flash_attention, q, k, v, head_dim)[1])
        rows["standard_peak_bytes"].append(peak_tensor_bytes(standard_attention, q, k, v)[1])
        rows["flash_peak_bytes"].append(peak_tensor_bytes(flash_attention, q, k, v, head_dim)[1])
    out = {k: np.asarray(v, dtype=np.int64) for k, v in rows.items()}
    out["seq_len"] = np.asarray(lengths, dtype=np.int64)
    return out


@pitfall(replaces="loglog_slope", why="slope of y against x on a linear scale")
def linear_slope(x: np.ndarray, y: np.ndarray) -> float:
    if len(x) < 2:
        raise ValueError("two points")
    return float(np.polyfit(np.asarray(x, float), np.asarray(y, float), 1)[0])


@pitfall(replaces="loglog_slope", why="slope from the first and last point only")
def endpoints(x: np.ndarray, y: np.ndarray) -> float:
    if len(x) < 2:
        raise ValueError("two points")
    lx, ly = np.log(np.asarray(x, float)), np.log(np.asarray(y, float))
    return float((ly[-1] - ly[0]) / (lx[-1] - lx[0]))
