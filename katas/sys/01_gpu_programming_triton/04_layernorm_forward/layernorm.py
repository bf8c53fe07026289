"""sys-01-4: LayerNorm forward in Triton. Edit this file; `grader check sys-01-4` tests it.

Without a CUDA device the workbook sets TRITON_INTERPRET=1 before this module is imported, so the
kernel runs in Triton's interpreter on CPU tensors: same code, same semantics, just slow.
"""
from __future__ import annotations

import torch
import triton
import triton.language as tl


@triton.jit
def layernorm_kernel(x_ptr, w_ptr, b_ptr, y_ptr, mean_ptr, rstd_ptr,  # noqa: ANN001, ANN201 (Triton infers argument types at launch)
                     x_row_stride, y_row_stride, n_cols, eps, BLOCK_SIZE: tl.constexpr):  # noqa: ANN001
    """One program normalises one row: y = (x - mean) * rstd * w + b, and saves mean and rstd.

    Arguments:
        x_ptr, y_ptr: pointers to x[0, 0] and y[0, 0] (float32); rows are x_row_stride / y_row_stride
            elements apart, columns are contiguous.
        w_ptr, b_ptr: pointers to the (n_cols,) weight and bias.
        mean_ptr, rstd_ptr: pointers to the (n_rows,) outputs: the row mean and 1 / sqrt(var + eps).
        n_cols: the row length; eps: added to the variance inside the square root.
        BLOCK_SIZE: a power of two >= n_cols, so one block holds the whole row.

    The variance is the biased one, (1/n) * sum (x - mean)^2, computed from the centred values (two
    passes over the row in registers), and the padding lanes past n_cols must contribute nothing.
    """
    # Replace this line with the kernel body. (Only the interpreter can run a `raise`; a GPU compile
    # rejects it. The launcher below raises first anyway, until you write it.)
    raise NotImplementedError("layernorm_kernel: load the row, mean, centred variance, normalise, scale, shift, store")


def layer_norm(x: torch.Tensor, weight: torch.Tensor, bias: torch.Tensor,
               eps: float = 1e-5) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """LayerNorm over the last axis with `layernorm_kernel`, one program per row.

    y[r] = (x[r] - mean[r]) * rstd[r] * weight + bias, with mean[r] the row mean and
    rstd[r] = 1 / sqrt(var[r] + eps), var the biased (1/n) variance: what
    torch.nn.functional.layer_norm(x, (n_cols,), weight, bias, eps) computes. mean and rstd are the
    statistics a backward pass needs. Launch on the grid (n_rows,) with
    BLOCK_SIZE = triton.next_power_of_2(n_cols), passing x's own row stride (x may be a view whose
    rows are further apart than n_cols). x, weight and bias are not modified.

    Shapes:
        x: (n_rows, n_cols) float32, stride(1) == 1 (rows may be strided)
        weight, bias: (n_cols,) float32, contiguous
        returns: y (n_rows, n_cols) float32 contiguous, mean (n_rows,) float32, rstd (n_rows,) float32,
            all new tensors on x's device

    Raises:
        ValueError: if x is not 2-D float32 with contiguous columns, if weight or bias is not a
            contiguous (n_cols,) float32 tensor, or if eps <= 0.
    """
    raise NotImplementedError("layer_norm: validate, allocate y, mean and rstd, launch layernorm_kernel on (n_rows,)")
