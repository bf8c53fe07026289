"""Tests for dl-01-4, mini-batch SGD for a two-layer network on scikit-learn's bundled digits.

References: torch.autograd on the same network for the gradients, and a PyTorch twin
(nn.Sequential(Linear, ReLU, Linear) + torch.optim.SGD) started from the same weights and fed the
same mini-batches: its loss must equal yours at every step, in float64, not merely "also learn".
"""
import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.datasets import load_digits

from grader.strategies import seeds
from grader.testing import (
    assert_close,
    assert_equal,
    assert_no_alias,
    assert_seeded,
    assert_shape,
    call_unmodified,
    describe_call,
)

pytestmark = pytest.mark.slow

DIGITS = load_digits()
X_ALL, Y_ALL = DIGITS.data / 16.0, DIGITS.target  # pixels in [0, 1], 10 classes


def subset(seed: int, n: int) -> tuple[np.ndarray, np.ndarray]:
    idx = np.random.default_rng(seed).choice(len(X_ALL), size=n, replace=False)
    return X_ALL[idx], Y_ALL[idx]


def twin(params: dict) -> torch.nn.Sequential:
    H, D = params["W1"].shape
    net = torch.nn.Sequential(torch.nn.Linear(D, H), torch.nn.ReLU(), torch.nn.Linear(H, params["W2"].shape[0]))
    net = net.double()
    with torch.no_grad():
        for layer, (w, b) in zip((net[0], net[2]), (("W1", "b1"), ("W2", "b2")), strict=True):
            layer.weight.copy_(torch.from_numpy(params[w]))
            layer.bias.copy_(torch.from_numpy(params[b]))
    return net


def twin_params(net: torch.nn.Sequential) -> dict:
    return {"W1": net[0].weight, "b1": net[0].bias, "W2": net[2].weight, "b2": net[2].bias}


def train_twin(params: dict, X: np.ndarray, y: np.ndarray, lr: float, batch_size: int, epochs: int,
               seed: int) -> tuple[torch.nn.Sequential, list[float]]:
    net = twin(params)
    opt = torch.optim.SGD(net.parameters(), lr=lr)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)
    rng, losses = np.random.default_rng(seed), []
    for _ in range(epochs):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            idx = torch.from_numpy(order[start:start + batch_size])
            opt.zero_grad()
            loss = torch.nn.functional.cross_entropy(net(Xt[idx]), yt[idx])
            loss.backward()
            opt.step()
            losses.append(float(loss))
    return net, losses


@given(seed=seeds(), n=st.integers(1, 12), H=st.integers(1, 10), dead_unit=st.booleans(),
       scale=st.sampled_from([1.0, 1e4]))
@example(seed=0, n=1, H=1, dead_unit=False, scale=1.0)
@example(seed=1, n=5, H=4, dead_unit=True, scale=1.0)
@example(seed=5, n=6, H=8, dead_unit=False, scale=1e4)  # logits in the thousands: exp must not overflow
def test_loss_and_grads_match_autograd(kata, seed, n, H, dead_unit, scale):
    X, y = subset(seed, n)
    params = kata.init_params(64, H, 10, seed)
    params["W2"], params["b2"] = params["W2"] * scale, params["b2"] * scale  # scale 1e4: huge logits
    if dead_unit:  # hidden unit 0 has pre-activation exactly 0 on every row: relu'(0) = 0, as in torch
        params["W1"][0], params["b1"][0] = 0.0, 0.0
    call = describe_call("loss_and_grads", params, X, y)
    loss, grads = call_unmodified(kata.loss_and_grads, params, X, y, fn_name="loss_and_grads")
    net = twin(params)
    ref = torch.nn.functional.cross_entropy(net(torch.from_numpy(X)), torch.from_numpy(y))
    ref.backward()
    # float64 throughout: sums of ~64 products, 1e-10 relative is far above rounding.
    assert_close(float(loss), float(ref), rtol=1e-10, atol=1e-12, name="loss (vs F.cross_entropy)", call=call)
    for k, t in twin_params(net).items():
        assert_shape(grads[k], tuple(t.shape), name=f"grads[{k!r}]", call=call)
        assert_close(grads[k], t.grad, rtol=1e-9, atol=1e-12, name=f"grads[{k!r}] (vs torch.autograd)", call=call)


