"""Plausible wrong samplers that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from grader.pitfalls import pitfall


@pitfall(replaces="exponential_inverse_cdf", why="multiplies by the rate instead of dividing (the mean is rate, not 1/rate)")
def exp_times_rate(rate: float, n: int, seed: int) -> np.ndarray:
    if rate <= 0:
        raise ValueError("rate")
    return -np.log1p(-np.random.default_rng(seed).random(n)) * rate


@pitfall(replaces="exponential_inverse_cdf", why="log(1 − u) without the minus sign: every draw is negative")
def exp_no_minus(rate: float, n: int, seed: int) -> np.ndarray:
    if rate <= 0:
        raise ValueError("rate")
    return np.log1p(-np.random.default_rng(seed).random(n)) / rate


@pitfall(replaces="box_muller", why="radius sqrt(−log u) without the factor 2: variance 1/2")
def bm_no_two(n: int, seed: int) -> np.ndarray:
    u = np.random.default_rng(seed).random((2, (n + 1) // 2))
    r, t = np.sqrt(-np.log1p(-u[0])), 2 * np.pi * u[1]
    return np.concatenate([r * np.cos(t), r * np.sin(t)])[:n]


@pitfall(replaces="box_muller", why="angle from the same uniform as the radius: the pair is dependent and not normal")
def bm_same_uniform(n: int, seed: int) -> np.ndarray:
    u = np.random.default_rng(seed).random((2, (n + 1) // 2))
    r, t = np.sqrt(-2 * np.log1p(-u[0])), 2 * np.pi * u[0]
    return np.concatenate([r * np.cos(t), r * np.sin(t)])[:n]


@pitfall(replaces="box_muller", why="angle π·u instead of 2π·u: sin θ is never negative")
def bm_half_circle(n: int, seed: int) -> np.ndarray:
    u = np.random.default_rng(seed).random((2, (n + 1) // 2))
    r, t = np.sqrt(-2 * np.log1p(-u[0])), np.pi * u[1]
    return np.concatenate([r * np.cos(t), r * np.sin(t)])[:n]


def _rejection(pdf: Callable, sample_q: Callable, pdf_q: Callable, M: float, n: int, seed: int, rule: str,
               rng_kind: str = "seeded") -> tuple[np.ndarray, float]:
    if M <= 0 or n < 1:
        raise ValueError("args")
    rng = np.random.default_rng(seed) if rng_kind == "seeded" else np.random.default_rng()
    kept, acc, prop = [], 0, 0
    while acc < n:
        x, u = sample_q(rng, n), rng.random(n)
        ratio = pdf(x) / (M * pdf_q(x))
        if rule != "no-check" and np.any(ratio > 1.0):
            raise ValueError("envelope")
        keep = {"ok": x[u <= ratio], "no-check": x[u <= ratio], "pdf-only": x[u <= pdf(x) / 3.0],
                "all": x}[rule]
        kept.append(keep)
        acc += len(keep)
        prop += n
    return np.concatenate(kept)[:n], acc / prop


@pitfall(replaces="rejection_sample", why="accepts with probability pdf(x) / 3, a fixed guess, instead of pdf(x) / (M q(x))")
def rej_pdf_only(pdf: Callable, sample_q: Callable, pdf_q: Callable, M: float, n: int, seed: int) -> tuple[np.ndarray, float]:
    return _rejection(pdf, sample_q, pdf_q, M, n, seed, "pdf-only")


@pitfall(replaces="rejection_sample", why="keeps every proposal: returns draws from q, not from pdf")
def rej_keeps_all(pdf: Callable, sample_q: Callable, pdf_q: Callable, M: float, n: int, seed: int) -> tuple[np.ndarray, float]:
    return _rejection(pdf, sample_q, pdf_q, M, n, seed, "all")


@pitfall(replaces="rejection_sample", why="never checks the envelope: a too-small M silently gives the wrong distribution")
def rej_no_check(pdf: Callable, sample_q: Callable, pdf_q: Callable, M: float, n: int, seed: int) -> tuple[np.ndarray, float]:
    return _rejection(pdf, sample_q, pdf_q, M, n, seed, "no-check")


@pitfall(replaces="rejection_sample", why="an unseeded default_rng(): runs cannot be reproduced")
def rej_unseeded(pdf: Callable, sample_q: Callable, pdf_q: Callable, M: float, n: int, seed: int) -> tuple[np.ndarray, float]:
    return _rejection(pdf, sample_q, pdf_q, M, n, seed, "ok", rng_kind="fresh")
