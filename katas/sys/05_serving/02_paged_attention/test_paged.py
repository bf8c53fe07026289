"""Tests for sys-05-2, attention over a block-table (paged) KV cache.

References: torch.nn.functional.scaled_dot_product_attention over the contiguous keys and values of
each sequence, kept by a plain Python model of the cache; and a reference allocator (lowest free
block first) for the block tables. Programs of appends and frees are drawn by Hypothesis, so blocks
are freed and reused by other sequences.
"""
import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import seeds, torch_float_dtypes
from grader.testing import assert_close, assert_equal, describe_call

OPS = st.lists(st.tuples(st.sampled_from(["append", "append", "append", "free"]), st.integers(0, 2)), min_size=1,
               max_size=24)
TOL = {torch.float32: dict(rtol=1e-5, atol=1e-6), torch.float64: dict(rtol=1e-12, atol=1e-12)}


def run_program(kata, ops, num_blocks, block_size, heads, dim, dtype, seed):
    """Run ops on the learner's cache and on a model; returns both, checking allocation on the way."""
    g = torch.Generator().manual_seed(seed)
    cache = kata.PagedKVCache(num_blocks, block_size, heads, dim, dtype=dtype)
    model: dict[int, list] = {}
    tables: dict[int, list[int]] = {}
    free = list(range(num_blocks))
    for step, (op, seq) in enumerate(ops):
        where = f"step {step} ({op} {seq}) of {ops}"
        if op == "free":
            if seq in model:
                cache.free_sequence(seq)
                free += tables.pop(seq)
                del model[seq]
            continue
        k = torch.randn(heads, dim, generator=g, dtype=torch.float64).to(dtype)
        v = torch.randn(heads, dim, generator=g, dtype=torch.float64).to(dtype)
        n = len(model.get(seq, []))
        if n % block_size == 0 and not free:
            with pytest.raises(kata.OutOfBlocks):
                cache.append(seq, k, v)
                pytest.fail(f"{where}: append needed a new block with none free, and did not raise OutOfBlocks")
            continue
        cache.append(seq, k, v)
        if n % block_size == 0:
            block = min(free)
            free.remove(block)
            tables.setdefault(seq, []).append(block)
        model.setdefault(seq, []).append((k, v))
        assert cache.tables.get(seq) == tables[seq], (
            f"{where}: block table of sequence {seq} is {cache.tables.get(seq)}, expected {tables[seq]} "
            "(a new block only when the last one is full, the lowest free block id first)")
        assert sorted(cache.free) == sorted(free), f"{where}: free blocks {sorted(cache.free)}, expected {sorted(free)}"
    return cache, model


@st.composite
def programs(draw):
    return dict(ops=draw(OPS), num_blocks=draw(st.integers(1, 6)), block_size=draw(st.sampled_from([1, 2, 3, 4])),
                heads=draw(st.integers(1, 2)), dim=draw(st.integers(1, 4)), seed=draw(seeds()))


REUSE = dict(ops=[("append", 0)] * 5 + [("append", 1)] * 2 + [("free", 0)] + [("append", 2)] * 3 + [("append", 1)] * 2,
             num_blocks=4, block_size=2, heads=2, dim=3, seed=0)   # sequence 2 gets sequence 0's freed blocks
FULL = dict(ops=[("append", 0)] * 3 + [("append", 1)] * 2 + [("append", 0)], num_blocks=2, block_size=2, heads=1,
            dim=2, seed=1)  # the cache fills up: sequence 0's third block does not exist


@given(program=programs(), dtype=torch_float_dtypes())
@example(program=REUSE, dtype=torch.float64)
@example(program=FULL, dtype=torch.float64)
def test_block_tables_and_gathered_kv_follow_the_model(kata, program, dtype):
    cache, model = run_program(kata, **program, dtype=dtype)
    for seq, tokens in model.items():
        call = describe_call("gather", seq) + f" after {program['ops']}"
        k, v = cache.gather(seq)
        assert_equal(k, torch.stack([t[0] for t in tokens]), call=call, name="keys, in token order")
        assert_equal(v, torch.stack([t[1] for t in tokens]), call=call, name="values, in token order")
        assert cache.lengths[seq] == len(tokens), f"{call}: lengths[{seq}] = {cache.lengths[seq]}, expected {len(tokens)}"
    used = [b for seq in model for b in cache.tables[seq]]
    assert len(used) == sum(math.ceil(len(t) / program["block_size"]) for t in model.values()), (
        f"after {program['ops']} the live sequences hold {len(used)} blocks; each needs exactly ceil(length / block_size)")
    assert set(cache.tables) == set(model), f"after {program['ops']} block tables exist for {sorted(cache.tables)}, live sequences are {sorted(model)}"


@given(program=programs(), dtype=torch_float_dtypes(), qseed=seeds())
@example(program=REUSE, dtype=torch.float64, qseed=0)
def test_paged_attention_equals_contiguous_attention(kata, program, dtype, qseed):
    cache, model = run_program(kata, **program, dtype=dtype)
    g = torch.Generator().manual_seed(qseed)
    for seq, tokens in model.items():
        q = torch.randn(program["heads"], program["dim"], generator=g, dtype=torch.float64).to(dtype)
        keys = torch.stack([t[0] for t in tokens]).transpose(0, 1)    # (heads, T, dim)
        values = torch.stack([t[1] for t in tokens]).transpose(0, 1)
        want = F.scaled_dot_product_attention(q[:, None].double(), keys.double(), values.double())[:, 0]
        call = describe_call("paged_attention", q, "cache", seq) + f" after {program['ops']}"
        got = kata.paged_attention(q, cache, seq)
        assert got.dtype == dtype, f"{call} returned dtype {got.dtype}, expected {dtype}"
        assert_close(got, want, **TOL[dtype], call=call, name="attention output (vs SDPA on contiguous K, V)")


def test_freeing_an_unknown_sequence_raises_key_error(kata):
    cache = kata.PagedKVCache(2, 2, 1, 2)
    with pytest.raises(KeyError):
        cache.free_sequence(7)
        pytest.fail("free_sequence(7) on an empty cache returned instead of raising KeyError")
