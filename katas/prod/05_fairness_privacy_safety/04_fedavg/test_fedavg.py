"""Tests for prod-05-4, federated averaging.

References: centralized full-batch gradient descent on the pooled data with torch.optim.SGD (FedAvg
with one local full-batch step and size weights equals it exactly, for any split of the data);
local training rebuilt with torch.optim.SGD loops; weighted averages by hand.
"""
import copy

import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch import nn

from grader.strategies import seeds
from grader.testing import assert_close, assert_seeded, describe_call

pytestmark = pytest.mark.slow     # trains small models for many steps: the 10 s budget


def make_model(seed: int, d: int, hidden: int) -> nn.Module:
    torch.manual_seed(seed)
    return nn.Sequential(nn.Linear(d, hidden), nn.Tanh(), nn.Linear(hidden, 1)).double()


def make_clients(seed: int, sizes: list[int], d: int) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """Clients with their own input shift (not identically distributed), so a wrong weighting shows."""
    g = torch.Generator().manual_seed(seed)
    out = []
    for k, n in enumerate(sizes):
        x = torch.randn(n, d, generator=g, dtype=torch.float64) + k
        out.append((x, torch.sin(x.sum(dim=1, keepdim=True)) + 0.1 * k))
    return out


def central_steps(model: nn.Module, x: torch.Tensor, y: torch.Tensor, lr: float, steps: int) -> dict:
    model = copy.deepcopy(model)
    opt = torch.optim.SGD(model.parameters(), lr=lr)
    for _ in range(steps):
        opt.zero_grad()
        nn.functional.mse_loss(model(x), y).backward()
        opt.step()
    return model.state_dict()


def snapshot(model: nn.Module) -> dict:
    return {k: v.clone() for k, v in model.state_dict().items()}


SIZES = st.lists(st.integers(1, 12), min_size=1, max_size=4)


@given(seed=seeds(), sizes=SIZES, d=st.integers(1, 3), lr=st.sampled_from([0.05, 0.5]))
@example(seed=0, sizes=[1, 12], d=1, lr=0.5)
@example(seed=1, sizes=[5], d=2, lr=0.05)                 # one client is centralized training
def test_one_full_batch_step_equals_centralized_gradient_descent(kata, seed, sizes, d, lr):
    model = make_model(seed, d, 4)
    clients = make_clients(seed, sizes, d)
    before = snapshot(model)
    call = describe_call("fedavg_round", model, f"{len(sizes)} clients of sizes {sizes}", nn.functional.mse_loss, lr, 1)
    got = kata.fedavg_round(model, clients, nn.functional.mse_loss, lr, 1)
    x, y = torch.cat([c[0] for c in clients]), torch.cat([c[1] for c in clients])
    want = central_steps(model, x, y, lr, 1)
    for name in want:
        # mean of client gradients weighted by n_k / n = gradient of the pooled mean loss, up to float64 rounding
        assert_close(got[name], want[name], rtol=1e-10, atol=1e-12, name=f"global {name} after one round", call=call)
    for name, v in model.state_dict().items():
        assert torch.equal(v, before[name]), f"{call} changed the global model's {name} in place"


@given(seed=seeds(), d=st.integers(1, 3))
def test_several_local_steps_are_not_centralized_training(kata, seed, d):
    """With local_steps = 3 each client drifts towards its own optimum: FedAvg is no longer central GD."""
    model = make_model(seed, d, 4)
    clients = make_clients(seed, [6, 6], d)
    got = kata.fedavg_round(model, clients, nn.functional.mse_loss, 0.5, 3)
    x, y = torch.cat([c[0] for c in clients]), torch.cat([c[1] for c in clients])
    want = central_steps(model, x, y, 0.5, 3)
    gap = max(float((got[k] - want[k]).abs().max()) for k in want)
    assert gap > 1e-6, ("fedavg_round(..., local_steps=3) equals 3 steps of centralized gradient descent "
                        f"(largest difference {gap:.2g}): are the local steps taken on each client?")
    local = [kata.client_update(model, cx, cy, nn.functional.mse_loss, 0.5, 3) for cx, cy in clients]
    avg = {k: (local[0][k] + local[1][k]) / 2 for k in want}
    for k in want:
        assert_close(got[k], avg[k], rtol=1e-10, atol=1e-12, name=f"global {k} (mean of two equal-size clients)",
                     call=describe_call("fedavg_round", model, "2 clients of 6", nn.functional.mse_loss, 0.5, 3))


@given(seed=seeds(), n=st.integers(1, 10), steps=st.integers(1, 4), lr=st.sampled_from([0.01, 0.3]))
def test_client_update_is_local_gradient_descent(kata, seed, n, steps, lr):
    model = make_model(seed, 2, 3)
    (x, y), = make_clients(seed, [n], 2)
    before = snapshot(model)
    call = describe_call("client_update", model, x, y, nn.functional.mse_loss, lr, steps)
    got = kata.client_update(model, x, y, nn.functional.mse_loss, lr, steps)
    want = central_steps(model, x, y, lr, steps)
    for name in want:
        assert_close(got[name], want[name], rtol=1e-10, atol=1e-12, name=f"local {name}", call=call)
    for name, v in model.state_dict().items():
        assert torch.equal(v, before[name]), f"{call} changed the global model's {name} in place"
    got[name].add_(1.0)
    assert torch.equal(model.state_dict()[name], before[name]), f"{call} returned tensors that share the model's memory"


