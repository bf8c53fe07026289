"""Reference solution for sys-01-7."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class GPUSpec:
    """Per-SM limits of one GPU architecture (CUDA occupancy calculator inputs)."""

    name: str
    max_threads_per_sm: int
    max_blocks_per_sm: int
    max_threads_per_block: int
    regs_per_sm: int
    max_regs_per_block: int
    max_regs_per_thread: int
    reg_alloc_unit: int          # registers are given to a warp in multiples of this
    reg_subpartitions: int       # the register file is split into this many equal banks of warps
    smem_per_sm: int             # bytes of shared memory per SM (maximum carveout)
    max_smem_per_block: int      # bytes a block may request (opt-in maximum)
    smem_reserved_per_block: int  # bytes the driver reserves per resident block
    smem_alloc_unit: int         # shared memory is allocated in multiples of this
    warp_size: int = 32


V100 = GPUSpec("V100 (sm_70)", 2048, 32, 1024, 65536, 65536, 255, 256, 4, 98304, 98304, 0, 256)
A100 = GPUSpec("A100 (sm_80)", 2048, 32, 1024, 65536, 65536, 255, 256, 4, 167936, 166912, 1024, 128)
H100 = GPUSpec("H100 (sm_90)", 2048, 32, 1024, 65536, 65536, 255, 256, 4, 233472, 232448, 1024, 128)


@dataclass(frozen=True)
class Occupancy:
    blocks_per_sm: int
    active_warps: int
    occupancy: float
    limiters: frozenset[str]   # every resource whose limit equals blocks_per_sm


def _round_up(x: int, unit: int) -> int:
    return -(-x // unit) * unit


def warp_sectors(addresses: np.ndarray, access_bytes: int = 4, sector_bytes: int = 32) -> int:
    addr = np.asarray(addresses)
    if addr.ndim != 1 or addr.size == 0 or addr.dtype.kind not in "iu":
        raise ValueError("addresses must be a non-empty 1-D integer array")
    if np.any(addr < 0):
        raise ValueError("addresses must be non-negative")
    if access_bytes < 1 or sector_bytes < 1:
        raise ValueError("access_bytes and sector_bytes must be positive")
    first = addr.astype(np.int64) // sector_bytes
    last = (addr.astype(np.int64) + access_bytes - 1) // sector_bytes
    sectors = set()
    for f, la in zip(first.tolist(), last.tolist(), strict=True):
        sectors.update(range(f, la + 1))
    return len(sectors)


def load_efficiency(addresses: np.ndarray, access_bytes: int = 4, sector_bytes: int = 32) -> float:
    n = warp_sectors(addresses, access_bytes, sector_bytes)
    addr = np.asarray(addresses).astype(np.int64)
    requested = np.unique((addr[:, None] + np.arange(access_bytes)[None, :]).ravel()).size
    return requested / (n * sector_bytes)


def occupancy(threads_per_block: int, regs_per_thread: int, smem_per_block: int, gpu: GPUSpec) -> Occupancy:
    if not 1 <= threads_per_block <= gpu.max_threads_per_block:
        raise ValueError(f"threads_per_block must be in [1, {gpu.max_threads_per_block}], got {threads_per_block}")
    if regs_per_thread < 0 or smem_per_block < 0:
        raise ValueError("regs_per_thread and smem_per_block must be >= 0")
    big = 2**31 - 1
    warps_per_block = -(-threads_per_block // gpu.warp_size)
    limit_warps = (gpu.max_threads_per_sm // gpu.warp_size) // warps_per_block
    limit_blocks = gpu.max_blocks_per_sm
    regs_per_warp = _round_up(regs_per_thread * gpu.warp_size, gpu.reg_alloc_unit)
    if (regs_per_thread > gpu.max_regs_per_thread
            or regs_per_warp * warps_per_block > gpu.max_regs_per_block
            or regs_per_warp * _round_up(warps_per_block, gpu.reg_subpartitions) > gpu.max_regs_per_block):
        limit_regs = 0
    elif regs_per_warp == 0:
        limit_regs = big
    else:
        warps_per_partition = (gpu.regs_per_sm // gpu.reg_subpartitions) // regs_per_warp
        limit_regs = warps_per_partition * gpu.reg_subpartitions // warps_per_block
    smem_alloc = _round_up(smem_per_block + gpu.smem_reserved_per_block, gpu.smem_alloc_unit)
    if smem_per_block > gpu.max_smem_per_block:
        limit_smem = 0
    elif smem_alloc == 0:
        limit_smem = big
    else:
        limit_smem = gpu.smem_per_sm // smem_alloc
    limits = {"warps": limit_warps, "blocks": limit_blocks, "registers": limit_regs, "shared_memory": limit_smem}
    blocks = min(limits.values())
    active = blocks * warps_per_block
    max_warps = gpu.max_threads_per_sm // gpu.warp_size
    return Occupancy(blocks, active, active / max_warps, frozenset(k for k, v in limits.items() if v == blocks))
