"""Tests for rl-01-4, SARSA on CliffWalking.

References: the SARSA target in closed form for one update; the algorithm of the docstring replayed
step by step on gymnasium environments with the same seeded random stream (so the same seed gives
the same trajectory); and Q-learning, implemented here, trained on CliffWalking with the same
settings: SARSA, learning the value of its own exploring policy, falls off the cliff less often.
"""
import gymnasium as gym
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import arrays, seeds
from grader.testing import assert_close, assert_equal, assert_seeded, describe_call

ENVS = {
    "FrozenLake-4x4": lambda: gym.make("FrozenLake-v1", is_slippery=False),
    "FrozenLake-4x4-slippery": lambda: gym.make("FrozenLake-v1", is_slippery=True),
    "FrozenLake-2x2-limit2": lambda: gym.make("FrozenLake-v1", desc=["SF", "FG"], is_slippery=False,
                                              max_episode_steps=2),
    "CliffWalking-limit25": lambda: gym.make("CliffWalking-v1", max_episode_steps=25),
}


def greedy(q_row: np.ndarray, epsilon: float, rng: np.random.Generator) -> int:
    """The given epsilon_greedy, repeated here so the replay draws exactly the same numbers."""
    if rng.random() < epsilon:
        return int(rng.integers(len(q_row)))
    best = np.flatnonzero(q_row == q_row.max())
    return int(best[rng.integers(len(best))])


def replay(env: gym.Env, episodes: int, alpha: float, gamma: float, epsilon: float, seed: int,
           q_learning: bool = False) -> tuple[np.ndarray, list[float]]:
    """The docstring's SARSA loop (or, with q_learning=True, Q-learning with the same exploration)."""
    rng = np.random.default_rng(seed)
    Q = np.zeros((env.observation_space.n, env.action_space.n))
    returns = []
    for episode in range(episodes):
        s, _ = env.reset(seed=seed if episode == 0 else None)
        a = greedy(Q[s], epsilon, rng)
        total = 0.0
        while True:
            s2, r, terminated, truncated, _ = env.step(a)
            total += float(r)
            if q_learning:
                target = r if terminated else r + gamma * Q[s2].max()
                Q[s, a] += alpha * (target - Q[s, a])
                a2 = greedy(Q[s2], epsilon, rng)
            else:
                a2 = greedy(Q[s2], epsilon, rng)
                target = r if terminated else r + gamma * Q[s2, a2]
                Q[s, a] += alpha * (target - Q[s, a])
            if terminated or truncated:
                break
            s, a = s2, a2
        returns.append(total)
    return Q, returns


@given(data=st.data(), n_s=st.integers(1, 6), n_a=st.integers(1, 4), r=st.floats(-2.0, 2.0),
       terminated=st.booleans(), alpha=st.floats(0.0625, 1.0), gamma=st.floats(0.0, 1.0))
@example(data=None, n_s=3, n_a=2, r=0.5, terminated=True, alpha=0.5, gamma=0.9)  # no bootstrap from a terminal
@example(data=None, n_s=3, n_a=2, r=0.0, terminated=False, alpha=1.0, gamma=0.9)  # a_next is not the argmax
def test_update_matches_sarsa_target(kata, data, n_s, n_a, r, terminated, alpha, gamma):
    if data is None:  # next row [3, 4]: the next action taken is 0, worth 3, while the max is 4
        Q = np.arange(n_s * n_a, dtype=np.float64).reshape(n_s, n_a) - 1.0
        s, a, s_next, a_next = 0, 1, 2, 0
    else:
        Q = data.draw(arrays((n_s, n_a), -5.0, 5.0), label="Q")
        s, s_next = data.draw(st.integers(0, n_s - 1), label="s"), data.draw(st.integers(0, n_s - 1), label="s_next")
        a, a_next = data.draw(st.integers(0, n_a - 1), label="a"), data.draw(st.integers(0, n_a - 1), label="a_next")
    before = Q.copy()
    target = r if terminated else r + gamma * before[s_next, a_next]
    want = before.copy()
    want[s, a] = before[s, a] + alpha * (target - before[s, a])
    call = describe_call("sarsa_update", Q, s, a, r, s_next, a_next, terminated, alpha, gamma)
    delta = kata.sarsa_update(Q, s, a, r, s_next, a_next, terminated, alpha, gamma)
    # float64 arithmetic on values of magnitude <= ~10: a few ulps.
    assert_close(Q, want, rtol=0, atol=1e-12,
                 name="Q after the update (in place; target r + gamma * Q[s_next, a_next], or r if terminated)",
                 call=call)
    assert_close(delta, target - before[s, a], rtol=0, atol=1e-12, name="TD error (computed before the update)",
                 call=call)


