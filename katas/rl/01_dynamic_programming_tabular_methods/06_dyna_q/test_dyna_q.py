"""Tests for rl-01-6, Dyna-Q.

References: the model's contract checked directly (latest outcome kept, one entry per distinct
(s, a), uniform sampling over the pairs seen: chi-square test); the Dyna-Q loop of the docstring
replayed step by step with the same seeded streams on gymnasium environments; and the measured
effect: on CliffWalking, planning (n = 10) reaches the goal in far fewer real steps than plain
Q-learning (n = 0) with the same seed.
"""
import gymnasium as gym
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.stats import chi2

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, assert_seeded, describe_call


class RingEnv(gym.Env):
    """3 states in a ring: action 0 moves on (+1 reward), action 1 jumps back to 0 (-1). Moving on from
    state 2 terminates *in state 0*, a state that also has a value of its own: the model must remember
    that this transition ends the episode, or planning bootstraps from Q[0]."""

    observation_space = gym.spaces.Discrete(3)
    action_space = gym.spaces.Discrete(2)

    def reset(self, *, seed: int | None = None, options: dict | None = None) -> tuple[int, dict]:
        super().reset(seed=seed)
        self.s = int(self.np_random.integers(3))
        return self.s, {}

    def step(self, action: int) -> tuple[int, float, bool, bool, dict]:
        terminated = action == 0 and self.s == 2
        r = 1.0 if action == 0 else -1.0
        self.s = (self.s + 1) % 3 if action == 0 else 0
        return self.s, r, terminated, False, {}


ENVS = {
    "Ring": lambda: gym.wrappers.TimeLimit(RingEnv(), max_episode_steps=10),
    "FrozenLake-4x4": lambda: gym.make("FrozenLake-v1", is_slippery=False),
    "FrozenLake-4x4-slippery": lambda: gym.make("FrozenLake-v1", is_slippery=True),
    "FrozenLake-2x2-limit2": lambda: gym.make("FrozenLake-v1", desc=["SF", "FG"], is_slippery=False,
                                              max_episode_steps=2),
    "CliffWalking-limit40": lambda: gym.make("CliffWalking-v1", max_episode_steps=40),
}
TRANSITIONS = st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2), st.integers(-2, 2), st.integers(0, 3),
                                 st.booleans()), min_size=1, max_size=25)


def greedy(q_row: np.ndarray, epsilon: float, rng: np.random.Generator) -> int:
    if rng.random() < epsilon:
        return int(rng.integers(len(q_row)))
    best = np.flatnonzero(q_row == q_row.max())
    return int(best[rng.integers(len(best))])


def replay(env: gym.Env, episodes: int, n_planning: int, alpha: float, gamma: float, epsilon: float,
           seed: int) -> tuple[np.ndarray, list[int]]:
    rng = np.random.default_rng(seed)
    Q = np.zeros((env.observation_space.n, env.action_space.n))
    pairs, outcome, steps = [], {}, []

    def update(s: int, a: int, r: float, s2: int, term: bool) -> None:
        Q[s, a] += alpha * ((r if term else r + gamma * Q[s2].max()) - Q[s, a])

    for episode in range(episodes):
        s, _ = env.reset(seed=seed if episode == 0 else None)
        n = 0
        while True:
            a = greedy(Q[s], epsilon, rng)
            s2, r, term, trunc, _ = env.step(a)
            n += 1
            update(s, a, float(r), int(s2), term)
            if (s, a) not in outcome:
                pairs.append((s, a))
            outcome[(s, a)] = (float(r), int(s2), term)
            for _ in range(n_planning):
                ps, pa = pairs[int(rng.integers(len(pairs)))]
                update(ps, pa, *outcome[(ps, pa)])
            if term or trunc:
                break
            s = int(s2)
        steps.append(n)
    return Q, steps


@given(transitions=TRANSITIONS)
@example(transitions=[(0, 0, 1, 1, False), (0, 0, -1, 2, True)])  # the same pair again: latest outcome wins
def test_model_keeps_the_latest_outcome_of_each_pair(kata, transitions):
    model = kata.TabularModel()
    latest = {}
    for s, a, r, s2, term in transitions:
        model.update(s, a, float(r), s2, term)
        latest[(s, a)] = (float(r), s2, term)
    assert_equal(len(model), len(latest), name="len(model) (number of distinct (s, a) pairs seen)",
                 call=f"TabularModel after {len(transitions)} updates")
    rng = np.random.default_rng(0)
    for _ in range(20 * len(latest)):
        s, a, r, s2, term = model.sample(rng)
        assert (s, a) in latest, f"model.sample returned the pair {(s, a)}, which was never observed"
        assert (float(r), int(s2), bool(term)) == latest[(s, a)], (
            f"model.sample returned ({s}, {a}) -> {(r, s2, term)}; the latest outcome observed for it was "
            f"{latest[(s, a)]} (a deterministic model keeps the last outcome, with its terminated flag)")


