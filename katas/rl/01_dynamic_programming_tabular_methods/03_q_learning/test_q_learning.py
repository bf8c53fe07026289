"""Tests for rl-01-3, tabular Q-learning on FrozenLake.

References: the Bellman target in closed form for one update; exact action probabilities of
epsilon-greedy (chi-square test over seeded draws); and Q* computed here by value iteration on
gymnasium's own transition model `env.unwrapped.P`, which Q-learning must reach on the
deterministic 4x4 FrozenLake.
"""
import gymnasium as gym
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.stats import chi2

from grader.strategies import arrays, seeds
from grader.testing import assert_close, assert_equal, assert_seeded, describe_call

N_DRAWS = 2000


def value_iteration_q(env: gym.Env, gamma: float, tol: float = 1e-13) -> np.ndarray:
    """Q*(s, a) = sum_s' p (r + gamma * max_a' Q*(s', a') * [not terminated]) from env.unwrapped.P."""
    P = env.unwrapped.P
    n_s, n_a = env.observation_space.n, env.action_space.n
    Q = np.zeros((n_s, n_a))
    for _ in range(10_000):
        V = Q.max(axis=1)
        new = np.array([[sum(p * (r + (0.0 if done else gamma * V[s2])) for p, s2, r, done in P[s][a])
                         for a in range(n_a)] for s in range(n_s)])
        if np.abs(new - Q).max() < tol:
            return new
        Q = new
    raise RuntimeError("value iteration did not converge")


def greedy_rollout(env: gym.Env, Q: np.ndarray) -> tuple[list[int], float]:
    """States visited and return of the greedy policy argmax_a Q(s, a) from the start state."""
    s, _ = env.reset(seed=0)
    path, total = [s], 0.0
    for _ in range(100):
        s, r, terminated, truncated, _ = env.step(int(np.argmax(Q[s])))
        path.append(s)
        total += float(r)
        if terminated or truncated:
            break
    return path, total


@given(data=st.data(), n_s=st.integers(1, 6), n_a=st.integers(1, 4), r=st.floats(-2.0, 2.0),
       terminated=st.booleans(), alpha=st.floats(0.0625, 1.0), gamma=st.floats(0.0, 1.0))
@example(data=None, n_s=3, n_a=2, r=0.5, terminated=True, alpha=0.5, gamma=0.9)  # no bootstrap from a terminal
@example(data=None, n_s=3, n_a=2, r=0.0, terminated=False, alpha=1.0, gamma=0.9)
def test_update_matches_bellman_target(kata, data, n_s, n_a, r, terminated, alpha, gamma):
    if data is None:  # the explicit examples: a fixed table whose next-state row has large values
        Q = np.arange(n_s * n_a, dtype=np.float64).reshape(n_s, n_a) - 1.0
        s, a, s_next = 0, 1, 2
    else:
        Q = data.draw(arrays((n_s, n_a), -5.0, 5.0), label="Q")
        s, s_next = data.draw(st.integers(0, n_s - 1), label="s"), data.draw(st.integers(0, n_s - 1), label="s_next")
        a = data.draw(st.integers(0, n_a - 1), label="a")
    before = Q.copy()
    target = r if terminated else r + gamma * before[s_next].max()
    want = before.copy()
    want[s, a] = before[s, a] + alpha * (target - before[s, a])
    call = describe_call("q_learning_update", Q, s, a, r, s_next, terminated, alpha, gamma)
    delta = kata.q_learning_update(Q, s, a, r, s_next, terminated, alpha, gamma)
    hint = ("" if not terminated else
            " (terminated=True: the target is just r, there is no next state to bootstrap from)")
    # float64 arithmetic on values of magnitude <= ~10: a few ulps.
    assert_close(Q, want, rtol=0, atol=1e-12, name=f"Q after the update (in place){hint}", call=call)
    assert_close(delta, target - before[s, a], rtol=0, atol=1e-12,
                 name=f"TD error target - Q[s, a] (computed before the update){hint}", call=call)


@given(q_row=st.lists(st.sampled_from([0.0, 0.5, 1.0]), min_size=1, max_size=6),
       epsilon=st.sampled_from([0.0, 0.1, 0.3, 1.0]) | st.floats(0.0, 1.0), seed=seeds())
