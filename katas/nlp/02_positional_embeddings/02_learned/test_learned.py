"""Tests for nlp-02-2, learned positional embeddings.

Reference: the weight table copied into the module and indexed directly (numpy), and torch autograd
run on that reference sum for the gradients. Positions start at `start` (KV-cache decoding).
"""
import numpy as np
import pytest
import torch
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_equal, assert_shape, describe_call

LEADING = st.sampled_from([(), (2,), (3,), (2, 3)])  # batch axes in front of (T, d_model), including none


@st.composite
def layouts(draw: st.DrawFn) -> tuple[int, int, int, int]:
    """(max_len, d_model, T, start) with start + T <= max_len."""
    max_len = draw(dims(1, 24))
    d_model = draw(dims(1, 12))
    seq_len = draw(dims(1, max_len))
    start = draw(st.integers(0, max_len - seq_len))
    return max_len, d_model, seq_len, start


def make_module(kata, max_len, d_model, seed):
    """The learner's module with a known, drawn weight table copied into it."""
    module = kata.LearnedPositionalEmbedding(max_len, d_model)
    table = getattr(module, "table", None)
    assert isinstance(table, torch.nn.Embedding), (
        f"LearnedPositionalEmbedding({max_len}, {d_model}).table should be an nn.Embedding, got {type(table).__name__}")
    assert tuple(table.weight.shape) == (max_len, d_model), (
        f"table.weight has shape {tuple(table.weight.shape)}, expected (max_len, d_model) = {(max_len, d_model)}")
    g = torch.Generator().manual_seed(seed)
    weight = torch.randn(max_len, d_model, generator=g)
    with torch.no_grad():
        table.weight.copy_(weight)
    return module, weight


def expect_value_error(fn, call):
    """Run fn and insist on a ValueError, saying what happened instead."""
    try:
        fn()
    except ValueError:
        return
    except NotImplementedError:
        raise
    except Exception as e:  # any other error is the learner's bug to report
        raise AssertionError(f"{call} raised {type(e).__name__}: {e}\n  expected a ValueError of your own, "
                             "raised before indexing the table") from e
    pytest.fail(f"{call} returned without raising ValueError")


def inputs(leading, seq_len, d_model, seed):
    g = torch.Generator().manual_seed(seed + 1)
    return torch.randn(*leading, seq_len, d_model, generator=g)


@given(layout=layouts(), leading=LEADING, seed=seeds())
@example(layout=(1, 1, 1, 0), leading=(), seed=0)
@example(layout=(4, 3, 4, 0), leading=(2,), seed=1)      # a sequence that exactly fills the table
@example(layout=(6, 4, 2, 4), leading=(2, 3), seed=2)    # the last two positions
@example(layout=(5, 5, 5, 0), leading=(), seed=3)        # T == d_model, no batch axis
def test_adds_rows_start_to_start_plus_t(kata, layout, leading, seed):
    max_len, d_model, seq_len, start = layout
    module, weight = make_module(kata, max_len, d_model, seed)
    x = inputs(leading, seq_len, d_model, seed)
    call = describe_call(f"LearnedPositionalEmbedding({max_len}, {d_model})", x, start=start)
    got = module(x, start=start)
    want = x.double().numpy() + weight.double().numpy()[start:start + seq_len]
    assert_shape(got, want.shape, call=call)
    # One float32 addition per element: a couple of ulps.
    assert_close(got, want, rtol=1e-6, atol=1e-6, call=call)


