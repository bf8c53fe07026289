"""Tests for rl-04-3, the conservative Q-learning (CQL) penalty.

References: the penalty's log-sum-exp definition via scipy.special.logsumexp in float64 (including
Q-values large enough to overflow a naive exp); its hand-derived gradient alpha (softmax(Q / tau) -
onehot(a)) / B against torch.autograd; its properties (never negative; alpha tau log n_actions when
all Q-values are equal); and the measured effect on an offline data set that never tries some
actions: without the penalty the greedy action is an untried one, with it, a tried one.
"""
import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.special import logsumexp, softmax

from grader.strategies import seeds, torch_float_dtypes
from grader.testing import assert_close, assert_dtype, call_unmodified, describe_call

TAUS = st.sampled_from([1.0, 0.5, 5.0]) | st.floats(0.1, 10.0)


def draw_q(seed: int, B: int, A: int, scale: float, dtype: torch.dtype) -> tuple[torch.Tensor, torch.Tensor]:
    g = torch.Generator().manual_seed(seed)
    q = (torch.randn(B, A, generator=g, dtype=torch.float64) * scale).to(dtype)
    return q, torch.randint(A, (B,), generator=g)


def penalty_ref(q: np.ndarray, a: np.ndarray, alpha: float, tau: float) -> float:
    return alpha * float(np.mean(tau * logsumexp(q / tau, axis=1) - q[np.arange(len(a)), a]))


@given(B=st.integers(1, 10), A=st.integers(1, 6), alpha=st.sampled_from([1.0, 0.0, 5.0]) | st.floats(0, 10),
       tau=TAUS, dtype=torch_float_dtypes(), seed=seeds(), scale=st.sampled_from([1.0, 10.0]))
@example(B=2, A=3, alpha=1.0, tau=1.0, dtype=torch.float32, seed=0, scale=1000.0)  # exp(1000) overflows
def test_penalty_matches_logsumexp(kata, B, A, alpha, tau, dtype, seed, scale):
    q, a = draw_q(seed, B, A, scale, dtype)
    q = q.requires_grad_(True)
    call = describe_call("cql_penalty", q, a, alpha, temperature=tau)
    got = call_unmodified(kata.cql_penalty, q, a, alpha, temperature=tau, fn_name="cql_penalty")
    assert_dtype(got, dtype, call=call)
    q64 = q.detach().double().numpy()
    tol = 1e-4 if dtype == torch.float32 else 1e-10
    assert_close(got, penalty_ref(q64, a.numpy(), alpha, tau), rtol=tol, atol=tol * max(1.0, scale),
                 name="alpha * mean(tau * logsumexp(Q / tau) - Q(s, a_data))", call=call)
    (grad,) = torch.autograd.grad(got, q)
    want = alpha * (softmax(q64 / tau, axis=1) - np.eye(A)[a.numpy()]) / B
    assert_close(grad, want, rtol=tol, atol=tol, name="d penalty / d Q (alpha (softmax(Q / tau) - onehot) / B)",
                 call=call)


@given(B=st.integers(1, 6), A=st.integers(1, 6), alpha=st.floats(0.5, 5), tau=TAUS, seed=seeds(),
       value=st.floats(-50, 50))
def test_penalty_properties(kata, B, A, alpha, tau, seed, value):
    q, a = draw_q(seed, B, A, 3.0, torch.float64)
    p = float(kata.cql_penalty(q, a, alpha, temperature=tau))
    assert p >= -1e-9, f"cql_penalty(...) = {p}: the soft maximum is at least the data action's Q, so it is >= 0"
    flat = torch.full((B, A), value, dtype=torch.float64)
    assert_close(kata.cql_penalty(flat, a, alpha, temperature=tau), alpha * tau * np.log(A), rtol=1e-9, atol=1e-9,
                 name="penalty when every Q-value is equal (alpha * tau * log n_actions)",
                 call=describe_call("cql_penalty", flat, a, alpha, temperature=tau))


@given(B=st.integers(1, 8), A=st.integers(2, 5), alpha=st.sampled_from([0.0, 1.0, 3.0]), seed=seeds(),
       tau=st.none() | TAUS)
