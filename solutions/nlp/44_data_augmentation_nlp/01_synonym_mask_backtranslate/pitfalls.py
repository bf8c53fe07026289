"""Plausible wrong augmentations that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from augment import synonym_replace


def _check(synonyms: dict[str, list[str]], rate: float) -> None:
    if not 0.0 <= rate <= 1.0:
        raise ValueError("rate")
    for word, options in synonyms.items():
        if not options or word in options:
            raise ValueError("synonyms")


@pitfall(replaces="synonym_replace", why="rate times the whole sentence length, not times the number of replaceable words")
def rate_of_all_tokens(tokens: list[str], synonyms: dict[str, list[str]], rate: float, seed: int) -> list[str]:
    _check(synonyms, rate)
    rng = np.random.default_rng(seed)
    eligible = [i for i, t in enumerate(tokens) if t in synonyms]
    n = min(round(rate * len(tokens)), len(eligible))
    out = list(tokens)
    for i in rng.choice(eligible, n, replace=False) if n else []:
        out[i] = synonyms[tokens[i]][rng.integers(len(synonyms[tokens[i]]))]
    return out


@pitfall(replaces="synonym_replace", why="samples positions with replacement: the same word can be picked twice, fewer words change")
def with_replacement(tokens: list[str], synonyms: dict[str, list[str]], rate: float, seed: int) -> list[str]:
    _check(synonyms, rate)
    rng = np.random.default_rng(seed)
    eligible = [i for i, t in enumerate(tokens) if t in synonyms]
    n = round(rate * len(eligible))
    out = list(tokens)
    for i in rng.choice(eligible, n, replace=True) if n else []:
        out[i] = synonyms[tokens[i]][rng.integers(len(synonyms[tokens[i]]))]
    return out


@pitfall(replaces="synonym_replace", why="replaces the caller's list in place")
def in_place(tokens: list[str], synonyms: dict[str, list[str]], rate: float, seed: int) -> list[str]:
    _check(synonyms, rate)
    rng = np.random.default_rng(seed)
    eligible = [i for i, t in enumerate(tokens) if t in synonyms]
    n = round(rate * len(eligible))
    for i in rng.choice(eligible, n, replace=False) if n else []:
        tokens[i] = synonyms[tokens[i]][rng.integers(len(synonyms[tokens[i]]))]
    return tokens


@pitfall(replaces="random_mask", why="draws from the global np.random instead of the seeded generator")
def global_rng(tokens: list[str], rate: float, seed: int, mask_token: str = "[MASK]") -> list[str]:
    if not 0.0 <= rate <= 1.0:
        raise ValueError("rate")
    return [mask_token if np.random.random() < rate else t for t in tokens]


@pitfall(replaces="random_mask", why="masks exactly round(rate * n) tokens: not independent per-token masking")
def exact_count(tokens: list[str], rate: float, seed: int, mask_token: str = "[MASK]") -> list[str]:
    if not 0.0 <= rate <= 1.0:
        raise ValueError("rate")
    rng = np.random.default_rng(seed)
    chosen = set(rng.choice(len(tokens), round(rate * len(tokens)), replace=False).tolist()) if tokens else set()
    return [mask_token if i in chosen else t for i, t in enumerate(tokens)]


@pitfall(replaces="back_translate", why="drops words the dictionaries do not know instead of keeping them")
def drops_unknown(tokens: list[str], forward: dict[str, str], backward: dict[str, str]) -> list[str]:
    return [backward[forward[t]] for t in tokens if t in forward and forward[t] in backward]


@pitfall(replaces="augment_dataset", why="reuses one seed for every copy: the n_aug copies are identical")
def same_seed(examples: list, n_aug: int, synonyms: dict[str, list[str]], rate: float, seed: int) -> list:
    if n_aug < 0:
        raise ValueError("n_aug")
    out = []
    for tokens, label in examples:
        out.append((list(tokens), label))
        out += [(synonym_replace(tokens, synonyms, rate, seed), label) for _ in range(n_aug)]
    return out
