"""Reference solution for sys-01-4."""
from __future__ import annotations

import torch
import triton
import triton.language as tl


@triton.jit
def layernorm_kernel(x_ptr, w_ptr, b_ptr, y_ptr, mean_ptr, rstd_ptr,  # noqa: ANN001, ANN201 (Triton infers argument types at launch)
                     x_row_stride, y_row_stride, n_cols, eps, BLOCK_SIZE: tl.constexpr):  # noqa: ANN001
    row = tl.program_id(0)
    cols = tl.arange(0, BLOCK_SIZE)
    mask = cols < n_cols
    x = tl.load(x_ptr + row * x_row_stride + cols, mask=mask, other=0.0)
    mean = tl.sum(x, axis=0) / n_cols
    diff = tl.where(mask, x - mean, 0.0)
    var = tl.sum(diff * diff, axis=0) / n_cols
    rstd = 1.0 / tl.sqrt(var + eps)
    w = tl.load(w_ptr + cols, mask=mask)
    b = tl.load(b_ptr + cols, mask=mask)
    tl.store(y_ptr + row * y_row_stride + cols, diff * rstd * w + b, mask=mask)
    tl.store(mean_ptr + row, mean)
    tl.store(rstd_ptr + row, rstd)


def layer_norm(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor,
               eps: float = 1e-5) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    if x.ndim != 2 or x.dtype != torch.float32 or x.stride(1) != 1:
        raise ValueError(f"x must be 2-D float32 with contiguous columns, got {x.dtype}{list(x.shape)} strides {x.stride()}")
    n_rows, n_cols = x.shape
    for name, t in (("weight", weight), ("bias", bias)):
        if t.shape != (n_cols,) or t.dtype != torch.float32 or t.stride(0) != 1:
            raise ValueError(f"{name} must be a contiguous float32 tensor of shape ({n_cols},), got {t.dtype}{list(t.shape)}")
    if not eps > 0:
        raise ValueError(f"eps must be positive, got {eps}")
    y = torch.empty((n_rows, n_cols), dtype=torch.float32, device=x.device)
    mean = torch.empty(n_rows, dtype=torch.float32, device=x.device)
    rstd = torch.empty(n_rows, dtype=torch.float32, device=x.device)
    layernorm_kernel[(n_rows,)](x, weight, bias, y, mean, rstd, x.stride(0), y.stride(0), n_cols, eps,
                                BLOCK_SIZE=triton.next_power_of_2(n_cols))
    return y, mean, rstd
