"""Tests for prod-02-7, successive halving and population-based training.

References: successive halving is checked rung by rung on synthetic learning curves
loss(c, b) = final_c + amp_c / b: the recorded calls, the geometric budgets, the survivors (exactly
the best 1/eta by loss, ties to the lower index) and the stopping rule; PBT by its invariants: who
is replaced (the worst fraction), by whom (a member of the best fraction), how (weights copied,
hyperparameters times one of the factors), plus uniform donor choice over many seeds.
"""
import math

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_no_alias, assert_seeded, call_unmodified


@given(seed=seeds(), n=st.integers(1, 30), eta=st.integers(2, 4), min_budget=st.sampled_from([0.5, 1.0]),
       rungs=st.integers(0, 4), ties=st.booleans())
@example(seed=0, n=9, eta=3, min_budget=1.0, rungs=2, ties=False)       # budgets 1, 3, 9 = max_budget: the last still runs
@example(seed=1, n=6, eta=2, min_budget=1.0, rungs=3, ties=True)
def test_successive_halving_rungs(kata, seed, n, eta, min_budget, rungs, ties):
    rng = np.random.default_rng(seed)
    final = np.round(rng.uniform(0, 1, n), 1) if ties else rng.uniform(0, 1, n)
    amp = rng.uniform(0, 2, n)
    max_budget = min_budget * eta ** rungs
    calls = []

    def evaluate(c: int, b: float) -> float:
        calls.append((c, b))
        return float(final[c] + (0.0 if ties else amp[c] / b))

    call = f"successive_halving({n}, evaluate, {min_budget}, {max_budget}, eta={eta})"
    best, history = kata.successive_halving(n, evaluate, min_budget, max_budget, eta=eta)
    assert calls == [(c, b) for b, alive, _ in history for c in alive], f"{call}: the calls {calls[:6]}... do not match the history"
    alive, budget = list(range(n)), min_budget
    for k, (b, got_alive, losses) in enumerate(history):
        assert math.isclose(b, budget), f"{call}: rung {k} budget {b}, expected {budget}"
        assert list(got_alive) == alive, f"{call}: rung {k} survivors {list(got_alive)}, expected {alive}"
        assert np.allclose(losses, [final[c] + (0.0 if ties else amp[c] / budget) for c in alive]), f"{call}: rung {k} losses"
        ranked = sorted(alive, key=lambda c: (losses[alive.index(c)], c))
        last = k == len(history) - 1
        if last:
            assert len(alive) == 1 or budget * eta > max_budget * (1 + 1e-12), f"{call}: stopped after rung {k} too early"
            assert best == ranked[0], f"{call}: returned {best}, the last rung's best is {ranked[0]}"
        else:
            assert len(alive) > 1 and budget * eta <= max_budget * (1 + 1e-12), f"{call}: rung {k + 1} should not have run"
            alive, budget = sorted(ranked[: max(1, len(alive) // eta)]), budget * eta


def test_successive_halving_defaults_and_errors(kata):
    _, history = kata.successive_halving(27, lambda c, b: c / b, 1.0, 27.0)
    assert [len(a) for _, a, _ in history] == [27, 9, 3, 1], f"default eta 3: rung sizes {[len(a) for _, a, _ in history]}, expected 27, 9, 3, 1"
    for args, kwargs, why in [((0, 1.0, 9.0), {}, "n_configs = 0"), ((3, 0.0, 9.0), {}, "min_budget = 0"),
                              ((3, 2.0, 1.0), {}, "max_budget < min_budget"), ((3, 1.0, 9.0), {"eta": 1}, "eta = 1")]:
        with pytest.raises(ValueError):
            kata.successive_halving(args[0], lambda c, b: 0.0, *args[1:], **kwargs)
            pytest.fail(f"successive_halving with {why} returned instead of raising ValueError")
    best, history = kata.successive_halving(4, lambda c, b: -c, 2.0, 2.0)       # min_budget == max_budget: one rung
    assert best == 3 and len(history) == 1, f"one rung of 4 configs: best {best}, {len(history)} rungs"


@st.composite
def populations(draw: st.DrawFn) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(draw(seeds()))
    n, h = draw(st.integers(1, 12)), draw(st.integers(1, 3))
    scores = np.round(rng.uniform(0, 1, n), 1)               # ties on purpose
    return scores, rng.uniform(1e-3, 1.0, (n, h)), rng.standard_normal((n, 2, 2))


@given(pop=populations(), fraction=st.sampled_from([0.1, 0.25, 0.5]), factors=st.sampled_from([(0.8, 1.2), (0.5, 2.0)]),
       seed=seeds())
@example(pop=(np.array([0.5, 0.9, 0.5, 0.1]), np.ones((4, 1)), np.arange(4.0).reshape(4, 1, 1)), fraction=0.5,
         factors=(0.8, 1.2), seed=0)
def test_pbt_step_invariants(kata, pop, fraction, factors, seed):
    scores, hparams, weights = pop
    n = scores.size
    call = f"pbt_step(scores={scores.tolist()}, ..., fraction={fraction}, factors={factors}, seed={seed})"
    donor_of, new_h, new_w = call_unmodified(kata.pbt_step, scores, hparams, weights, fraction=fraction, factors=factors, seed=seed)
    assert_no_alias((new_h, new_w), hparams, weights, call=call)
    k = math.floor(fraction * n)
    order = sorted(range(n), key=lambda i: (-scores[i], i))
    top, bottom = set(order[:k]), set(order[n - k:]) if k else set()
    for i in range(n):
        d = int(donor_of[i])
        if i in bottom:
            assert d in top, f"{call}: member {i} (one of the worst {k}) copied from {d}, not one of the best {sorted(top)}"
            assert np.array_equal(new_w[i], weights[d]), f"{call}: member {i} should hold donor {d}'s weights"
            ratio = new_h[i] / hparams[d]
            ok = np.isclose(ratio[..., None], np.array(factors)).any(axis=-1)
            assert ok.all(), f"{call}: member {i}'s hyperparameters / donor's = {ratio}, expected each in {factors}"
        else:
            assert d == i, f"{call}: member {i} is not among the worst {k} but got donor {d}"
            assert np.array_equal(new_w[i], weights[i]) and np.array_equal(new_h[i], hparams[i]), f"{call}: member {i} changed"


@settings(max_examples=5)
@given(seed=seeds())
def test_pbt_donors_and_factors_are_uniform(kata, seed):
    scores = np.arange(8.0)                                  # best: 7, 6; worst: 0, 1
    hparams, weights = np.ones((8, 1)), np.arange(8.0)[:, None]
    donors, ups = [], []
    for s in range(400):
        donor_of, new_h, _ = kata.pbt_step(scores, hparams, weights, fraction=0.25, seed=seed + s)
        donors += [int(donor_of[0]), int(donor_of[1])]
        ups += [bool(new_h[0, 0] > 1), bool(new_h[1, 0] > 1)]
    share_7, share_up = donors.count(7) / 800, np.mean(ups)
    # 800 draws: 5 standard errors of a fair coin are 0.088
    assert abs(share_7 - 0.5) < 0.088 and abs(share_up - 0.5) < 0.088, (
        f"over 400 seeds, donor 7 was chosen {share_7:.1%} of the time and factor 1.2 {share_up:.1%}: expected about 50% each")


@given(seed=seeds())
def test_pbt_is_seeded_and_defaults(kata, seed):
    scores, hparams, weights = np.arange(8.0), np.ones((8, 2)), np.arange(16.0).reshape(8, 2)
    assert_seeded(lambda s: list(kata.pbt_step(scores, hparams, weights, seed=s)[:2]), seed, name="(donors, hparams)")
    donor_of, new_h, _ = kata.pbt_step(scores, hparams, weights)
    assert set(np.round(new_h[:2].ravel(), 6).tolist()) <= {0.8, 1.2}, (
        f"default factors (0.8, 1.2): replaced members got hyperparameters {new_h[:2].tolist()} from donors of ones")
    assert set(donor_of[:2].tolist()) <= {6, 7} and donor_of[2:].tolist() == list(range(2, 8)), (
        f"default fraction 0.25 of 8: members 0, 1 replaced by 6 or 7, got donors {donor_of.tolist()}")


def test_pbt_rejects_bad_inputs(kata):
    s, h, w = np.arange(4.0), np.ones((4, 1)), np.ones((4, 3))
    for args, kwargs, why in [((s, h[:3], w), {}, "3 hparam rows for 4 scores"), ((s, h, w[:2]), {}, "2 weight rows for 4 scores"),
                              ((s[:, None], h, w), {}, "2-D scores"), ((s, h, w), {"fraction": 0.0}, "fraction = 0"),
                              ((s, h, w), {"fraction": 0.6}, "fraction = 0.6")]:
        with pytest.raises(ValueError):
            kata.pbt_step(*args, **kwargs)
            pytest.fail(f"pbt_step with {why} returned instead of raising ValueError")
