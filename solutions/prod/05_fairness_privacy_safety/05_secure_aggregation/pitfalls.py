"""Plausible wrong secure-aggregation implementations that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from secure_aggregation import MODULUS, prg


@pitfall(replaces="pairwise_mask", why="adds the shared mask on both sides of the pair: nothing cancels")
def same_sign(client: int, seeds: np.ndarray, dim: int) -> np.ndarray:
    n = seeds.shape[0]
    if not 0 <= client < n:
        raise ValueError("client")
    mask = np.zeros(dim, dtype=np.int64)
    for other in range(n):
        if other != client:
            mask = np.mod(mask + prg(seeds[min(client, other), max(client, other)], dim), MODULUS)
    return mask


@pitfall(replaces="pairwise_mask", why="subtracts without reducing mod 2**32: masks go negative (they still cancel as integers)")
def no_modulo(client: int, seeds: np.ndarray, dim: int) -> np.ndarray:
    n = seeds.shape[0]
    if not 0 <= client < n:
        raise ValueError("client")
    mask = np.zeros(dim, dtype=np.int64)
    for other in range(n):
        if other > client:
            mask = mask + prg(seeds[client, other], dim)
        elif other < client:
            mask = mask - prg(seeds[other, client], dim)
    return mask


@pitfall(replaces="pairwise_mask", why="only masks with the next client: the last client sends its update in the clear")
def ring_neighbours(client: int, seeds: np.ndarray, dim: int) -> np.ndarray:
    n = seeds.shape[0]
    if not 0 <= client < n:
        raise ValueError("client")
    mask = np.zeros(dim, dtype=np.int64)
    if client + 1 < n:
        mask = np.mod(mask + prg(seeds[client, client + 1], dim), MODULUS)
    if client > 0:
        mask = np.mod(mask - prg(seeds[client - 1, client], dim), MODULUS)
    return mask


@pitfall(replaces="decode", why="forgets that the upper half of the ring stands for negative numbers")
def unsigned_decode(v: np.ndarray, scale: float) -> np.ndarray:
    return np.mod(np.asarray(v, dtype=np.int64), MODULUS) / scale


@pitfall(replaces="encode", why="truncates x * scale towards zero instead of rounding")
def truncating_encode(x: np.ndarray, scale: float) -> np.ndarray:
    return np.mod((np.asarray(x, dtype=np.float64) * scale).astype(np.int64), MODULUS)


@pitfall(replaces="aggregate", why="sums the masked updates without reducing mod 2**32")
def plain_sum(masked: list[np.ndarray]) -> np.ndarray:
    if len(masked) == 0:
        raise ValueError("empty")
    return np.sum([np.asarray(m, dtype=np.int64) for m in masked], axis=0)
