"""Plausible wrong versions of the coalescing and occupancy calculator that the tests must reject."""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from gpu_calc import GPUSpec, Occupancy, occupancy, warp_sectors

# The pitfalls below replace `occupancy` in the module, so keep the solution's own under another name.
solution_occupancy = occupancy


@pitfall(replaces="warp_sectors", why="counts only the sector of each access's first byte: an access that straddles a boundary costs one sector, not two")
def first_byte_only(addresses: np.ndarray, access_bytes: int = 4, sector_bytes: int = 32) -> int:
    addr = np.asarray(addresses)
    if addr.ndim != 1 or addr.size == 0 or addr.dtype.kind not in "iu" or np.any(addr < 0):
        raise ValueError("bad addresses")
    if access_bytes < 1 or sector_bytes < 1:
        raise ValueError("bad sizes")
    return int(np.unique(addr // sector_bytes).size)


@pitfall(replaces="load_efficiency", why="counts requested bytes as n_threads * access_bytes: a broadcast (threads reading one address) scores above 1")
def counts_duplicate_bytes(addresses: np.ndarray, access_bytes: int = 4, sector_bytes: int = 32) -> float:
    n = warp_sectors(addresses, access_bytes, sector_bytes)
    return len(np.asarray(addresses)) * access_bytes / (n * sector_bytes)


@pitfall(replaces="occupancy", why="divides the whole register file by registers per block, ignoring the 4 register banks (sub-partitions)")
def ignores_register_banks(threads_per_block: int, regs_per_thread: int, smem_per_block: int, gpu: GPUSpec) -> Occupancy:
    flat = replace(gpu, reg_subpartitions=1)
    return solution_occupancy(threads_per_block, regs_per_thread, smem_per_block, flat)


@pitfall(replaces="occupancy", why="no register allocation granularity: regs_per_thread * 32 registers per warp, not rounded up to 256")
def no_register_rounding(threads_per_block: int, regs_per_thread: int, smem_per_block: int, gpu: GPUSpec) -> Occupancy:
    return solution_occupancy(threads_per_block, regs_per_thread, smem_per_block, replace(gpu, reg_alloc_unit=1))


@pitfall(replaces="occupancy", why="forgets the 1 KB of shared memory the driver reserves per block (and the 128-byte allocation unit)")
def no_smem_reservation(threads_per_block: int, regs_per_thread: int, smem_per_block: int, gpu: GPUSpec) -> Occupancy:
    return solution_occupancy(threads_per_block, regs_per_thread, smem_per_block,
                     replace(gpu, smem_reserved_per_block=0, smem_alloc_unit=1))


@pitfall(replaces="occupancy", why="counts threads, not whole warps: a 48-thread block is 1.5 warps instead of 2")
def fractional_warps(threads_per_block: int, regs_per_thread: int, smem_per_block: int, gpu: GPUSpec) -> Occupancy:
    r = solution_occupancy(threads_per_block, regs_per_thread, smem_per_block, gpu)
    active = r.blocks_per_sm * threads_per_block / gpu.warp_size
    return Occupancy(r.blocks_per_sm, int(active), active / (gpu.max_threads_per_sm / gpu.warp_size), r.limiters)


@pitfall(replaces="occupancy", why="reports only the first limiting resource found, not every one that ties")
def single_limiter(threads_per_block: int, regs_per_thread: int, smem_per_block: int, gpu: GPUSpec) -> Occupancy:
    r = solution_occupancy(threads_per_block, regs_per_thread, smem_per_block, gpu)
    first = sorted(r.limiters)[0]
    return Occupancy(r.blocks_per_sm, r.active_warps, r.occupancy, frozenset({first}))


@pitfall(replaces="occupancy", why="a block that needs more than 64K registers is clamped to 1 block instead of 0 (it cannot launch)")
def clamps_to_one(threads_per_block: int, regs_per_thread: int, smem_per_block: int, gpu: GPUSpec) -> Occupancy:
    r = solution_occupancy(threads_per_block, regs_per_thread, smem_per_block, gpu)
    if r.blocks_per_sm:
        return r
    wpb = -(-threads_per_block // gpu.warp_size)
    return Occupancy(1, wpb, wpb / (gpu.max_threads_per_sm // gpu.warp_size), r.limiters)