@example(B=3, A=3, alpha=1.0, seed=0, tau=5.0)
def test_cql_loss(kata, B, A, alpha, seed, tau):
    q, a = draw_q(seed, B, A, 2.0, torch.float64)
    q = q.requires_grad_(True)
    targets = torch.randn(B, generator=torch.Generator().manual_seed(seed + 1), dtype=torch.float64)
    targets.requires_grad_(True)
    kw = {} if tau is None else {"temperature": tau}
    call = describe_call("cql_loss", q, a, targets, alpha, **kw)
    out = call_unmodified(kata.cql_loss, q, a, targets, alpha, fn_name="cql_loss", **kw)
    q64, a64 = q.detach().numpy(), a.numpy()
    td = float(np.mean((q64[np.arange(B), a64] - targets.detach().numpy()) ** 2))
    pen = penalty_ref(q64, a64, alpha, 1.0 if tau is None else tau)
    for key, value in {"td": td, "penalty": pen, "loss": td + pen}.items():
        assert key in out, f"{call} returned keys {sorted(out)}; missing {key!r}"
        assert_close(out[key], value, rtol=1e-10, atol=1e-10, name=f"{key!r} (td = mean((Q(s, a) - y)^2))", call=call)
    grad = torch.autograd.grad(out["loss"], targets, allow_unused=True)[0]
    assert grad is None or torch.all(grad == 0), f"{call}: gradient reached the TD targets; detach them"


@given(case=st.sampled_from(["alpha", "tau0", "tau_negative", "actions_shape", "q_1d", "targets_shape"]))
def test_rejects_bad_arguments(kata, case):
    q, a = torch.zeros(3, 2), torch.zeros(3, dtype=torch.long)
    with pytest.raises(ValueError):
        if case == "alpha":
            kata.cql_penalty(q, a, -1.0)
        elif case == "tau0":
            kata.cql_penalty(q, a, 1.0, temperature=0.0)
        elif case == "tau_negative":
            kata.cql_penalty(q, a, 1.0, temperature=-1.0)
        elif case == "actions_shape":
            kata.cql_penalty(q, torch.zeros(2, dtype=torch.long), 1.0)
        elif case == "q_1d":
            kata.cql_penalty(torch.zeros(3), a, 1.0)
        else:
            kata.cql_loss(q, a, torch.zeros(2), 1.0)


@settings(max_examples=3)
@given(seed=seeds(), n_states=st.integers(1, 5))
def test_penalty_keeps_untried_actions_down(kata, seed, n_states):
    """Offline one-step (bandit) data covering only actions 0 and 1 of 4, with an optimistic
    initialisation of Q. Minimising the TD loss alone never touches actions 2 and 3, whose initial
    values stay the largest; with the CQL penalty (alpha = 1) the greedy action becomes a tried one."""
    rng = np.random.default_rng(seed)
    S, A, N = n_states, 4, 200
    states = rng.integers(S, size=N)
    actions = rng.integers(2, size=N)
    rewards = rng.normal(0, 1, size=(S, 2))[states, actions] + rng.normal(0, 0.1, size=N)
    results = {}
    for alpha in (0.0, 1.0):
        Q = torch.tensor(rng.normal(5.0, 1.0, size=(S, A)) if alpha == 0 else results["init"], requires_grad=True)
        results.setdefault("init", Q.detach().numpy().copy())
        opt = torch.optim.Adam([Q], lr=0.1)
        s_t, a_t, r_t = torch.as_tensor(states), torch.as_tensor(actions), torch.as_tensor(rewards)
        for _ in range(200):
            out = kata.cql_loss(Q[s_t], a_t, r_t, alpha)
            opt.zero_grad()
            out["loss"].backward()
            opt.step()
        results[alpha] = Q.detach().numpy().argmax(1)
    assert np.all(results[0.0] >= 2), f"sanity: without the penalty the untried actions should win, got {results[0.0]}"
    assert np.all(results[1.0] <= 1), (
        f"after offline training with cql_loss(alpha=1), the greedy actions per state are {results[1.0].tolist()}; "
        "expected only actions tried in the data (0 or 1): the penalty should push untried actions down")