@settings(max_examples=12)
@given(env_name=st.sampled_from(sorted(ENVS)), episodes=st.integers(1, 30), alpha=st.floats(0.0625, 1.0),
       gamma=st.sampled_from([0.0, 0.5, 0.9, 1.0]), epsilon=st.sampled_from([0.0, 0.1, 0.5, 1.0]), seed=seeds())
@example(env_name="FrozenLake-2x2-limit2", episodes=30, alpha=1.0, gamma=0.9, epsilon=1.0, seed=0)  # truncations
@example(env_name="FrozenLake-4x4-slippery", episodes=30, alpha=0.5, gamma=0.9, epsilon=0.5, seed=1)
def test_sarsa_replays_the_documented_loop(kata, env_name, episodes, alpha, gamma, epsilon, seed):
    """Q and the per-episode returns equal a step-by-step replay with the same seeds."""
    want_Q, want_returns = replay(ENVS[env_name](), episodes, alpha, gamma, epsilon, seed)
    call = describe_call("sarsa", env_name, episodes, alpha=alpha, gamma=gamma, epsilon=epsilon, seed=seed)
    Q, returns = kata.sarsa(ENVS[env_name](), episodes, alpha, gamma, epsilon, seed)
    assert_equal(len(returns), episodes, name="number of episode returns", call=call)
    assert_close(np.asarray(returns, dtype=float), want_returns, rtol=0, atol=1e-9,
                 name="per-episode returns (undiscounted sum of rewards)", call=call)
    assert_close(Q, want_Q, rtol=0, atol=1e-9,
                 name=("Q (vs a replay of the documented loop: act with the a_next you bootstrapped from, draw it "
                       "before the update, bootstrap through truncations but not terminations)"), call=call)


@settings(max_examples=3)
@given(seed=seeds())
def test_same_seed_same_run(kata, seed):
    """Every random number comes from the seed: environment resets and action choices."""
    assert_seeded(lambda s: kata.sarsa(ENVS["CliffWalking-limit25"](), 10, 0.5, 0.9, 0.5, s), seed,
                  name="(Q, returns) of sarsa on CliffWalking")


@pytest.mark.slow
@settings(max_examples=3)
@given(seed=seeds())
@example(seed=0)
def test_sarsa_falls_off_the_cliff_less_than_q_learning(kata, seed):
    """Sutton & Barto's example 6.6: with epsilon = 0.1 exploration, Q-learning learns the optimal path
    along the cliff edge and keeps falling off it while exploring; SARSA learns the value of its own
    exploring policy and walks a safer path. Measured: episodes with return <= -100 (a cliff fall, or
    wandering 100+ steps) in episodes 100-300."""
    episodes, alpha, gamma, epsilon = 300, 0.5, 1.0, 0.1
    _, q_returns = replay(gym.make("CliffWalking-v1", max_episode_steps=200), episodes, alpha, gamma, epsilon, seed,
                          q_learning=True)
    _, returns = kata.sarsa(gym.make("CliffWalking-v1", max_episode_steps=200), episodes, alpha, gamma, epsilon, seed)
    falls = int(np.sum(np.asarray(returns[100:]) <= -100))
    q_falls = int(np.sum(np.asarray(q_returns[100:]) <= -100))
    assert falls < q_falls, (
        f"sarsa(CliffWalking-v1, {episodes} episodes, alpha={alpha}, gamma={gamma}, epsilon={epsilon}, seed={seed}): "
        f"{falls} episodes with return <= -100 (cliff falls) in episodes 100-300, Q-learning with the same settings: {q_falls}. "
        f"SARSA should be the safer of the two (mean returns: SARSA {np.mean(returns[100:]):.1f}, "
        f"Q-learning {np.mean(q_returns[100:]):.1f}).")
