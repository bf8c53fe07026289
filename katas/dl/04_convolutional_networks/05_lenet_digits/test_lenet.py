"""Tests for dl-04-5, a LeNet-style CNN trained on scikit-learn's bundled 8×8 digits.

References: a functional twin written here with F.conv2d / F.max_pool2d / F.linear on your model's
own parameters (forward pass); the same twin trained with torch.optim.Adam on the same batches
(every step's loss must agree); and held-out accuracy after a few epochs of real training.
"""

import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.datasets import load_digits

from grader.strategies import seeds
from grader.testing import assert_close, assert_seeded, assert_shape, describe_call

pytestmark = pytest.mark.slow

_D = load_digits()
X_ALL = torch.tensor(_D.images / 16.0, dtype=torch.float32).unsqueeze(1)  # (1797, 1, 8, 8)
Y_ALL = torch.tensor(_D.target, dtype=torch.int64)


def twin_forward(p: dict, x: torch.Tensor) -> torch.Tensor:
    x = F.max_pool2d(F.relu(F.conv2d(x, p["conv1.weight"], p["conv1.bias"], padding=1)), 2)
    x = F.max_pool2d(F.relu(F.conv2d(x, p["conv2.weight"], p["conv2.bias"])), 2)
    return F.linear(F.relu(F.linear(x.flatten(1), p["fc1.weight"], p["fc1.bias"])), p["fc2.weight"], p["fc2.bias"])


def expected_shapes(c1: int, c2: int, hidden: int) -> dict:
    return {"conv1.weight": (c1, 1, 3, 3), "conv1.bias": (c1,), "conv2.weight": (c2, c1, 3, 3), "conv2.bias": (c2,),
            "fc1.weight": (hidden, c2), "fc1.bias": (hidden,), "fc2.weight": (10, hidden), "fc2.bias": (10,)}


SIZES = {"c1": st.integers(1, 8), "c2": st.integers(1, 12), "hidden": st.integers(1, 24)}


@given(**SIZES, seed=seeds(), n=st.integers(1, 16))
@example(c1=8, c2=16, hidden=32, seed=0, n=4)
def test_architecture_and_forward_match_the_functional_twin(kata, c1, c2, hidden, seed, n):
    torch.manual_seed(seed)
    model = kata.LeNet(c1, c2, hidden)
    call = describe_call(f"LeNet({c1}, {c2}, {hidden})")
    shapes = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    want = expected_shapes(c1, c2, hidden)
    assert shapes == want, f"{call} has parameters {shapes}, expected {want}"
    x = X_ALL[torch.randperm(len(X_ALL), generator=torch.Generator().manual_seed(seed))[:n]]
    got = model(x)
    assert_shape(got, (n, 10), name="logits", call=call)
    # float32, the same operations in the same order: a few ulps at most.
    assert_close(got, twin_forward(dict(model.named_parameters()), x), rtol=1e-5, atol=1e-6,
                 name="logits (vs F.conv2d/F.max_pool2d/F.linear on your parameters)", call=call)


def train_twin(params: dict, X: torch.Tensor, y: torch.Tensor, epochs: int, batch_size: int, lr: float,
               seed: int) -> list[float]:
    p = {k: v.detach().clone().requires_grad_(True) for k, v in params.items()}
    opt = torch.optim.Adam(list(p.values()), lr=lr)
    g, losses = torch.Generator().manual_seed(seed), []
    for _ in range(epochs):
        order = torch.randperm(len(X), generator=g)
        for start in range(0, len(X), batch_size):
            idx = order[start:start + batch_size]
            opt.zero_grad()
            loss = F.cross_entropy(twin_forward(p, X[idx]), y[idx])
            loss.backward()
            opt.step()
            losses.append(float(loss.detach()))
    return losses


@settings(max_examples=4)
@given(seed=seeds(), n=st.integers(5, 24), batch_size=st.integers(3, 30), epochs=st.integers(1, 2),
       lr=st.sampled_from([1e-3, 1e-2]))
@example(seed=1, n=22, batch_size=8, epochs=2, lr=1e-2)  # a last batch of 6
def test_training_matches_the_twin_step_by_step(kata, seed, n, batch_size, epochs, lr):
    torch.manual_seed(seed)
    model = kata.LeNet(4, 6, 8)
    start = {k: v.detach().clone() for k, v in model.named_parameters()}
    X, y = X_ALL[:n], Y_ALL[:n]
    call = describe_call(f"train(LeNet(4, 6, 8), epochs={epochs}, batch_size={batch_size}, lr={lr}, seed={seed})", X, y)
    losses = kata.train(model, X, y, epochs, batch_size, lr, seed)
    want = train_twin(start, X, y, epochs, batch_size, lr, seed)
    assert len(losses) == len(want), f"{call} returned {len(losses)} losses, expected {len(want)} (one per step)"
    # float32 training; Adam's normalised steps let rounding grow a little over ~100 steps.
    assert_close(losses, want, rtol=1e-3, atol=1e-4, name="loss of every step (vs the twin on the same batches)",
                 call=call)


@settings(max_examples=3)
@given(seed=seeds())
def test_same_seed_same_losses(kata, seed):
    def run(s: int) -> list[float]:
        torch.manual_seed(0)
        return kata.train(kata.LeNet(2, 3, 4), X_ALL[:24], Y_ALL[:24], 1, 5, 1e-2, s)

    assert_seeded(run, seed, name="per-step losses of train")


@settings(max_examples=2)
@given(seed=seeds())
def test_lenet_learns_digits(kata, seed):
    """A measured effect: 8 epochs of Adam take held-out accuracy from chance (~0.1) to above 0.8
    (0.86–0.94 over 10 seeds of the reference solution)."""
    perm = torch.randperm(len(X_ALL), generator=torch.Generator().manual_seed(seed))
    tr, te = perm[:1000], perm[1000:]
    torch.manual_seed(seed)
    model = kata.LeNet()
    before = kata.accuracy(model, X_ALL[te], Y_ALL[te])
    losses = kata.train(model, X_ALL[tr], Y_ALL[tr], epochs=8, batch_size=32, lr=1e-2, seed=seed)
    after = kata.accuracy(model, X_ALL[te], Y_ALL[te])
    with torch.no_grad():
        want = float((model(X_ALL[te]).argmax(1) == Y_ALL[te]).float().mean())
    assert_close(after, want, rtol=0, atol=1e-9, name="accuracy (vs argmax of the logits)",
                 call=describe_call("accuracy", "trained LeNet", X_ALL[te], Y_ALL[te]))
    assert before < 0.3 and after > 0.8, (f"held-out accuracy {before:.3f} before and {after:.3f} after 8 epochs "
                                          f"(first/last step loss {losses[0]:.3f}/{losses[-1]:.3f})")
