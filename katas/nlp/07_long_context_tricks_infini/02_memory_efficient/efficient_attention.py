"""nlp-07-2: memory-efficient attention, by tiling (flash) and by recomputation. Edit this file;
`grader check nlp-07-2` tests it."""
from __future__ import annotations

import math

import torch
from torch.utils.checkpoint import checkpoint  # noqa: F401  (one way to write recompute_attention)


def naive_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, causal: bool = False) -> torch.Tensor:
    """Given, complete: softmax(q kᵀ / sqrt(d)) v, materialising the whole (L_q, L_k) score matrix.

    With causal=True, query i attends keys j <= i (L_q == L_k).

    Shapes:
        q: (B, H, L_q, d); k: (B, H, L_k, d); v: (B, H, L_k, d_v)
        returns: (B, H, L_q, d_v)
    """
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if causal:
        lq, lk = scores.shape[-2:]
        keep = torch.ones(lq, lk, dtype=torch.bool, device=q.device).tril()
        scores = scores.masked_fill(~keep, float("-inf"))
    return torch.softmax(scores, dim=-1) @ v


def flash_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, block_size: int,
                    causal: bool = False) -> tuple[torch.Tensor, torch.Tensor]:
    """Exact attention computed one block of keys at a time with an online softmax (FlashAttention's core).

    Never hold more than one block of scores per query: for each block of block_size keys (the last
    one may be shorter), compute the (L_q, block) scores, update each query's running maximum m,
    running denominator l = Σ exp(score - m) and running output acc = Σ exp(score - m) · v,
    rescaling the old l and acc by exp(m_old - m_new) whenever the maximum grows. At the end
    out = acc / l and logsumexp = m + log l. With causal=True, query i attends keys j <= i
    (L_q == L_k), positions counted from the start of the sequence, not of the block.

    Shapes:
        q: (B, H, L_q, d); k: (B, H, L_k, d); v: (B, H, L_k, d_v)
        returns: (out (B, H, L_q, d_v), logsumexp (B, H, L_q)), the logsumexp of the scaled, masked scores

    Raises:
        ValueError: if block_size < 1.
    """
    raise NotImplementedError("flash_attention: loop over key blocks with a running max, sum and output")


def recompute_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor, causal: bool = False) -> torch.Tensor:
    """naive_attention's result and gradients, keeping only O(L · d) tensors alive for the backward pass.

    Autograd normally saves the (L_q, L_k) attention weights for the backward pass. Save only the
    inputs (activation checkpointing: torch.utils.checkpoint.checkpoint(..., use_reentrant=False),
    or your own torch.autograd.Function) and recompute the weights during backward. The tensors
    saved for backward may add up to at most the inputs, the output and a few (B, H, L_q) statistics.

    Shapes:
        q: (B, H, L_q, d); k: (B, H, L_k, d); v: (B, H, L_k, d_v)
        returns: (B, H, L_q, d_v), differentiable with respect to q, k and v
    """
    raise NotImplementedError("recompute_attention: save the inputs, recompute the weights in backward")
