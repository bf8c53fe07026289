"""sys-01-1: vector add with masking in Triton. Edit this file; `grader check sys-01-1` tests it.

Without a CUDA device the workbook sets TRITON_INTERPRET=1 before this module is imported, so the
kernel runs in Triton's interpreter on CPU tensors: same code, same semantics, just slow.
"""
from __future__ import annotations

import torch
import triton
import triton.language as tl


@triton.jit
def add_kernel(x_ptr, y_ptr, out_ptr, n_elements, x_stride, y_stride, BLOCK_SIZE: tl.constexpr):  # noqa: ANN001, ANN201 (Triton infers argument types at launch)
    """Program `pid` computes out[i] = x[i] + y[i] for the BLOCK_SIZE indices i of block `pid`.

    Arguments:
        x_ptr, y_ptr: pointers to x[0] and y[0] (float32); element i of x is at x_ptr + i * x_stride.
        out_ptr: pointer to out[0] of a contiguous float32 output (stride 1).
        n_elements: the length n of the vectors.
        x_stride, y_stride: elements between consecutive entries of x and of y (>= 1).
        BLOCK_SIZE: a power of two; block pid covers indices pid * BLOCK_SIZE ... pid * BLOCK_SIZE + BLOCK_SIZE - 1.

    Indices >= n_elements (the tail of the last block) must be masked in every load and store:
    an unmasked access past the end of a tensor is an out-of-bounds memory access.
    """
    # Replace this line with the kernel body. (Only the interpreter can run a `raise`; a GPU compile
    # rejects it. The launcher below raises first anyway, until you write it.)
    raise NotImplementedError("add_kernel: offsets, mask, two masked loads, one masked store")


def add(x: torch.Tensor, y: torch.Tensor, block_size: int = 128) -> torch.Tensor:
    """x + y for 1-D float32 tensors with `add_kernel`, one program per block of `block_size` elements.

    Allocate a new contiguous output and launch add_kernel on the grid (triton.cdiv(n, block_size),):
    exactly that many programs, so the last block is partial whenever n is not a multiple of
    block_size. x and y may be strided views (x.stride(0) may be > 1); pass each one's own stride.
    An empty input (n = 0) gives an empty output.

    Shapes:
        x: (n,) float32, any stride >= 1
        y: (n,) float32, any stride >= 1
        returns: (n,) float32, contiguous, same device as x; x and y are not modified

    Raises:
        ValueError: if x or y is not 1-D float32, if their shapes differ, or if block_size is not a
            power of two (1, 2, 4, ...).
    """
    raise NotImplementedError("add: validate, allocate the output and launch add_kernel on cdiv(n, block_size) programs")
