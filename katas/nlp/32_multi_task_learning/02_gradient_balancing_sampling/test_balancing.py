"""Tests for nlp-32-2, gradient balancing (PCGrad) and task sampling.

References: PCGrad (Yu et al., 2020) written here in float64 numpy with the same seeded permutations,
and its defining property (two conflicting gradients end with no negative inner product); annealed
sampling (Stickland & Murray, 2019) in closed form; per-task gradients from torch.autograd.grad for
the backward pass.
"""
import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch import nn

from grader.strategies import seeds, torch_float_dtypes
from grader.testing import assert_close, assert_dtype, call_unmodified, describe_call


def reference_pcgrad(grads: torch.Tensor, seed: int) -> np.ndarray:
    g_all = grads.double().numpy()
    n = len(g_all)
    gen = torch.Generator().manual_seed(seed)
    out = g_all.copy()
    for i in range(n):
        g = g_all[i].copy()
        for j in torch.randperm(n, generator=gen).tolist():
            if j != i and g @ g_all[j] < 0:
                g = g - (g @ g_all[j]) / (g_all[j] @ g_all[j]) * g_all[j]
        out[i] = g
    return out


@given(n=st.integers(1, 4), p=st.integers(1, 6), dtype=torch_float_dtypes(), seed=seeds())
@example(n=2, p=2, dtype=torch.float64, seed=0)
@example(n=1, p=3, dtype=torch.float32, seed=0)
def test_pcgrad_matches_the_reference(kata, n, p, dtype, seed):
    grads = torch.randn(n, p, generator=torch.Generator().manual_seed(seed + 1), dtype=torch.float64).to(dtype)
    call = describe_call("pcgrad", grads, "generator")
    got = call_unmodified(kata.pcgrad, grads, torch.Generator().manual_seed(seed))
    assert_dtype(got, grads, call=call)
    tol = dict(rtol=1e-5, atol=1e-5) if dtype == torch.float32 else dict(rtol=1e-10, atol=1e-12)
    assert_close(got, reference_pcgrad(grads, seed), **tol, call=call,
                 name="each g_i projected off the conflicting ORIGINAL g_j, j in randperm order")


@given(seed=seeds(), scale=st.sampled_from([0.01, 1.0, 100.0]))
@example(seed=0, scale=1.0)
def test_two_conflicting_gradients_end_without_conflict(kata, seed, scale):
    g = torch.Generator().manual_seed(seed)
    a = torch.randn(5, generator=g, dtype=torch.float64) * scale
    b = -a + 0.3 * torch.randn(5, generator=g, dtype=torch.float64) * scale   # strongly conflicting
    out = kata.pcgrad(torch.stack([a, b]), torch.Generator().manual_seed(seed))
    for i, other in ((0, b), (1, a)):
        dot = float(out[i] @ other)
        assert dot >= -1e-9 * scale * scale, (
            f"pcgrad of two conflicting gradients: projected g_{i} . g_{1 - i} = {dot:.3g}, expected >= 0")


@given(seed=seeds())
def test_agreeing_gradients_are_left_alone(kata, seed):
    g = torch.Generator().manual_seed(seed)
    base = torch.rand(4, generator=g, dtype=torch.float64) + 0.1
    grads = torch.stack([base * (1 + torch.rand(4, generator=g, dtype=torch.float64)) for _ in range(3)])
    out = kata.pcgrad(grads, torch.Generator().manual_seed(seed))
    assert_close(out, grads, rtol=0, atol=0, name="positive gradients (no conflict) are unchanged",
                 call=describe_call("pcgrad", grads, "generator"))


@given(sizes=st.lists(st.integers(1, 10**5), min_size=1, max_size=5), n_epochs=st.integers(1, 6), data=st.data())
@example(sizes=[1000, 10], n_epochs=5, data=None)
def test_annealed_sampling_probs(kata, sizes, n_epochs, data):
    epochs = [1, n_epochs] if data is None else [data.draw(st.integers(1, n_epochs))]
    for epoch in epochs:
        got = kata.annealed_sampling_probs(sizes, epoch, n_epochs)
        alpha = 1.0 if n_epochs == 1 else 1 - 0.8 * (epoch - 1) / (n_epochs - 1)
        w = np.array(sizes, dtype=np.float64) ** alpha
        call = describe_call("annealed_sampling_probs", sizes, epoch, n_epochs)
        assert got.dtype == torch.float64, f"{call} returned dtype {got.dtype}, expected torch.float64"
        assert_close(got, w / w.sum(), rtol=1e-10, atol=1e-14, name=f"n ** alpha / sum (alpha = {alpha:.3f})",
                     call=call)


@pytest.mark.parametrize("sizes,epoch,n_epochs", [([], 1, 3), ([5, 0], 1, 3), ([5, 3], 0, 3), ([5, 3], 4, 3)])
def test_annealed_sampling_rejects_bad_arguments(kata, sizes, epoch, n_epochs):
    with pytest.raises(ValueError):
        kata.annealed_sampling_probs(sizes, epoch, n_epochs)
        pytest.fail(f"annealed_sampling_probs({sizes}, {epoch}, {n_epochs}) returned instead of raising ValueError")


class TwoHeads(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.shared = nn.Linear(3, 4)
        self.a = nn.Linear(4, 1)
        self.b = nn.Linear(4, 1)
        self.frozen = nn.Linear(2, 2)
        self.frozen.requires_grad_(False)


@settings(max_examples=10)
@given(seed=seeds())
@example(seed=0)
def test_pcgrad_backward_writes_the_projected_sum(kata, seed):
    with torch.random.fork_rng():
        torch.manual_seed(seed % 1000)
        model = TwoHeads()
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(6, 3, generator=g)
    h = torch.tanh(model.shared(x))
    losses = [model.a(h).pow(2).mean(), (model.b(h) + 3).pow(2).mean() - model.a(h).mean()]
    params = [p for p in model.parameters() if p.requires_grad]
    for p in params:
        p.grad = torch.full_like(p, 7.0)                       # stale gradients must be replaced
    rows = []
    for loss in losses:
        grads = torch.autograd.grad(loss, params, retain_graph=True, allow_unused=True)
        rows.append(torch.cat([(torch.zeros_like(p) if gr is None else gr).reshape(-1)
                               for p, gr in zip(params, grads, strict=True)]))
    want = reference_pcgrad(torch.stack(rows), seed)
    got = kata.pcgrad_backward(model, losses, torch.Generator().manual_seed(seed))
    call = describe_call("pcgrad_backward", "TwoHeads", losses, "generator")
    assert_close(got, want, rtol=1e-5, atol=1e-6, name="projected per-task gradients", call=call)
    total = want.sum(axis=0)
    offset = 0
    for name, p in model.named_parameters():
        if not p.requires_grad:
            assert p.grad is None, f"{call} wrote a gradient into the frozen {name}"
            continue
        assert_close(p.grad, total[offset:offset + p.numel()].reshape(p.shape), rtol=1e-5, atol=1e-6,
                     name=f"{name}.grad (sum of projected gradients, replacing the old .grad)", call=call)
        offset += p.numel()
