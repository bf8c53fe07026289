"""Tests for rl-05-4, SMDP Q-learning over options.

References: one option run step by step on gymnasium's FrozenLake (discounted reward, duration,
termination); the SMDP update in closed form (bootstrap discounted by gamma**tau); and Q*_O, the
optimal option values of the semi-MDP, computed here by value iteration over a model built by running
every option from every state of the deterministic FrozenLake (setting env.unwrapped.s): SMDP
Q-learning with random exploration and alpha = 1 must reach it. With one-step options it is plain
Q-learning, so it reaches the ordinary Q*.
"""
import gymnasium as gym
import numpy as np
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import arrays, seeds
from grader.testing import assert_close, assert_equal, assert_seeded, describe_call


def options_of(kata, lengths: tuple[int, ...]) -> list:
    return [kata.repeat(a, k) for k in lengths for a in range(4)]


def smdp_model(kata, env, options: list, gamma: float):
    """(R, tau, s', terminated) of every (s, o), by running the option from s in the deterministic env."""
    n_s = env.observation_space.n
    model = {}
    for s in range(n_s):
        for o, opt in enumerate(options):
            env.reset(seed=0)
            env.unwrapped.s = s
            R, disc, t, cur = 0.0, 1.0, 0, s
            while True:
                cur, r, term, _trunc, _ = env.step(opt.action(cur, t))
                R += disc * r
                disc *= gamma
                t += 1
                if term or opt.stop(cur, t):
                    break
            model[s, o] = (R, t, int(cur), bool(term))
    return model


def q_star(model: dict, n_s: int, n_o: int, gamma: float, terminal: set) -> np.ndarray:
    Q = np.zeros((n_s, n_o))
    for _ in range(2000):
        new = np.zeros_like(Q)
        for (s, o), (R, tau, s2, term) in model.items():
            if s in terminal:
                continue
            new[s, o] = R + (0.0 if term else gamma**tau * Q[s2].max())
        if np.abs(new - Q).max() < 1e-13:
            return new
        Q = new
    return Q


@given(data=st.data(), n_s=st.integers(1, 6), n_o=st.integers(1, 4), R=st.floats(-2, 2), tau=st.integers(1, 5),
       terminated=st.booleans(), alpha=st.floats(0.0625, 1.0), gamma=st.floats(0.0, 1.0))
@example(data=None, n_s=3, n_o=2, R=0.5, tau=3, terminated=False, alpha=1.0, gamma=0.5)
def test_smdp_update(kata, data, n_s, n_o, R, tau, terminated, alpha, gamma):
    if data is None:
        Q, s, o, s2 = np.arange(6, dtype=np.float64).reshape(3, 2), 0, 1, 2
    else:
        Q = data.draw(arrays((n_s, n_o), -5.0, 5.0), label="Q")
        s, s2 = data.draw(st.integers(0, n_s - 1)), data.draw(st.integers(0, n_s - 1))
        o = data.draw(st.integers(0, n_o - 1))
    before = Q.copy()
    target = R if terminated else R + gamma**tau * before[s2].max()
    want = before.copy()
    want[s, o] += alpha * (target - before[s, o])
    call = describe_call("smdp_q_update", Q, s, o, R, s2, tau, terminated, alpha, gamma)
    delta = kata.smdp_q_update(Q, s, o, R, s2, tau, terminated, alpha, gamma)
    assert_close(Q, want, rtol=0, atol=1e-12, name="Q after the update (target R + gamma**tau max Q(s'))", call=call)
    assert_close(delta, target - before[s, o], rtol=0, atol=1e-12, name="TD error", call=call)


@given(start=st.integers(0, 15), action=st.integers(0, 3), k=st.integers(1, 5), gamma=st.sampled_from([0.5, 0.9, 1.0]))
@example(start=14, action=2, k=3, gamma=0.9)  # reaches the goal after one step: the option ends there
def test_run_option_on_frozen_lake(kata, start, action, k, gamma):
    env = gym.make("FrozenLake-v1", is_slippery=False)
    env.reset(seed=0)
    env.unwrapped.s = start
    ref = gym.make("FrozenLake-v1", is_slippery=False)
    ref.reset(seed=0)
    ref.unwrapped.s = start
    R, disc, t, cur, term = 0.0, 1.0, 0, start, False
    while True:
        cur, r, term, _trunc, _ = ref.step(action)
        R, disc, t = R + disc * r, disc * gamma, t + 1
        if term or t >= k:
            break
    call = describe_call("run_option", "FrozenLake 4x4", start, f"repeat({action}, {k})", gamma)
    got = kata.run_option(env, start, kata.repeat(action, k), gamma)
    assert_equal(np.array(got[:1] + got[2:4], dtype=float), np.array([cur, t, term], dtype=float),
                 name="(s_next, tau, terminated)", call=call)
    assert_close(got[1], R, rtol=0, atol=1e-12, name="discounted reward of the option sum_i gamma^i r_i", call=call)


