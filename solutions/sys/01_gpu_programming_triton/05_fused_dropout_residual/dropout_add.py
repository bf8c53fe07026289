"""Reference solution for sys-01-5."""
from __future__ import annotations

import torch
import triton
import triton.language as tl


@triton.jit
def dropout_add_kernel(x_ptr, residual_ptr, out_ptr, n_elements, p, scale, seed,  # noqa: ANN001, ANN201 (Triton infers argument types at launch)
                       BLOCK_SIZE: tl.constexpr):
    pid = tl.program_id(0)
    offsets = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    mask = offsets < n_elements
    x = tl.load(x_ptr + offsets, mask=mask)
    residual = tl.load(residual_ptr + offsets, mask=mask)
    keep = tl.rand(seed, offsets) >= p
    tl.store(out_ptr + offsets, residual + tl.where(keep, x * scale, 0.0), mask=mask)


def dropout_add(x: torch.Tensor, residual: torch.Tensor, p: float, seed: int, block_size: int = 128) -> torch.Tensor:
    if x.dtype != torch.float32 or residual.dtype != torch.float32 or x.shape != residual.shape:
        raise ValueError(f"x and residual must be float32 of one shape, got {x.dtype}{list(x.shape)} and "
                         f"{residual.dtype}{list(residual.shape)}")
    if not (x.is_contiguous() and residual.is_contiguous()):
        raise ValueError("x and residual must be contiguous")
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"p must be in [0, 1], got {p}")
    if not 0 <= seed < 2**31:
        raise ValueError(f"seed must be in [0, 2**31), got {seed}")
    if block_size < 1 or block_size & (block_size - 1):
        raise ValueError(f"block_size must be a power of two, got {block_size}")
    out = torch.empty_like(x)
    n = x.numel()
    scale = 1.0 / (1.0 - p) if p < 1.0 else 0.0
    dropout_add_kernel[(triton.cdiv(n, block_size),)](x, residual, out, n, p, scale, seed, BLOCK_SIZE=block_size)
    return out
