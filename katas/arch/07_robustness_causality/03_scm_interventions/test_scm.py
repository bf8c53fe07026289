"""Tests for arch-07-3, structural causal models with do-interventions.

References: the mutilated graph written out; the SCM's equations evaluated node by node with the
same noise draws; closed-form moments checked against a sample of 40 000 draws (means within 5
standard errors); the causal asymmetry of interventions (intervening on an effect leaves its causes'
distribution unchanged, intervening on a cause moves its effects).
"""
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_seeded, call_unmodified, describe_call


@st.composite
def linear_scm(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, dict]:
    n = draw(st.integers(2, 5))
    rng = np.random.default_rng(draw(seeds()))
    perm = rng.permutation(n)                   # a hidden causal order, not the index order
    w = np.zeros((n, n))
    for a in range(n):
        for b in range(a):
            if rng.random() < 0.6:
                w[perm[a], perm[b]] = rng.uniform(0.5, 1.5) * rng.choice([-1, 1])
    std = rng.uniform(0.5, 1.5, n)
    nodes = draw(st.lists(st.integers(0, n - 1), max_size=2, unique=True))
    do = {int(k): float(rng.uniform(-2, 2)) for k in nodes}
    return w, std, do


@given(scm=linear_scm())
def test_intervene_cuts_incoming_edges(kata, scm):
    w, _, do = scm
    call = describe_call("intervene", w, do)
    got = call_unmodified(kata.intervene, w, do, fn_name="intervene")
    want = w.copy()
    for k in do:
        want[k, :] = 0.0
    assert_close(got, want, rtol=0, atol=0, name="mutilated weights (rows of intervened nodes zeroed)", call=call)
    assert not np.shares_memory(got, w), f"{call} returned a view of weights; it promises a new array"


@given(scm=linear_scm(), n=st.integers(1, 20), seed=seeds())
@example(scm=(np.array([[0.0, 0.0], [2.0, 0.0]]), np.array([1.0, 1.0]), {}), n=3, seed=0)
def test_samples_follow_the_equations(kata, scm, n, seed):
    w, std, do = scm
    call = describe_call("sample_scm", w, std, n, "rng", do=do)
    got = call_unmodified(kata.sample_scm, w, std, n, np.random.default_rng(seed), do=do, fn_name="sample_scm")
    noise = np.random.default_rng(seed).standard_normal((n, len(std))) * std
    want = np.zeros((n, len(std)))
    order = kata.topological_order(w)
    for i in order:
        want[:, i] = do[i] if i in do else want @ w[i] + noise[:, i]
    assert_close(got, want, rtol=1e-12, atol=1e-12, name="samples", call=call)


@settings(max_examples=10)
@given(scm=linear_scm(), seed=seeds())
def test_sampling_is_seeded(kata, scm, seed):
    w, std, do = scm
    assert_seeded(lambda s: kata.sample_scm(w, std, 5, np.random.default_rng(s), do=do), seed)


@given(scm=linear_scm())
def test_moments_match_the_closed_form(kata, scm):
    w, std, do = scm
    n = len(std)
    cut = w.copy()
    cut[list(do), :] = 0.0
    c, var = np.zeros(n), std ** 2
    for k, v in do.items():
        c[k], var[k] = v, 0.0
    inv = np.linalg.inv(np.eye(n) - cut)
    call = describe_call("interventional_moments", w, std, do=do)
    mean, cov = call_unmodified(kata.interventional_moments, w, std, do=do, fn_name="interventional_moments")
    assert_close(mean, inv @ c, rtol=1e-10, atol=1e-12, name="mean", call=call)
    assert_close(cov, inv @ np.diag(var) @ inv.T, rtol=1e-10, atol=1e-12, name="covariance", call=call)


@settings(max_examples=8)
@given(scm=linear_scm(), seed=seeds())
def test_samples_agree_with_the_moments(kata, scm, seed):
    w, std, do = scm
    x = kata.sample_scm(w, std, 40000, np.random.default_rng(seed), do=do)
    mean, cov = kata.interventional_moments(w, std, do=do)
    se = np.sqrt(np.diag(cov) / len(x)) + 1e-12
    assert np.all(np.abs(x.mean(0) - mean) <= 5 * se + 1e-9), (
        f"sample means {x.mean(0).round(3)} vs closed form {mean.round(3)} under do={do}: more than 5 standard errors")
    assert_close(np.cov(x, rowvar=False), cov, rtol=0.1, atol=0.1, name="sample covariance vs closed form",
                 call=describe_call("sample_scm", w, std, 40000, "rng", do=do))


def test_interventions_are_asymmetric(kata):
    """Rain (0) -> wet grass (1). Wetting the grass does not make it rain; making it rain wets the grass."""
    w = np.array([[0.0, 0.0], [2.0, 0.0]])
    std = np.array([1.0, 0.5])
    m_obs, _ = kata.interventional_moments(w, std)
    m_do_effect, c_do_effect = kata.interventional_moments(w, std, do={1: 3.0})
    m_do_cause, _ = kata.interventional_moments(w, std, do={0: 3.0})
    assert_close(m_do_effect, [0.0, 3.0], rtol=0, atol=1e-12, name="mean under do(X1 = 3)", call="do(wet grass)")
    assert_close(c_do_effect[0, 0], 1.0, rtol=0, atol=1e-12, name="Var(X0) under do(X1 = 3): unchanged",
                 call="do(wet grass)")
    assert_close(m_do_cause, [3.0, 6.0], rtol=0, atol=1e-12, name="mean under do(X0 = 3)", call="do(rain)")
    assert_close(m_obs, [0.0, 0.0], rtol=0, atol=1e-12, name="observational mean (do=None)", call="no intervention")


@given(fn=st.sampled_from(["sample", "moments"]), bad=st.sampled_from(["cycle", "node_high", "node_neg"]))
def test_rejects_bad_inputs(kata, fn, bad):
    w, std, do = np.array([[0.0, 0.0], [1.0, 0.0]]), np.ones(2), {}
    if bad == "cycle":
        w = np.array([[0.0, 1.0], [1.0, 0.0]])
    elif bad == "node_high":
        do = {2: 1.0}
    else:
        do = {-1: 1.0}
    with pytest.raises(ValueError):
        if fn == "sample":
            kata.sample_scm(w, std, 3, np.random.default_rng(0), do=do)
        else:
            kata.interventional_moments(w, std, do=do)
        pytest.fail(f"{fn} with {bad} returned instead of raising ValueError")
