"""Reference solution for sys-01-8."""
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


def _check_positive(**values: float) -> None:
    for name, v in values.items():
        if not v > 0:
            raise ValueError(f"{name} must be positive, got {v}")


def matmul_traffic(m: int, n: int, k: int, bytes_per_element: int) -> tuple[int, int]:
    _check_positive(m=m, n=n, k=k, bytes_per_element=bytes_per_element)
    return 2 * m * n * k, (m * k + k * n + m * n) * bytes_per_element


def elementwise_traffic(n: int, n_inputs: int, n_outputs: int, flops_per_element: int,
                        bytes_per_element: int) -> tuple[int, int]:
    _check_positive(n=n, n_outputs=n_outputs, bytes_per_element=bytes_per_element)
    if n_inputs < 0 or flops_per_element < 0:
        raise ValueError("n_inputs and flops_per_element must be >= 0")
    return n * flops_per_element, n * (n_inputs + n_outputs) * bytes_per_element


def arithmetic_intensity(flops: float, bytes_moved: float) -> float:
    _check_positive(bytes_moved=bytes_moved)
    if flops < 0:
        raise ValueError("flops must be >= 0")
    return flops / bytes_moved


def ridge_point(peak_flops: float, bandwidth: float) -> float:
    _check_positive(peak_flops=peak_flops, bandwidth=bandwidth)
    return peak_flops / bandwidth


def attainable_flops(intensity: float, peak_flops: float, bandwidth: float) -> float:
    _check_positive(peak_flops=peak_flops, bandwidth=bandwidth)
    if intensity < 0:
        raise ValueError("intensity must be >= 0")
    return min(peak_flops, intensity * bandwidth)


def is_compute_bound(intensity: float, peak_flops: float, bandwidth: float) -> bool:
    return intensity >= ridge_point(peak_flops, bandwidth)


def roofline_time(flops: float, bytes_moved: float, peak_flops: float, bandwidth: float) -> float:
    _check_positive(peak_flops=peak_flops, bandwidth=bandwidth)
    if flops < 0 or bytes_moved < 0:
        raise ValueError("flops and bytes_moved must be >= 0")
    return max(flops / peak_flops, bytes_moved / bandwidth)


def min_compute_bound_batch(n: int, k: int, bytes_per_element: int, peak_flops: float, bandwidth: float) -> int | None:
    _check_positive(n=n, k=k, bytes_per_element=bytes_per_element)
    ridge = ridge_point(peak_flops, bandwidth)
    # AI(m) = 2mnk / (b (mk + kn + mn)) >= ridge  <=>  m (2nk - ridge b (k + n)) >= ridge b k n
    slope = 2 * n * k - ridge * bytes_per_element * (k + n)
    if slope <= 0:
        return None
    m = max(1, int(ridge * bytes_per_element * k * n // slope))  # at most the answer: step up from here
    while 2 * m * n * k < ridge * bytes_per_element * (m * k + k * n + m * n):
        m += 1
    return m
