"""Reference solution for nlp-20-3."""
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


def ssm_decode_step(h: torch.Tensor, x_t: torch.Tensor, delta_t: torch.Tensor, A: torch.Tensor, B_t: torch.Tensor,
                    C_t: torch.Tensor, D: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Given (nlp-20-2): one token through the selective SSM."""
    dA = delta_t[..., None] * A
    h = torch.exp(dA) * h + torch.expm1(dA) / A * B_t[:, None, :] * x_t[..., None]
    return h, (h * C_t[:, None, :]).sum(-1) + D * x_t


def attention_decode_step(k_cache: torch.Tensor, v_cache: torch.Tensor, q_t: torch.Tensor, k_t: torch.Tensor,
                          v_t: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """Given (nlp-20-2): one token through single-head attention with a KV cache."""
    k_cache = torch.cat([k_cache, k_t[:, None, :]], dim=1)
    v_cache = torch.cat([v_cache, v_t[:, None, :]], dim=1)
    scores = (k_cache @ q_t[:, :, None])[..., 0] / math.sqrt(q_t.shape[-1])
    w = torch.softmax(scores, dim=-1)
    return k_cache, v_cache, (w[:, None, :] @ v_cache)[:, 0]


def ssm_stream(x: torch.Tensor, delta: torch.Tensor, A: torch.Tensor, B: torch.Tensor, C: torch.Tensor,
               D: torch.Tensor) -> tuple[torch.Tensor, list[int]]:
    """Given (nlp-20-2): decode a sequence with the SSM; outputs and carried bytes per step."""
    h = torch.zeros(x.shape[0], x.shape[2], A.shape[1], dtype=x.dtype)
    ys, sizes = [], []
    for t in range(x.shape[1]):
        h, y = ssm_decode_step(h, x[:, t], delta[:, t], A, B[:, t], C[:, t], D)
        ys.append(y)
        sizes.append(h.nelement() * h.element_size())
    return torch.stack(ys, dim=1), sizes


def attention_stream(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, list[int]]:
    """Given (nlp-20-2): decode a sequence with attention; outputs and cache bytes per step."""
    k_cache = torch.zeros(q.shape[0], 0, k.shape[-1], dtype=k.dtype)
    v_cache = torch.zeros(q.shape[0], 0, v.shape[-1], dtype=v.dtype)
    ys, sizes = [], []
    for t in range(q.shape[1]):
        k_cache, v_cache, y = attention_decode_step(k_cache, v_cache, q[:, t], k[:, t], v[:, t])
        ys.append(y)
        sizes.append(k_cache.nelement() * k_cache.element_size() + v_cache.nelement() * v_cache.element_size())
    return torch.stack(ys, dim=1), sizes


def ssm_inputs(length: int, d_model: int, d_state: int, seed: int = 0) -> list[torch.Tensor]:
    """Given: random float32 inputs (x, delta, A, B, C, D) of one sequence for ssm_stream."""
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(1, length, d_model, generator=g)
    delta = torch.nn.functional.softplus(torch.randn(1, length, d_model, generator=g))
    A = -torch.rand(d_model, d_state, generator=g) - 0.1
    B, C = torch.randn(1, length, d_state, generator=g), torch.randn(1, length, d_state, generator=g)
    return [x, delta, A, B, C, torch.randn(d_model, generator=g)]


def carried_bytes(kind: str, length: int, d_model: int, d_state: int, n_layers: int, itemsize: int) -> int:
    if kind == "ssm":
        return n_layers * d_model * d_state * itemsize
    if kind == "attention":
        return n_layers * 2 * length * d_model * itemsize
    raise ValueError(f"kind must be 'ssm' or 'attention', got {kind!r}")


class _Reads(TorchDispatchMode):
    def __init__(self) -> None:
        super().__init__()
        self.total = 0

    def __torch_dispatch__(self, func: Any, types: Any, args: Any = (), kwargs: Any = None) -> Any:
        for t in tree_leaves((args, kwargs or {})) if not func.is_view else ():
            if isinstance(t, torch.Tensor):
                self.total += t.nelement() * t.element_size()
        return func(*args, **(kwargs or {}))


def bytes_read(fn: Callable[..., Any], *args: Any) -> tuple[Any, int]:
    mode = _Reads()
    with mode:
        result = fn(*args)
    return result, mode.total


def profile(lengths: Sequence[int], d_model: int, d_state: int) -> dict[str, np.ndarray]:
    out: dict[str, list[int]] = {k: [] for k in ("ssm_read", "attention_read", "ssm_carried", "attention_carried")}
    for length in lengths:
        args = ssm_inputs(length, d_model, d_state)
        (_, sizes), read = bytes_read(ssm_stream, *args)
        out["ssm_read"].append(read)
        out["ssm_carried"].append(sizes[-1])
        g = torch.Generator().manual_seed(1)
        q, k, v = (torch.randn(1, length, d_model, generator=g) for _ in range(3))
        (_, sizes), read = bytes_read(attention_stream, q, k, v)
        out["attention_read"].append(read)
        out["attention_carried"].append(sizes[-1])
    result = {k: np.asarray(v, dtype=np.int64) for k, v in out.items()}
    result["length"] = np.asarray(lengths, dtype=np.int64)
    return result


def plot_profile(result: dict[str, np.ndarray]) -> Figure:
    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4))
    n = result["length"]
    for name, label in (("ssm", "SSM"), ("attention", "attention")):
        left.plot(n, result[f"{name}_carried"], marker="o", label=label)
        right.plot(n, result[f"{name}_read"] / n, marker="o", label=label)
    for ax, ylabel in ((left, "carried state (bytes)"), (right, "bytes read per token")):
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlabel("sequence length")
        ax.set_ylabel(ylabel)
        ax.legend()
    return fig
