"""sys-01-5: fused dropout + residual add with a seeded RNG in Triton. Edit this file;
`grader check sys-01-5` tests it.

Without a CUDA device the workbook sets TRITON_INTERPRET=1 before this module is imported, so the
kernel runs in Triton's interpreter on CPU tensors: same code, same semantics, just slow.
"""
from __future__ import annotations

import torch
import triton
import triton.language as tl


@triton.jit
def dropout_add_kernel(x_ptr, residual_ptr, out_ptr, n_elements, p, scale, seed,  # noqa: ANN001, ANN201 (Triton infers argument types at launch)
                       BLOCK_SIZE: tl.constexpr):
    """Program `pid` computes out[i] = residual[i] + (x[i] * scale if kept else 0) for the
    BLOCK_SIZE flat indices i of block pid, masking i >= n_elements.

    Arguments:
        x_ptr, residual_ptr, out_ptr: pointers to the first element of contiguous float32 tensors.
        n_elements: the number of elements.
        p: the drop probability; scale: 1 / (1 - p), or 0.0 when p == 1 (computed by the launcher).
        seed: the integer seed of Triton's counter-based RNG.
        BLOCK_SIZE: a power of two.

    Element i is kept iff tl.rand(seed, i) >= p, with i the *global* flat index, so the decision
    depends only on (seed, i, p): not on BLOCK_SIZE, the program, or the tensor's shape.
    """
    # Replace this line with the kernel body. (Only the interpreter can run a `raise`; a GPU compile
    # rejects it. The launcher below raises first anyway, until you write it.)
    raise NotImplementedError("dropout_add_kernel: offsets, mask, loads, keep = tl.rand(seed, offsets) >= p, store")


def dropout_add(x: torch.Tensor, residual: torch.Tensor, p: float, seed: int, block_size: int = 128) -> torch.Tensor:
    """residual + dropout(x, p) in one kernel: inverted dropout, so kept values are scaled by 1/(1 - p).

    out[i] = residual[i] + x[i] / (1 - p) where element i is kept, residual[i] exactly where it is
    dropped (p = 0 keeps every element, p = 1 drops every one and returns a copy of residual). Which
    elements are kept depends only on (seed, flat index, p): the same seed gives the same output on
    every call, whatever block_size or shape; raising p with the same seed only drops more elements.
    Launch dropout_add_kernel on triton.cdiv(x.numel(), block_size) programs. x and residual are not
    modified; the output is a new tensor.

    Shapes:
        x, residual: any shape (the same), float32, contiguous
        returns: the shape of x, float32, contiguous, same device

    Raises:
        ValueError: if x or residual is not float32, if their shapes differ, if either is not
            contiguous, if p is outside [0, 1], if seed is outside [0, 2**31), or if block_size is
            not a power of two.
    """
    raise NotImplementedError("dropout_add: validate, compute scale, allocate the output and launch the kernel")
