"""Tests for nlp-46-1, magnitude and movement pruning.

References: torch.nn.utils.prune (l1_unstructured and global_unstructured masks; l1_unstructured with
importance_scores shifted to be positive for movement masks, which keeps their order), the exact-count
and ordering properties where magnitudes tie, and autograd gradients of a real training loop for the
movement scores (accumulated here in float64).
"""
import pytest
import torch
import torch.nn.functional as F
import torch.nn.utils.prune as prune
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch import nn

from grader.strategies import seeds, torch_float_dtypes
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

AMOUNTS = st.sampled_from([0.0, 0.1, 0.25, 0.3, 0.5, 0.7, 0.9, 1.0])


class Holder(nn.Module):
    def __init__(self, w: torch.Tensor) -> None:
        super().__init__()
        self.weight = nn.Parameter(w.detach().clone())


def torch_mask(w: torch.Tensor, amount: float, importance: torch.Tensor | None = None) -> torch.Tensor:
    m = Holder(w)
    prune.l1_unstructured(m, "weight", amount=amount, importance_scores=importance)
    return m.weight_mask.bool()


def randn(shape, seed, dtype=torch.float64):
    return torch.randn(shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64).to(dtype)


@given(shape=st.sampled_from([(5,), (1, 1), (3, 4), (2, 3, 2), (7, 1)]), amount=AMOUNTS, dtype=torch_float_dtypes(),
       seed=seeds())
@example(shape=(5,), amount=0.5, dtype=torch.float32, seed=0)     # round(2.5) = 2: ties to even
@example(shape=(7, 1), amount=0.3, dtype=torch.float64, seed=1)   # round(2.1) = 2, not floor or ceil
@example(shape=(3, 4), amount=1.0, dtype=torch.float64, seed=2)
@settings(max_examples=25)
def test_magnitude_mask_matches_torch_prune(kata, shape, amount, dtype, seed):
    w = randn(shape, seed, dtype)
    call = describe_call("magnitude_mask", w, amount)
    got = call_unmodified(kata.magnitude_mask, w, amount)
    assert got.dtype == torch.bool, f"{call} returned dtype {got.dtype}, expected torch.bool"
    assert_equal(got, torch_mask(w, amount), call=call, name="keep mask (torch.nn.utils.prune.l1_unstructured)")


@given(shape=st.sampled_from([(6,), (3, 4), (2, 5)]), amount=AMOUNTS, seed=seeds())
@example(shape=(6,), amount=0.5, seed=0)
@settings(max_examples=20)
def test_ties_prune_exactly_k_of_the_smallest(kata, shape, amount, seed):
    w = torch.randint(-2, 3, shape, generator=torch.Generator().manual_seed(seed)).double()  # many equal |w|
    call = describe_call("magnitude_mask", w, amount)
    got = kata.magnitude_mask(w, amount)
    k = kata.n_to_prune(amount, w.numel())
    assert_equal(int((~got).sum()), k, call=call, name="number of pruned weights")
    if 0 < k < w.numel():
        assert w.abs()[~got].max() <= w.abs()[got].min(), (
            f"{call} pruned |w| = {w.abs()[~got].max().item()} but kept |w| = {w.abs()[got].min().item()}")


@given(n_layers=st.integers(1, 3), amount=AMOUNTS, seed=seeds())
@example(n_layers=3, amount=0.5, seed=0)
@settings(max_examples=15)
def test_global_masks_match_torch_global_unstructured(kata, n_layers, amount, seed):
    g = torch.Generator().manual_seed(seed)
    # layers of different scales: global pruning takes more from the small-weight layers
    ws = [torch.randn(2 + i, 3, generator=g, dtype=torch.float64) * (0.2 + i) for i in range(n_layers)]
    call = describe_call("global_magnitude_masks", ws, amount)
    got = call_unmodified(kata.global_magnitude_masks, ws, amount)
    holders = [Holder(w) for w in ws]
    prune.global_unstructured([(h, "weight") for h in holders], pruning_method=prune.L1Unstructured, amount=amount)
    assert len(got) == n_layers, f"{call} returned {len(got)} masks, expected {n_layers}"
    for i, (m, h) in enumerate(zip(got, holders, strict=True)):
        assert_equal(m, h.weight_mask.bool(), call=call, name=f"mask of layer {i} (torch.nn.utils.prune.global_unstructured)")


