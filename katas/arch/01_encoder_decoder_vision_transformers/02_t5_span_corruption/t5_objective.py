"""arch-01-2: T5 span corruption and relative-position buckets. Edit this file; `grader check arch-01-2` tests it."""
from __future__ import annotations

import math  # noqa: F401  (math.log)

import numpy as np
import torch


def random_spans_noise_mask(length: int, noise_density: float, mean_noise_span_length: float,
                            seed: int) -> np.ndarray:
    """T5's random span mask: which tokens get corrupted.

    num_noise = round(length * noise_density), then clipped to [1, length - 1];
    num_spans = round(num_noise / mean_noise_span_length), then clipped to [1, min(num_noise, length - num_noise)].
    `round` is Python's round (half to even: 2.5 -> 2). Split num_noise into num_spans positive span
    lengths and length - num_noise into num_spans positive gap lengths, each split uniformly at random
    (choose the num_spans - 1 cut points among the n - 1 gaps without replacement), and lay them out
    alternately: gap, span, gap, span, ... The mask therefore starts with a non-noise token and ends
    with a noise token. All randomness comes from np.random.default_rng(seed).

    Shapes:
        returns: bool array (length,), True = noise

    Raises:
        ValueError: if length < 2, noise_density is not in (0, 1), or mean_noise_span_length < 1.
    """
    raise NotImplementedError("random_spans_noise_mask: count, split, interleave")


def span_corrupt(tokens: list[int], noise_mask: np.ndarray, sentinel_start: int) -> tuple[list[int], list[int]]:
    """T5's span-corruption example built from a noise mask.

    Each maximal run of noise tokens becomes one sentinel in `inputs`; `targets` holds, for each run
    in order, its sentinel followed by the run's tokens, then one closing sentinel. The k-th sentinel
    (k = 0, 1, ...) has id sentinel_start - k (T5's <extra_id_0> is the highest id of the vocabulary).
    Example: tokens [a b c d e], mask [0 1 1 0 1] -> inputs [a S0 d S1], targets [S0 b c S1 e S2].

    Shapes:
        tokens: list of n ints     noise_mask: bool (n,)
        returns: inputs, targets (lists of ints)

    Raises:
        ValueError: if tokens and noise_mask differ in length.
    """
    raise NotImplementedError("span_corrupt: one sentinel per noise run")


def relative_position_bucket(relative_position: torch.Tensor, bidirectional: bool = True, num_buckets: int = 32,
                             max_distance: int = 128) -> torch.Tensor:
    """T5's bucket id for each relative position (key position - query position).

    Bidirectional: half of the buckets for r <= 0, the upper half (offset num_buckets // 2) for r > 0,
    and n = num_buckets // 2 buckets per side on the distance |r|. Unidirectional (decoder): r > 0
    (the future) counts as distance 0, distance = -min(r, 0), n = num_buckets. With max_exact = n // 2:
    distances below max_exact get their own bucket; larger ones get
        max_exact + int(log(dist / max_exact) / log(max_distance / max_exact) * (n - max_exact))
    computed in float32 and truncated, as T5 does, capped at n - 1.

    Shapes:
        relative_position: int64, any shape
        returns: int64, same shape, values in [0, num_buckets)

    Raises:
        ValueError: if bidirectional and num_buckets is odd, if n < 2, or if max_distance <= max_exact.
    """
    raise NotImplementedError("relative_position_bucket: exact buckets near, log-spaced far")


def position_bias(query_length: int, key_length: int, table: torch.Tensor, bidirectional: bool = True,
                  max_distance: int = 128) -> torch.Tensor:
    """T5's additive attention bias: table[bucket(key_pos - query_pos)], one value per head.

    num_buckets is table.shape[0].

    Shapes:
        table: (num_buckets, n_heads)
        returns: (1, n_heads, query_length, key_length)
    """
    raise NotImplementedError("position_bias: bucket the relative positions, look them up, move heads first")
