"""nlp-18-1: tiled (flash) attention with HBM-aware blocking. Edit this file;
`grader check nlp-18-1` tests it."""
from __future__ import annotations

import torch


class HBM:
    """Given: a byte counter standing in for GPU high-bandwidth memory. Every tensor an algorithm loads from
    HBM goes through read(), every result it stores through write(); both return their argument."""

    def __init__(self) -> None:
        self.bytes_read = 0
        self.bytes_written = 0

    def read(self, x: torch.Tensor) -> torch.Tensor:
        self.bytes_read += x.nelement() * x.element_size()
        return x

    def write(self, x: torch.Tensor) -> torch.Tensor:
        self.bytes_written += x.nelement() * x.element_size()
        return x


def standard_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, causal: bool = False,
                       hbm: HBM | None = None) -> torch.Tensor:
    """softmax(q k^T / sqrt(d) [+ causal mask]) v the standard way, counting its HBM traffic.

    The standard kernel sequence keeps S and P in HBM: read Q and K, write S; read S, write P = softmax(S);
    read P and V, write O. Route exactly these through hbm.read / hbm.write (when hbm is None, count into a
    throwaway HBM()). Causal: position i attends to positions <= i. Same dtype as q; inputs not modified.

    Shapes:
        q, k, v: (B, H, T, d)
        returns: (B, H, T, d)
    """
    raise NotImplementedError("standard_attention: S, P and O, each written to and read from 'HBM'")


def flash_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, block_q: int, block_k: int,
                    causal: bool = False, hbm: HBM | None = None) -> torch.Tensor:
    """The same attention, tiled with an online softmax (FlashAttention-2 loop order), differentiable.

    For each block of block_q query rows (the last block may be shorter): read the Q tile once, keep a
    running max m, running denominator l and output accumulator in "SRAM" (ordinary local tensors), and
    for each block of block_k keys read the K tile and the V tile once, update m, l and the accumulator;
    finally write the O tile once. With causal=True skip the key blocks that start after the query
    block's last row (they are fully masked) and mask inside the diagonal tiles. Nothing else goes
    through hbm. Same dtype as q, which may be float32, float64 or bfloat16 (for bfloat16 you may keep
    m, l and the accumulator in float32, as FlashAttention does, and cast the O tile back); inputs not
    modified.

    Shapes:
        q, k, v: (B, H, T, d)
        returns: (B, H, T, d)

    Raises:
        ValueError: if block_q < 1 or block_k < 1.
    """
    raise NotImplementedError("flash_attention: loop over query tiles, then key tiles, with an online softmax")


def flash_traffic(seq_len: int, head_dim: int, block_q: int, block_k: int, causal: bool, itemsize: int) -> int:
    """Bytes flash_attention moves through HBM for ONE head (B = H = 1), in closed form or by walking the tiles.

    Raises:
        ValueError: if block_q < 1 or block_k < 1.
    """
    raise NotImplementedError("flash_traffic: Q once, O once, K and V once per query block that needs them")


def standard_traffic(seq_len: int, head_dim: int, itemsize: int) -> int:
    """Bytes standard_attention moves through HBM for one head: (4 T d + 4 T^2) * itemsize."""
    raise NotImplementedError("standard_traffic: count the reads and writes of Q, K, S, P, V, O")
