"""Tests for rl-05-9, independent learners and self-play in a matrix game.

References: the Nash equilibrium of drawn zero-sum games by linear programming (scipy.optimize.linprog):
its strategies have zero exploitability, and fictitious play's empirical strategies converge to it
(Robinson 1951); independent epsilon-greedy Q-learners replayed step by step, and their measured
behaviour: in matching pennies (no pure equilibrium) their greedy policies keep cycling; in a
coordination game they settle on a pure Nash equilibrium.
"""
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.optimize import linprog

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, describe_call

PENNIES = np.array([[1.0, -1.0], [-1.0, 1.0]])
COORDINATION = np.array([[2.0, 0.0], [0.0, 1.0]])


def maximin(A: np.ndarray) -> tuple[np.ndarray, float]:
    """The row player's maximin strategy and the game value, by LP: max v s.t. x^T A >= v, sum x = 1."""
    m, n = A.shape
    res = linprog(np.r_[np.zeros(m), -1.0], A_ub=np.c_[-A.T, np.ones(n)], b_ub=np.zeros(n),
                  A_eq=np.r_[np.ones(m), 0.0][None], b_eq=[1.0], bounds=[(0, None)] * m + [(None, None)])
    return res.x[:m], float(res.x[m])


def random_game(seed: int, m: int, n: int) -> np.ndarray:
    return np.random.default_rng(seed).uniform(-1, 1, size=(m, n))


@given(seed=seeds(), m=st.integers(1, 5), n=st.integers(1, 5))
@example(seed=-1, m=2, n=2)
@example(seed=-2, m=2, n=1)
def test_best_response(kata, seed, m, n):
    if seed == -1:  # a tie between rows 0 and 1: the first
        payoff, opp = np.array([[1.0, 0.0], [0.0, 1.0]]), np.array([0.5, 0.5])
    elif seed == -2:  # row 0 exactly 1e-12 below the best: still within the tie tolerance, so the first
        payoff, opp = np.array([[-1e-12], [0.0]]), np.array([1.0])
    else:
        rng = np.random.default_rng(seed)
        payoff, opp = rng.normal(size=(m, n)), rng.dirichlet(np.ones(n))
    v = payoff @ opp
    want = int(np.flatnonzero(v >= v.max() - 1e-12)[0])
    assert_equal(kata.best_response(payoff, opp), want, name="best response (first of the tied best rows)",
                 call=describe_call("best_response", payoff, opp))


@given(seed=seeds(), m=st.integers(1, 4), n=st.integers(1, 4))
def test_exploitability_is_zero_exactly_at_the_equilibrium(kata, seed, m, n):
    A = random_game(seed, m, n)
    x, value = maximin(A)
    y, neg_value = maximin(-A.T)
    call = describe_call("exploitability", A, x, y)
    assert_close(kata.exploitability(A, x, y), 0.0, rtol=0, atol=1e-7, name="exploitability of the LP equilibrium",
                 call=call)
    rng = np.random.default_rng(seed)
    xr, yr = rng.dirichlet(np.ones(m)), rng.dirichlet(np.ones(n))
    assert_close(kata.exploitability(A, xr, yr), (A @ yr).max() - (xr @ A).min(), rtol=1e-12, atol=1e-12,
                 name="exploitability max_i (A y)_i - min_j (x^T A)_j", call=describe_call("exploitability", A, xr, yr))


@settings(max_examples=8)
@given(seed=seeds(), m=st.integers(1, 4), n=st.integers(1, 4))
@example(seed=0, m=2, n=2)
def test_fictitious_play_converges_in_zero_sum_games(kata, seed, m, n):
    A = random_game(seed, m, n) if seed else PENNIES
    _, value = maximin(A)
    x, y = kata.fictitious_play(A, 3000)
    call = describe_call("fictitious_play", A, 3000)
    assert_close(np.sum(x), 1.0, rtol=0, atol=1e-9, name="sum of the row player's empirical strategy", call=call)
    gap = (A @ y).max() - (x @ A).min()
    assert gap < 0.05, (f"{call}: the empirical strategies x={np.round(x, 3).tolist()}, y={np.round(y, 3).tolist()} "
                        f"can still be exploited by {gap:.4f} (expected < 0.05: fictitious play converges in zero-sum games)")
    assert_close(x @ A @ y, value, rtol=0, atol=0.05, name="payoff of the empirical strategies (vs the LP game value)",
                 call=call)


def replay_fictitious_play(A: np.ndarray, iterations: int) -> tuple[np.ndarray, np.ndarray]:
    """The docstring's procedure step by step: counts start at one play of action 0 each; both players
    best-respond (first row within 1e-12 of the best) to the other's empirical frequencies."""
    def br(payoff, mix):
        v = payoff @ mix
        return int(np.flatnonzero(v >= v.max() - 1e-12)[0])
    cx, cy = np.eye(A.shape[0])[0], np.eye(A.shape[1])[0]
    for _ in range(iterations):
        i, j = br(A, cy / cy.sum()), br(-A.T, cx / cx.sum())
        cx[i] += 1
        cy[j] += 1
    return cx / cx.sum(), cy / cy.sum()


NEAR_TIE = np.array([[0.0, -0.8e-12], [0.8e-12, 0.0]])  # rows and columns tie within 1e-12 on the frequencies


