"""Plausible wrong ablation helpers that the tests must reject."""
from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import torch
from matplotlib.figure import Figure

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from ablate_groups import (
        GroupedQueryAttention,
        ablate_groups,
        decode_step_bytes,
        decode_step_flops,
        mha_to_gqa,
        roofline_latency,
    )


@pitfall(replaces="group_counts", why="powers of two up to n_heads: misses divisors like 3 and 6, includes non-divisors")
def powers_of_two(n_heads: int) -> list[int]:
    out, g = [], 1
    while g <= n_heads:
        out.append(g)
        g *= 2
    return out


@pitfall(replaces="group_counts", why="range(1, n_heads) stops before n_heads: vanilla multi-head is missing")
def divisors_without_n(n_heads: int) -> list[int]:
    return [g for g in range(1, n_heads) if n_heads % g == 0]


@pitfall(replaces="measure_latency", why="the mean of the timed calls: one interrupted call skews it")
def mean_latency(fn: Callable[[], Any], repeats: int = 5, warmup: int = 1,
                 timer: Callable[[], float] = time.perf_counter) -> float:
    for _ in range(warmup):
        fn()
    start = timer()
    for _ in range(repeats):
        fn()
    return (timer() - start) / repeats


@pitfall(replaces="measure_latency", why="times the warm-up calls too")
def times_warmup(fn: Callable[[], Any], repeats: int = 5, warmup: int = 1,
                 timer: Callable[[], float] = time.perf_counter) -> float:
    durations = []
    for _ in range(warmup + repeats):
        start = timer()
        fn()
        durations.append(timer() - start)
    return statistics.median(durations[:repeats])


@pitfall(replaces="roofline_latency", why="adds compute time and memory time instead of taking the slower one")
def summed(flops: float, bytes_moved: float, peak_flops: float, bandwidth: float) -> float:
    return flops / peak_flops + bytes_moved / bandwidth


@pitfall(replaces="ablate_groups", why="absolute error ||GQA - MHA|| instead of relative to ||MHA||")
def absolute_error(mha: GroupedQueryAttention, x: torch.Tensor, peak_flops: float, bandwidth: float,
                   repeats: int = 3, timer: Callable[[], float] = time.perf_counter) -> dict[str, list]:
    res = _solution_ablate(mha, x, peak_flops, bandwidth, repeats, timer)
    seq = x.shape[1]
    mask = torch.ones(seq, seq, dtype=torch.bool).tril()
    with torch.no_grad():
        ref = mha(x, mask)
        res["output_error"] = [float(torch.linalg.norm(mha_to_gqa(mha, g)(x, mask) - ref)) for g in res["groups"]]
    return res


@pitfall(replaces="ablate_groups", why="the cost model of the whole prompt length T as context (T + 1 positions) instead of T - 1")
def context_off_by_one(mha: GroupedQueryAttention, x: torch.Tensor, peak_flops: float, bandwidth: float,
                       repeats: int = 3, timer: Callable[[], float] = time.perf_counter) -> dict[str, list]:
    res = _solution_ablate(mha, x, peak_flops, bandwidth, repeats, timer)
    b, seq, d = x.shape
    bias = mha.q_proj.bias is not None
    res["flops"] = [decode_step_flops(b, seq, d, mha.n_heads, g) for g in res["groups"]]
    res["bytes"] = [decode_step_bytes(b, seq, d, mha.n_heads, g, dtype=x.dtype, bias=bias) for g in res["groups"]]
    res["modelled_latency"] = [roofline_latency(f, m, peak_flops, bandwidth) for f, m in zip(res["flops"], res["bytes"],
                                                                                             strict=True)]
    return res


_solution_ablate = ablate_groups


@pitfall(replaces="plot_latency", why="linear x axis and the lines unlabelled (no legend to tell them apart)")
def unlabelled(results: dict[str, list]) -> Figure:
    import matplotlib.pyplot as plt

    fig, (ax_time, ax_err) = plt.subplots(1, 2)
    ax_time.plot(results["groups"], results["modelled_latency"])
    ax_time.plot(results["groups"], results["measured_latency"])
    ax_time.set_ylabel("latency (s)")
    ax_err.plot(results["groups"], results["output_error"])
    ax_err.set_ylabel("relative error vs MHA")
    for ax in (ax_time, ax_err):
        ax.set_xlabel("KV groups")
    return fig
