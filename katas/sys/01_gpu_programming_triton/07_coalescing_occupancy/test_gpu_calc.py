"""Tests for sys-01-7, a coalescing and occupancy calculator.

References: the coalescing examples of the CUDA C Best Practices Guide; hand-checked occupancies on
published A100 / H100 / V100 limits; and two brute-force formulations: the set of bytes a warp
touches, and an SM that admits blocks one at a time, placing each warp's registers in a free bank.
"""
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from grader.testing import assert_equal, call_unmodified, describe_call

WARP = 32


def brute_sectors(addresses, access_bytes, sector_bytes):
    touched = {b for a in addresses.tolist() for b in range(a, a + access_bytes)}
    return len({b // sector_bytes for b in touched}), len(touched)


def pattern(base: int, stride_elems: int, elem_bytes: int, n: int = WARP) -> np.ndarray:
    return base + np.arange(n, dtype=np.int64) * stride_elems * elem_bytes


@given(base=st.integers(0, 300), stride=st.integers(0, 40), access=st.sampled_from([1, 2, 4, 8, 16]),
       sector=st.sampled_from([1, 32, 64, 128]), n=st.sampled_from([1, 7, 32]), default=st.booleans())
@example(base=28, stride=1, access=8, sector=32, n=1, default=False)   # one 8-byte access across a boundary: 2 sectors
@example(base=0, stride=0, access=4, sector=32, n=32, default=False)   # every thread reads one float: 1 sector
@example(base=3, stride=1, access=2, sector=1, n=7, default=False)     # 1-byte sectors: sectors = distinct bytes
def test_sectors_match_brute_force(kata, base, stride, access, sector, n, default):
    addr = pattern(base, stride, access, n)
    kwargs = {} if default else {"access_bytes": access, "sector_bytes": sector}
    if default:
        access, sector = 4, 32
    call = describe_call("warp_sectors", addr, **kwargs)
    got = call_unmodified(kata.warp_sectors, addr, fn_name="warp_sectors", **kwargs)
    want, requested = brute_sectors(addr, access, sector)
    assert int(got) == want, f"{call} = {got}, expected {want} distinct {sector}-byte sectors (addresses {addr[:4].tolist()}...)"
    eff = call_unmodified(kata.load_efficiency, addr, fn_name="load_efficiency", **kwargs)
    want_eff = requested / (want * sector)
    assert abs(float(eff) - want_eff) <= 1e-12, (
        f"{describe_call('load_efficiency', addr, **kwargs)} = {eff}, expected {requested} distinct bytes / "
        f"({want} sectors x {sector} B) = {want_eff:.6g}")


@given(seed=st.integers(0, 2**31 - 1), n=st.integers(1, 64), access=st.sampled_from([1, 4, 8]))
def test_random_addresses(kata, seed, n, access):
    addr = np.random.default_rng(seed).integers(0, 4096, size=n)
    want, requested = brute_sectors(addr, access, 32)
    got = kata.warp_sectors(addr, access_bytes=access)
    assert int(got) == want, f"warp_sectors(random addresses, access_bytes={access}) = {got}, expected {want}"
    eff = kata.load_efficiency(addr, access_bytes=access)
    assert abs(float(eff) - requested / (want * 32)) <= 1e-12, f"load_efficiency = {eff}, expected {requested / (want * 32)}"


# (description, addresses, access_bytes, sectors, efficiency): CUDA C Best Practices Guide, "Coalesced
# access to global memory", for a warp of 32 threads reading 4-byte words through 32-byte sectors.
PUBLISHED_COALESCING = [
    ("sequential, aligned", pattern(0, 1, 4), 4, 4, 1.0),
    ("sequential, misaligned by one word", pattern(4, 1, 4), 4, 5, 0.8),
    ("stride 2", pattern(0, 2, 4), 4, 8, 0.5),
    ("stride 8", pattern(0, 8, 4), 4, 32, 0.125),
    ("stride 32 (a column of a 32-float row-major matrix)", pattern(0, 32, 4), 4, 32, 0.125),
    ("all threads read one word", np.zeros(32, dtype=np.int64), 4, 1, 0.125),
    ("sequential float2", pattern(0, 1, 8), 8, 8, 1.0),
]


@given(dtype=st.sampled_from([np.uint8, np.int16, np.uint32, np.int64]), access=st.sampled_from([4, 8, 16]))
@example(dtype=np.uint8, access=8)
def test_any_integer_dtype(kata, dtype, access):
    """Addresses may come in any integer dtype; byte ranges past the dtype's maximum must not wrap around."""
    top = int(np.iinfo(dtype).max) if np.iinfo(dtype).max < 2**31 else 2**31
    addr = np.array([top - 5, top - 3, top - 1, 0, 1], dtype=dtype)
    want, requested = brute_sectors(addr.astype(np.int64), access, 32)
    got = kata.warp_sectors(addr, access_bytes=access)
    assert int(got) == want, (f"warp_sectors({addr.tolist()} as {np.dtype(dtype).name}, access_bytes={access}) = {got}, "
                              f"expected {want}: did addr + access_bytes overflow {np.dtype(dtype).name}? Compute in int64")
    eff = kata.load_efficiency(addr, access_bytes=access)
    assert abs(float(eff) - requested / (want * 32)) <= 1e-12, (
        f"load_efficiency({addr.tolist()} as {np.dtype(dtype).name}) = {eff}, expected {requested / (want * 32)}")


@pytest.mark.parametrize("case", range(len(PUBLISHED_COALESCING)))
def test_published_coalescing_cases(kata, case):
    what, addr, access, sectors, eff = PUBLISHED_COALESCING[case]
    got = kata.warp_sectors(addr, access_bytes=access)
    assert int(got) == sectors, f"{what}: warp_sectors = {got}, expected {sectors}"
    got_eff = kata.load_efficiency(addr, access_bytes=access)
    assert abs(float(got_eff) - eff) <= 1e-12, f"{what}: load_efficiency = {got_eff}, expected {eff}"


def round_up(x, unit):
    return -(-x // unit) * unit


def simulate(threads, regs, smem, gpu, only=None):
    """Admit blocks one at a time until one does not fit. Each warp of a block needs a register bank
    with room for its allocation; `only` restricts the check to one resource (for the limiters)."""
    wpb = -(-threads // gpu.warp_size)
    rpw = round_up(regs * gpu.warp_size, gpu.reg_alloc_unit)
    check = {"warps", "blocks", "registers", "shared_memory"} if only is None else {only}
    if "registers" in check and (regs > gpu.max_regs_per_thread or
                                 rpw * round_up(wpb, gpu.reg_subpartitions) > gpu.max_regs_per_block):
        return 0
    if "shared_memory" in check and smem > gpu.max_smem_per_block:
        return 0
    banks = [gpu.regs_per_sm // gpu.reg_subpartitions] * gpu.reg_subpartitions
    warps, blocks, smem_free = 0, 0, gpu.smem_per_sm
    alloc = round_up(smem + gpu.smem_reserved_per_block, gpu.smem_alloc_unit)
    while blocks < 64:  # no GPU here admits more than 32 blocks; 64 stands for "no limit"
        if "warps" in check and warps + wpb > gpu.max_threads_per_sm // gpu.warp_size:
            break
        if "blocks" in check and blocks + 1 > gpu.max_blocks_per_sm:
            break
        if "shared_memory" in check and alloc > smem_free:
            break
        trial = list(banks)
        if "registers" in check:
            fits = True
            for _ in range(wpb):  # each warp into the bank with the most free registers
                i = max(range(len(trial)), key=lambda j: trial[j])
                if trial[i] < rpw:
                    fits = False
                    break
                trial[i] -= rpw
            if not fits:
                break
        banks, warps, blocks = trial, warps + wpb, blocks + 1
        smem_free -= alloc
    return blocks


def check_occupancy(kata, threads, regs, smem, gpu, want_blocks=None, want_limiters=None):
    call = describe_call("occupancy", threads, regs, smem, gpu.name)
    got = kata.occupancy(threads, regs, smem, gpu)
    blocks = simulate(threads, regs, smem, gpu)
    if want_blocks is not None:
        assert blocks == want_blocks  # the simulation agrees with the published case
    wpb = -(-threads // gpu.warp_size)
    max_warps = gpu.max_threads_per_sm // gpu.warp_size
    assert got.blocks_per_sm == blocks, f"{call}.blocks_per_sm = {got.blocks_per_sm}, expected {blocks}"
    assert got.active_warps == blocks * wpb, (f"{call}.active_warps = {got.active_warps}, expected {blocks} blocks x "
                                              f"{wpb} warps (threads rounded up to whole warps)")
    assert abs(got.occupancy - blocks * wpb / max_warps) <= 1e-12, (
        f"{call}.occupancy = {got.occupancy}, expected active warps / max warps = {blocks * wpb}/{max_warps}")
    limiters = {name for name in ("warps", "blocks", "registers", "shared_memory")
                if simulate(threads, regs, smem, gpu, only=name) == blocks}
    if want_limiters is not None:
        assert limiters == set(want_limiters)
    assert set(got.limiters) == limiters, f"{call}.limiters = {sorted(got.limiters)}, expected {sorted(limiters)}"
    return got


@given(threads=st.integers(1, 1024), regs=st.integers(0, 256), smem=st.integers(0, 240_000),
       gpu=st.sampled_from(["V100", "A100", "H100"]))
@example(threads=64, regs=40, smem=0, gpu="H100")       # register banks: 48 warps fit, not 51
@example(threads=256, regs=33, smem=0, gpu="A100")      # 33 * 32 = 1056 registers round up to 1280 per warp
@example(threads=256, regs=32, smem=54913, gpu="A100")  # reserved 1 KB + rounding to 128 B: 2 blocks, not 3
@example(threads=48, regs=0, smem=0, gpu="V100")        # 48 threads occupy 2 whole warps
@example(threads=1024, regs=64, smem=0, gpu="A100")     # exactly the 64K registers of a block
@example(threads=128, regs=32, smem=166912, gpu="A100")  # exactly the per-block maximum (163 KB): 1 block
@example(threads=128, regs=32, smem=166913, gpu="A100")  # one byte more: cannot launch
def test_occupancy_matches_simulation(kata, threads, regs, smem, gpu):
    check_occupancy(kata, threads, regs, smem, getattr(kata, gpu))


# (threads, regs, smem bytes, gpu, blocks per SM, limiters): hand-checked from the published limits.
PUBLISHED_OCCUPANCY = [
    (256, 32, 0, "A100", 8, {"warps", "registers"}),      # 100 %: 32 registers is the most that allows 2048 threads
    (256, 64, 0, "A100", 4, {"registers"}),               # 50 %
    (1024, 64, 0, "A100", 1, {"registers"}),              # 50 %: 64K registers = one 1024-thread block
    (1024, 65, 0, "A100", 0, {"registers"}),              # "too many resources requested for launch"
    (256, 32, 48 * 1024, "A100", 3, {"shared_memory"}),   # 3 x (48 + 1) KB <= 164 KB: 37.5 %
    (128, 32, 100 * 1024, "H100", 2, {"shared_memory"}),  # 2 x 101 KB <= 228 KB
    (32, 16, 0, "V100", 32, {"blocks"}),                  # 32 one-warp blocks: 50 %, capped by blocks per SM
    (128, 255, 0, "V100", 2, {"registers"}),              # 255 regs -> 8192 per warp, 2 warps per bank
]


@pytest.mark.parametrize("case", range(len(PUBLISHED_OCCUPANCY)))
def test_published_occupancy_cases(kata, case):
    threads, regs, smem, gpu, blocks, limiters = PUBLISHED_OCCUPANCY[case]
    check_occupancy(kata, threads, regs, smem, getattr(kata, gpu), blocks, limiters)


@given(n=st.integers(1, 4))
def test_rejects_invalid_inputs(kata, n):
    addr = np.arange(n, dtype=np.int64) * 4
    for fn in (kata.warp_sectors, kata.load_efficiency):
        for args, kwargs, why in ((np.array([], dtype=np.int64),), {}, "no addresses"), \
                                 ((addr.reshape(1, -1),), {}, "2-D addresses"), \
                                 ((addr.astype(np.float64),), {}, "float addresses"), \
                                 ((addr - 8,), {}, "negative addresses"), \
                                 ((np.append(addr, -1),), {}, "the address -1"), \
                                 ((addr,), {"access_bytes": 0}, "access_bytes=0"), \
                                 ((addr,), {"sector_bytes": 0}, "sector_bytes=0"):
            with pytest.raises(ValueError):
                fn(*args, **kwargs)
                pytest.fail(f"{fn.__name__} accepted {why}; expected ValueError")
    for args, why in (((0, 32, 0, kata.A100), "threads_per_block=0"), ((1025, 32, 0, kata.A100), "1025 threads"),
                      ((128, -1, 0, kata.A100), "negative registers"), ((128, 32, -n, kata.A100), "negative shared memory")):
        with pytest.raises(ValueError):
            kata.occupancy(*args)
            pytest.fail(f"occupancy accepted {why}; expected ValueError")
    assert_equal(np.array(kata.warp_sectors(addr)), np.array(-(-(4 * n) // 32)), name="sectors of a contiguous run")
