"""Tests for rl-02-1, a replay buffer.

References: every stored transition is tagged with its insertion number, so the buffer's contents
are checked exactly (the last `capacity` transitions, fields kept together); sampling frequencies
against the uniform distribution (chi-square test); the no-duplicates promise; copies, dtypes,
errors and seeding; and transitions collected from gymnasium's CartPole.
"""
import gymnasium as gym
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.stats import chi2

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, assert_seeded

KEYS = ("obs", "actions", "rewards", "next_obs", "terminated")
DTYPES = {"obs": np.float32, "actions": np.int64, "rewards": np.float32, "next_obs": np.float32,
          "terminated": np.bool_}


def transition(i: int, obs_dim: int) -> tuple[np.ndarray, int, float, np.ndarray, bool]:
    """Transition number i: its reward is i, every other field is a function of i."""
    obs = (i + 0.5 * np.arange(obs_dim)).astype(np.float32)
    return obs, i % 7, float(i), obs + 1000, i % 3 == 0


def filled(kata, capacity: int, obs_dim: int, n_add: int, seed: int):
    buf = kata.ReplayBuffer(capacity, obs_dim, seed)
    for i in range(n_add):
        buf.add(*transition(i, obs_dim))
    return buf


def check_rows(batch: dict, obs_dim: int, call: str) -> np.ndarray:
    """Each row's fields belong to one transition; returns the transition numbers of the rows."""
    assert set(KEYS) <= set(batch), f"{call} returned keys {sorted(batch)}, expected {list(KEYS)}"
    ids = np.asarray(batch["rewards"]).astype(np.int64)
    n = len(ids)
    want = [transition(int(i), obs_dim) for i in ids]
    assert_close(batch["obs"], np.array([w[0] for w in want]).reshape(n, obs_dim), rtol=0, atol=0,
                 name="obs (rows must stay together: obs[j] belongs to the same transition as rewards[j])", call=call)
    assert_equal(batch["actions"], np.array([w[1] for w in want], dtype=np.int64), name="actions", call=call)
    assert_close(batch["next_obs"], np.array([w[3] for w in want]).reshape(n, obs_dim), rtol=0, atol=0,
                 name="next_obs", call=call)
    assert_equal(batch["terminated"], np.array([w[4] for w in want]), name="terminated", call=call)
    return ids


@given(capacity=st.integers(1, 8), obs_dim=st.integers(1, 4), n_add=st.integers(0, 30), seed=seeds())
@example(capacity=4, obs_dim=2, n_add=4, seed=0)  # exactly full
@example(capacity=4, obs_dim=2, n_add=5, seed=0)  # one past full: transition 0 is gone
@example(capacity=1, obs_dim=1, n_add=3, seed=0)
def test_keeps_the_last_capacity_transitions(kata, capacity, obs_dim, n_add, seed):
    buf = filled(kata, capacity, obs_dim, n_add, seed)
    call = f"ReplayBuffer({capacity}, {obs_dim}, seed) after {n_add} adds"
    assert_equal(len(buf), min(n_add, capacity), name="len(buffer)", call=call)
    if n_add == 0:
        return
    batch = buf.sample(len(buf))
    ids = check_rows(batch, obs_dim, f"{call}: sample({len(buf)})")
    want = list(range(max(0, n_add - capacity), n_add))
    assert sorted(ids.tolist()) == want, (
        f"{call}: sample(len(buffer)) without replacement returned transitions {sorted(ids.tolist())}; expected "
        f"exactly the last {len(want)} added, {want} (when full, each add overwrites the oldest)")


@settings(max_examples=10)
@given(capacity=st.integers(2, 8), n_add=st.integers(2, 20), batch_frac=st.floats(0.0, 1.0), replace=st.booleans(),
       seed=seeds())
