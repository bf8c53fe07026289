"""nlp-20-3: memory and throughput of SSM vs transformer decoding. Edit this file;
`grader check nlp-20-3` tests it."""
from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any

import matplotlib.pyplot as plt  # noqa: F401  (you will need it for plot_profile)
import numpy as np
import torch
from matplotlib.figure import Figure
from torch.utils._python_dispatch import TorchDispatchMode  # noqa: F401  (for bytes_read)
from torch.utils._pytree import tree_leaves  # noqa: F401  (flattens an op's arguments)


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
    """Bytes a decoder carries from token to token after `length` tokens, over n_layers layers like the given
    ones: kind "ssm" keeps a (d_model, d_state) state per layer, kind "attention" a key and a value cache of
    (length, d_model) per layer.

    Raises:
        ValueError: for any other kind.
    """
    raise NotImplementedError("carried_bytes: constant for the SSM, linear in length for attention")


def bytes_read(fn: Callable[..., Any], *args: Any) -> tuple[Any, int]:
    """Run fn(*args); return (result, total bytes of the tensor arguments of every aten op it dispatches,
    view ops (func.is_view: slicing, select, transpose...) excluded). A deterministic proxy for memory
    traffic: decoding is memory-bound, so throughput goes as 1 / (bytes read per token)."""
    raise NotImplementedError("bytes_read: a TorchDispatchMode that adds up the non-view ops' tensor arguments")


def profile(lengths: Sequence[int], d_model: int, d_state: int) -> dict[str, np.ndarray]:
    """For every length: bytes_read of ssm_stream(*ssm_inputs(length, d_model, d_state)) and of attention_stream
    on float32 q = k = v of shape (1, length, d_model) (any values), and the bytes each carries after the last
    token. Returns int64 arrays "length", "ssm_read", "attention_read", "ssm_carried", "attention_carried"."""
    raise NotImplementedError("profile: run both given decoders under bytes_read for every length")


def plot_profile(result: dict[str, np.ndarray]) -> Figure:
    """Two log-log axes over x = result["length"] (x label "sequence length"), each with a line labelled
    "SSM" and one labelled "attention": left y label "carried state (bytes)" (the *_carried arrays), right
    y label "bytes read per token" (the *_read arrays divided by the length)."""
    raise NotImplementedError("plot_profile: two log-log axes, two lines each")
