"""Tests for prod-02-5, full factorial and Latin hypercube designs.

References: sklearn's ParameterGrid (the same set of runs) and itertools.product (their order);
pandas groupby means for the main effects, and an additive response whose effects the balanced
design recovers exactly; the Latin hypercube's defining stratification property, scipy's centred
design (scramble=False) and its centred L2 discrepancy compared with scipy's own LatinHypercube over
many seeds; scipy.stats.qmc.scale for the linear map and the geometric mean for the log map.
"""
from itertools import product

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy import stats
from scipy.stats import qmc
from sklearn.model_selection import ParameterGrid

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, assert_seeded, call_unmodified, describe_call

SPACES = st.dictionaries(st.sampled_from(["lr", "depth", "optimizer", "dropout"]),
                         st.lists(st.one_of(st.integers(0, 5), st.sampled_from(["adam", "sgd", "lion"])), min_size=1,
                                  max_size=3, unique=True), min_size=1, max_size=4)


@given(space=SPACES)
@example(space={"a": [1, 2], "b": ["x", "y"]})
@example(space={"only": ["one level"]})
def test_full_factorial(kata, space):
    call = describe_call("full_factorial", space)
    got = kata.full_factorial(space)
    want = [dict(zip(space, combo, strict=True)) for combo in product(*space.values())]
    assert isinstance(got, list), f"{call}: expected a list of dicts, got {type(got).__name__}"
    as_set = lambda runs: sorted(tuple(sorted((k, str(v)) for k, v in r.items())) for r in runs)  # noqa: E731
    assert as_set(got) == as_set(ParameterGrid(space)), f"{call}: the runs differ from sklearn's ParameterGrid"
    assert got == want, f"{call}: right runs, wrong order: expected the last factor to vary fastest\n  got {got[:4]}..."


def test_full_factorial_rejects_bad_inputs(kata):
    for space, why in [({}, "no factors"), ({"a": [1, 2], "b": []}, "a factor without levels")]:
        with pytest.raises(ValueError):
            kata.full_factorial(space)
            pytest.fail(f"full_factorial with {why} returned instead of raising ValueError")


@given(seed=seeds(), levels=st.lists(st.integers(1, 4), min_size=1, max_size=3), additive=st.booleans())
def test_main_effects(kata, seed, levels, additive):
    rng = np.random.default_rng(seed)
    space = {f"f{i}": [f"L{j}" for j in range(k)] for i, k in enumerate(levels)}
    design = [dict(zip(space, c, strict=True)) for c in product(*space.values())]
    true = {f: {lv: e for lv, e in zip(v, rng.standard_normal(len(v)), strict=True)} for f, v in space.items()}
    y = 3.0 + np.array([sum(true[f][r[f]] for f in space) for r in design])
    if not additive:
        y = y + rng.standard_normal(y.size)
    call = describe_call("main_effects", f"<{len(design)} runs>", y)
    got = call_unmodified(kata.main_effects, design, y)
    frame = pd.DataFrame(design).assign(y=y)
    for f in space:
        want = frame.groupby(f)["y"].mean() - y.mean()
        assert set(got[f]) == set(want.index), f"{call}: levels of {f} are {set(got[f])}, expected {set(want.index)}"
        for level, value in want.items():
            assert_close(got[f][level], value, rtol=1e-9, atol=1e-12, name=f"effect of {f}={level}", call=call)
            if additive:   # a balanced design recovers centred additive effects exactly
                centred = true[f][level] - np.mean(list(true[f].values()))
                assert_close(got[f][level], centred, rtol=1e-9, atol=1e-9, name=f"effect of {f}={level}", call=call)


def test_main_effects_rejects_bad_inputs(kata):
    design = [{"a": 1}, {"a": 2}]
    for y, why in [(np.array([1.0]), "one response for two runs"), (np.ones((2, 1)), "a 2-D y")]:
        with pytest.raises(ValueError):
            kata.main_effects(design, y)
            pytest.fail(f"main_effects with {why} returned instead of raising ValueError")
    with pytest.raises(ValueError):
        kata.main_effects([], np.array([]))
        pytest.fail("main_effects with no runs returned instead of raising ValueError")


@given(n=st.integers(1, 20), d=st.integers(1, 5), centered=st.booleans(), seed=seeds())
@example(n=1, d=1, centered=False, seed=0)
def test_latin_hypercube_is_stratified(kata, n, d, centered, seed):
    call = describe_call("latin_hypercube", n, d, centered=centered, seed=seed)
    x = kata.latin_hypercube(n, d, centered=centered, seed=seed)
    assert_equal(np.asarray(x).shape, (n, d), name="shape", call=call)
    assert np.all((x >= 0) & (x < 1)), f"{call}: values outside [0, 1): min {x.min()}, max {x.max()}"
    strata = np.sort(np.floor(x * n).astype(int), axis=0)
    assert_equal(strata, np.tile(np.arange(n)[:, None], (1, d)), name="sorted strata floor(x * n) per column", call=call)


