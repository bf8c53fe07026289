"""Tests for rl-04-4, off-policy evaluation: importance sampling, weighted IS, doubly robust.

References: each estimator in closed form on drawn episodes (the doubly robust one in its explicit,
non-recursive form sum_t gamma^t [rho_0:t (r_t - Q(s_t, a_t)) + rho_0:t-1 V(s_t)]); and, on small
random MDPs whose true value of the target policy is computed exactly (linear solve), simulation:
IS and DR (with any Q-hat) are unbiased, WIS equals the on-policy mean when the policies agree and
stays within the range of the returns, and DR with the true Q has lower variance than IS.
"""
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, call_unmodified, describe_call


def tiny_mdp(seed: int, n_s: int, n_a: int) -> dict:
    rng = np.random.default_rng(seed)
    return {"P": rng.dirichlet(np.ones(n_s), size=(n_s, n_a)), "R": rng.uniform(-1, 2, size=(n_s, n_a)),
            "term": rng.uniform(0.3, 0.6, size=(n_s, n_a)), "rho": rng.dirichlet(np.ones(n_s)),
            "pi_e": rng.dirichlet(np.ones(n_a), size=n_s),
            "pi_b": 0.5 * rng.dirichlet(np.ones(n_a), size=n_s) + 0.5 / n_a}


def exact(m: dict, gamma: float) -> tuple[float, np.ndarray]:
    """J(pi_e) = rho . V and Q^pi_e, from (I - gamma P_pi) V = r_pi."""
    cont = m["P"] * (1 - m["term"])[..., None]
    P_pi = np.einsum("sa,sat->st", m["pi_e"], cont)
    V = np.linalg.solve(np.eye(len(m["rho"])) - gamma * P_pi, (m["pi_e"] * m["R"]).sum(1))
    Q = m["R"] + gamma * cont @ V
    return float(m["rho"] @ V), Q


def episodes_of(m: dict, n: int, rng: np.random.Generator, pi: np.ndarray) -> list[dict]:
    """n episodes of pi (inverse-CDF sampling from one stream of uniforms, for speed)."""
    c_rho, c_pi, c_P = np.cumsum(m["rho"]), np.cumsum(pi, axis=1), np.cumsum(m["P"], axis=2)
    u = iter(rng.random(n * 200).tolist())
    last = len(m["rho"]) - 1
    out = []
    for _ in range(n):
        s = min(int(np.searchsorted(c_rho, next(u), side="right")), last)
        S, A, R = [], [], []
        for _ in range(60):
            a = min(int(np.searchsorted(c_pi[s], next(u), side="right")), pi.shape[1] - 1)
            S.append(s)
            A.append(a)
            R.append(m["R"][s, a])
            if next(u) < m["term"][s, a]:
                break
            s = min(int(np.searchsorted(c_P[s, a], next(u), side="right")), last)
        out.append({"states": np.array(S), "actions": np.array(A), "rewards": np.array(R)})
    return out


def closed_forms(eps: list[dict], pi_e: np.ndarray, pi_b: np.ndarray, gamma: float, q: np.ndarray) -> dict:
    v = (pi_e * q).sum(1)
    ws, gs, drs = [], [], []
    for ep in eps:
        s, a, r = ep["states"], ep["actions"], ep["rewards"]
        cum = np.cumprod(pi_e[s, a] / pi_b[s, a])
        prev = np.concatenate([[1.0], cum[:-1]])
        disc = gamma ** np.arange(len(r))
        ws.append(cum[-1])
        gs.append((disc * r).sum())
        drs.append((disc * (cum * (r - q[s, a]) + prev * v[s])).sum())
    ws, gs = np.array(ws), np.array(gs)
    return {"is": float((ws * gs).mean()), "wis": float((ws * gs).sum() / ws.sum()), "dr": float(np.mean(drs))}


@given(seed=seeds(), n_s=st.integers(1, 4), n_a=st.integers(1, 3), n=st.integers(1, 8),
       gamma=st.sampled_from([1.0, 0.9, 0.0]) | st.floats(0, 1))