@example(q_row=[0.0, 0.0, 0.0, 0.0], epsilon=0.0, seed=0)  # a fresh Q-table: every action is greedy
@example(q_row=[0.0, 1.0, 0.5, 1.0], epsilon=0.0, seed=0)
@example(q_row=[0.0, 1.0, 0.5, 0.0], epsilon=0.3, seed=0)
def test_epsilon_greedy_frequencies(kata, q_row, epsilon, seed):
    """P(a) = epsilon / n_actions + (1 - epsilon) / |argmax| for greedy a: chi-square at level 1e-6."""
    q = np.array(q_row)
    n_a = len(q)
    best = q == q.max()
    expected = epsilon / n_a + (1 - epsilon) * best / best.sum()
    rng = np.random.default_rng(seed)
    counts = np.zeros(n_a)
    for _ in range(N_DRAWS):
        a = kata.epsilon_greedy(q, epsilon, rng)
        assert 0 <= int(a) < n_a and int(a) == a, f"epsilon_greedy({q.tolist()}, {epsilon}) returned {a!r}"
        counts[int(a)] += 1
    observed = counts / N_DRAWS
    report = (f"epsilon_greedy(q_row={q.tolist()}, epsilon={epsilon:.3g}, rng) over {N_DRAWS} seeded draws:\n"
              f"  observed frequencies {np.round(observed, 3).tolist()}\n"
              f"  expected             {np.round(expected, 3).tolist()}\n"
              "  (explore: uniform over ALL actions with probability epsilon; exploit: a uniformly random one "
              "of the tied best actions; np.argmax always picks the first)")
    impossible = expected == 0
    assert np.all(counts[impossible] == 0), report
    live = ~impossible
    if live.sum() >= 2:
        e = expected[live] * N_DRAWS
        stat = float(((counts[live] - e) ** 2 / e).sum())
        assert stat < chi2.ppf(1 - 1e-6, df=int(live.sum()) - 1), f"{report}\n  chi-square {stat:.1f}"


@pytest.mark.slow
@settings(max_examples=3)
@given(seed=seeds(), gamma=st.sampled_from([0.9, 0.95, 0.99]))
@example(seed=0, gamma=0.9)
def test_learns_q_star_from_random_behaviour(kata, seed, gamma):
    """Off-policy: acting uniformly at random (epsilon = 1), Q-learning still learns Q* of the best policy.

    The 4x4 map is deterministic, so alpha = 1 copies each target exactly and after enough episodes
    every Q(s, a) equals Q*(s, a) to rounding."""
    env = gym.make("FrozenLake-v1", is_slippery=False)
    want = value_iteration_q(env, gamma)
    call = describe_call("q_learning", "FrozenLake-v1(is_slippery=False)", 1500, alpha=1.0, gamma=gamma,
                         epsilon=1.0, seed=seed)
    Q = kata.q_learning(env, 1500, alpha=1.0, gamma=gamma, epsilon=1.0, seed=seed)
    # Exact copies of float64 targets, compounded over at most ~7 steps: 1e-9 is generous.
    assert_close(Q, want, rtol=0, atol=1e-9,
                 name="Q (vs Q* from value iteration; a SARSA target learns the random policy's values instead)",
                 call=call)


@pytest.mark.slow
@settings(max_examples=3)
@given(seed=seeds(), alpha=st.floats(0.5, 1.0))
@example(seed=0, alpha=0.5)
def test_greedy_policy_reaches_the_goal(kata, seed, alpha):
    """With epsilon decaying from 1 to 0.05, the greedy policy of the learned Q walks the shortest path."""
    episodes = 1000
    env = gym.make("FrozenLake-v1", is_slippery=False)
    Q = kata.q_learning(env, episodes, alpha=alpha, gamma=0.9,
                        epsilon=lambda ep: max(0.05, 1.0 - ep / (0.5 * episodes)), seed=seed)
    path, total = greedy_rollout(env, Q)
    assert total == 1.0 and len(path) == 7, (
        f"q_learning(FrozenLake 4x4, {episodes} episodes, alpha={alpha:.3g}, gamma=0.9, decaying epsilon, seed={seed}): "
        f"the greedy policy visits {path} with return {total}; expected the goal (15) in 6 steps.\n"
        f"  learned max_a Q(s, a) as a 4x4 grid:\n{np.round(Q.max(axis=1).reshape(4, 4), 3)}")