@settings(max_examples=10)
@given(seed=seeds(), start=st.integers(0, 15), k=st.integers(1, 6), gamma=st.sampled_from([0.5, 0.9]))
@example(seed=0, start=4, k=4, gamma=0.9)
def test_run_option_follows_a_state_dependent_option(kata, seed, start, k, gamma):
    """An option whose action depends on the current state (a random table) and which also stops on
    landing in a state of a random set: action(s, t) must see the state the option is in."""
    rng = np.random.default_rng(seed)
    table, stop_at = rng.integers(4, size=16), set(rng.choice(16, size=3, replace=False).tolist())
    option = kata.Option(lambda s, t: int(table[s]), lambda s, t: t >= k or s in stop_at)
    ref = gym.make("FrozenLake-v1", is_slippery=False)
    ref.reset(seed=0)
    ref.unwrapped.s = start
    R, disc, t, cur, term = 0.0, 1.0, 0, start, False
    while True:
        cur, r, term, _trunc, _ = ref.step(int(table[cur]))
        R, disc, t = R + disc * r, disc * gamma, t + 1
        if term or t >= k or cur in stop_at:
            break
    env = gym.make("FrozenLake-v1", is_slippery=False)
    env.reset(seed=0)
    env.unwrapped.s = start
    call = describe_call("run_option", "FrozenLake 4x4", start, "option with action = table[s]", gamma)
    got = kata.run_option(env, start, option, gamma)
    assert_equal(np.array(got[:1] + got[2:4], dtype=float), np.array([cur, t, term], dtype=float),
                 name="(s_next, tau, terminated) (option.action(s, t) with s the state the option is in)", call=call)
    assert_close(got[1], R, rtol=0, atol=1e-12, name="discounted reward of the option sum_i gamma^i r_i", call=call)


def cliff_env() -> gym.Env:
    return gym.make("CliffWalking-v1", is_slippery=True, max_episode_steps=30)


def replay_smdp_q_learning(options: list, episodes: int, alpha: float, gamma: float, epsilon: float,
                           seed: int) -> np.ndarray:
    """The docstring's algorithm written out, drawing from the same seeded streams."""
    env, rng = cliff_env(), np.random.default_rng(seed)
    Q = np.zeros((env.observation_space.n, len(options)))
    for episode in range(episodes):
        s, _ = env.reset(seed=seed if episode == 0 else None)
        while True:
            if rng.random() < epsilon:
                o = int(rng.integers(len(options)))
            else:
                best = np.flatnonzero(Q[s] == Q[s].max())
                o = int(best[rng.integers(len(best))])
            R, disc, t, cur, opt = 0.0, 1.0, 0, int(s), options[o]
            while True:
                cur, r, term, trunc, _ = env.step(opt.action(cur, t))
                R, disc, t = R + disc * float(r), disc * gamma, t + 1
                if term or trunc or opt.stop(cur, t):
                    break
            target = R if term else R + gamma**t * Q[cur].max()
            Q[s, o] += alpha * (target - Q[s, o])
            if term or trunc:
                break
            s = cur
    return Q


@settings(max_examples=8)
@given(seed=seeds(), episodes=st.integers(1, 3), alpha=st.sampled_from([0.1, 0.5, 1.0]),
       gamma=st.sampled_from([0.5, 0.9]), epsilon=st.sampled_from([0.0, 0.3, 1.0]))
# With seed 0 one decision's rng.random() returns exactly 0.12428327649956394: not < epsilon, so greedy.
@example(seed=0, episodes=2, alpha=0.5, gamma=0.9, epsilon=0.12428327649956394)
def test_smdp_q_learning_replays_the_documented_stream(kata, seed, episodes, alpha, gamma, epsilon):
    """Slippery CliffWalking (a reward every step, 30-step episodes): the learned Q is replayed exactly
    from the docstring's random stream, so alpha, epsilon, the episode count and the greedy choice all show."""
    options = options_of(kata, (1, 2))
    want = replay_smdp_q_learning(options, episodes, alpha, gamma, epsilon, seed)
    call = describe_call("smdp_q_learning", "slippery CliffWalking (30-step episodes)", "8 options of lengths (1, 2)",
                         episodes, alpha, gamma, epsilon, seed)
    got = kata.smdp_q_learning(cliff_env(), options, episodes, alpha, gamma, epsilon, seed)
    assert_close(got, want, rtol=0, atol=1e-9,
                 name="Q (rng.random() < epsilon: rng.integers(n_options), else best[rng.integers(len(best))]; "
                      "env.reset(seed=seed) first, env.reset() after)", call=call)


@settings(max_examples=3)
@given(seed=seeds(), gamma=st.sampled_from([0.9, 0.95]), lengths=st.sampled_from([(1,), (1, 3), (2, 4)]))
@example(seed=0, gamma=0.9, lengths=(1, 3))
def test_learns_the_optimal_option_values(kata, seed, gamma, lengths):
    env = gym.make("FrozenLake-v1", is_slippery=False)
    options = options_of(kata, lengths)
    model = smdp_model(kata, gym.make("FrozenLake-v1", is_slippery=False), options, gamma)
    terminal = {5, 7, 11, 12, 15}
    want = q_star(model, 16, len(options), gamma, terminal)
    call = describe_call("smdp_q_learning", "FrozenLake 4x4", f"{len(options)} options of lengths {lengths}", 4000,
                         alpha=1.0, gamma=gamma, epsilon=1.0, seed=seed)
    Q = kata.smdp_q_learning(env, options, 4000, 1.0, gamma, 1.0, seed)
    reach, todo = {0}, [0]  # decision states: where an option can start, reachable from the start state
    while todo:
        s = todo.pop()
        for o in range(len(options)):
            _R, _tau, s2, term = model[s, o]
            if not term and s2 not in reach:
                reach.add(s2)
                todo.append(s2)
    rows = sorted(reach)
    assert_close(Q[rows], want[rows], rtol=0, atol=1e-9,
                 name=f"Q on the decision states {rows} (vs Q*_O by value iteration on the semi-MDP of the options)",
                 call=call)


@settings(max_examples=2)
@given(seed=seeds())
def test_same_seed_same_run(kata, seed):
    env = gym.make("FrozenLake-v1", is_slippery=True)
    assert_seeded(lambda s: kata.smdp_q_learning(env, options_of(kata, (1, 2)), 60, 0.5, 0.9, 0.3, s), seed,
                  name="Q after 60 episodes on slippery FrozenLake")