@given(seed=seeds(), batch_size=st.integers(1, 4), steps=st.integers(1, 3))
def test_client_update_minibatches_follow_the_generator(kata, seed, batch_size, steps):
    model = make_model(seed, 2, 3)
    (x, y), = make_clients(seed, [7], 2)
    got = kata.client_update(model, x, y, nn.functional.mse_loss, 0.2, steps, batch_size=batch_size,
                             generator=torch.Generator().manual_seed(seed))
    local, g = copy.deepcopy(model), torch.Generator().manual_seed(seed)
    opt = torch.optim.SGD(local.parameters(), lr=0.2)
    for _ in range(steps):
        idx = torch.randperm(7, generator=g)[:batch_size]
        opt.zero_grad()
        nn.functional.mse_loss(local(x[idx]), y[idx]).backward()
        opt.step()
    for name, want in local.state_dict().items():
        assert_close(got[name], want, rtol=1e-10, atol=1e-12, name=f"local {name} after minibatch steps",
                     call=describe_call("client_update", model, x, y, nn.functional.mse_loss, 0.2, steps,
                                        batch_size=batch_size))


@given(seed=seeds())
def test_minibatch_round_is_seeded(kata, seed):
    model = make_model(3, 2, 3)
    clients = make_clients(4, [9, 9], 2)
    assert_seeded(lambda s: kata.fedavg_round(model, clients, nn.functional.mse_loss, 0.3, 2, batch_size=2,
                                              generator=torch.Generator().manual_seed(s)), seed, name="global state")


@given(seed=seeds(), k=st.integers(1, 4), dtype=st.sampled_from([torch.float32, torch.float64]))
@example(seed=0, k=2, dtype=torch.float64)
def test_average_states(kata, seed, k, dtype):
    g = torch.Generator().manual_seed(seed)
    states = [{"w": torch.randn(2, 3, generator=g).to(dtype), "b": torch.randn(3, generator=g).to(dtype)}
              for _ in range(k)]
    weights = (torch.rand(k, generator=g) * 5).tolist()
    weights[0] = 0.0 if k > 1 else 1.0                     # a zero weight drops a state
    call = describe_call("average_states", f"{k} states", weights)
    got = kata.average_states(states, weights)
    total = sum(weights)
    for name in ("w", "b"):
        want = sum(w / total * s[name].double() for w, s in zip(weights, states, strict=True))
        assert got[name].dtype == dtype, f"{call} returned {name} as {got[name].dtype}, expected {dtype}"
        tol = 1e-6 if dtype == torch.float32 else 1e-12
        assert_close(got[name], want, rtol=tol, atol=tol, name=f"average of {name!r}", call=call)
    scaled = kata.average_states(states, [3 * w for w in weights])
    assert_close(scaled["w"], got["w"], rtol=1e-6, atol=1e-7, name="average with every weight tripled", call=call)


def test_rejects_bad_arguments(kata):
    model = make_model(0, 2, 3)
    (x, y), = make_clients(0, [4], 2)
    s = {"w": torch.zeros(2)}
    mse = nn.functional.mse_loss
    cases = [(lambda: kata.client_update(model, x, y, mse, 0.1, 0), "client_update with local_steps=0"),
             (lambda: kata.client_update(model, x, y, mse, 0.0, 1), "client_update with lr=0"),
             (lambda: kata.client_update(model, x, y, mse, 0.1, 1, batch_size=0,
                                         generator=torch.Generator()), "client_update with batch_size=0"),
             (lambda: kata.client_update(model, x, y, mse, 0.1, 1, batch_size=2), "client_update with no generator"),
             (lambda: kata.fedavg_round(model, [(x, y)], mse, 0.1, 0), "fedavg_round with local_steps=0"),
             (lambda: kata.average_states([], []), "average_states of nothing"),
             (lambda: kata.average_states([s, s], [1.0]), "average_states with 2 states and 1 weight"),
             (lambda: kata.average_states([s, s], [2.0, -1.0]), "average_states with a negative weight (sum 1)"),
             (lambda: kata.average_states([s, s], [0.0, 0.0]), "average_states with weights summing to 0"),
             (lambda: kata.average_states([s, {"v": torch.zeros(2)}], [1.0, 1.0]), "average_states with other keys")]
    for fn, why in cases:
        with pytest.raises(ValueError):
            fn()
            pytest.fail(f"{why} returned instead of raising ValueError")


@settings(max_examples=5)
@given(seed=seeds())
def test_rounds_train_the_global_model(kata, seed):
    """Twenty rounds of FedAvg lower the pooled training loss, as centralized training does."""
    model = make_model(seed, 2, 8)
    clients = make_clients(seed, [10, 20, 5], 2)
    x, y = torch.cat([c[0] for c in clients]), torch.cat([c[1] for c in clients])
    start = float(nn.functional.mse_loss(model(x), y).detach())
    for _ in range(20):
        model.load_state_dict(kata.fedavg_round(model, clients, nn.functional.mse_loss, 0.2, 2))
    end = float(nn.functional.mse_loss(model(x), y).detach())
    assert end < 0.95 * start, f"pooled training loss went from {start:.4f} to {end:.4f} over 20 FedAvg rounds"