@given(seed=seeds(), gamma=st.sampled_from([0.5, 0.9, 0.99]))
@example(seed=0, gamma=0.9)
def test_truncated_episodes_still_bootstrap(kata, seed, gamma):
    """A time limit is not a terminal state: a truncated step still bootstraps from Q(s_next).

    On a 2x2 map with a 2-step time limit, every second step is cut off by the limit, yet Q must
    equal Q* of the map (value iteration ignores the limit)."""
    env = gym.make("FrozenLake-v1", desc=["SF", "FG"], is_slippery=False, max_episode_steps=2)
    want = value_iteration_q(env, gamma)
    call = describe_call("q_learning", "FrozenLake(desc=['SF', 'FG'], max_episode_steps=2)", 500, alpha=1.0,
                         gamma=gamma, epsilon=1.0, seed=seed)
    Q = kata.q_learning(env, 500, alpha=1.0, gamma=gamma, epsilon=1.0, seed=seed)
    assert_close(Q, want, rtol=0, atol=1e-9,
                 name="Q (entries that are 0 where Q* is not: was `truncated` treated like `terminated`?)",
                 call=call)
    again = kata.q_learning(env, 500, alpha=1.0, gamma=gamma, epsilon=1.0, seed=seed)
    assert_equal(again, Q, name="Q of a second run with the same seed (draw only from a seeded generator)",
                 call=call)


@settings(max_examples=5)
@given(seed=seeds(), episodes=st.sampled_from([0, 1, 4]), alpha=st.sampled_from([0.3, 0.8]))
@example(seed=1, episodes=1, alpha=0.3)
def test_training_follows_the_documented_loop(kata, seed, episodes, alpha):
    """A twin of the docstring's loop (your epsilon_greedy, the same rng and resets, the update with alpha)
    on a slippery 3x3 map, far from convergence: the table must match exactly `episodes` episodes."""
    desc = ["SFF", "FHF", "FFG"]
    env = gym.make("FrozenLake-v1", desc=desc, is_slippery=True)
    Q = kata.q_learning(env, episodes, alpha=alpha, gamma=0.9, epsilon=0.5, seed=seed)
    env2 = gym.make("FrozenLake-v1", desc=desc, is_slippery=True)
    rng, want = np.random.default_rng(seed), np.zeros((9, 4))
    for ep in range(episodes):
        s, _ = env2.reset(seed=seed if ep == 0 else None)
        while True:
            a = kata.epsilon_greedy(want[s], 0.5, rng)
            s2, r, terminated, truncated, _ = env2.step(a)
            target = r if terminated else r + 0.9 * want[s2].max()
            want[s, a] += alpha * (target - want[s, a])
            if terminated or truncated:
                break
            s = s2
    assert_close(Q, want, rtol=0, atol=1e-12, name=f"Q after {episodes} episode(s) (vs a twin of the documented loop)",
                 call=describe_call("q_learning", f"FrozenLake(desc={desc}, is_slippery=True)", episodes, alpha=alpha,
                                    gamma=0.9, epsilon=0.5, seed=seed))


@settings(max_examples=10)
@given(seed=seeds())
@example(seed=0)
def test_same_seed_same_table_before_convergence(kata, seed):
    """Ten episodes on a slippery 3x3 map without holes are far from converged, so Q depends on every random
    draw: the same seed must give the same table (actions from default_rng(seed), env.reset(seed=seed) first),
    and another seed another table."""
    env = gym.make("FrozenLake-v1", desc=["SFF", "FFF", "FFG"], is_slippery=True)

    def run(s: int) -> np.ndarray:
        return kata.q_learning(env, 10, alpha=0.5, gamma=0.9, epsilon=0.5, seed=s)

    assert_seeded(run, seed, name="Q-tables after 10 episodes")