@settings(max_examples=10)
@given(transitions=TRANSITIONS, seed=seeds())
@example(transitions=[(0, 0, 0, 0, False)] * 10 + [(1, 1, 0, 0, False)], seed=0)  # one pair seen 10x more often
def test_model_samples_distinct_pairs_uniformly(kata, transitions, seed):
    """Planning picks among the pairs seen, each equally likely however often it was visited."""
    model = kata.TabularModel()
    for s, a, r, s2, term in transitions:
        model.update(s, a, float(r), s2, term)
    pairs = sorted({(s, a) for s, a, *_ in transitions})
    rng = np.random.default_rng(seed)
    n_draws = 300 * len(pairs)
    counts = {p: 0 for p in pairs}
    for _ in range(n_draws):
        s, a, *_ = model.sample(rng)
        counts[(s, a)] += 1
    observed = np.array([counts[p] for p in pairs], dtype=float)
    if len(pairs) >= 2:
        e = n_draws / len(pairs)
        stat = float(((observed - e) ** 2 / e).sum())
        assert stat < chi2.ppf(1 - 1e-6, df=len(pairs) - 1), (
            f"model.sample over {n_draws} draws: counts {dict(zip(pairs, observed.astype(int).tolist(), strict=True))} "
            f"for pairs visited {[sum(1 for t in transitions if t[:2] == p) for p in pairs]} times; expected "
            f"{e:.0f} each (uniform over distinct pairs, not over visits). chi-square {stat:.1f}")


def test_empty_model_cannot_be_sampled(kata):
    with pytest.raises(ValueError):
        kata.TabularModel().sample(np.random.default_rng(0))


@settings(max_examples=12)
@given(env_name=st.sampled_from(sorted(ENVS)), episodes=st.integers(1, 8), n_planning=st.integers(0, 5),
       alpha=st.floats(0.0625, 1.0), gamma=st.sampled_from([0.0, 0.5, 0.95, 1.0]),
       epsilon=st.sampled_from([0.0, 0.1, 0.5, 1.0]), seed=seeds())
@example(env_name="FrozenLake-2x2-limit2", episodes=8, n_planning=3, alpha=1.0, gamma=0.9, epsilon=1.0, seed=0)
@example(env_name="CliffWalking-limit40", episodes=3, n_planning=5, alpha=0.5, gamma=0.95, epsilon=0.1, seed=1)
@example(env_name="Ring", episodes=6, n_planning=4, alpha=0.5, gamma=0.9, epsilon=0.5, seed=2)
def test_dyna_q_replays_the_documented_loop(kata, env_name, episodes, n_planning, alpha, gamma, epsilon, seed):
    want_Q, want_steps = replay(ENVS[env_name](), episodes, n_planning, alpha, gamma, epsilon, seed)
    call = describe_call("dyna_q", env_name, episodes, n_planning, alpha=alpha, gamma=gamma, epsilon=epsilon,
                         seed=seed)
    Q, steps = kata.dyna_q(ENVS[env_name](), episodes, n_planning, alpha, gamma, epsilon, seed)
    assert_equal(np.asarray(steps), np.asarray(want_steps), name="real steps per episode", call=call)
    assert_close(Q, want_Q, rtol=0, atol=1e-9,
                 name=("Q (vs a replay: real update, model update, then n_planning sampled updates, all drawing "
                       "from the one seeded rng)"), call=call)


@settings(max_examples=3)
@given(seed=seeds())
def test_same_seed_same_run(kata, seed):
    assert_seeded(lambda s: kata.dyna_q(ENVS["CliffWalking-limit40"](), 2, 5, 0.5, 0.95, 0.5, s), seed,
                  name="(Q, steps) of dyna_q on CliffWalking")


def test_rejects_negative_planning_steps(kata):
    with pytest.raises(ValueError):
        kata.dyna_q(ENVS["FrozenLake-4x4"](), 1, -1, 0.5, 0.9, 0.1, 0)


@pytest.mark.slow
@settings(max_examples=3)
@given(seed=seeds())
@example(seed=0)
def test_planning_needs_fewer_real_steps(kata, seed):
    """Sutton & Barto's Dyna maze effect on CliffWalking: episodes 2-20 take far fewer real steps with
    10 planning updates per step than without (the first episode is a random walk either way)."""
    args = dict(episodes=20, alpha=0.5, gamma=0.95, epsilon=0.1, seed=seed)
    _, without = kata.dyna_q(gym.make("CliffWalking-v1", max_episode_steps=2000), n_planning=0, **args)
    _, planned = kata.dyna_q(gym.make("CliffWalking-v1", max_episode_steps=2000), n_planning=10, **args)
    ratio = sum(planned[1:]) / sum(without[1:])
    assert ratio < 0.6, (
        f"dyna_q(CliffWalking-v1, 20 episodes, alpha=0.5, gamma=0.95, epsilon=0.1, seed={seed}): real steps in "
        f"episodes 2-20 with n_planning=10: {sum(planned[1:])}, with n_planning=0: {sum(without[1:])} "
        f"(ratio {ratio:.2f}, expected < 0.6: planning should propagate values without new real steps)")
