"""Plausible wrong augmentation sweeps and plots that the tests must reject."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from ablation import Example, accuracy, augment_with_ratio, synonym_replace


@pitfall(replaces="augment_with_ratio", why="int(ratio * N) truncates: ratio 0.5 of 3 examples gives 1 copy, not 2")
def truncates_count(examples: Sequence[Example], ratio: float, synonyms: dict[str, list[str]], rate: float,
                    seed: int) -> list[Example]:
    if ratio < 0 or len(examples) == 0:
        raise ValueError("bad arguments")
    rng = np.random.default_rng(seed)
    out = [(list(t), y) for t, y in examples]
    for j in range(int(ratio * len(examples))):
        tokens, label = examples[j % len(examples)]
        out.append((synonym_replace(tokens, synonyms, rate, int(rng.integers(2**31))), label))
    return out


@pitfall(replaces="augment_with_ratio", why="passes the same seed to every copy: all copies of one original are identical")
def one_seed_for_all(examples: Sequence[Example], ratio: float, synonyms: dict[str, list[str]], rate: float,
                     seed: int) -> list[Example]:
    if ratio < 0 or len(examples) == 0:
        raise ValueError("bad arguments")
    out = [(list(t), y) for t, y in examples]
    for j in range(round(ratio * len(examples))):
        tokens, label = examples[j % len(examples)]
        out.append((synonym_replace(tokens, synonyms, rate, seed), label))
    return out


@pitfall(replaces="augment_with_ratio", why="returns the caller's token lists for the originals (no copy)")
def originals_not_copied(examples: Sequence[Example], ratio: float, synonyms: dict[str, list[str]], rate: float,
                         seed: int) -> list[Example]:
    if ratio < 0 or len(examples) == 0:
        raise ValueError("bad arguments")
    rng = np.random.default_rng(seed)
    out = list(examples)
    for j in range(round(ratio * len(examples))):
        tokens, label = examples[j % len(examples)]
        out.append((synonym_replace(tokens, synonyms, rate, int(rng.integers(2**31))), label))
    return out


@pitfall(replaces="ratio_ablation", why="sample standard deviation (ddof=1) where the docstring says ddof=0")
def std_ddof_one(train: Sequence[Example], test: Sequence[Example], ratios: Sequence[float],
                 synonyms: dict[str, list[str]], rate: float, seeds: Sequence[int], fit: Callable) -> dict:
    if 0 not in list(ratios) or len(seeds) == 0:
        raise ValueError("bad arguments")
    acc = np.array([[accuracy(fit(augment_with_ratio(train, r, synonyms, rate, s)), test) for s in seeds]
                    for r in ratios])
    mean = acc.mean(axis=1)
    std = acc.std(axis=1, ddof=1) if len(seeds) > 1 else np.zeros(len(ratios))
    return {"ratios": list(ratios), "accuracy": acc, "mean": mean, "std": std, "gain": mean - mean[list(ratios).index(0)]}


@pitfall(replaces="ratio_ablation", why="gain relative to the first ratio listed, not to ratio 0")
def gain_from_first(train: Sequence[Example], test: Sequence[Example], ratios: Sequence[float],
                    synonyms: dict[str, list[str]], rate: float, seeds: Sequence[int], fit: Callable) -> dict:
    if 0 not in list(ratios) or len(seeds) == 0:
        raise ValueError("bad arguments")
    acc = np.array([[accuracy(fit(augment_with_ratio(train, r, synonyms, rate, s)), test) for s in seeds]
                    for r in ratios])
    mean = acc.mean(axis=1)
    return {"ratios": list(ratios), "accuracy": acc, "mean": mean, "std": acc.std(axis=1), "gain": mean - mean[0]}


@pitfall(replaces="ratio_ablation", why="augments with the first seed only: the seeds repeat one run")
def first_seed_only(train: Sequence[Example], test: Sequence[Example], ratios: Sequence[float],
                    synonyms: dict[str, list[str]], rate: float, seeds: Sequence[int], fit: Callable) -> dict:
    if 0 not in list(ratios) or len(seeds) == 0:
        raise ValueError("bad arguments")
    acc = np.array([[accuracy(fit(augment_with_ratio(train, r, synonyms, rate, seeds[0])), test) for _ in seeds]
                    for r in ratios])
    mean = acc.mean(axis=1)
    return {"ratios": list(ratios), "accuracy": acc, "mean": mean, "std": acc.std(axis=1),
            "gain": mean - mean[list(ratios).index(0)]}


@pitfall(replaces="plot_ablation", why="plots the points in the table's order: the line zig-zags when ratios are unsorted")
def unsorted_plot(table: dict) -> Figure:
    fig, ax = plt.subplots()
    ax.errorbar(np.asarray(table["ratios"], dtype=float), table["mean"], yerr=table["std"], marker="o")
    ax.set_xlabel("augmentation ratio")
    ax.set_ylabel("test accuracy")
    ax.set_title("ablation")
    return fig


@pitfall(replaces="plot_ablation", why="draws the gain instead of the accuracy on the y axis")
def plots_gain(table: dict) -> Figure:
    order = np.argsort(np.asarray(table["ratios"], dtype=float), kind="stable")
    fig, ax = plt.subplots()
    ax.errorbar(np.asarray(table["ratios"], dtype=float)[order], np.asarray(table["gain"])[order],
                yerr=np.asarray(table["std"])[order], marker="o")
    ax.set_xlabel("augmentation ratio")
    ax.set_ylabel("test accuracy gain")
    ax.set_title("ablation")
    return fig