@settings(max_examples=15)
@given(seed=seeds(), m=st.integers(1, 4), n=st.integers(1, 4), iterations=st.integers(1, 25))
@example(seed=0, m=3, n=2, iterations=1)  # the smallest allowed number of iterations
@example(seed=-1, m=2, n=2, iterations=3)  # near-ties: best-respond to frequencies (not counts) with the 1e-12 rule
def test_fictitious_play_replays_the_procedure(kata, seed, m, n, iterations):
    A = NEAR_TIE if seed == -1 else random_game(seed, m, n)
    call = describe_call("fictitious_play", A, iterations)
    x, y = kata.fictitious_play(A, iterations)
    want_x, want_y = replay_fictitious_play(A, iterations)
    hint = (" (counts start at one play of action 0 each, then `iterations` simultaneous best responses to the "
            "opponent's empirical frequencies)")
    assert_close(x, want_x, rtol=0, atol=1e-12, name="row player's empirical frequencies" + hint, call=call)
    assert_close(y, want_y, rtol=0, atol=1e-12, name="column player's empirical frequencies" + hint, call=call)


def test_fictitious_play_rejects_zero_iterations(kata):
    with pytest.raises(ValueError):
        kata.fictitious_play(PENNIES, 0)


def replay(A, B, steps, alpha, epsilon, seed):
    rng = np.random.default_rng(seed)
    q1, q2 = np.zeros(A.shape[0]), np.zeros(A.shape[1])
    hist = np.zeros((steps, 4), dtype=np.int64)
    for t in range(steps):
        g, p = [], []
        for q in (q1, q2):
            best = np.flatnonzero(q == q.max())
            g.append(int(best[rng.integers(len(best))]))
            p.append(int(rng.integers(len(q))) if rng.random() < epsilon else g[-1])
        q1[p[0]] += alpha * (A[p[0], p[1]] - q1[p[0]])
        q2[p[1]] += alpha * (B[p[0], p[1]] - q2[p[1]])
        hist[t] = (p[0], p[1], g[0], g[1])
    return q1, q2, hist


@given(seed=seeds(), m=st.integers(1, 3), n=st.integers(1, 3), steps=st.integers(1, 40),
       alpha=st.floats(0.05, 1.0), epsilon=st.sampled_from([0.0, 0.1, 1.0]))
def test_independent_learners_replay(kata, seed, m, n, steps, alpha, epsilon):
    rng = np.random.default_rng(seed)
    A, B = rng.normal(size=(m, n)), rng.normal(size=(m, n))
    want = replay(A, B, steps, alpha, epsilon, seed)
    got = kata.independent_q_learning(A, B, steps, alpha, epsilon, seed)
    call = describe_call("independent_q_learning", A, B, steps, alpha, epsilon, seed)
    assert_equal(np.asarray(got[2]), want[2], name="history rows (played_1, played_2, greedy_1, greedy_2)", call=call)
    assert np.asarray(got[2]).dtype.kind in "iu", f"{call} returned history of dtype {np.asarray(got[2]).dtype}, expected int"
    assert_close(got[0], want[0], rtol=0, atol=1e-12, name="player 1's Q-values (learned from A)", call=call)
    assert_close(got[1], want[1], rtol=0, atol=1e-12, name="player 2's Q-values (learned from B)", call=call)


@settings(max_examples=5)
@given(seed=seeds())
@example(seed=0)
def test_independent_learners_explore_only_below_epsilon(kata, seed):
    """epsilon set to exactly the first rng.random() the learners draw: `rng.random() < epsilon` is False, so
    player 1 plays greedily on step 0 (an exploring `<=` draws one more integer and shifts the stream)."""
    rng = np.random.default_rng(seed)
    A, B = rng.normal(size=(2, 2)), rng.normal(size=(2, 2))
    stream = np.random.default_rng(seed)
    stream.integers(2)  # step 0: player 1's tie-break among its two equal (zero) Q-values
    epsilon = float(stream.random())
    call = describe_call("independent_q_learning", A, B, 20, 0.5, epsilon, seed)
    got = kata.independent_q_learning(A, B, 20, 0.5, epsilon, seed)
    assert_equal(np.asarray(got[2]), replay(A, B, 20, 0.5, epsilon, seed)[2],
                 name="history rows (explore only when rng.random() < epsilon, strictly)", call=call)


def test_independent_learners_reject_mismatched_games(kata):
    with pytest.raises(ValueError):
        kata.independent_q_learning(np.zeros((2, 2)), np.zeros((2, 3)), 5, 0.1, 0.1, 0)


@settings(max_examples=3)
@given(seed=seeds())
def test_cycling_in_matching_pennies_convergence_in_coordination(kata, seed):
    """Matching pennies has only a mixed equilibrium: each learner's greedy action keeps flipping (measured:
    at least 10 flips in the last 1000 of 3000 steps, 44+ seen over 40 seeds) while play averages (1/2, 1/2).
    The coordination game [[2, 0], [0, 1]] has pure equilibria: the greedy actions freeze on one of them."""
    _, _, h = kata.independent_q_learning(PENNIES, -PENNIES, 3000, 0.1, 0.1, seed)
    flips = int((np.diff(h[-1000:, 2]) != 0).sum())
    assert flips >= 10, f"matching pennies, independent learners (seed {seed}): greedy action flipped {flips} times"
    assert np.all(np.abs(h[-1000:, :2].mean(0) - 0.5) < 0.1), (
        f"matching pennies: frequencies of action 1 in the last 1000 plays {h[-1000:, :2].mean(0)}, expected ~0.5")
    _, _, h = kata.independent_q_learning(COORDINATION, COORDINATION, 3000, 0.1, 0.1, seed)
    tail = h[-1000:, 2:]
    assert np.all(tail == tail[0]) and tail[0, 0] == tail[0, 1], (
        f"coordination game (seed {seed}): greedy actions in the last 1000 steps should be one fixed pure Nash "
        f"equilibrium (both 0 or both 1); saw pairs {sorted({tuple(r) for r in tail.tolist()})}")