def test_closed_forms(kata, seed, n_s, n_a, n, gamma):
    m = tiny_mdp(seed, n_s, n_a)
    rng = np.random.default_rng(seed)
    eps = episodes_of(m, n, rng, m["pi_b"])
    q = rng.normal(0, 2, size=(n_s, n_a))
    want = closed_forms(eps, m["pi_e"], m["pi_b"], gamma, q)
    args = (eps, m["pi_e"], m["pi_b"], gamma)
    got = {"is": call_unmodified(kata.is_estimate, *args, fn_name="is_estimate"),
           "wis": call_unmodified(kata.wis_estimate, *args, fn_name="wis_estimate"),
           "dr": call_unmodified(kata.dr_estimate, *args, q, fn_name="dr_estimate")}
    names = {"is": "IS: mean_i rho_i G_i (rho_i = product of the episode's ratios)",
             "wis": "WIS: sum_i rho_i G_i / sum_i rho_i",
             "dr": "DR (vs the explicit sum_t gamma^t [rho_0:t (r_t - Q(s_t, a_t)) + rho_0:t-1 V(s_t)])"}
    for key in want:
        assert_close(got[key], want[key], rtol=1e-9, atol=1e-9, name=names[key],
                     call=describe_call(f"{key}_estimate", f"{n} episodes", "pi_e", "pi_b", gamma))


def batch_estimates(kata, m: dict, gamma: float, q: np.ndarray, seed: int, batches: int = 30, per: int = 80) -> dict:
    rng = np.random.default_rng(seed)
    out = {"is": [], "dr": []}
    for _ in range(batches):
        eps = episodes_of(m, per, rng, m["pi_b"])
        out["is"].append(kata.is_estimate(eps, m["pi_e"], m["pi_b"], gamma))
        out["dr"].append(kata.dr_estimate(eps, m["pi_e"], m["pi_b"], gamma, q))
    return {k: np.array(v) for k, v in out.items()}


@settings(max_examples=3)
@given(seed=seeds(), n_s=st.integers(1, 3), gamma=st.sampled_from([0.9, 1.0, 0.5]), q_kind=st.sampled_from(["random", "zero"]))
@example(seed=0, n_s=2, gamma=0.9, q_kind="random")
def test_is_and_dr_are_unbiased(kata, seed, n_s, gamma, q_kind):
    m = tiny_mdp(seed, n_s, 2)
    J, _ = exact(m, gamma)
    q = np.random.default_rng(seed + 5).normal(0, 3, size=(n_s, 2)) if q_kind == "random" else np.zeros((n_s, 2))
    est = batch_estimates(kata, m, gamma, q, seed)
    for key, vals in est.items():
        se = vals.std(ddof=1) / np.sqrt(len(vals))
        assert abs(vals.mean() - J) < 5 * se + 1e-3, (
            f"{key}_estimate over 30 batches of 80 episodes ({n_s} states, gamma={gamma}, {q_kind} Q-hat): mean "
            f"{vals.mean():.4f}, true value of the target policy {J:.4f} (linear solve), standard error {se:.4f}: biased")


@settings(max_examples=3)
@given(seed=seeds(), n_s=st.integers(1, 3))
@example(seed=0, n_s=2)
def test_dr_with_the_true_q_has_lower_variance(kata, seed, n_s):
    m = tiny_mdp(seed, n_s, 2)
    _, Q = exact(m, 0.9)
    est = batch_estimates(kata, m, 0.9, Q, seed)
    assert est["dr"].var() < est["is"].var(), (
        f"variance over batches: DR with the exact Q {est['dr'].var():.4g}, IS {est['is'].var():.4g}; the control "
        "variate should reduce it")


