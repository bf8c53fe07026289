"""Tests for rl-05-6, potential-based reward shaping preserves optimal policies.

References: Ng, Harada & Russell's theorem checked by value iteration (here, in the test) on drawn
MDPs and on gymnasium's FrozenLake model: with F = gamma phi(s') - phi(s) (phi = 0 at terminal next
states), the shaped optimal action values are exactly Q*(s, a) - phi(s), so the optimal actions are
the same; a non-potential bonus on entering a state changes the optimal policy of a small MDP.
"""
import copy
import itertools

import gymnasium as gym
import numpy as np
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, describe_call


def random_mdp(seed: int, n_s: int, n_a: int) -> dict:
    rng = np.random.default_rng(seed)
    P = {}
    for s in range(n_s):
        P[s] = {}
        for a in range(n_a):
            k = int(rng.integers(1, 4))
            probs = rng.dirichlet(np.ones(k))
            P[s][a] = [(float(probs[i]), int(rng.integers(n_s)), float(rng.uniform(-2, 2)), bool(rng.random() < 0.3))
                       for i in range(k)]
    return P


def q_star(P: dict, gamma: float) -> np.ndarray:
    n_s, n_a = len(P), len(P[0])
    T, R = np.zeros((n_s, n_a, n_s)), np.zeros((n_s, n_a))
    for s, a in itertools.product(range(n_s), range(n_a)):
        for p, s2, r, done in P[s][a]:
            R[s, a] += p * r
            if not done:
                T[s, a, s2] += p
    Q = np.zeros((n_s, n_a))
    for _ in range(100_000):
        new = R + gamma * T @ Q.max(1)
        if np.abs(new - Q).max() < 1e-12:
            return new
        Q = new
    return Q


def best_actions(Q: np.ndarray) -> list[set]:
    return [set(np.flatnonzero(row >= row.max() - 1e-8).tolist()) for row in Q]


@given(seed=seeds(), n_s=st.integers(1, 6), n_a=st.integers(1, 4), gamma=st.sampled_from([0.5, 0.9, 0.0]) | st.floats(0, 0.95),
       scale=st.sampled_from([1.0, 10.0]))
def test_shaped_values_shift_by_the_potential(kata, seed, n_s, n_a, gamma, scale):
    P = random_mdp(seed, n_s, n_a)
    phi = np.random.default_rng(seed + 1).normal(0, scale, size=n_s)
    before = copy.deepcopy(P)
    call = describe_call("potential_shaping", "P", phi, gamma)
    shaped = kata.potential_shaping(P, phi, gamma)
    assert P == before, f"{call} modified the caller's transition model P; build a new one"
    Q, Qs = q_star(P, gamma), q_star(shaped, gamma)
    # Value iteration to 1e-12 on both: 1e-8 covers the contraction's stopping error for gamma <= 0.95.
    assert_close(Qs, Q - phi[:, None], rtol=0, atol=1e-8,
                 name="Q* of the shaped MDP (Ng et al.: exactly Q*(s, a) - phi(s))", call=call)
    assert best_actions(Qs) == best_actions(Q), f"{call}: shaping changed the optimal actions"


@given(slippery=st.booleans(), gamma=st.sampled_from([0.9, 0.99]), weight=st.sampled_from([0.1, 1.0, 5.0]))
@example(slippery=False, gamma=0.9, weight=5.0)
def test_frozen_lake_distance_potential(kata, slippery, gamma, weight):
    """phi(s) = -weight * Manhattan distance to the goal: a typical hand-made potential."""
    P = gym.make("FrozenLake-v1", is_slippery=slippery).unwrapped.P
    rows, cols = np.divmod(np.arange(16), 4)
    phi = -weight * ((3 - rows) + (3 - cols)).astype(float)
    Q, Qs = q_star(P, gamma), q_star(kata.potential_shaping(P, phi, gamma), gamma)
    assert_close(Qs, Q - phi[:, None], rtol=0, atol=1e-7, name="Q* of shaped FrozenLake (Q* - phi)",
                 call=describe_call("potential_shaping", f"FrozenLake(is_slippery={slippery})", "phi", gamma))


def test_a_bonus_that_is_not_potential_based_can_change_the_policy(kata):
    """Two states. In state 0: action 0 goes to the goal (reward 1, terminates), action 1 goes to state 1
    (reward 0). State 1 leads back to 0. A bonus of 1 for entering state 1 makes circling worth more
    than finishing: the agent learns to never reach the goal."""
    P = {0: {0: [(1.0, 0, 1.0, True)], 1: [(1.0, 1, 0.0, False)]},
         1: {0: [(1.0, 0, 0.0, False)], 1: [(1.0, 0, 0.0, False)]}}
    bonus = np.array([0.0, 1.0])
    shaped = kata.bonus_shaping(P, bonus)
    assert shaped[0][1][0][2] == 1.0 and shaped[0][0][0][2] == 1.0 + 0.0, (
        f"bonus_shaping: entering state s' earns bonus[s'] on top of the reward; got {shaped[0]}")
    assert int(np.argmax(q_star(P, 0.9)[0])) == 0, "sanity: without the bonus, finishing is optimal"
    assert int(np.argmax(q_star(shaped, 0.9)[0])) == 1, (
        "with a bonus for entering state 1 the optimal action in state 0 should become 'circle' (1)")
    phi = bonus  # the same numbers as a potential leave the policy alone
    assert int(np.argmax(q_star(kata.potential_shaping(P, phi, 0.9), 0.9)[0])) == 0, (
        "potential_shaping with phi = bonus must keep 'finish' optimal")


@given(seed=seeds(), n_s=st.integers(1, 5))
def test_bonus_shaping_adds_the_entered_states_bonus(kata, seed, n_s):
    P = random_mdp(seed, n_s, 2)
    bonus = np.random.default_rng(seed).normal(size=n_s)
    before = copy.deepcopy(P)
    shaped = kata.bonus_shaping(P, bonus)
    assert P == before, "bonus_shaping modified the caller's P"
    for s, a in itertools.product(range(n_s), range(2)):
        for (p, s2, r, d), (p2, s22, r2, d2) in zip(P[s][a], shaped[s][a], strict=True):
            assert (p, s2, d) == (p2, s22, d2) and abs(r2 - (r + bonus[s2])) < 1e-12, (
                f"bonus_shaping: outcome {(p, s2, r, d)} became {(p2, s22, r2, d2)}; expected reward r + bonus[s']")


def test_rejects_wrong_lengths(kata):
    P = random_mdp(0, 3, 2)
    with pytest.raises(ValueError):
        kata.potential_shaping(P, np.zeros(2), 0.9)
    with pytest.raises(ValueError):
        kata.bonus_shaping(P, np.zeros(4))
