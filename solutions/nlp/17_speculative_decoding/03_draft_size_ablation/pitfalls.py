"""Plausible wrong versions of the draft-size ablation that the tests must reject."""
from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from draft_ablation import Model, acceptance_rates, cross_entropy, expected_speedup


@pitfall(replaces="acceptance_rates", why="1 - |p - q|_1 without the 1/2 of the total variation distance")
def no_half(target: Model, draft: Model, tokens: Sequence[int]) -> np.ndarray:
    p, q = np.asarray(target(list(tokens))), np.asarray(draft(list(tokens)))
    return 1 - np.abs(p - q).sum(-1)


@pitfall(replaces="acceptance_rates", why="probability that both models pick the same token, sum(p * q)")
def overlap(target: Model, draft: Model, tokens: Sequence[int]) -> np.ndarray:
    return (np.asarray(target(list(tokens))) * np.asarray(draft(list(tokens)))).sum(-1)


@pitfall(replaces="cross_entropy", why="scores row i against tokens[i] (the token already seen) instead of tokens[i+1]")
def unshifted(model: Model, tokens: Sequence[int]) -> float:
    if len(tokens) < 2:
        raise ValueError("need two tokens")
    probs = np.asarray(model(list(tokens)))
    idx = np.asarray(tokens[:-1])
    return float(-np.mean(np.log(probs[np.arange(len(idx)), idx])))


@pitfall(replaces="cross_entropy", why="log base 2 (bits) where the docstring asks for nats")
def in_bits(model: Model, tokens: Sequence[int]) -> float:
    if len(tokens) < 2:
        raise ValueError("need two tokens")
    probs = np.asarray(model(list(tokens)))
    nxt = np.asarray(tokens[1:])
    return float(-np.mean(np.log2(probs[np.arange(len(nxt)), nxt])))


@pitfall(replaces="ablate", why="averages per-position speed-ups instead of taking the speed-up of the mean rate")
def mean_of_speedups(target: Model, drafts: dict, costs: dict, tokens: Sequence[int], ks: Sequence[int]) -> dict:
    out = {}
    for name, draft in drafts.items():
        rates = acceptance_rates(target, draft, tokens)
        out[name] = {"alpha": float(rates.mean()), "cross_entropy": cross_entropy(draft, tokens),
                     "speedup": np.array([np.mean([expected_speedup(float(a), k, costs[name]) for a in rates])
                                          for k in ks])}
    return out


@pitfall(replaces="ablate", why="reports the target's cross-entropy for every draft")
def target_quality(target: Model, drafts: dict, costs: dict, tokens: Sequence[int], ks: Sequence[int]) -> dict:
    out = {}
    for name, draft in drafts.items():
        alpha = float(acceptance_rates(target, draft, tokens).mean())
        out[name] = {"alpha": alpha, "cross_entropy": cross_entropy(target, tokens),
                     "speedup": np.array([expected_speedup(alpha, k, costs[name]) for k in ks])}
    return out


@pitfall(replaces="best_tradeoff", why="ties go to the last (draft, k) seen (>= in the running max)")
def ties_last(results: dict, ks: Sequence[int]) -> tuple[str, int]:
    best, speed = ("", 0), -np.inf
    for name, row in results.items():
        for k, s in zip(ks, row["speedup"], strict=True):
            if s >= speed:
                best, speed = (name, int(k)), float(s)
    return best


@pitfall(replaces="pareto_front", why="drops a draft only when another is strictly better in both cost and alpha")
def strict_dominance(alphas: dict, costs: dict) -> list[str]:
    keep = [n for n in alphas if not any(costs[o] < costs[n] and alphas[o] > alphas[n] for o in alphas)]
    return sorted(keep, key=lambda n: (costs[n], n))


@pitfall(replaces="pareto_front", why="treats identical drafts as dominating each other (drops both)")
def drops_twins(alphas: dict, costs: dict) -> list[str]:
    keep = [n for n in alphas if not any(costs[o] <= costs[n] and alphas[o] >= alphas[n] for o in alphas if o != n)]
    return sorted(keep, key=lambda n: (costs[n], n))