@given(layout=layouts(), leading=LEADING, seed=seeds())
@example(layout=(3, 2, 1, 0), leading=(), seed=0)        # position 0 must be trainable too
@example(layout=(8, 4, 3, 5), leading=(2,), seed=1)
def test_gradients_reach_only_the_used_rows(kata, layout, leading, seed):
    max_len, d_model, seq_len, start = layout
    module, weight = make_module(kata, max_len, d_model, seed)
    x = inputs(leading, seq_len, d_model, seed).requires_grad_(True)
    upstream = inputs(leading, seq_len, d_model, seed + 7)
    call = describe_call(f"LearnedPositionalEmbedding({max_len}, {d_model})", x, start=start)
    (module(x, start=start) * upstream).sum().backward()

    ref_weight = weight.double().requires_grad_(True)
    ref_x = x.detach().double().requires_grad_(True)
    ((ref_x + ref_weight[start:start + seq_len]) * upstream.double()).sum().backward()

    got = module.table.weight.grad
    assert got is not None, (
        f"{call}: no gradient reached table.weight; was the table detached (.data, .detach()) or copied?")
    for row in range(start, start + seq_len):
        if bool(got[row].abs().sum() == 0) and bool(ref_weight.grad[row].abs().sum() > 0):
            raise AssertionError(f"{call}: the row of position {row} got no gradient although it was used "
                                 "(an nn.Embedding with padding_idx, or a row taken from a detached copy?)")
    # Sums of at most 6 float32 products per element.
    assert_close(got, ref_weight.grad, rtol=1e-5, atol=1e-5, name="gradient of table.weight", call=call)
    unused = np.ones(max_len, dtype=bool)
    unused[start:start + seq_len] = False
    assert_equal(got[torch.from_numpy(unused)], np.zeros((int(unused.sum()), d_model)),
                 name="gradient of the rows of unused positions", call=call)
    assert x.grad is not None, f"{call}: no gradient reached the token embeddings x"
    assert_close(x.grad, ref_x.grad, rtol=1e-6, atol=1e-6, name="gradient of x", call=call)


@given(max_len=dims(1, 16), d_model=dims(1, 8), extra=dims(1, 4), start=st.integers(0, 20), seed=seeds())
@example(max_len=4, d_model=2, extra=1, start=0, seed=0)   # one token too many
@example(max_len=4, d_model=2, extra=1, start=4, seed=0)   # one token, right after the last row
def test_rejects_positions_past_the_table(kata, max_len, d_model, extra, start, seed):
    """A sequence reaching position max_len or beyond has no row to read: ValueError, not garbage."""
    start = min(start, max_len)
    seq_len = max_len - start + extra
    module, _ = make_module(kata, max_len, d_model, seed)
    x = inputs((), seq_len, d_model, seed)
    call = describe_call(f"LearnedPositionalEmbedding({max_len}, {d_model})", x, start=start)
    expect_value_error(lambda: module(x, start=start),
                       f"{call} reads position {start + seq_len - 1} of a {max_len}-row table")
    expect_value_error(lambda: module(x[:1], start=-1), f"{call.replace(f'start={start}', 'start=-1')}")


@given(layout=layouts(), cuts=st.lists(st.integers(1, 23), max_size=4), seed=seeds())
@example(layout=(6, 3, 6, 0), cuts=[1, 2, 3, 4, 5], seed=0)   # decoding one token at a time
def test_chunked_decoding_matches_the_whole_sequence(kata, layout, cuts, seed):
    """Feeding a sequence chunk by chunk, each chunk starting where the cache left off, changes nothing."""
    max_len, d_model, seq_len, start = layout
    module, _ = make_module(kata, max_len, d_model, seed)
    x = inputs((2,), seq_len, d_model, seed)
    bounds = sorted({0, seq_len, *[c for c in cuts if c < seq_len]})
    whole = module(x, start=start)
    parts = [module(x[:, a:b], start=start + a) for a, b in zip(bounds, bounds[1:], strict=False)]
    call = describe_call(f"LearnedPositionalEmbedding({max_len}, {d_model})", x, start=start) + \
        f" split at {bounds[1:-1]}"
    assert_close(torch.cat(parts, dim=1).detach(), whole.detach(), rtol=0, atol=0,
                 name="concatenation of the chunk outputs", call=call)


@given(max_len=dims(1, 32), d_model=dims(1, 16))
def test_table_is_one_trainable_embedding(kata, max_len, d_model):
    module = kata.LearnedPositionalEmbedding(max_len, d_model)
    shapes = {name: tuple(p.shape) for name, p in module.named_parameters()}
    assert shapes == {"table.weight": (max_len, d_model)}, (
        f"LearnedPositionalEmbedding({max_len}, {d_model}) has parameters {shapes}, "
        f"expected exactly {{'table.weight': {(max_len, d_model)}}}")
    assert module.table.weight.requires_grad, "table.weight should be trainable (requires_grad=True)"
    for bad in [(0, d_model), (max_len, 0), (-1, d_model)]:
        expect_value_error(lambda bad=bad: kata.LearnedPositionalEmbedding(*bad), f"LearnedPositionalEmbedding{bad}")
