"""Reference solution for nlp-44-1."""
from __future__ import annotations

import numpy as np


def synonym_replace(tokens: list[str], synonyms: dict[str, list[str]], rate: float, seed: int) -> list[str]:
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"rate must be in [0, 1], got {rate}")
    for word, options in synonyms.items():
        if not options or word in options:
            raise ValueError(f"synonyms of {word!r} must be non-empty and exclude the word itself")
    rng = np.random.default_rng(seed)
    eligible = [i for i, t in enumerate(tokens) if t in synonyms]
    n = round(rate * len(eligible))
    out = list(tokens)
    for i in rng.choice(eligible, n, replace=False) if n else []:
        options = synonyms[tokens[i]]
        out[i] = options[rng.integers(len(options))]
    return out


def random_mask(tokens: list[str], rate: float, seed: int, mask_token: str = "[MASK]") -> list[str]:
    if not 0.0 <= rate <= 1.0:
        raise ValueError(f"rate must be in [0, 1], got {rate}")
    draws = np.random.default_rng(seed).random(len(tokens))
    return [mask_token if u < rate else t for t, u in zip(tokens, draws, strict=True)]


def back_translate(tokens: list[str], forward: dict[str, str], backward: dict[str, str]) -> list[str]:
    out = []
    for t in tokens:
        f = forward.get(t)
        out.append(backward[f] if f is not None and f in backward else t)
    return out


def augment_dataset(examples: list[tuple[list[str], int]], n_aug: int, synonyms: dict[str, list[str]],
                    rate: float, seed: int) -> list[tuple[list[str], int]]:
    if n_aug < 0:
        raise ValueError(f"n_aug must be >= 0, got {n_aug}")
    out = []
    for i, (tokens, label) in enumerate(examples):
        out.append((list(tokens), label))
        for j in range(n_aug):
            out.append((synonym_replace(tokens, synonyms, rate, seed + i * n_aug + j), label))
    return out
