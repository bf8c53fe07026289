"""Tests for arch-01-2, T5 span corruption and relative-position buckets.

References: transformers' T5Attention (`_relative_position_bucket` and `compute_bias` of a T5Attention
built from a T5Config, random weights, no download), exhaustive over every relative position up to
3 * max_distance; span corruption checked against an independent run-length formulation and by
reassembling the original sequence; the noise mask by its exact counts and layout.
"""
import itertools
import warnings

import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_equal, assert_seeded, call_unmodified, describe_call

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from transformers import T5Config
    from transformers.models.t5.modeling_t5 import T5Attention


# ---------------------------------------------------------------- relative-position buckets

@st.composite
def bucket_layouts(draw: st.DrawFn) -> tuple[bool, int, int]:
    """(bidirectional, num_buckets, max_distance) with max_distance > max_exact."""
    bidirectional = draw(st.booleans())
    n = draw(st.integers(2, 16))                      # buckets per direction
    max_exact = n // 2
    max_distance = draw(st.integers(max_exact + 1, 160))
    return bidirectional, 2 * n if bidirectional else n, max_distance


@given(layout=bucket_layouts())
@example(layout=(True, 32, 128))      # T5's own setting (encoder)
@example(layout=(False, 32, 128))     # T5's own setting (decoder)
@example(layout=(True, 4, 2))         # max_exact = 1, one log bucket per side
@example(layout=(False, 2, 2))        # the smallest layout allowed
@example(layout=(True, 16, 9))        # max_distance just past max_exact
def test_buckets_match_transformers_t5(kata, layout):
    bidirectional, num_buckets, max_distance = layout
    rel = torch.arange(-3 * max_distance, 3 * max_distance + 1)     # every relative position, exhaustively
    call = describe_call("relative_position_bucket", rel, bidirectional=bidirectional, num_buckets=num_buckets,
                         max_distance=max_distance)
    got = call_unmodified(kata.relative_position_bucket, rel, bidirectional=bidirectional, num_buckets=num_buckets,
                          max_distance=max_distance, fn_name="relative_position_bucket")
    want = T5Attention._relative_position_bucket(rel, bidirectional=bidirectional, num_buckets=num_buckets,
                                                 max_distance=max_distance)
    assert got.dtype == torch.int64, f"{call} returned dtype {got.dtype}, expected torch.int64 bucket ids"
    if not torch.equal(got, want):
        bad = torch.nonzero(got != want)[:5, 0]
        raise AssertionError(f"{call}: buckets differ from T5 at relative positions {rel[bad].tolist()}: "
                             f"got {got[bad].tolist()}, expected {want[bad].tolist()}")


def test_bucket_defaults_are_t5s(kata):
    rel = torch.arange(-400, 401).reshape(-1, 1)      # any shape works; defaults: bidirectional, 32, 128
    got = kata.relative_position_bucket(rel)
    want = T5Attention._relative_position_bucket(rel)
    assert_equal(got, want, call=describe_call("relative_position_bucket", rel))


@given(bidirectional=st.booleans(), num_buckets=st.integers(1, 12), max_distance=st.integers(1, 8))
@example(bidirectional=True, num_buckets=7, max_distance=100)   # odd: cannot split into two halves
@example(bidirectional=True, num_buckets=2, max_distance=100)   # one bucket per side: max_exact = 0
@example(bidirectional=False, num_buckets=1, max_distance=100)
@example(bidirectional=False, num_buckets=8, max_distance=4)    # max_distance == max_exact: log(1) = 0
@example(bidirectional=True, num_buckets=16, max_distance=3)    # max_distance < max_exact
def test_bucket_rejects_bad_layouts(kata, bidirectional, num_buckets, max_distance):
    n = num_buckets // 2 if bidirectional else num_buckets
    valid = not (bidirectional and num_buckets % 2) and n >= 2 and max_distance > n // 2
    call = describe_call("relative_position_bucket", "arange(-5, 6)", bidirectional=bidirectional,
                         num_buckets=num_buckets, max_distance=max_distance)
    if valid:
        kata.relative_position_bucket(torch.arange(-5, 6), bidirectional, num_buckets, max_distance)
        return
    with pytest.raises(ValueError):
        kata.relative_position_bucket(torch.arange(-5, 6), bidirectional, num_buckets, max_distance)
        pytest.fail(f"{call} returned instead of raising ValueError")


@settings(max_examples=20)
@given(q_len=st.integers(1, 12), k_len=st.integers(1, 12), n_heads=st.integers(1, 3), layout=bucket_layouts(),
       seed=seeds())
