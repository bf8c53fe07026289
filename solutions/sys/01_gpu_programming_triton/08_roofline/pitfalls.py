"""Plausible wrong versions of the roofline functions that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from roofline import _check_positive, ridge_point


@pitfall(replaces="matmul_traffic", why="counts m n k FLOPs: a multiply-add is two FLOPs")
def one_flop_per_mac(m: int, n: int, k: int, bytes_per_element: int) -> tuple[int, int]:
    _check_positive(m=m, n=n, k=k, bytes_per_element=bytes_per_element)
    return m * n * k, (m * k + k * n + m * n) * bytes_per_element


@pitfall(replaces="matmul_traffic", why="counts only reading A and B: writing C is traffic too")
def forgets_output(m: int, n: int, k: int, bytes_per_element: int) -> tuple[int, int]:
    _check_positive(m=m, n=n, k=k, bytes_per_element=bytes_per_element)
    return 2 * m * n * k, (m * k + k * n) * bytes_per_element


@pitfall(replaces="attainable_flops", why="no compute roof: returns intensity * bandwidth even past the ridge")
def memory_roof_only(intensity: float, peak_flops: float, bandwidth: float) -> float:
    _check_positive(peak_flops=peak_flops, bandwidth=bandwidth)
    if intensity < 0:
        raise ValueError("intensity must be >= 0")
    return intensity * bandwidth


@pitfall(replaces="is_compute_bound", why="strict > at the ridge: an op exactly on the ridge is called memory-bound")
def strict_ridge(intensity: float, peak_flops: float, bandwidth: float) -> bool:
    return intensity > ridge_point(peak_flops, bandwidth)


@pitfall(replaces="roofline_time", why="adds compute time and memory time (no overlap) instead of taking the max")
def sums_times(flops: float, bytes_moved: float, peak_flops: float, bandwidth: float) -> float:
    _check_positive(peak_flops=peak_flops, bandwidth=bandwidth)
    if flops < 0 or bytes_moved < 0:
        raise ValueError("negative")
    return flops / peak_flops + bytes_moved / bandwidth


@pitfall(replaces="min_compute_bound_batch", why="treats the ridge as batch = ridge / 2 (the GEMV intensity 2m/b with b = 1, weights only), ignoring activations")
def weights_only_batch(n: int, k: int, bytes_per_element: int, peak_flops: float, bandwidth: float) -> int | None:
    _check_positive(n=n, k=k, bytes_per_element=bytes_per_element)
    ridge = ridge_point(peak_flops, bandwidth)
    m = 1
    while 2 * m * n * k < ridge * bytes_per_element * k * n:  # counts only the weight bytes
        m += 1
    return m


@pitfall(replaces="min_compute_bound_batch", why="off by one: returns the last memory-bound batch instead of the first compute-bound one")
def last_memory_bound(n: int, k: int, bytes_per_element: int, peak_flops: float, bandwidth: float) -> int | None:
    _check_positive(n=n, k=k, bytes_per_element=bytes_per_element)
    ridge = ridge_point(peak_flops, bandwidth)
    if 2 * n * k - ridge * bytes_per_element * (k + n) <= 0:
        return None
    m = 1
    while 2 * (m + 1) * n * k < ridge * bytes_per_element * ((m + 1) * k + k * n + (m + 1) * n):
        m += 1
    return m
