"""sys-01-7: memory coalescing and occupancy, an analytic calculator. Edit this file;
`grader check sys-01-7` tests it.

Pure Python: nothing here needs a GPU. The GPUSpec constants below are the per-SM limits NVIDIA
publishes (CUDA C Programming Guide, "Compute capabilities" table; cuda_occupancy.h).
"""
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


def warp_sectors(addresses: np.ndarray, access_bytes: int = 4, sector_bytes: int = 32) -> int:
    """How many distinct memory sectors one warp-wide load touches.

    Thread t reads the access_bytes bytes addresses[t], ..., addresses[t] + access_bytes - 1. A
    sector is an aligned block of sector_bytes bytes (sector s holds bytes s * sector_bytes up to
    (s + 1) * sector_bytes - 1); the memory system moves whole sectors, so the cost of the load is the
    number of distinct sectors that any byte of any thread falls in. An access that straddles a
    sector boundary touches both sectors; threads reading the same sector share it.

    Shapes:
        addresses: (n_threads,) non-negative integer byte addresses (usually 32 threads, any n >= 1)
        returns: int

    Raises:
        ValueError: if addresses is empty, not 1-D, not integer, or has a negative entry, or if
            access_bytes or sector_bytes < 1.
    """
    raise NotImplementedError("warp_sectors: the set of sectors covered by every thread's byte range")


def load_efficiency(addresses: np.ndarray, access_bytes: int = 4, sector_bytes: int = 32) -> float:
    """Useful fraction of the bytes moved: distinct requested bytes / (warp_sectors * sector_bytes).

    Bytes requested by several threads (a broadcast) count once, so the result is in (0, 1]:
    1.0 for 32 threads reading consecutive aligned 4-byte floats, 0.5 for a stride of 2 floats.

    Shapes:
        addresses: (n_threads,) non-negative integer byte addresses
        returns: float in (0, 1]

    Raises:
        ValueError: as warp_sectors.
    """
    raise NotImplementedError("load_efficiency: distinct requested bytes over the bytes of the sectors moved")


def occupancy(threads_per_block: int, regs_per_thread: int, smem_per_block: int, gpu: GPUSpec) -> Occupancy:
    """Resident blocks per SM and occupancy of a kernel, by the rules of NVIDIA's occupancy calculator.

    blocks_per_sm is the minimum of four limits (warps_per_block = ceil(threads_per_block / warp_size)):
      - "warps":     (max_threads_per_sm / warp_size) // warps_per_block
      - "blocks":    max_blocks_per_sm
      - "registers": each warp gets regs_per_warp = round_up(regs_per_thread * warp_size, reg_alloc_unit)
                     registers from one of reg_subpartitions equal banks of regs_per_sm / reg_subpartitions,
                     so ((regs_per_sm // reg_subpartitions) // regs_per_warp) * reg_subpartitions warps fit,
                     // warps_per_block blocks. 0 (cannot launch) if regs_per_thread > max_regs_per_thread or
                     regs_per_warp * round_up(warps_per_block, reg_subpartitions) > max_regs_per_block.
                     No limit when regs_per_thread == 0.
      - "shared_memory": each block takes round_up(smem_per_block + smem_reserved_per_block, smem_alloc_unit)
                     bytes of smem_per_sm; 0 if smem_per_block > max_smem_per_block; no limit if that is 0.
    active_warps = blocks_per_sm * warps_per_block; occupancy = active_warps / (max_threads_per_sm / warp_size).
    limiters is the set of names whose limit equals blocks_per_sm (ties give several).

    Shapes:
        scalars in, an Occupancy out

    Raises:
        ValueError: if threads_per_block is outside [1, gpu.max_threads_per_block], or if
            regs_per_thread or smem_per_block is negative.
    """
    raise NotImplementedError("occupancy: the four per-SM limits, their minimum, the limiters")
