"""Tests for ret-04-4, Self-RAG's retrieve-on-demand decision and reflection (critique) scores.

References: the closed forms of Asai et al. (2023), section 3.3, computed in float64 with
scipy.special.softmax: the retrieval ratio p(yes) / (p(yes) + p(no)) against the threshold, the
desirable-token scores of ISREL, ISSUP and ISUSE, the weighted segment score, and a brute-force argmax
that takes the lowest index on ties.
"""
import numpy as np
import pytest
import torch
from hypothesis import example, given
from hypothesis import strategies as st
from scipy.special import softmax

from grader.strategies import seeds, torch_float_dtypes
from grader.testing import assert_close, assert_dtype, assert_equal, call_unmodified, describe_call

USE_W = np.array([-1.0, -0.5, 0.0, 0.5, 1.0])


def logits(seed: int, shape: tuple[int, ...], dtype: torch.dtype, scale: float = 3.0) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(*shape, generator=g, dtype=torch.float64) * scale).to(dtype)


def ref_ratio(x: torch.Tensor) -> np.ndarray:
    p = softmax(x.double().numpy(), axis=-1)
    return p[:, 0] / (p[:, 0] + p[:, 1])


@given(seed=seeds(), b=st.integers(1, 8), threshold=st.sampled_from([None, 0.0, 0.2, 0.5, 0.9, 1.0]),
       dtype=torch_float_dtypes())
@example(seed=0, b=4, threshold=None, dtype=torch.float32)
def test_retrieve_decision_matches_ratio(kata, seed, b, threshold, dtype):
    x = logits(seed, (b, 3), dtype)
    kwargs = {} if threshold is None else {"threshold": threshold}
    call = describe_call("retrieve_decision", x, **kwargs)
    got = call_unmodified(kata.retrieve_decision, x, **kwargs)
    assert got.dtype == torch.bool, f"{call} returned dtype {got.dtype}, expected bool"
    ratio = ref_ratio(x)
    t = 0.2 if threshold is None else threshold
    far = np.abs(ratio - t) > 1e-6          # away from the boundary, float32 rounding cannot flip the decision
    assert_equal(got.numpy()[far], (ratio > t)[far], name=f"decisions (ratio {np.round(ratio, 4).tolist()} > {t})", call=call)


@given(yes=st.sampled_from([0.0, 1.5, -2.0]), cont=st.sampled_from([-5.0, 0.0, 5.0]), dtype=torch_float_dtypes())
@example(yes=0.0, cont=5.0, dtype=torch.float32)
def test_retrieve_decision_ratio_exactly_on_the_threshold(kata, yes, cont, dtype):
    """yes and no logits equal: the ratio is exactly 0.5 whatever [Continue] does; 0.5 > 0.5 is False."""
    x = torch.tensor([[yes, yes, cont], [yes + 1.0, yes, cont]], dtype=dtype)
    call = describe_call("retrieve_decision", x, threshold=0.5)
    assert_equal(kata.retrieve_decision(x, threshold=0.5), [False, True],
                 name="decisions (ratio 0.5 is not above 0.5; [Continue] is not in the ratio)", call=call)


@given(threshold=st.sampled_from([-0.1, 1.5, 2.0, -1.0]))
def test_retrieve_decision_rejects_bad_threshold(kata, threshold):
    with pytest.raises(ValueError):
        kata.retrieve_decision(logits(0, (2, 3), torch.float32), threshold=threshold)
        pytest.fail(f"retrieve_decision(threshold={threshold}) returned instead of raising ValueError")


def ref_critiques(rel: torch.Tensor, sup: torch.Tensor, use: torch.Tensor) -> dict[str, np.ndarray]:
    pr, ps, pu = (softmax(t.double().numpy(), axis=-1) for t in (rel, sup, use))
    return {"isrel": pr[:, 0], "issup": ps[:, 0] + 0.5 * ps[:, 1], "isuse": pu @ USE_W}


@given(seed=seeds(), n=st.integers(1, 6), dtype=torch_float_dtypes(), scale=st.sampled_from([0.5, 3.0, 20.0]))
@example(seed=0, n=3, dtype=torch.float64, scale=20.0)
def test_critique_scores_closed_form(kata, seed, n, dtype, scale):
    rel, sup, use = logits(seed, (n, 2), dtype, scale), logits(seed + 1, (n, 3), dtype, scale), logits(seed + 2, (n, 5), dtype, scale)
    call = describe_call("critique_scores", rel, sup, use)
    got = call_unmodified(kata.critique_scores, rel, sup, use)
    want = ref_critiques(rel, sup, use)
    assert set(got) == set(want), f"{call} returned keys {sorted(got)}, expected {sorted(want)}"
    tol = 1e-6 if dtype == torch.float32 else 1e-12   # softmax of float32 logits: a few ulps
    for key in want:
        assert_dtype(got[key], rel, name=key, call=call)
        assert_close(got[key], want[key], rtol=tol, atol=tol, name=key, call=call)