@example(q_len=5, k_len=7, n_heads=2, layout=(True, 8, 6), seed=0)
@example(q_len=4, k_len=4, n_heads=1, layout=(False, 6, 5), seed=1)
def test_position_bias_matches_t5_attention(kata, q_len, k_len, n_heads, layout, seed):
    bidirectional, num_buckets, max_distance = layout
    config = T5Config(d_model=8, d_kv=4, num_heads=n_heads, relative_attention_num_buckets=num_buckets,
                      relative_attention_max_distance=max_distance, is_decoder=not bidirectional)
    attn = T5Attention(config, has_relative_attention_bias=True)
    table = torch.randn(num_buckets, n_heads, generator=torch.Generator().manual_seed(seed))
    with torch.no_grad():
        attn.relative_attention_bias.weight.copy_(table)
        want = attn.compute_bias(q_len, k_len)
    call = describe_call("position_bias", q_len, k_len, table, bidirectional=bidirectional, max_distance=max_distance)
    got = call_unmodified(kata.position_bias, q_len, k_len, table, bidirectional=bidirectional,
                          max_distance=max_distance, fn_name="position_bias")
    assert_equal(got, want, call=call)      # a pure table lookup: exact


def test_position_bias_defaults(kata):
    table = torch.randn(32, 2, generator=torch.Generator().manual_seed(0))
    attn = T5Attention(T5Config(d_model=8, d_kv=4, num_heads=2), has_relative_attention_bias=True)
    with torch.no_grad():
        attn.relative_attention_bias.weight.copy_(table)
        want = attn.compute_bias(3, 300)
    assert_equal(kata.position_bias(3, 300, table), want, call=describe_call("position_bias", 3, 300, table))


# ---------------------------------------------------------------- span corruption

def corrupt_by_runs(tokens: list[int], mask: list[bool], sentinel_start: int) -> tuple[list[int], list[int]]:
    """The paper's Figure 2, by runs: each noise run -> one sentinel in the input; in the target the same
    sentinel then the run's tokens; one closing sentinel ends the target."""
    inputs, targets, k, i = [], [], 0, 0
    for noisy, run in itertools.groupby(mask):
        n = len(list(run))
        if noisy:
            inputs.append(sentinel_start - k)
            targets += [sentinel_start - k, *tokens[i:i + n]]
            k += 1
        else:
            inputs += tokens[i:i + n]
        i += n
    return inputs, [*targets, sentinel_start - k]


def reassemble(inputs: list[int], targets: list[int], sentinel_start: int) -> list[int]:
    """Put each target span back where its sentinel sits in the input."""
    is_sentinel = [t > sentinel_start - len(targets) - 1 and t <= sentinel_start for t in targets]
    spans, cur = {}, None
    for t, s in zip(targets, is_sentinel, strict=True):
        if s:
            cur = t
            spans[cur] = []
        else:
            spans[cur].append(t)
    out = []
    for t in inputs:
        out += spans[t] if t in spans else [t]
    return out


@st.composite
def corruption_cases(draw: st.DrawFn) -> tuple[list[int], np.ndarray, int]:
    n = draw(st.integers(0, 14))
    tokens = draw(st.lists(st.integers(0, 99), min_size=n, max_size=n))
    mask = np.array(draw(st.lists(st.booleans(), min_size=n, max_size=n)), dtype=bool)
    return tokens, mask, draw(st.integers(200, 32099))


@given(case=corruption_cases())
@example(case=([5, 6, 7, 8, 9, 10, 11, 12], np.array([0, 1, 1, 0, 0, 1, 0, 0], bool), 32099))  # the paper's figure
@example(case=([1, 2, 3], np.array([1, 1, 0], bool), 500))     # starts with noise
@example(case=([1, 2, 3], np.array([0, 1, 1], bool), 500))     # ends with noise
@example(case=([4, 4, 4], np.array([1, 1, 1], bool), 500))     # all noise: one span
@example(case=([4, 5], np.array([0, 0], bool), 500))           # no noise: target is one sentinel
@example(case=([], np.array([], bool), 500))                   # empty sequence
@example(case=([1, 2, 3, 4], np.array([1, 0, 1, 0], bool), 300))  # one-token spans
def test_span_corrupt(kata, case):
    tokens, mask, sentinel_start = case
    call = describe_call("span_corrupt", tokens, mask, sentinel_start)
    inputs, targets = call_unmodified(kata.span_corrupt, tokens, mask, sentinel_start, fn_name="span_corrupt")
    want_inputs, want_targets = corrupt_by_runs(tokens, mask.tolist(), sentinel_start)
    assert_equal(np.asarray(inputs, dtype=np.int64), np.asarray(want_inputs, dtype=np.int64), name="inputs",
                 call=call)
    assert_equal(np.asarray(targets, dtype=np.int64), np.asarray(want_targets, dtype=np.int64), name="targets",
                 call=call)
    assert reassemble(list(inputs), list(targets), sentinel_start) == list(tokens), (
        f"{call}: putting the target spans back at their sentinels does not give the original sequence")


