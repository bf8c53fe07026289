"""sys-01-8: the roofline model. Edit this file; `grader check sys-01-8` tests it.

Pure Python: the A100 and H100 constants below are NVIDIA's published peaks, so the answers are the
ones you would get on those GPUs' rooflines.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Accelerator:
    """Published dense peak throughput (FLOP/s, by dtype) and memory bandwidth (bytes/s)."""

    name: str
    peak_flops: dict[str, float] = field(hash=False)
    bandwidth: float


# NVIDIA datasheets: A100 SXM4 80 GB (HBM2e 2039 GB/s) and H100 SXM5 80 GB (HBM3 3.35 TB/s), dense
# (no 2:4 sparsity) tensor-core peaks; fp32 is the non-tensor-core CUDA-core peak.
A100 = Accelerator("A100 SXM4 80GB", {"fp32": 19.5e12, "tf32": 156e12, "bf16": 312e12, "fp16": 312e12,
                                      "int8": 624e12}, 2.039e12)
H100 = Accelerator("H100 SXM5 80GB", {"fp32": 67e12, "tf32": 494.7e12, "bf16": 989.4e12, "fp16": 989.4e12,
                                      "fp8": 1978.9e12}, 3.35e12)


def matmul_traffic(m: int, n: int, k: int, bytes_per_element: int) -> tuple[int, int]:
    """FLOPs and minimum DRAM bytes of C = A @ B with A (m, k), B (k, n), C (m, n).

    flops = 2 m n k (one multiply and one add per term); bytes = (m k + k n + m n) * bytes_per_element:
    A and B read once and C written once (the ideal, fully-cached traffic the roofline assumes).

    Shapes:
        scalars in; returns (flops, bytes) as ints

    Raises:
        ValueError: if any argument is < 1.
    """
    raise NotImplementedError("matmul_traffic: 2mnk FLOPs; A, B read and C written once")


def elementwise_traffic(n: int, n_inputs: int, n_outputs: int, flops_per_element: int,
                        bytes_per_element: int) -> tuple[int, int]:
    """FLOPs and DRAM bytes of an elementwise op over n elements (e.g. x + y: n_inputs=2, n_outputs=1,
    flops_per_element=1).

    flops = n * flops_per_element; bytes = n * (n_inputs + n_outputs) * bytes_per_element.

    Shapes:
        scalars in; returns (flops, bytes) as ints

    Raises:
        ValueError: if n, n_outputs or bytes_per_element is < 1, or n_inputs or flops_per_element is < 0.
    """
    raise NotImplementedError("elementwise_traffic: every input read once, every output written once")


def arithmetic_intensity(flops: float, bytes_moved: float) -> float:
    """FLOPs per byte of DRAM traffic: flops / bytes_moved.

    Raises:
        ValueError: if bytes_moved <= 0 or flops < 0.
    """
    raise NotImplementedError("arithmetic_intensity")


def ridge_point(peak_flops: float, bandwidth: float) -> float:
    """The intensity (FLOP/byte) where the memory roof meets the compute roof: peak_flops / bandwidth.

    Raises:
        ValueError: if peak_flops or bandwidth <= 0.
    """
    raise NotImplementedError("ridge_point")


def attainable_flops(intensity: float, peak_flops: float, bandwidth: float) -> float:
    """The roofline: min(peak_flops, intensity * bandwidth) FLOP/s.

    Raises:
        ValueError: if intensity < 0, or peak_flops or bandwidth <= 0.
    """
    raise NotImplementedError("attainable_flops")


def is_compute_bound(intensity: float, peak_flops: float, bandwidth: float) -> bool:
    """True when intensity >= ridge_point(peak_flops, bandwidth) (exactly at the ridge counts as compute-bound).

    Raises:
        ValueError: if peak_flops or bandwidth <= 0.
    """
    raise NotImplementedError("is_compute_bound")


def roofline_time(flops: float, bytes_moved: float, peak_flops: float, bandwidth: float) -> float:
    """Lower bound on run time in seconds, with compute and memory traffic fully overlapped:
    max(flops / peak_flops, bytes_moved / bandwidth).

    Raises:
        ValueError: if flops or bytes_moved < 0, or peak_flops or bandwidth <= 0.
    """
    raise NotImplementedError("roofline_time")


def min_compute_bound_batch(n: int, k: int, bytes_per_element: int, peak_flops: float, bandwidth: float) -> int | None:
    """The smallest batch m >= 1 for which an (m, k) @ (k, n) matmul is compute-bound, or None if none is.

    "Compute-bound" is tested exactly as 2 m n k >= ridge * bytes_per_element * (m k + k n + m n), with
    ridge = peak_flops / bandwidth (the cross-multiplied form of matmul intensity >= ridge). The
    intensity grows with m towards 2 n k / (bytes_per_element (n + k)); if that limit is <= ridge,
    no batch is compute-bound: return None.

    Raises:
        ValueError: if n, k or bytes_per_element is < 1, or peak_flops or bandwidth <= 0.
    """
    raise NotImplementedError("min_compute_bound_batch")
