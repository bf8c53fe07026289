"""nlp-44-1: text augmentation. Edit this file; `grader check nlp-44-1` tests it."""
from __future__ import annotations

import numpy as np  # noqa: F401  (you will need it)


def synonym_replace(tokens: list[str], synonyms: dict[str, list[str]], rate: float, seed: int) -> list[str]:
    """EDA synonym replacement: replace round(rate * m) of the m tokens that have synonyms.

    rng = np.random.default_rng(seed); the eligible positions (tokens with an entry in `synonyms`),
    in increasing order, are sampled with rng.choice(eligible, n, replace=False); then for each
    chosen position, in the order rng.choice returned them, the token becomes
    synonyms[token][rng.integers(len(synonyms[token]))]. Returns a new list; tokens is unchanged.

    Raises:
        ValueError: if rate is not in [0, 1], or a synonym list is empty or contains its own key.
    """
    raise NotImplementedError("synonym_replace")


def random_mask(tokens: list[str], rate: float, seed: int, mask_token: str = "[MASK]") -> list[str]:
    """Replace each token independently with mask_token with probability `rate`:
    position i is masked when np.random.default_rng(seed).random(len(tokens))[i] < rate.

    Raises:
        ValueError: if rate is not in [0, 1].
    """
    raise NotImplementedError("random_mask")


def back_translate(tokens: list[str], forward: dict[str, str], backward: dict[str, str]) -> list[str]:
    """Dictionary round trip: each token -> forward[token] -> backward[that]; a token missing from
    either dictionary is kept unchanged. Paraphrases appear where `backward` maps a foreign word to a
    different English word than the one it came from."""
    raise NotImplementedError("back_translate")


def augment_dataset(examples: list[tuple[list[str], int]], n_aug: int, synonyms: dict[str, list[str]],
                    rate: float, seed: int) -> list[tuple[list[str], int]]:
    """Each example followed by n_aug synonym-replaced copies with the SAME label.

    Copy j (0-based) of example i uses synonym_replace(tokens, synonyms, rate, seed + i * n_aug + j),
    so copies differ from each other.

    Raises:
        ValueError: if n_aug < 0.
    """
    raise NotImplementedError("augment_dataset")
