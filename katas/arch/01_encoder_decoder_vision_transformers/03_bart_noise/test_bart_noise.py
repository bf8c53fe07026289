"""Tests for arch-01-3, BART's text-infilling and sentence-permutation noise.

References: scipy.stats.poisson for the span-length distribution (pooled over fixed seeds, bounds
of 5 standard errors); an independent mask-array formulation of infilling; exact multiset and
order properties for the permutation, with every ordering of three sentences seen over fixed seeds.
"""
import math

import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from scipy import stats

from grader.strategies import seeds
from grader.testing import assert_seeded, call_unmodified, describe_call

MASK = -1
EOS = 2


def check_spans(spans: list, n: int, call: str) -> None:
    end = 0
    for start, length in spans:
        assert length >= 0 and start >= end and start + length <= n, (
            f"{call} returned spans {spans}: each (start, length) must satisfy start >= the previous end, "
            f"length >= 0 and start + length <= {n}")
        end = start + length


@given(n=st.integers(1, 60), ratio=st.sampled_from([0.0, 0.1, 0.3, 0.5, 0.9, 1.0]),
       lam=st.sampled_from([0.5, 1.0, 3.0, 8.0]), seed=seeds())
@example(n=10, ratio=0.25, lam=3.0, seed=0)     # 2.5 tokens: round half to even gives 2
@example(n=10, ratio=0.35, lam=3.0, seed=0)     # 3.5 tokens: round half to even gives 4
@example(n=5, ratio=0.0, lam=3.0, seed=1)       # nothing to mask: no spans
@example(n=5, ratio=1.0, lam=3.0, seed=2)       # everything masked
@example(n=1, ratio=1.0, lam=0.5, seed=3)
def test_spans_cover_exactly_the_budget(kata, n, ratio, lam, seed):
    call = describe_call("sample_infill_spans", n, ratio, lam, seed)
    spans = [(int(s), int(ln)) for s, ln in kata.sample_infill_spans(n, ratio, lam, seed)]
    check_spans(spans, n, call)
    budget = round(n * ratio)
    total = sum(ln for _, ln in spans)
    assert total == budget, f"{call}: spans mask {total} tokens, expected round({n} * {ratio}) = {budget}"
    if budget == 0:
        assert spans == [], f"{call}: nothing to mask, expected no spans, got {spans}"
    else:
        assert spans[-1][1] > 0, f"{call}: the last span {spans[-1]} is empty: stop drawing once the budget is met"


def pooled_lengths(kata, lam: float, seeds_: range) -> np.ndarray:
    """Span lengths from many draws, leaving out each draw's last span (trimmed to fit the budget)."""
    out = []
    for s in seeds_:
        spans = kata.sample_infill_spans(400, 0.3, lam, s)
        out += [int(ln) for _, ln in spans[:-1]]
    return np.array(out)


@pytest.mark.parametrize("lam", [1.0, 3.0])
def test_span_lengths_are_poisson(kata, lam):
    lengths = pooled_lengths(kata, lam, range(10))
    n = len(lengths)
    call = describe_call("sample_infill_spans", 400, 0.3, lam, "seed in 0..9")
    dist = stats.poisson(lam)
    se_mean = math.sqrt(lam / n)
    assert abs(lengths.mean() - lam) < 5 * se_mean, (
        f"{call}: the {n} untrimmed span lengths have mean {lengths.mean():.3f}, expected Poisson mean {lam} "
        f"(± {5 * se_mean:.3f})")
    for k in (0, 1, 2):
        p = dist.pmf(k)
        se = math.sqrt(p * (1 - p) / n)
        got = float((lengths == k).mean())
        assert abs(got - p) < 5 * se + 1e-3, (
            f"{call}: a fraction {got:.3f} of spans have length {k}, expected Poisson({lam}) pmf {p:.3f} "
            f"(± {5 * se:.3f}); zero-length spans are kept (they become an inserted <mask>)")


def test_span_positions_are_uniform(kata):
    """One span of length 1 among 5 tokens (ratio 0.2, mean 1 cannot exceed the budget): every start seen."""
    starts = set()
    for s in range(200):
        spans = kata.sample_infill_spans(5, 0.2, 1.0, s)
        starts.update(st_ for st_, ln in spans if ln == 1)
    assert starts == {0, 1, 2, 3, 4}, (f"sample_infill_spans(5, 0.2, 1.0, seed) over 200 seeds put the masked "
                                       f"token only at {sorted(starts)}, expected every position 0..4")
    # Several spans among 30 tokens: placed independently, they are rarely all back to back.
    packed = 0
    for s in range(100):
        spans = kata.sample_infill_spans(30, 0.2, 1.0, s)
        packed += all(b[0] == a[0] + a[1] for a, b in zip(spans, spans[1:], strict=False))
    assert packed < 50, (f"sample_infill_spans(30, 0.2, 1.0, seed): in {packed} of 100 draws every span starts "
                         "where the previous one ends: spans must be placed independently among the tokens")


@given(seed=seeds())
def test_spans_are_seeded(kata, seed):
    assert_seeded(lambda s: [tuple(map(int, sp)) for sp in kata.sample_infill_spans(50, 0.3, 3.0, s)], seed,
                  name="spans")


@given(n=st.integers(-1, 5), ratio=st.sampled_from([-0.1, 0.0, 0.5, 1.0, 1.01]),
       lam=st.sampled_from([-1.0, 0.0, 1e-3, 3.0]))
