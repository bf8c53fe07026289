"""Tests for rl-04-2, a world model with latent dynamics and imagined rollouts.

References: the three losses recomputed from the model's own modules (and the stop-gradient on the
latent target checked by autograd); imagined rollouts replayed step by step in latent space;
discounted returns as explicit sums; and the measured effect: a world model trained on random
gymnasium Pendulum-v1 transitions predicts the rewards of 10-step open-loop action sequences, imagined
from the first observation alone, far better than the rewards' own spread.
"""
import gymnasium as gym
import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_seeded, call_unmodified, describe_call


def model_and_batch(kata, seed: int, B: int, obs_dim: int = 3, act_dim: int = 1):
    torch.manual_seed(seed)
    model = kata.WorldModel(obs_dim, act_dim)
    g = torch.Generator().manual_seed(seed)
    batch = [torch.randn(B, obs_dim, generator=g), torch.randn(B, act_dim, generator=g), torch.randn(B, generator=g),
             torch.randn(B, obs_dim, generator=g)]
    return model, batch


@given(seed=seeds(), B=st.integers(1, 8), w=st.tuples(*[st.sampled_from([1.0, 0.0, 0.5, 2.0])] * 3))
def test_loss_terms(kata, seed, B, w):
    model, (obs, act, rew, nxt) = model_and_batch(kata, seed, B)
    call = describe_call("world_model_loss", "model", obs, act, rew, nxt, w_recon=w[0], w_latent=w[1], w_reward=w[2])
    out = call_unmodified(kata.world_model_loss, model, obs, act, rew, nxt, w_recon=w[0], w_latent=w[1],
                          w_reward=w[2], fn_name="world_model_loss")
    with torch.no_grad():
        z = model.encode(obs)
        want = {"recon": ((model.decode(z) - obs) ** 2).mean(),
                "latent": ((model.step(z, act) - model.encode(nxt)) ** 2).mean(),
                "reward": ((model.reward(z, act) - rew) ** 2).mean()}
    want["loss"] = w[0] * want["recon"] + w[1] * want["latent"] + w[2] * want["reward"]
    for key, value in want.items():
        assert key in out, f"{call} returned keys {sorted(out)}; missing {key!r}"
        # float32 MLP outputs: 1e-5 relative.
        assert_close(out[key], value, rtol=1e-5, atol=1e-6, name=f"{key!r} (mean squared errors; weighted sum)",
                     call=call)


@given(seed=seeds(), B=st.integers(1, 6))
def test_latent_target_carries_no_gradient(kata, seed, B):
    """The next latent encode(next_obs) is a target: no gradient may flow into it."""
    model, (obs, act, rew, nxt) = model_and_batch(kata, seed, B)
    nxt = nxt.clone().requires_grad_(True)
    out = kata.world_model_loss(model, obs, act, rew, nxt)
    grad = torch.autograd.grad(out["loss"], nxt, allow_unused=True)[0]
    assert grad is None or torch.all(grad == 0), (
        "world_model_loss: gradient reached next_obs through the latent target; use model.encode(next_obs).detach()")


def policy_of(seed: int, latent_dim: int = 8, act_dim: int = 1):
    W = torch.randn(latent_dim, act_dim, generator=torch.Generator().manual_seed(seed)) * 0.3
    return lambda z: torch.tanh(z @ W) * 2


@given(seed=seeds(), B=st.integers(1, 5), horizon=st.integers(1, 8))
def test_imagine_replays_in_latent_space(kata, seed, B, horizon):
    model, (obs, *_rest) = model_and_batch(kata, seed, B)
    policy = policy_of(seed)
    call = describe_call("imagine", "model", obs, "policy", horizon)
    with torch.no_grad():
        latents, actions, rewards = call_unmodified(kata.imagine, model, obs, policy, horizon, fn_name="imagine")
        z = model.encode(obs)
        want_z, want_a, want_r = [z], [], []
        for _ in range(horizon):
            a = policy(z)
            want_r.append(model.reward(z, a))
            z = model.step(z, a)
            want_z.append(z)
            want_a.append(a)
    # The same float32 operations: 1e-6.
    assert_close(latents, torch.stack(want_z), rtol=1e-5, atol=1e-6,
                 name="latents (horizon + 1, B, latent_dim): z_0 = encode(obs0), z_t+1 = step(z_t, a_t), never decoded",
                 call=call)
    assert_close(actions, torch.stack(want_a), rtol=1e-5, atol=1e-6, name="actions a_t = policy(z_t)", call=call)
    assert_close(rewards, torch.stack(want_r), rtol=1e-5, atol=1e-6, name="rewards reward(z_t, a_t)", call=call)


def test_imagine_rejects_zero_horizon(kata):
    model, (obs, *_rest) = model_and_batch(kata, 0, 2)
    with pytest.raises(ValueError):
        kata.imagine(model, obs, policy_of(0), 0)


@given(H=st.integers(1, 10), B=st.integers(1, 4), gamma=st.sampled_from([0.0, 1.0, 0.99]) | st.floats(0, 1),
       seed=seeds())