@example(capacity=8, n_add=8, batch_frac=0.5, replace=False, seed=0)
@example(capacity=5, n_add=12, batch_frac=0.0, replace=True, seed=0)
def test_sampling_is_uniform_over_stored_transitions(kata, capacity, n_add, batch_frac, replace, seed):
    buf = filled(kata, capacity, 1, n_add, seed)
    size = len(buf)
    k = max(1, int(batch_frac * size))
    counts = {}
    draws = max(300, 3000 // k)
    for _ in range(draws):
        ids = buf.sample(k, replace=replace)["rewards"].astype(int)
        for i in ids:
            counts[int(i)] = counts.get(int(i), 0) + 1
    stored = list(range(max(0, n_add - capacity), n_add))
    assert set(counts) <= set(stored), f"sample returned transitions {sorted(set(counts) - set(stored))} not stored"
    observed = np.array([counts.get(i, 0) for i in stored], dtype=float)
    e = observed.sum() / size
    stat = float(((observed - e) ** 2 / e).sum())
    # Inclusion counts without replacement vary less than multinomial ones: the test is conservative.
    assert stat < chi2.ppf(1 - 1e-6, df=size - 1), (
        f"ReplayBuffer({capacity}) with {size} stored: sample({k}, replace={replace}) x {draws}: inclusion counts "
        f"{observed.astype(int).tolist()} for transitions {stored}; expected about {e:.0f} each. chi-square {stat:.1f}")


@given(capacity=st.integers(1, 10), n_add=st.integers(1, 25), seed=seeds(), data=st.data())
@example(capacity=3, n_add=3, seed=0, data=None)
def test_no_duplicates_without_replacement(kata, capacity, n_add, seed, data):
    buf = filled(kata, capacity, 2, n_add, seed)
    k = len(buf) if data is None else data.draw(st.integers(1, len(buf)), label="batch_size")
    for _ in range(20):
        ids = check_rows(buf.sample(k), 2, f"sample({k})")
        assert len(set(ids.tolist())) == k, f"sample({k}) (replace=False by default) returned duplicates: {ids.tolist()}"


@given(seed=seeds(), k=st.integers(4, 12))
def test_with_replacement_allows_batches_larger_than_the_buffer(kata, seed, k):
    buf = filled(kata, 5, 2, 3, seed)
    batch = buf.sample(k, replace=True)
    ids = check_rows(batch, 2, f"sample({k}, replace=True) from 3 stored")
    assert len(ids) == k and set(ids.tolist()) <= {0, 1, 2}, f"got transitions {ids.tolist()}, expected {k} of 0..2"


@given(obs_dim=st.integers(1, 4), seed=seeds())
def test_batch_dtypes_shapes_and_copies(kata, obs_dim, seed):
    buf = kata.ReplayBuffer(4, obs_dim, seed)
    obs, a, r, nxt, term = transition(7, obs_dim)
    obs64 = obs.astype(np.float64)
    buf.add(obs64, a, r, nxt, term)
    obs64 += 99.0  # the caller reuses its array: the buffer must have stored a copy
    batch = buf.sample(1)
    for key in KEYS:
        got = np.asarray(batch[key])
        assert got.dtype == DTYPES[key], f"sample(1)[{key!r}] has dtype {got.dtype}, expected {np.dtype(DTYPES[key])}"
    assert batch["obs"].shape == (1, obs_dim) and batch["next_obs"].shape == (1, obs_dim), (
        f"obs/next_obs shapes {batch['obs'].shape}/{batch['next_obs'].shape}, expected (1, {obs_dim})")
    for key in ("actions", "rewards", "terminated"):
        assert batch[key].shape == (1,), f"sample(1)[{key!r}] has shape {batch[key].shape}, expected (1,)"
    check_rows(batch, obs_dim, "sample(1) after the caller changed its obs array")
    for key in KEYS:  # scribble on the batch: the buffer must not change
        batch[key][...] = 0
    check_rows(buf.sample(1), obs_dim, "sample(1) after the caller overwrote a previous batch (return copies)")


@settings(max_examples=5)
@given(seed=seeds())
def test_same_seed_same_samples(kata, seed):
    def run(s: int) -> list:
        buf = filled(kata, 16, 2, 16, s)
        return [buf.sample(4)["rewards"] for _ in range(5)]
    assert_seeded(run, seed, name="sampled batches")


@given(case=st.sampled_from(["capacity0", "empty", "too_big", "batch0"]))
def test_rejects_bad_arguments(kata, case):
    with pytest.raises(ValueError):
        if case == "capacity0":
            kata.ReplayBuffer(0, 2, 0)
        elif case == "empty":
            kata.ReplayBuffer(4, 2, 0).sample(1, replace=True)
        elif case == "too_big":
            filled(kata, 4, 2, 3, 0).sample(4)
        else:
            filled(kata, 4, 2, 3, 0).sample(0)


@settings(max_examples=5)
@given(seed=seeds(), capacity=st.integers(5, 60))
def test_holds_cartpole_transitions(kata, seed, capacity):
    """Random-action CartPole rollouts go in; what comes out is exactly the last `capacity` of them."""
    env = gym.make("CartPole-v1")
    rng = np.random.default_rng(seed)
    buf = kata.ReplayBuffer(capacity, 4, seed)
    seen = []
    obs, _ = env.reset(seed=seed)
    for _ in range(80):
        a = int(rng.integers(2))
        nxt, r, term, trunc, _ = env.step(a)
        buf.add(obs, a, r, nxt, term)
        seen.append((obs.copy(), a, float(r), nxt.copy(), bool(term)))
        obs = env.reset()[0] if term or trunc else nxt
    batch = buf.sample(len(buf))
    got = sorted(zip(batch["obs"].tolist(), batch["actions"].tolist(), batch["next_obs"].tolist(),
                     batch["terminated"].tolist(), strict=True))
    want = sorted((o.tolist(), a, n.tolist(), t) for o, a, _r, n, t in seen[-capacity:])
    assert got == want, f"ReplayBuffer({capacity}) after 80 CartPole steps does not hold the last {capacity} transitions"