@settings(max_examples=15)
@given(seed=seeds(), n=st.integers(1, 60), H=st.integers(2, 12), batch_size=st.integers(1, 70),
       epochs=st.integers(0, 3), lr=st.sampled_from([0.05, 0.3, 1.0]))
@example(seed=2, n=10, H=4, batch_size=3, epochs=2, lr=0.3)   # a last batch of 1 in every epoch
@example(seed=3, n=7, H=3, batch_size=50, epochs=3, lr=1.0)   # one batch larger than the data
@example(seed=4, n=12, H=5, batch_size=1, epochs=1, lr=0.05)  # plain SGD
@example(seed=5, n=6, H=3, batch_size=2, epochs=0, lr=0.3)    # no step at all: still new arrays
def test_training_matches_pytorch_twin_step_by_step(kata, seed, n, H, batch_size, epochs, lr):
    X, y = subset(seed, n)
    params = kata.init_params(64, H, 10, seed + 1)
    call = describe_call(f"train(lr={lr}, batch_size={batch_size}, epochs={epochs}, seed={seed})", params, X, y)
    trained, losses = call_unmodified(kata.train, params, X, y, lr, batch_size, epochs, seed, fn_name="train")
    net, want = train_twin(params, X, y, lr, batch_size, epochs, seed)
    steps = epochs * -(-n // batch_size)
    assert len(losses) == steps, (f"{call} recorded {len(losses)} losses, expected {steps} "
                                  f"(epochs · ceil(n / batch_size), the last short batch included)")
    # float64 on both sides; ~100 SGD steps of rounding at most.
    assert_close(losses, want, rtol=1e-8, atol=1e-10,
                 name="loss of every step (vs the PyTorch twin on the same batches)", call=call)
    for k, t in twin_params(net).items():
        assert_close(trained[k], t, rtol=1e-8, atol=1e-10, name=f"trained {k} (vs the twin)", call=call)
    assert_no_alias(trained, params, name="trained params", call=call)


@settings(max_examples=5)
@given(seed=seeds())
def test_same_seed_same_run(kata, seed):
    X, y = subset(seed, 20)
    params = kata.init_params(64, 6, 10, seed)
    assert_seeded(lambda s: kata.train(params, X, y, 0.5, 4, 1, s)[1], seed, name="per-step losses of train")


@given(seed=seeds(), n=st.integers(1, 30), H=st.integers(1, 10))
def test_predict_is_the_argmax_of_the_twin(kata, seed, n, H):
    X, _ = subset(seed, n)
    params = kata.init_params(64, H, 10, seed)
    got = kata.predict(params, X)
    logits = twin(params)(torch.from_numpy(X)).detach().numpy()
    top2 = np.sort(logits, axis=1)[:, -2:]
    clear = top2[:, 1] - top2[:, 0] > 1e-9  # rows whose largest logit is not a near-tie
    assert_shape(got, (n,), name="predicted classes", call=describe_call("predict", params, X))
    assert_equal(got[clear], logits.argmax(axis=1)[clear], name="predicted classes (argmax of the twin's logits)",
                 call=describe_call("predict", params, X))


@settings(max_examples=3)
@given(seed=seeds())
def test_sgd_learns_digits(kata, seed):
    """A measured effect: 8 epochs of SGD take held-out accuracy from chance (~0.1) to above 0.75
    (0.83–0.96 over 10 seeds of the reference solution; lr 0.5 leaves some epoch-to-epoch noise)."""
    rng = np.random.default_rng(seed)
    perm = rng.permutation(len(X_ALL))
    tr, te = perm[:1000], perm[1000:]
    params = kata.init_params(64, 32, 10, seed)
    before = float(np.mean(kata.predict(params, X_ALL[te]) == Y_ALL[te]))
    trained, losses = kata.train(params, X_ALL[tr], Y_ALL[tr], lr=0.5, batch_size=32, epochs=8, seed=seed)
    after = float(np.mean(kata.predict(trained, X_ALL[te]) == Y_ALL[te]))
    per_epoch = np.asarray(losses).reshape(8, -1).mean(axis=1)
    assert per_epoch[-1] < 0.5 * per_epoch[0], f"mean epoch loss went {per_epoch.round(3)}: SGD is not learning"
    assert before < 0.3 and after > 0.75, f"held-out accuracy {before:.3f} before, {after:.3f} after 8 epochs"
