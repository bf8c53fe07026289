"""sys-01-2: fused row-wise softmax in Triton. Edit this file; `grader check sys-01-2` tests it.

Without a CUDA device the workbook sets TRITON_INTERPRET=1 before this module is imported, so the
kernel runs in Triton's interpreter on CPU tensors: same code, same semantics, just slow.
"""
from __future__ import annotations

import torch
import triton
import triton.language as tl


@triton.jit
def softmax_kernel(out_ptr, in_ptr, in_row_stride, out_row_stride, n_cols, BLOCK_SIZE: tl.constexpr):  # noqa: ANN001, ANN201 (Triton infers argument types at launch)
    """One program computes the softmax of one row: out[row, :] = softmax(in[row, :]).

    Arguments:
        out_ptr, in_ptr: pointers to the first element of the output and input (float32).
        in_row_stride, out_row_stride: elements between the starts of consecutive rows of each tensor
            (columns are contiguous: stride 1).
        n_cols: number of columns of the row.
        BLOCK_SIZE: a power of two >= n_cols, so one block holds the whole row.

    Steps: the program's row is tl.program_id(0); load the row through offsets tl.arange(0, BLOCK_SIZE)
    with a mask for the columns past n_cols (pad them with -inf, so they add exp(-inf) = 0 to the sum);
    subtract the row max; exponentiate; divide by the sum; store only the valid columns.
    """
    # Replace this line with the kernel body. (Only the interpreter can run a `raise`; a GPU compile
    # rejects it. The launcher below raises first anyway, until you write it.)
    raise NotImplementedError("softmax_kernel: load the row, subtract its max, exponentiate, normalise, store")


def softmax(x: torch.Tensor) -> torch.Tensor:
    """Row-wise softmax of a 2-D float32 tensor with `softmax_kernel`, one program per row.

    Allocate a new contiguous output, choose BLOCK_SIZE = triton.next_power_of_2(n_cols), and launch
    softmax_kernel on the grid (n_rows,), passing each tensor's own row stride (x may be a view
    whose rows are further apart than n_cols, e.g. a column slice of a wider tensor).

    Shapes:
        x: (n_rows, n_cols) float32, stride(1) == 1 (rows may be strided)
        returns: (n_rows, n_cols) float32, contiguous, same device as x

    Raises:
        ValueError: if x is not 2-D float32 or its columns are not contiguous.
    """
    raise NotImplementedError("softmax: allocate the output and launch softmax_kernel with grid (n_rows,)")