def test_discounted_return(kata, H, B, gamma, seed):
    r = torch.randn(H, B, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    want = sum(gamma**t * r[t].numpy() for t in range(H))
    assert_close(kata.discounted_return(r, gamma), want, rtol=1e-10, atol=1e-10,
                 name="sum_t gamma^t r_t per column", call=describe_call("discounted_return", r, gamma))


def collect(seed: int, steps: int):
    env = gym.make("Pendulum-v1")
    rng = np.random.default_rng(seed)
    o, _ = env.reset(seed=seed)
    out = [[], [], [], []]
    for _ in range(steps):
        a = rng.uniform(-2, 2, size=1).astype(np.float32)
        n, r, term, trunc, _ = env.step(a)
        for lst, x in zip(out, (o, a, r, n), strict=True):
            lst.append(x)
        o = env.reset()[0] if term or trunc else n
    return np.array(out[0]), np.array(out[1]), np.array(out[2], dtype=np.float32), np.array(out[3])


@pytest.mark.slow
@settings(max_examples=1)
@given(seed=seeds())
def test_trained_model_imagines_real_rewards(kata, seed):
    """Imagined 10-step open-loop rewards vs the real ones from the same start and actions (20 starts):
    the median (over starts) mean squared error must be under 40% of the median variance of the real
    rewards within a rollout (a correct implementation measured 5-22%; the median ignores the odd start
    where open-loop errors compound)."""
    model = kata.train_world_model(*collect(seed, 1000), seed)
    env, rng = gym.make("Pendulum-v1"), np.random.default_rng(seed + 7)
    errs, spread = [], []
    for k in range(20):
        o, _ = env.reset(seed=seed + 100 + k)
        acts = rng.uniform(-2, 2, size=(10, 1)).astype(np.float32)
        real = [float(env.step(a)[1]) for a in acts]
        steps = iter(torch.as_tensor(acts)[:, None, :])
        with torch.no_grad():
            _, _, imagined = kata.imagine(model, torch.as_tensor(o)[None], lambda z, it=steps: next(it), 10)
        errs.append(float(((imagined[:, 0].numpy() - np.array(real)) ** 2).mean()))
        spread.append(float(np.var(real)))
    assert np.median(errs) < 0.4 * np.median(spread), (
        f"train_world_model(1000 random Pendulum transitions, seed={seed}): imagined 10-step rewards have median "
        f"squared error {np.median(errs):.3f}; the real rewards vary by {np.median(spread):.3f} (expected < 40% of it)")


@settings(max_examples=1)
@given(seed=seeds())
def test_training_is_seeded_and_uses_its_arguments(kata, seed):
    data = [x[:64] for x in collect(seed, 64)]
    run = lambda s, **kw: [p.detach().clone() for p in kata.train_world_model(*data, s, **kw).parameters()]
    assert_seeded(lambda s: run(s, steps=3), seed, name="world-model parameters")
    base = run(seed, steps=3)
    for kw in ({"steps": 4}, {"steps": 3, "lr": 1e-4}):
        other = run(seed, **kw)
        assert any(not torch.equal(x, y) for x, y in zip(base, other, strict=True)), (
            f"train_world_model gave identical parameters with {kw} and steps=3 (default lr): ignored?")


def reference_loss(model, o, a, r, n) -> torch.Tensor:
    z = model.encode(o)
    return (((model.decode(z) - o) ** 2).mean() + ((model.step(z, a) - model.encode(n).detach()) ** 2).mean()
            + ((model.reward(z, a) - r) ** 2).mean())


@settings(max_examples=10)
@given(seed=seeds(), steps=st.integers(0, 2), lr=st.sampled_from([1e-3, 3e-3]),
       dtype=st.sampled_from([np.float32, np.float64]))
@example(seed=0, steps=0, lr=3e-3, dtype=np.float32)
@example(seed=0, steps=1, lr=3e-3, dtype=np.float64)
def test_train_world_model_takes_exactly_the_documented_adam_steps(kata, seed, steps, lr, dtype):
    """Replays the docstring: seed, build, `steps` full-batch Adam(lr) steps on the default-weighted loss."""
    rng = np.random.default_rng(seed)
    data = [rng.normal(size=(12, 3)), rng.uniform(-2, 2, size=(12, 1)), rng.normal(size=12), rng.normal(size=(12, 3))]
    data = [x.astype(dtype) for x in data]
    call = describe_call("train_world_model", *data, seed, steps=steps, lr=lr)
    got = [p.detach() for p in call_unmodified(kata.train_world_model, *data, seed, steps=steps, lr=lr,
                                               fn_name="train_world_model").parameters()]
    torch.manual_seed(seed)
    model = kata.WorldModel(3, 1)
    tensors = [torch.tensor(np.asarray(x, dtype=np.float64), dtype=torch.float32) for x in data]
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    for _ in range(steps):
        loss = reference_loss(model, *tensors)
        opt.zero_grad()
        loss.backward()
        opt.step()
    want = [p.detach() for p in model.parameters()]
    assert len(got) == len(want), f"{call}: the model has {len(got)} parameter tensors, expected {len(want)}"
    diff = torch.cat([(g - w).flatten() for g, w in zip(got, want, strict=True)])
    # Each Adam step moves nearly every parameter by about lr, so one step too many or too few gives an RMS
    # difference near lr; float32 rounding of another loss formulation moves only the odd parameter.
    rms = float(diff.pow(2).mean().sqrt())
    assert rms < 0.1 * lr, (f"{call}: parameters differ from {steps} full-batch Adam(lr={lr}) step(s) on "
                            f"world_model_loss by RMS {rms:.2e} (one step moves them by ~{lr:g}): a step too many "
                            "or too few, another loss, or inputs not converted to float32?")