@given(steps=st.integers(1, 5), lr=st.sampled_from([0.05, 0.3]), seed=seeds())
@example(steps=3, lr=0.3, seed=0)
@settings(max_examples=10)
def test_movement_scores_accumulate_over_real_training(kata, steps, lr, seed):
    torch.manual_seed(seed)
    layer = nn.Linear(4, 3).double()
    g = torch.Generator().manual_seed(seed)
    x, y = torch.randn(16, 4, generator=g, dtype=torch.float64), torch.randn(16, 3, generator=g, dtype=torch.float64)
    opt = torch.optim.SGD(layer.parameters(), lr=lr)
    scores = torch.zeros_like(layer.weight)
    want = torch.zeros_like(layer.weight)
    for step in range(steps):
        opt.zero_grad()
        F.mse_loss(layer(x), y).backward()
        w, grad = layer.weight.detach(), layer.weight.grad
        call = describe_call("update_movement_scores", scores, w, grad) + f" at step {step}"
        new = call_unmodified(kata.update_movement_scores, scores, w, grad)
        want = want - w * grad
        # float64; one multiply-add per step
        assert_close(new, want, rtol=1e-12, atol=1e-15, call=call, name="S - W * dL/dW, accumulated")
        scores = new
        opt.step()


@given(shape=st.sampled_from([(5,), (3, 4), (2, 3, 2)]), amount=AMOUNTS, seed=seeds())
@example(shape=(3, 4), amount=0.5, seed=0)
@settings(max_examples=20)
def test_movement_mask_prunes_lowest_signed_scores(kata, shape, amount, seed):
    s = randn(shape, seed) * 3
    call = describe_call("movement_mask", s, amount)
    got = call_unmodified(kata.movement_mask, s, amount)
    # torch ranks |importance|: shifted to be positive, the order of the signed scores is kept
    want = torch_mask(torch.zeros(shape, dtype=torch.float64), amount, importance=s - s.min() + 1)
    assert got.dtype == torch.bool, f"{call} returned dtype {got.dtype}, expected torch.bool"
    assert_equal(got, want, call=call, name="keep mask (l1_unstructured on importance_scores = S - min S + 1)")


def test_movement_prunes_large_weights_moving_to_zero(kata):
    """The point of movement pruning: a large weight that training pushes toward zero goes first."""
    w = torch.tensor([3.0, 2.0, -0.1, 0.2])
    grad = torch.tensor([1.0, -1.0, 1.0, -1.0])   # SGD moves w - lr*grad: 3 -> down, 2 -> up, -0.1 -> down, 0.2 -> up
    scores = kata.update_movement_scores(torch.zeros(4), w, grad)
    got = kata.movement_mask(scores, 0.25)
    assert_equal(got, torch.tensor([False, True, True, True]), call="movement_mask(S - W*grad, 0.25)",
                 name="keep mask (the weight 3.0 shrinking toward zero is pruned)")
    assert_equal(kata.magnitude_mask(w, 0.25), torch.tensor([True, True, False, True]),
                 call="magnitude_mask(w, 0.25)", name="keep mask (magnitude pruning removes |w| = 0.1)")


@pytest.mark.parametrize("amount", [-0.1, 1.5])
def test_rejects_amounts_outside_unit_interval(kata, amount):
    w = torch.randn(3, 3)
    for name, call in [("magnitude_mask", lambda: kata.magnitude_mask(w, amount)),
                       ("global_magnitude_masks", lambda: kata.global_magnitude_masks([w, w], amount)),
                       ("movement_mask", lambda: kata.movement_mask(w, amount))]:
        with pytest.raises(ValueError):
            call()
            pytest.fail(f"{name}(..., amount={amount}) returned instead of raising ValueError")