def test_critique_scores_extremes(kata):
    """One-hot-like logits: the scores reach their documented ends."""
    big = 60.0
    rel = torch.tensor([[big, 0.0], [0.0, big]], dtype=torch.float64)
    sup = torch.tensor([[big, 0.0, 0.0], [0.0, big, 0.0]], dtype=torch.float64)
    use = torch.tensor([[big, 0, 0, 0, 0], [0, 0, 0, 0, big]], dtype=torch.float64)
    got = kata.critique_scores(rel, sup, use)
    call = describe_call("critique_scores", rel, sup, use)
    assert_close(got["isrel"], [1.0, 0.0], rtol=0, atol=1e-12, name="isrel ([Relevant] then [Irrelevant])", call=call)
    assert_close(got["issup"], [1.0, 0.5], rtol=0, atol=1e-12, name="issup (fully, then partially supported)", call=call)
    assert_close(got["isuse"], [-1.0, 1.0], rtol=0, atol=1e-12, name="isuse (utility 1, then 5)", call=call)


WEIGHTS = st.sampled_from([None, (1.0, 1.0, 0.5), (0.0, 2.0, 0.0), (1.5, 0.0, 1.0), (0.0, 0.0, 3.0)])


@given(seed=seeds(), n=st.integers(1, 6), weights=WEIGHTS)
@example(seed=0, n=4, weights=None)
def test_segment_scores_weighted_sum(kata, seed, n, weights):
    seq = -torch.rand(n, generator=torch.Generator().manual_seed(seed), dtype=torch.float64) * 5
    crit = ref_critiques(logits(seed, (n, 2), torch.float64), logits(seed + 1, (n, 3), torch.float64),
                         logits(seed + 2, (n, 5), torch.float64))
    crit_t = {k: torch.tensor(v) for k, v in crit.items()}
    kwargs = {} if weights is None else {"weights": weights}
    w = weights or (1.0, 1.0, 0.5)
    call = describe_call("segment_scores", seq, crit_t, **kwargs)
    got = call_unmodified(kata.segment_scores, seq, crit_t, **kwargs)
    want = seq.numpy() + w[0] * crit["isrel"] + w[1] * crit["issup"] + w[2] * crit["isuse"]
    assert_close(got, want, rtol=1e-12, atol=1e-12, name="segment scores", call=call)


@given(seed=seeds(), n=st.integers(1, 6), weights=WEIGHTS, tie=st.booleans())
@example(seed=1, n=4, weights=None, tie=True)
def test_best_passage_is_argmax_lowest_on_ties(kata, seed, n, weights, tie):
    seq = -torch.rand(n, generator=torch.Generator().manual_seed(seed), dtype=torch.float64) * 2
    rel, sup, use = logits(seed, (n, 2), torch.float64), logits(seed + 1, (n, 3), torch.float64), logits(seed + 2, (n, 5), torch.float64)
    if tie and n > 1:          # duplicate the best candidate at a later index: the first must win
        crit = ref_critiques(rel, sup, use)
        w = weights or (1.0, 1.0, 0.5)
        s = seq.numpy() + w[0] * crit["isrel"] + w[1] * crit["issup"] + w[2] * crit["isuse"]
        b = int(np.argmax(s))
        for t in (seq, rel, sup, use):
            t[n - 1] = t[b]
        if b == n - 1:
            for t in (seq, rel, sup, use):
                t[0] = t[b]
    crit = ref_critiques(rel, sup, use)
    w = weights or (1.0, 1.0, 0.5)
    s = seq.numpy() + w[0] * crit["isrel"] + w[1] * crit["issup"] + w[2] * crit["isuse"]
    want = int(np.flatnonzero(s >= s.max() - 1e-12)[0])
    kwargs = {} if weights is None else {"weights": weights}
    call = describe_call("best_passage", seq, rel, sup, use, **kwargs)
    got = kata.best_passage(seq, rel, sup, use, **kwargs)
    assert isinstance(got, int), f"{call} returned {type(got).__name__}, expected int"
    assert got == want, f"{call} returned {got}, expected {want} (segment scores {np.round(s, 6).tolist()})"
