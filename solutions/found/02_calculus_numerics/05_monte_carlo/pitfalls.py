"""Plausible wrong Monte Carlo estimators that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable

import numpy as np

from grader.pitfalls import pitfall


@pitfall(replaces="mc_integrate", why="the mean of f without the interval length b − a")
def mc_no_length(f: Callable[[np.ndarray], np.ndarray], a: float, b: float, n: int, seed: int) -> tuple[float, float]:
    if n < 2 or not b > a:
        raise ValueError("args")
    y = f(a + (b - a) * np.random.default_rng(seed).random(n))
    return float(y.mean()), float(y.std(ddof=1) / np.sqrt(n))


@pitfall(replaces="mc_integrate", why="standard error std/n instead of std/sqrt(n): error bars far too narrow")
def mc_se_over_n(f: Callable[[np.ndarray], np.ndarray], a: float, b: float, n: int, seed: int) -> tuple[float, float]:
    if n < 2 or not b > a:
        raise ValueError("args")
    y = (b - a) * f(a + (b - a) * np.random.default_rng(seed).random(n))
    return float(y.mean()), float(y.std(ddof=1) / n)


@pitfall(replaces="mc_integrate", why="biased standard deviation (ddof=0)")
def mc_ddof0(f: Callable[[np.ndarray], np.ndarray], a: float, b: float, n: int, seed: int) -> tuple[float, float]:
    if n < 2 or not b > a:
        raise ValueError("args")
    y = (b - a) * f(a + (b - a) * np.random.default_rng(seed).random(n))
    return float(y.mean()), float(y.std() / np.sqrt(n))


@pitfall(replaces="mc_integrate", why="samples from np.random's global state, ignoring seed")
def mc_global_rng(f: Callable[[np.ndarray], np.ndarray], a: float, b: float, n: int, seed: int) -> tuple[float, float]:
    if n < 2 or not b > a:
        raise ValueError("args")
    y = (b - a) * f(a + (b - a) * np.random.random(n))
    return float(y.mean()), float(y.std(ddof=1) / np.sqrt(n))


@pitfall(replaces="mc_integrate", why="evenly spaced points np.linspace(a, b, n): a Riemann sum, no seed, no 1/√n")
def mc_grid(f: Callable[[np.ndarray], np.ndarray], a: float, b: float, n: int, seed: int) -> tuple[float, float]:
    if n < 2 or not b > a:
        raise ValueError("args")
    y = (b - a) * f(np.linspace(a, b, n))
    return float(y.mean()), float(y.std(ddof=1) / np.sqrt(n))


@pitfall(replaces="importance_sample", why="weights f · q instead of f / q")
def is_multiplies(f: Callable[[np.ndarray], np.ndarray], sample_q: Callable[[np.random.Generator, int], np.ndarray],
                  pdf_q: Callable[[np.ndarray], np.ndarray], n: int, seed: int) -> tuple[float, float]:
    if n < 2:
        raise ValueError("n")
    x = sample_q(np.random.default_rng(seed), n)
    w = f(x) * pdf_q(x)
    return float(w.mean()), float(w.std(ddof=1) / np.sqrt(n))


@pitfall(replaces="importance_sample", why="averages f over the proposal's samples without any weights")
def is_unweighted(f: Callable[[np.ndarray], np.ndarray], sample_q: Callable[[np.random.Generator, int], np.ndarray],
                  pdf_q: Callable[[np.ndarray], np.ndarray], n: int, seed: int) -> tuple[float, float]:
    if n < 2:
        raise ValueError("n")
    w = f(sample_q(np.random.default_rng(seed), n))
    return float(w.mean()), float(w.std(ddof=1) / np.sqrt(n))