@example(n=0, ratio=0.5, lam=3.0)
@example(n=5, ratio=1.01, lam=3.0)
@example(n=5, ratio=-0.1, lam=3.0)
@example(n=5, ratio=0.5, lam=0.0)
def test_spans_reject_bad_arguments(kata, n, ratio, lam):
    if n >= 1 and 0 <= ratio <= 1 and lam > 0:
        kata.sample_infill_spans(n, ratio, lam, 0)
        return
    with pytest.raises(ValueError):
        kata.sample_infill_spans(n, ratio, lam, 0)
        pytest.fail(f"sample_infill_spans({n}, {ratio}, {lam}, 0) returned instead of raising ValueError")


def infill_reference(tokens: list, spans: list, mask_id: int) -> list:
    """Mark covered tokens, then emit a mask at each span start (zero-length spans too)."""
    covered = np.zeros(len(tokens), bool)
    starts: dict[int, int] = {}
    for start, length in spans:
        covered[start:start + length] = True
        starts[start] = starts.get(start, 0) + 1
    out = []
    for i in range(len(tokens) + 1):
        out += [mask_id] * starts.get(i, 0)
        if i < len(tokens) and not covered[i]:
            out.append(tokens[i])
    return out


@st.composite
def infill_cases(draw: st.DrawFn) -> tuple[list, list]:
    n = draw(st.integers(0, 15))
    tokens = draw(st.lists(st.integers(3, 50), min_size=n, max_size=n))
    spans, pos = [], 0
    while pos <= n and draw(st.booleans()):
        start = draw(st.integers(pos, n))
        length = draw(st.integers(0, n - start))
        spans.append((start, length))
        pos = start + length
    return tokens, spans


@given(case=infill_cases())
@example(case=([10, 11, 12, 13, 14], [(1, 2)]))            # one span -> one mask
@example(case=([10, 11, 12], [(1, 0)]))                    # zero-length span: a mask is inserted
@example(case=([10, 11, 12], [(3, 0)]))                    # insertion at the very end
@example(case=([10, 11, 12, 13], [(0, 2), (2, 2)]))        # adjacent spans: two masks
@example(case=([10, 11, 12], [(0, 3)]))                    # everything -> a single mask
def test_text_infill(kata, case):
    tokens, spans = case
    call = describe_call("text_infill", tokens, spans, MASK)
    got = call_unmodified(kata.text_infill, tokens, spans, MASK, fn_name="text_infill")
    want = infill_reference(tokens, spans, MASK)
    assert list(got) == want, f"{call} returned {list(got)}, expected {want}"


@given(n=st.integers(1, 8), seed=seeds())
@example(n=4, seed=0)
def test_text_infill_rejects_bad_spans(kata, n, seed):
    rng = np.random.default_rng(seed)
    tokens = list(range(10, 10 + n))
    bad = [
        [(0, n + 1)],                                   # runs past the end
        [(n, 1)],                                       # starts at the end with a token to cover
        [(0, 1), (0, 1)] if n >= 1 else [(0, -1)],      # overlapping
        [(int(rng.integers(0, n)), -1)],                # negative length
        [(-1, 1)],                                      # negative start
    ]
    if n >= 3:
        bad.append([(2, 1), (0, 1)])                    # not sorted
    for spans in bad:
        with pytest.raises(ValueError):
            kata.text_infill(tokens, spans, MASK)
            pytest.fail(f"text_infill({tokens}, {spans}, {MASK}) returned instead of raising ValueError")


def split_sentences(tokens: list) -> list:
    out, cur = [], []
    for t in tokens:
        cur.append(t)
        if t == EOS:
            out.append(tuple(cur))
            cur = []
    return out + ([tuple(cur)] if cur else [])


@st.composite
def documents(draw: st.DrawFn) -> list:
    n_sent = draw(st.integers(0, 6))
    doc = []
    for _ in range(n_sent):
        doc += draw(st.lists(st.integers(3, 9), min_size=0, max_size=4)) + [EOS]
    if draw(st.booleans()):
        doc += draw(st.lists(st.integers(3, 9), min_size=1, max_size=3))   # a last sentence with no EOS
    return doc


@given(doc=documents(), seed=seeds())
@example(doc=[5, 6, EOS, 7, EOS, 8, 9], seed=0)           # trailing sentence without EOS
@example(doc=[EOS, EOS, 4, EOS], seed=1)                  # empty sentences are sentences too
@example(doc=[], seed=2)
def test_permutation_reorders_whole_sentences(kata, doc, seed):
    call = describe_call("permute_sentences", doc, EOS, seed)
    got = list(call_unmodified(kata.permute_sentences, doc, EOS, seed, fn_name="permute_sentences"))
    assert len(got) == len(doc), f"{call} returned {len(got)} tokens, expected {len(doc)}"
    sentences = split_sentences(doc)
    pieces, pos = [], 0
    for _ in sentences:  # the output must be a concatenation of the original sentences, each used once
        match = next((s for s in sorted(set(sentences), key=len, reverse=True)
                      if tuple(got[pos:pos + len(s)]) == s and pieces.count(s) < sentences.count(s)), None)
        assert match is not None, (f"{call} returned {got}: from token {pos} on it is not a concatenation of the "
                                   f"original sentences {sentences}")
        pieces.append(match)
        pos += len(match)
    assert sorted(pieces) == sorted(sentences), f"{call}: sentences {pieces}, expected a permutation of {sentences}"


def test_every_order_appears(kata):
    doc = [5, EOS, 6, 6, EOS, 7, 7, 7, EOS]
    orders = {tuple(kata.permute_sentences(doc, EOS, s)) for s in range(120)}
    assert len(orders) == 6, (f"permute_sentences over 120 seeds gave {len(orders)} of the 6 orders of 3 "
                              "sentences: the permutation must be uniform, not a rotation or a swap")


@given(seed=seeds())
def test_permutation_is_seeded(kata, seed):
    doc = [t for i in range(10) for t in (10 + i, EOS)]
    assert_seeded(lambda s: list(kata.permute_sentences(doc, EOS, s)), seed, name="permuted document")
