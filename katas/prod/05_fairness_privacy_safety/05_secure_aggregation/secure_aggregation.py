"""prod-05-5: secure aggregation with pairwise masks. Edit this file; `grader check prod-05-5` tests it."""
from __future__ import annotations

import numpy as np

MODULUS = 2**32


def agree_seeds(n_clients: int, seed: int) -> np.ndarray:
    """Given: the pairwise secrets, as a key agreement (Diffie-Hellman) would give them.

    seeds[i, j] for i < j is the seed clients i and j share; the diagonal and lower triangle are -1
    (unused). Only clients i and j know seeds[i, j]; the server knows none.

    Shapes:
        returns: (n_clients, n_clients) int64
    """
    rng = np.random.default_rng(seed)
    seeds = np.full((n_clients, n_clients), -1, dtype=np.int64)
    upper = np.triu_indices(n_clients, k=1)
    seeds[upper] = rng.integers(0, 2**62, size=len(upper[0]))
    return seeds


def prg(seed: int, dim: int) -> np.ndarray:
    """Given: the pseudo-random mask a shared seed expands to, uniform on [0, MODULUS)."""
    return np.random.default_rng(int(seed)).integers(0, MODULUS, size=dim, dtype=np.int64)


def encode(x: np.ndarray, scale: float) -> np.ndarray:
    """Fixed-point encoding into the ring Z_MODULUS: np.round(x * scale) mod MODULUS (negatives wrap around;
    np.round rounds halves to even).

    Shapes:
        x: (dim,) float; returns: (dim,) int64 in [0, MODULUS)
    """
    raise NotImplementedError("encode: scale, round, reduce mod MODULUS")


def decode(v: np.ndarray, scale: float) -> np.ndarray:
    """Inverse of encode for sums that stay within +-MODULUS / 2: ring elements >= MODULUS // 2 stand for
    negative numbers (v - MODULUS); the result is divided by scale.

    Shapes:
        v: (dim,) int; returns: (dim,) float64
    """
    raise NotImplementedError("decode: back to signed integers, then unscale")


def pairwise_mask(client: int, seeds: np.ndarray, dim: int) -> np.ndarray:
    """Client `client`'s mask: + prg(seeds[client, j]) for every j > client and - prg(seeds[j, client])
    for every j < client, all mod MODULUS. Summed over all clients, the masks cancel exactly.

    Shapes:
        seeds: (n, n) from agree_seeds; returns: (dim,) int64 in [0, MODULUS)

    Raises:
        ValueError: if client is not in [0, n).
    """
    raise NotImplementedError("pairwise_mask: add the masks shared with later clients, subtract earlier ones")


def mask_update(encoded: np.ndarray, client: int, seeds: np.ndarray) -> np.ndarray:
    """What the client sends the server: (encoded + pairwise_mask(client, seeds, dim)) mod MODULUS.

    Shapes:
        encoded: (dim,) int64 from encode; returns: (dim,) int64 in [0, MODULUS)

    Raises:
        ValueError: as pairwise_mask.
    """
    raise NotImplementedError("mask_update: add the mask in the ring")


def aggregate(masked: list[np.ndarray]) -> np.ndarray:
    """The server's sum of the masked updates mod MODULUS: equal to the sum of the encoded updates.

    Shapes:
        masked: a list of (dim,) int64; returns: (dim,) int64 in [0, MODULUS)

    Raises:
        ValueError: if the list is empty.
    """
    raise NotImplementedError("aggregate: sum in the ring")