@given(n=st.integers(1, 20), d=st.integers(1, 5), seed=seeds())
def test_centered_design_matches_scipy(kata, n, d, seed):
    call = describe_call("latin_hypercube", n, d, centered=True, seed=seed)
    x = kata.latin_hypercube(n, d, centered=True, seed=seed)
    ref = qmc.LatinHypercube(d, scramble=False, rng=seed).random(n)
    # the same stratum centres (k + 0.5) / n, in another random order per column
    assert_close(np.sort(x, axis=0), np.sort(ref, axis=0), rtol=1e-12, atol=1e-15, name="sorted columns", call=call)


@settings(max_examples=5)
@given(seed=seeds())
def test_offsets_are_uniform_and_columns_independent(kata, seed):
    xs = [kata.latin_hypercube(10, 3, seed=seed + k) for k in range(60)]
    offsets = np.concatenate([(x * 10 - np.floor(x * 10)).ravel() for x in xs])
    p = stats.kstest(offsets, "uniform").pvalue
    assert p > 1e-6, f"latin_hypercube(10, 3, seed=...): offsets inside the strata are not uniform (KS p = {p:.1e})"
    same = sum(np.array_equal(np.floor(x[:, 0] * 10), np.floor(x[:, j] * 10)) for x in xs for j in (1, 2))
    assert same <= 1, f"latin_hypercube(10, 3, ...): {same} of 120 column pairs share the same permutation of strata"


@settings(max_examples=3)
@given(seed=seeds())
def test_discrepancy_like_scipy_and_better_than_random(kata, seed):
    rng = np.random.default_rng(seed)
    mine = np.mean([qmc.discrepancy(kata.latin_hypercube(16, 3, seed=seed + k)) for k in range(80)])
    ref = np.mean([qmc.discrepancy(qmc.LatinHypercube(3, rng=rng).random(16)) for _ in range(80)])
    rand = np.mean([qmc.discrepancy(rng.random((16, 3))) for _ in range(80)])
    assert abs(mine - ref) < 0.15 * ref and mine < rand, (
        f"mean centred L2 discrepancy over 80 designs of 16 points in 3-D: yours {mine:.5f}, scipy's LHS {ref:.5f},"
        f" plain random {rand:.5f}")


@given(seed=seeds())
def test_latin_hypercube_is_seeded(kata, seed):
    assert_seeded(lambda s: kata.latin_hypercube(6, 2, seed=s), seed, name="design")
    assert_seeded(lambda s: kata.latin_hypercube(6, 2, centered=True, seed=s), seed, name="centred design")


def test_latin_hypercube_defaults(kata):
    x, again = kata.latin_hypercube(8, 2), kata.latin_hypercube(8, 2, centered=False, seed=0)
    assert_equal(x, again, name="design", call="latin_hypercube(8, 2) vs latin_hypercube(8, 2, centered=False, seed=0)")
    assert not np.allclose(x * 8 % 1, 0.5), "latin_hypercube(8, 2) placed every point at its stratum centre: centered defaults to False"


def test_latin_hypercube_rejects_bad_inputs(kata):
    for args, why in [((0, 2), "n = 0"), ((3, 0), "d = 0")]:
        with pytest.raises(ValueError):
            kata.latin_hypercube(*args)
            pytest.fail(f"latin_hypercube with {why} returned instead of raising ValueError")


@given(seed=seeds(), d=st.integers(1, 4), use_log=st.booleans())
@example(seed=0, d=1, use_log=True)
def test_scale(kata, seed, d, use_log):
    rng = np.random.default_rng(seed)
    u = rng.random((5, d))
    u[0] = 0.0
    u[1] = 0.5
    lower = rng.uniform(1e-4, 1.0, d)
    upper = lower * rng.uniform(2.0, 1e4, d)
    log = rng.random(d) < 0.5 if use_log else None
    call = describe_call("scale", u, lower, upper, log=log)
    got = call_unmodified(kata.scale, u, lower, upper, log=log)
    lin = qmc.scale(u, lower, upper)
    logs = np.exp(qmc.scale(u, np.log(lower), np.log(upper)))
    want = lin if log is None else np.where(log, logs, lin)
    assert_close(got, want, rtol=1e-10, atol=1e-15, name="scaled design", call=call)
    if log is not None:   # u = 0.5 is the geometric mean on a log axis, the arithmetic mean on a linear one
        mid = np.where(log, np.sqrt(lower * upper), (lower + upper) / 2)
        assert_close(got[1], mid, rtol=1e-10, atol=0, name="image of u = 0.5", call=call)


def test_scale_rejects_bad_inputs(kata):
    u = np.full((2, 2), 0.5)
    for args, kwargs, why in [((np.full(2, 0.5), [0, 0], [1, 1]), {}, "a 1-D design"),
                              ((u, [0, 0, 0], [1, 1, 1]), {}, "3 bounds for 2 dimensions"),
                              ((u, [0, 0], [1, 1, 1]), {}, "upper of the wrong shape"),
                              ((u, [0, 1], [1, 1]), {}, "lower == upper"),
                              ((u, [0, 1e-3], [1, 1]), {"log": [True, False]}, "a log dimension with lower = 0"),
                              ((u, [-1.0, 1e-3], [1, 1]), {"log": [True, True]}, "a log dimension with lower < 0")]:
        with pytest.raises(ValueError):
            kata.scale(*args, **kwargs)
            pytest.fail(f"scale with {why} returned instead of raising ValueError")
