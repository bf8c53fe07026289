"""Plausible wrong T5 span corruption and bucketing that the tests must reject."""
from __future__ import annotations

import math
from typing import TYPE_CHECKING

import numpy as np
import torch

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from t5_objective import relative_position_bucket


def _buckets(rel: torch.Tensor, bidirectional: bool, num_buckets: int, max_distance: int, *,
             halve: bool = True, future_upper: bool = True, rounding: bool = False, cap: bool = True
             ) -> torch.Tensor:
    n = num_buckets // 2 if bidirectional and halve else num_buckets
    if (bidirectional and num_buckets % 2) or n < 2 or max_distance <= n // 2:
        raise ValueError("bad bucket layout")
    buckets = torch.zeros_like(rel)
    if bidirectional:
        buckets = buckets + ((rel > 0) if future_upper else (rel < 0)).long() * (num_buckets // 2)
        dist = rel.abs()
    else:
        dist = -torch.clamp(rel, max=0)
    max_exact = n // 2
    frac = torch.log(dist.float() / max_exact) / math.log(max_distance / max_exact) * (n - max_exact)
    large = max_exact + (torch.round(frac) if rounding else frac).long()
    if cap:
        large = torch.clamp(large, max=n - 1)
    return buckets + torch.where(dist < max_exact, dist, large)


@pitfall(replaces="relative_position_bucket", why="bidirectional but not halving num_buckets per direction")
def buckets_not_halved(relative_position: torch.Tensor, bidirectional: bool = True, num_buckets: int = 32,
                       max_distance: int = 128) -> torch.Tensor:
    return _buckets(relative_position, bidirectional, num_buckets, max_distance, halve=False)


@pitfall(replaces="relative_position_bucket", why="sign flipped: keys before the query (r < 0) go to the upper half")
def past_in_upper_half(relative_position: torch.Tensor, bidirectional: bool = True, num_buckets: int = 32,
                       max_distance: int = 128) -> torch.Tensor:
    return _buckets(relative_position, bidirectional, num_buckets, max_distance, future_upper=False)


@pitfall(replaces="relative_position_bucket", why="rounds the log position instead of truncating it")
def log_bucket_rounded(relative_position: torch.Tensor, bidirectional: bool = True, num_buckets: int = 32,
                       max_distance: int = 128) -> torch.Tensor:
    return _buckets(relative_position, bidirectional, num_buckets, max_distance, rounding=True)


@pitfall(replaces="relative_position_bucket", why="no cap at n - 1: distances past max_distance spill into other buckets")
def no_cap(relative_position: torch.Tensor, bidirectional: bool = True, num_buckets: int = 32,
           max_distance: int = 128) -> torch.Tensor:
    return _buckets(relative_position, bidirectional, num_buckets, max_distance, cap=False)


@pitfall(replaces="position_bias", why="relative position taken as query - key instead of key - query")
def query_minus_key(query_length: int, key_length: int, table: torch.Tensor, bidirectional: bool = True,
                    max_distance: int = 128) -> torch.Tensor:
    rel = torch.arange(query_length)[:, None] - torch.arange(key_length)[None, :]
    return table[relative_position_bucket(rel, bidirectional, table.shape[0], max_distance)].permute(2, 0, 1)[None]


def _corrupt(tokens: list[int], noise_mask: np.ndarray, sentinel_start: int, *, step: int = -1,
             per_token: bool = False, closing: bool = True) -> tuple[list[int], list[int]]:
    if len(tokens) != len(noise_mask):
        raise ValueError("length mismatch")
    inputs: list[int] = []
    targets: list[int] = []
    sentinel = sentinel_start
    for i, (tok, noisy) in enumerate(zip(tokens, noise_mask, strict=True)):
        if not noisy:
            inputs.append(int(tok))
            continue
        if per_token or i == 0 or not noise_mask[i - 1]:
            inputs.append(sentinel)
            targets.append(sentinel)
            sentinel += step
        targets.append(int(tok))
    if closing:
        targets.append(sentinel)
    return inputs, targets


@pitfall(replaces="span_corrupt", why="one sentinel per noise token instead of one per noise span")
def sentinel_per_token(tokens: list[int], noise_mask: np.ndarray, sentinel_start: int) -> tuple[list[int], list[int]]:
    return _corrupt(tokens, noise_mask, sentinel_start, per_token=True)


@pitfall(replaces="span_corrupt", why="sentinel ids count up from sentinel_start instead of down")
def sentinels_count_up(tokens: list[int], noise_mask: np.ndarray, sentinel_start: int) -> tuple[list[int], list[int]]:
    return _corrupt(tokens, noise_mask, sentinel_start, step=1)


@pitfall(replaces="span_corrupt", why="forgets the closing sentinel at the end of the target")
def no_closing_sentinel(tokens: list[int], noise_mask: np.ndarray, sentinel_start: int) -> tuple[list[int], list[int]]:
    return _corrupt(tokens, noise_mask, sentinel_start, closing=False)


def _mask(length: int, noise_density: float, mean_noise_span_length: float, rng: np.random.Generator, *,
          to_int: bool = False, noise_first: bool = False, equal_spans: bool = False) -> np.ndarray:
    if length < 2 or not 0.0 < noise_density < 1.0 or mean_noise_span_length < 1.0:
        raise ValueError("bad arguments")
    rnd = (lambda x: int(x + 0.5)) if to_int else round
    num_noise = min(max(rnd(length * noise_density), 1), length - 1)
    num_nonnoise = length - num_noise
    num_spans = min(max(rnd(num_noise / mean_noise_span_length), 1), num_noise, num_nonnoise)

    def segment(n: int, k: int) -> np.ndarray:
        if equal_spans:
            return np.array([n // k + (i < n % k) for i in range(k)])
        cuts = np.sort(rng.choice(n - 1, size=k - 1, replace=False)) + 1
        return np.diff(np.concatenate([[0], cuts, [n]]))

    first, second = segment(num_noise, num_spans), segment(num_nonnoise, num_spans)
    mask = np.zeros(length, dtype=bool)
    pos = 0
    for a, b in zip(second if not noise_first else first, first if not noise_first else second, strict=True):
        if noise_first:
            mask[pos:pos + a] = True
        pos += a
        if not noise_first:
            mask[pos:pos + b] = True
        pos += b
    return mask


@pitfall(replaces="random_spans_noise_mask", why="rounds half up (int(x + 0.5)) instead of Python's round half to even")
def rounds_half_up(length: int, noise_density: float, mean_noise_span_length: float, seed: int) -> np.ndarray:
    return _mask(length, noise_density, mean_noise_span_length, np.random.default_rng(seed), to_int=True)


@pitfall(replaces="random_spans_noise_mask", why="starts with a noise span (gap and span swapped)")
def noise_first(length: int, noise_density: float, mean_noise_span_length: float, seed: int) -> np.ndarray:
    return _mask(length, noise_density, mean_noise_span_length, np.random.default_rng(seed), noise_first=True)


@pitfall(replaces="random_spans_noise_mask", why="splits the noise into equal spans: only the gaps are random")
def equal_spans(length: int, noise_density: float, mean_noise_span_length: float, seed: int) -> np.ndarray:
    return _mask(length, noise_density, mean_noise_span_length, np.random.default_rng(seed), equal_spans=True)


@pitfall(replaces="random_spans_noise_mask", why="draws from numpy's global generator instead of default_rng(seed)")
def global_rng(length: int, noise_density: float, mean_noise_span_length: float, seed: int) -> np.ndarray:
    return _mask(length, noise_density, mean_noise_span_length, np.random.default_rng())
