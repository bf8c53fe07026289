"""Reference solution for sys-01-1."""
from __future__ import annotations

import torch
import triton
import triton.language as tl


@triton.jit
def add_kernel(x_ptr, y_ptr, out_ptr, n_elements, x_stride, y_stride, BLOCK_SIZE: tl.constexpr):  # noqa: ANN001, ANN201 (Triton infers argument types at launch)
    pid = tl.program_id(0)
    offsets = pid * BLOCK_SIZE + tl.arange(0, BLOCK_SIZE)
    mask = offsets < n_elements
    x = tl.load(x_ptr + offsets * x_stride, mask=mask)
    y = tl.load(y_ptr + offsets * y_stride, mask=mask)
    tl.store(out_ptr + offsets, x + y, mask=mask)


def add(x: torch.Tensor, y: torch.Tensor, block_size: int = 128) -> torch.Tensor:
    for name, t in (("x", x), ("y", y)):
        if t.ndim != 1 or t.dtype != torch.float32:
            raise ValueError(f"{name} must be a 1-D float32 tensor, got {t.dtype} of shape {tuple(t.shape)}")
    if x.shape != y.shape:
        raise ValueError(f"x and y must have the same shape, got {tuple(x.shape)} and {tuple(y.shape)}")
    if block_size < 1 or block_size & (block_size - 1):
        raise ValueError(f"block_size must be a power of two, got {block_size}")
    n = x.shape[0]
    out = torch.empty(n, dtype=x.dtype, device=x.device)
    grid = (triton.cdiv(n, block_size),)
    add_kernel[grid](x, y, out, n, x.stride(0), y.stride(0), BLOCK_SIZE=block_size)
    return out
