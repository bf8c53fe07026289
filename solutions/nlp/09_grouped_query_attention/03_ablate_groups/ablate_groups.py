"""Reference solution for nlp-09-3."""
from __future__ import annotations

import math
import statistics  # noqa: F401  (statistics.median)
import time
from collections.abc import Callable
from typing import Any

import torch
from matplotlib.figure import Figure
from torch import nn


class GroupedQueryAttention(nn.Module):
    """Given, complete (nlp-09-1/2): n_heads query heads sharing n_kv_heads key/value heads.

    forward(x, mask=None) -> (B, L, d_model) is full-sequence self-attention (True = may attend).
    """

    def __init__(self, d_model: int, n_heads: int, n_kv_heads: int, bias: bool = True) -> None:
        super().__init__()
        if d_model % n_heads or n_kv_heads < 1 or n_heads % n_kv_heads:
            raise ValueError(f"need n_heads | d_model and n_kv_heads | n_heads, got {d_model=}, {n_heads=}, {n_kv_heads=}")
        self.d_model, self.n_heads, self.n_kv_heads = d_model, n_heads, n_kv_heads
        self.d_head = d_model // n_heads
        self.q_proj = nn.Linear(d_model, d_model, bias=bias)
        self.k_proj = nn.Linear(d_model, n_kv_heads * self.d_head, bias=bias)
        self.v_proj = nn.Linear(d_model, n_kv_heads * self.d_head, bias=bias)
        self.out_proj = nn.Linear(d_model, d_model, bias=bias)

    def split(self, x: torch.Tensor, n: int) -> torch.Tensor:
        return x.view(x.shape[0], x.shape[1], n, self.d_head).transpose(1, 2)

    def attend(self, q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        n_rep = self.n_heads // self.n_kv_heads
        k, v = k.repeat_interleave(n_rep, dim=1), v.repeat_interleave(n_rep, dim=1)
        scores = q @ k.transpose(-2, -1) / math.sqrt(self.d_head)
        if mask is not None:
            scores = scores.masked_fill(~mask, float("-inf"))
        out = torch.softmax(scores, dim=-1) @ v
        return out.transpose(1, 2).reshape(q.shape[0], q.shape[2], self.d_model)

    def forward(self, x: torch.Tensor, mask: torch.Tensor | None = None) -> torch.Tensor:
        q = self.split(self.q_proj(x), self.n_heads)
        k, v = self.split(self.k_proj(x), self.n_kv_heads), self.split(self.v_proj(x), self.n_kv_heads)
        return self.out_proj(self.attend(q, k, v, mask))


def mha_to_gqa(mha: GroupedQueryAttention, n_kv_heads: int) -> GroupedQueryAttention:
    """Given, complete (nlp-09-1): mean-pool the K/V heads of a vanilla attention (n_kv_heads == n_heads)."""
    bias = mha.q_proj.bias is not None
    gqa = GroupedQueryAttention(mha.d_model, mha.n_heads, n_kv_heads, bias=bias).to(mha.q_proj.weight.dtype)
    r, d_head = mha.n_heads // n_kv_heads, mha.d_head
    with torch.no_grad():
        gqa.q_proj.load_state_dict(mha.q_proj.state_dict())
        gqa.out_proj.load_state_dict(mha.out_proj.state_dict())
        for src, dst in ((mha.k_proj, gqa.k_proj), (mha.v_proj, gqa.v_proj)):
            dst.weight.copy_(src.weight.view(n_kv_heads, r, d_head, -1).mean(dim=1).reshape_as(dst.weight))
            if bias:
                dst.bias.copy_(src.bias.view(n_kv_heads, r, d_head).mean(dim=1).reshape(-1))
    return gqa


def prefill(attn: GroupedQueryAttention, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Given: the KV cache of a prompt x (B, T, d_model): keys and values, each (B, n_kv_heads, T, d_head)."""
    return attn.split(attn.k_proj(x), attn.n_kv_heads), attn.split(attn.v_proj(x), attn.n_kv_heads)


def decode_step(attn: GroupedQueryAttention, x_t: torch.Tensor,
                cache: tuple[torch.Tensor, torch.Tensor]) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor]]:
    """Given, complete (nlp-09-2): one cached decode step; returns (out (B, 1, d_model), the grown cache)."""
    q = attn.split(attn.q_proj(x_t), attn.n_heads)
    k = torch.cat([cache[0], attn.split(attn.k_proj(x_t), attn.n_kv_heads)], dim=2)
    v = torch.cat([cache[1], attn.split(attn.v_proj(x_t), attn.n_kv_heads)], dim=2)
    return attn.out_proj(attn.attend(q, k, v)), (k, v)


def decode_step_flops(batch: int, context_len: int, d_model: int, n_heads: int, n_kv_heads: int) -> int:
    """Given (nlp-09-2): matmul FLOPs of one decode step over context_len cached tokens plus the new one."""
    d_head = d_model // n_heads
    return 2 * batch * d_model * (2 * d_model + 2 * n_kv_heads * d_head) + 4 * batch * n_heads * (context_len + 1) * d_head


def decode_step_bytes(batch: int, context_len: int, d_model: int, n_heads: int, n_kv_heads: int,
                      dtype: torch.dtype = torch.float32, bias: bool = True) -> int:
    """Given (nlp-09-2): bytes of the projection parameters plus the cache (context_len + 1 positions)."""
    d_head = d_model // n_heads
    kv_width = n_kv_heads * d_head
    params = 2 * d_model * d_model + 2 * d_model * kv_width + ((2 * d_model + 2 * kv_width) if bias else 0)
    cache = 2 * batch * (context_len + 1) * kv_width
    return (params + cache) * torch.empty((), dtype=dtype).element_size()


def group_counts(n_heads: int) -> list[int]:
    """Every valid number of KV groups for n_heads query heads: the divisors of n_heads, ascending.

    1 (multi-query) first, n_heads (vanilla multi-head) last.
    """
    return [g for g in range(1, n_heads + 1) if n_heads % g == 0]


def measure_latency(fn: Callable[[], Any], repeats: int = 5, warmup: int = 1,
                    timer: Callable[[], float] = time.perf_counter) -> float:
    """Median wall time of fn() in seconds.

    Call fn() warmup times untimed (first calls pay for allocation and caching), then time each of
    `repeats` further calls on its own with timer() and return the median of those durations (the
    median ignores the odd call that a busy machine interrupts). timer is injectable so the
    function can be tested with a fake clock.
    """
    for _ in range(warmup):
        fn()
    durations = []
    for _ in range(repeats):
        start = timer()
        fn()
        durations.append(timer() - start)
    return statistics.median(durations)


def roofline_latency(flops: float, bytes_moved: float, peak_flops: float, bandwidth: float) -> float:
    """Roofline estimate of a kernel's time: it can go no faster than its compute or its memory traffic allow.

    Returns:
        max(flops / peak_flops, bytes_moved / bandwidth), in seconds (peak in FLOP/s, bandwidth in bytes/s)
    """
    return max(flops / peak_flops, bytes_moved / bandwidth)


def ablate_groups(mha: GroupedQueryAttention, x: torch.Tensor, peak_flops: float, bandwidth: float,
                  repeats: int = 3, timer: Callable[[], float] = time.perf_counter) -> dict[str, list]:
    """Convert mha to every valid number of KV groups and measure what each one costs and loses.

    mha is a vanilla attention (n_kv_heads == n_heads); x is a prompt (B, T, d_model), T >= 2. For
    every G in group_counts(n_heads), ascending, with gqa = mha_to_gqa(mha, G):
      "groups":            G
      "output_error":      ||gqa(x, causal) - mha(x, causal)|| / ||mha(x, causal)|| (Frobenius, all of x)
      "kv_cache_bytes":    nbytes of the keys plus values cached after decoding the last token of x
                           from prefill(gqa, x[:, :-1]) with decode_step
      "flops", "bytes":    decode_step_flops / decode_step_bytes of that step (context_len = T - 1,
                           dtype of x, bias as in mha)
      "modelled_latency":  roofline_latency(flops, bytes, peak_flops, bandwidth)
      "measured_latency":  measure_latency of that decode step (repeats, warmup=1, timer)
    The causal mask is torch.ones(T, T, dtype=torch.bool).tril(). Run everything under torch.no_grad().

    Returns:
        a dict of those keys, each a list with one entry per group count (floats; ints for groups,
        kv_cache_bytes, flops and bytes)
    """
    b, seq, d_model = x.shape
    bias = mha.q_proj.bias is not None
    mask = torch.ones(seq, seq, dtype=torch.bool).tril()
    keys = ["groups", "output_error", "kv_cache_bytes", "flops", "bytes", "modelled_latency", "measured_latency"]
    results: dict[str, list] = {key: [] for key in keys}
    with torch.no_grad():
        reference = mha(x, mask)
        for g in group_counts(mha.n_heads):
            gqa = mha_to_gqa(mha, g)
            error = torch.linalg.norm(gqa(x, mask) - reference) / torch.linalg.norm(reference)
            cache = prefill(gqa, x[:, :-1])
            x_t = x[:, -1:]
            _, (k, v) = decode_step(gqa, x_t, cache)
            flops = decode_step_flops(b, seq - 1, d_model, mha.n_heads, g)
            moved = decode_step_bytes(b, seq - 1, d_model, mha.n_heads, g, dtype=x.dtype, bias=bias)
            results["groups"].append(g)
            results["output_error"].append(float(error))
            results["kv_cache_bytes"].append(k.nbytes + v.nbytes)
            results["flops"].append(flops)
            results["bytes"].append(moved)
            results["modelled_latency"].append(roofline_latency(flops, moved, peak_flops, bandwidth))
            results["measured_latency"].append(
                measure_latency(lambda gqa=gqa, x_t=x_t, cache=cache: decode_step(gqa, x_t, cache), repeats, 1, timer))
    return results


def plot_latency(results: dict[str, list]) -> Figure:
    """Two panels against the number of KV groups (x label "KV groups", x scale log base 2):

    axes 0: two lines, labelled "modelled" and "measured" (results["modelled_latency"] and
            results["measured_latency"]), y label "latency (s)", with a legend;
    axes 1: one line of results["output_error"], y label "relative error vs MHA".
    Every line's x data is results["groups"].

    Returns:
        a matplotlib Figure with 2 axes
    """
    import matplotlib.pyplot as plt

    fig, (ax_time, ax_err) = plt.subplots(1, 2, figsize=(9, 3.5))
    groups = results["groups"]
    ax_time.plot(groups, results["modelled_latency"], "o-", label="modelled")
    ax_time.plot(groups, results["measured_latency"], "s--", label="measured")
    ax_time.set_yscale("log")
    ax_time.set_ylabel("latency (s)")
    ax_time.legend()
    ax_err.plot(groups, results["output_error"], "o-")
    ax_err.set_ylabel("relative error vs MHA")
    for ax in (ax_time, ax_err):
        ax.set_xscale("log", base=2)
        ax.set_xlabel("KV groups")
    return fig
