"""Reference solution for arch-01-2."""
from __future__ import annotations

import math

import numpy as np
import torch


def random_spans_noise_mask(length: int, noise_density: float, mean_noise_span_length: float,
                            seed: int) -> np.ndarray:
    if length < 2 or not 0.0 < noise_density < 1.0 or mean_noise_span_length < 1.0:
        raise ValueError(f"need length >= 2, 0 < noise_density < 1, mean span >= 1; got "
                         f"{length=}, {noise_density=}, {mean_noise_span_length=}")
    rng = np.random.default_rng(seed)
    num_noise = min(max(round(length * noise_density), 1), length - 1)
    num_nonnoise = length - num_noise
    num_spans = min(max(round(num_noise / mean_noise_span_length), 1), num_noise, num_nonnoise)

    def segment(n: int, k: int) -> np.ndarray:
        # k positive parts summing to n: choose k - 1 distinct cut points among the n - 1 gaps.
        cuts = np.sort(rng.choice(n - 1, size=k - 1, replace=False)) + 1
        return np.diff(np.concatenate([[0], cuts, [n]]))

    noise_lengths = segment(num_noise, num_spans)
    nonnoise_lengths = segment(num_nonnoise, num_spans)
    mask = np.zeros(length, dtype=bool)
    pos = 0
    for keep, drop in zip(nonnoise_lengths, noise_lengths, strict=True):
        pos += keep
        mask[pos:pos + drop] = True
        pos += drop
    return mask


def span_corrupt(tokens: list[int], noise_mask: np.ndarray, sentinel_start: int) -> tuple[list[int], list[int]]:
    if len(tokens) != len(noise_mask):
        raise ValueError(f"tokens and noise_mask differ in length: {len(tokens)} vs {len(noise_mask)}")
    inputs: list[int] = []
    targets: list[int] = []
    sentinel = sentinel_start
    for i, (tok, noisy) in enumerate(zip(tokens, noise_mask, strict=True)):
        if not noisy:
            inputs.append(int(tok))
            continue
        if i == 0 or not noise_mask[i - 1]:
            inputs.append(sentinel)
            targets.append(sentinel)
            sentinel -= 1
        targets.append(int(tok))
    targets.append(sentinel)
    return inputs, targets


def relative_position_bucket(relative_position: torch.Tensor, bidirectional: bool = True, num_buckets: int = 32,
                             max_distance: int = 128) -> torch.Tensor:
    n = num_buckets // 2 if bidirectional else num_buckets
    if (bidirectional and num_buckets % 2) or n < 2 or max_distance <= n // 2:
        raise ValueError(f"bad bucket layout: {num_buckets=}, {bidirectional=}, {max_distance=}")
    buckets = torch.zeros_like(relative_position)
    if bidirectional:
        buckets = buckets + (relative_position > 0).long() * n
        dist = relative_position.abs()
    else:
        dist = -torch.clamp(relative_position, max=0)
    max_exact = n // 2
    large = max_exact + (torch.log(dist.float() / max_exact) / math.log(max_distance / max_exact)
                         * (n - max_exact)).long()
    large = torch.clamp(large, max=n - 1)
    return buckets + torch.where(dist < max_exact, dist, large)


def position_bias(query_length: int, key_length: int, table: torch.Tensor, bidirectional: bool = True,
                  max_distance: int = 128) -> torch.Tensor:
    context = torch.arange(query_length)[:, None]
    memory = torch.arange(key_length)[None, :]
    bucket = relative_position_bucket(memory - context, bidirectional, table.shape[0], max_distance)
    return table[bucket].permute(2, 0, 1).unsqueeze(0)