@given(seed=seeds(), n_s=st.integers(1, 4), n=st.integers(1, 10), gamma=st.floats(0, 1))
def test_wis_on_policy_and_bounded(kata, seed, n_s, n, gamma):
    m = tiny_mdp(seed, n_s, 2)
    rng = np.random.default_rng(seed)
    on = episodes_of(m, n, rng, m["pi_e"])
    returns = [float((gamma ** np.arange(len(e["rewards"])) * e["rewards"]).sum()) for e in on]
    got = kata.wis_estimate(on, m["pi_e"], m["pi_e"], gamma)
    assert_close(got, np.mean(returns), rtol=1e-9, atol=1e-9, name="WIS with pi_e == pi_b (the on-policy mean return)",
                 call="wis_estimate(episodes, pi, pi, gamma)")
    off = episodes_of(m, n, rng, m["pi_b"])
    g_off = [float((gamma ** np.arange(len(e["rewards"])) * e["rewards"]).sum()) for e in off]
    w = kata.wis_estimate(off, m["pi_e"], m["pi_b"], gamma)
    assert min(g_off) - 1e-9 <= w <= max(g_off) + 1e-9, f"WIS {w} outside the range of the returns [{min(g_off)}, {max(g_off)}]"


@given(seed=seeds(), n_s=st.integers(1, 4), n=st.integers(1, 6), gamma=st.floats(0, 1))
def test_wis_is_zero_when_every_weight_is_zero(kata, seed, n_s, n, gamma):
    """The behaviour policy always takes action 0, which the target policy never takes: every episode's
    weight is 0, and the docstring fixes WIS at 0.0 (not 0 / 0)."""
    m = tiny_mdp(seed, n_s, 2)
    pi_b, pi_e = np.tile([1.0, 0.0], (n_s, 1)), np.tile([0.0, 1.0], (n_s, 1))
    eps = episodes_of(m, n, np.random.default_rng(seed), pi_b)
    got = kata.wis_estimate(eps, pi_e, pi_b, gamma)
    assert got == 0.0, (f"wis_estimate({n} episodes whose every weight is 0, gamma={gamma}) returned {got}; "
                        "the docstring promises 0.0 when every weight is 0")


@given(case=st.sampled_from(["zero_behaviour", "row_sum", "negative"]))
def test_rejects_bad_policies(kata, case):
    ep = [{"states": np.array([0, 1]), "actions": np.array([1, 0]), "rewards": np.array([1.0, 0.0])}]
    pi_e = np.array([[0.5, 0.5], [0.5, 0.5]])
    pi_b = {"zero_behaviour": np.array([[1.0, 0.0], [0.5, 0.5]]), "row_sum": np.array([[0.5, 0.4], [0.5, 0.5]]),
            "negative": np.array([[1.5, -0.5], [0.5, 0.5]])}[case]
    for fn in (lambda: kata.is_estimate(ep, pi_e, pi_b, 0.9), lambda: kata.wis_estimate(ep, pi_e, pi_b, 0.9),
               lambda: kata.dr_estimate(ep, pi_e, pi_b, 0.9, np.zeros((2, 2)))):
        with pytest.raises(ValueError):
            fn()


@given(seed=seeds(), n_s=st.integers(1, 4), n_a=st.integers(1, 3), gamma=st.floats(0, 1))
def test_step_ratios_and_discounted_return(kata, seed, n_s, n_a, gamma):
    m = tiny_mdp(seed, n_s, n_a)
    (ep,) = episodes_of(m, 1, np.random.default_rng(seed), m["pi_b"])
    s, a, r = ep["states"], ep["actions"], ep["rewards"]
    call = describe_call("step_ratios", "episode", m["pi_e"], m["pi_b"])
    got = call_unmodified(kata.step_ratios, ep, m["pi_e"], m["pi_b"], fn_name="step_ratios")
    assert_close(got, m["pi_e"][s, a] / m["pi_b"][s, a], rtol=1e-12, atol=0, name="pi_e(a_t|s_t) / pi_b(a_t|s_t)",
                 call=call)
    assert_close(kata.discounted_return(r, gamma), sum(gamma**t * x for t, x in enumerate(r)), rtol=1e-12, atol=1e-12,
                 name="sum_t gamma^t r_t", call=describe_call("discounted_return", r, gamma))