@given(n=st.integers(0, 6), extra=st.integers(1, 3))
def test_span_corrupt_rejects_length_mismatch(kata, n, extra):
    with pytest.raises(ValueError):
        kata.span_corrupt(list(range(n)), np.zeros(n + extra, dtype=bool), 1000)
        pytest.fail(f"span_corrupt with {n} tokens and a mask of {n + extra} returned instead of raising")


# ---------------------------------------------------------------- the random noise mask

def expected_counts(length: int, density: float, mean_span: float) -> tuple[int, int]:
    noise = min(max(round(length * density), 1), length - 1)
    spans = min(max(round(noise / mean_span), 1), noise, length - noise)
    return noise, spans


@given(length=st.integers(2, 40), density=st.sampled_from([0.05, 0.15, 0.25, 0.5, 0.75, 0.95]),
       mean_span=st.sampled_from([1.0, 1.5, 2.0, 3.0, 100.0]), seed=seeds())
@example(length=10, density=0.25, mean_span=1.0, seed=0)   # 2.5 noise tokens: round half to even gives 2
@example(length=10, density=0.5, mean_span=2.0, seed=0)    # 5 / 2 = 2.5 spans: round half to even gives 2
@example(length=2, density=0.05, mean_span=3.0, seed=1)    # rounds to 0 noise tokens: at least 1
@example(length=4, density=0.95, mean_span=1.0, seed=2)    # rounds to 4: at most length - 1, spans = 1
@example(length=12, density=0.5, mean_span=1.0, seed=3)    # 6 spans of one token each
@example(length=7, density=0.75, mean_span=1.0, seed=4)    # spans limited by the 2 non-noise tokens
def test_noise_mask_counts_and_layout(kata, length, density, mean_span, seed):
    call = describe_call("random_spans_noise_mask", length, density, mean_span, seed)
    mask = kata.random_spans_noise_mask(length, density, mean_span, seed)
    assert isinstance(mask, np.ndarray) and mask.dtype == bool and mask.shape == (length,), (
        f"{call} returned {type(mask).__name__} {getattr(mask, 'dtype', '')} {getattr(mask, 'shape', '')}, "
        f"expected a bool array of shape ({length},)")
    noise, spans = expected_counts(length, density, mean_span)
    runs = [(bool(k), len(list(g))) for k, g in itertools.groupby(mask.tolist())]
    assert int(mask.sum()) == noise, f"{call}: {int(mask.sum())} noise tokens, expected {noise}"
    assert sum(k for k, _ in runs) == spans, f"{call}: {sum(k for k, _ in runs)} noise spans, expected {spans}"
    assert not mask[0] and mask[-1], (f"{call}: the mask must start with a non-noise span and end with a noise "
                                      f"span, got {mask.astype(int).tolist()}")


def test_noise_mask_spans_are_random_compositions(kata):
    """length 12, density 0.5, mean 2: 6 noise tokens in 3 spans. All 10 compositions of 6 into 3
    positive parts must show up over 150 seeds (each has probability 1/10 under uniform cut points)."""
    seen = set()
    for seed in range(150):
        mask = kata.random_spans_noise_mask(12, 0.5, 2.0, seed)
        seen.add(tuple(len(list(g)) for k, g in itertools.groupby(mask.tolist()) if k))
    assert len(seen) == 10, (f"random_spans_noise_mask(12, 0.5, 2.0, seed) over 150 seeds produced only "
                             f"{len(seen)} of the 10 possible noise-span length patterns: {sorted(seen)}")


@given(seed=seeds())
def test_noise_mask_is_seeded(kata, seed):
    assert_seeded(lambda s: kata.random_spans_noise_mask(40, 0.3, 2.0, s), seed, name="noise mask")


@given(length=st.integers(-2, 30), density=st.sampled_from([-0.1, 0.0, 0.3, 1.0, 1.5]),
       mean_span=st.sampled_from([0.0, 0.5, 0.999, 1.0, 3.0]))
@example(length=1, density=0.3, mean_span=3.0)
@example(length=10, density=0.0, mean_span=3.0)
@example(length=10, density=1.0, mean_span=3.0)
@example(length=10, density=0.3, mean_span=0.999)
def test_noise_mask_rejects_bad_arguments(kata, length, density, mean_span):
    if length >= 2 and 0 < density < 1 and mean_span >= 1:
        kata.random_spans_noise_mask(length, density, mean_span, 0)
        return
    with pytest.raises(ValueError):
        kata.random_spans_noise_mask(length, density, mean_span, 0)
        pytest.fail(f"random_spans_noise_mask({length}, {density}, {mean_span}, 0) returned instead of raising")
