"""Tests for nlp-08-2, expert utilization over a dataset.

Reference: numpy.bincount over every real token re-routed in float64 numpy (softmax, stable
argsort), the invariant that the counts sum to top_k times the number of real tokens, the
load-balancing loss written with one-hot masks (Hugging Face's formulation) and its autograd
gradient, and the structure and data of the rendered bar charts.
"""
import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from torch import nn

from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_equal, describe_call


def numpy_top_k(logits: np.ndarray, top_k: int) -> np.ndarray:
    return np.argsort(-logits, axis=-1, kind="stable")[:, :top_k]


def clear_top_k(logits: np.ndarray) -> bool:
    """Every token's experts are strictly ordered (no near-ties), so the top-k choice is unambiguous."""
    s = np.sort(logits, axis=-1)
    return bool(np.all(np.diff(s, axis=-1) > 1e-6))


def count_hint(got: np.ndarray, n_real: int, n_all: int, top_k: int) -> str:
    total = int(got.sum()) if got.size else 0
    if total == n_all * top_k and n_real != n_all:
        return "the counts include the padding tokens: keep only the tokens where mask is True"
    if total == n_real and top_k > 1:
        return "only one assignment per token: count every one of the top_k slots"
    return ""


def with_hint(check, hint: str) -> None:
    try:
        check()
    except AssertionError as e:
        raise AssertionError(f"{e}\n  looks like: {hint}" if hint else str(e)) from None


@given(n=dims(1, 30), n_experts=st.integers(2, 8), seed=seeds(), masked=st.booleans(), data=st.data())
@example(n=6, n_experts=2, seed=0, masked=True, data=None)
@example(n=3, n_experts=6, seed=1, masked=False, data=None)   # experts 3..5 may be unused: still counted (0)
def test_expert_counts(kata, n, n_experts, seed, masked, data):
    top_k = data.draw(st.integers(1, n_experts), label="top_k") if data is not None else 2
    top_k = min(top_k, n_experts)
    g = torch.Generator().manual_seed(seed)
    expert_idx = torch.stack([torch.randperm(n_experts, generator=g)[:top_k] for _ in range(n)])
    if data is None and n_experts == 6:
        expert_idx = expert_idx % 3                                # only experts 0..2 ever chosen
    mask = (torch.rand(n, generator=g) < 0.7) if masked else None
    if mask is not None:
        mask[0] = True
    call = describe_call("expert_counts", expert_idx, n_experts, mask=mask)
    got = kata.expert_counts(expert_idx, n_experts, mask)
    assert got.dtype == torch.long, f"{call} returned dtype {got.dtype}, expected torch.long (counts)"
    got = np.asarray(got)
    keep = np.ones(n, dtype=bool) if mask is None else mask.numpy()
    want = np.bincount(expert_idx.numpy()[keep].reshape(-1), minlength=n_experts)
    with_hint(lambda: assert_equal(got, want, name="counts", call=call),
              count_hint(got, int(keep.sum()), n, top_k))


@given(n_batches=dims(1, 3), batch=dims(1, 4), seq=dims(1, 6), d_model=dims(2, 6), n_experts=st.integers(2, 6),
       seed=seeds(), data=st.data())
@example(n_batches=2, batch=3, seq=5, d_model=4, n_experts=2, seed=0, data=None)
@example(n_batches=3, batch=2, seq=4, d_model=3, n_experts=4, seed=1, data=None)
def test_utilization_over_dataset(kata, n_batches, batch, seq, d_model, n_experts, seed, data):
    top_k = data.draw(st.integers(1, n_experts), label="top_k") if data is not None else min(2, n_experts - 1)
    g = torch.Generator().manual_seed(seed)
    router = nn.Linear(d_model, n_experts, bias=False).double()
    with torch.no_grad():
        router.weight.copy_(torch.randn(n_experts, d_model, generator=g, dtype=torch.float64))
    batches, want, n_real, n_all = [], np.zeros(n_experts, dtype=np.int64), 0, 0
    for _ in range(n_batches):
        x = torch.randn(batch, seq, d_model, generator=g, dtype=torch.float64) + 3 * torch.randn(
            batch, 1, d_model, generator=g, dtype=torch.float64)
        lengths = torch.randint(1, seq + 1, (batch, 1), generator=g)
        mask = torch.arange(seq) < lengths
        x = x * mask[..., None]                                # padding rows are zero vectors
        batches.append((x, mask))
        real = x.numpy()[mask.numpy()]                          # (n_real, d_model)
        logits = real @ router.weight.detach().numpy().T
        assume(clear_top_k(logits))
        want += np.bincount(numpy_top_k(logits, top_k).reshape(-1), minlength=n_experts)
        n_real, n_all = n_real + len(real), n_all + batch * seq
    call = describe_call("utilization_over_dataset", router, f"<{n_batches} batches of {batch}x{seq}>", top_k)
    got = kata.utilization_over_dataset(router, batches, top_k)
    assert got.dtype == torch.long, f"{call} returned dtype {got.dtype}, expected torch.long (counts)"
    got = np.asarray(got)
    with_hint(lambda: assert_equal(got, want, name="counts", call=call), count_hint(got, n_real, n_all, top_k))
    assert int(got.sum()) == top_k * n_real, f"{call}: counts sum to {int(got.sum())}, expected top_k * real tokens = {top_k * n_real}"


def hf_load_balancing_loss(logits: torch.Tensor, top_k: int) -> torch.Tensor:
    """Hugging Face's load_balancing_loss_func (Mixtral), without the attention mask."""
    n_experts = logits.shape[-1]
    routing_weights = torch.softmax(logits, dim=-1)
    selected = torch.from_numpy(numpy_top_k(logits.detach().numpy(), top_k))
    expert_mask = F.one_hot(selected, n_experts)                       # (N, k, E)
    tokens_per_expert = expert_mask.double().mean(dim=0)               # (k, E)
    router_prob_per_expert = routing_weights.mean(dim=0)               # (E,)
    return (tokens_per_expert * router_prob_per_expert[None]).sum() * n_experts


@given(n=dims(1, 40), n_experts=st.integers(2, 8), seed=seeds(), scale=st.sampled_from([0.5, 3.0]), data=st.data())
@example(n=10, n_experts=2, seed=0, scale=1.0, data=None)
@example(n=1, n_experts=4, seed=1, scale=3.0, data=None)
def test_load_balancing_loss_and_its_gradient(kata, n, n_experts, seed, scale, data):
    top_k = data.draw(st.integers(1, n_experts), label="top_k") if data is not None else 1
    logits = torch.randn(n, n_experts, generator=torch.Generator().manual_seed(seed), dtype=torch.float64) * scale
    assume(clear_top_k(logits.numpy()))
    mine = logits.clone().requires_grad_(True)
    ref = logits.clone().requires_grad_(True)
    call = describe_call("load_balancing_loss", logits, top_k)
    got = kata.load_balancing_loss(mine, top_k)
    want = hf_load_balancing_loss(ref, top_k)
    assert_close(got, want, rtol=1e-12, atol=1e-12, name="loss", call=call)  # float64, same sums
    got.backward()
    want.backward()
    assert mine.grad is not None, f"{call}: no gradient reached router_logits (P must stay differentiable)"
    assert_close(mine.grad, ref.grad, rtol=1e-10, atol=1e-12, name="d loss / d router_logits", call=call)


@given(n_experts=st.integers(2, 8), reps=dims(1, 4), data=st.data())
@example(n_experts=2, reps=1, data=None)
def test_load_balancing_loss_is_top_k_when_balanced(kata, n_experts, reps, data):
    """Tokens spread evenly over the experts with mirrored logits: f_e = top_k / E, P_e = 1 / E, loss = top_k."""
    top_k = data.draw(st.integers(1, n_experts), label="top_k") if data is not None else 1
    base = torch.arange(n_experts, dtype=torch.float64) * 0.5
    logits = torch.stack([base.roll(i) for i in range(n_experts)] * reps)     # every expert ranks first equally often
    got = kata.load_balancing_loss(logits, top_k)
    assert_close(got, float(top_k), rtol=0, atol=1e-12, name="loss of a perfectly balanced router",
                 call=describe_call("load_balancing_loss", logits, top_k))


@given(n=dims(1, 12), n_experts=st.integers(2, 8), seed=seeds(), data=st.data())
@example(n=5, n_experts=4, seed=0, data=None)
def test_load_balancing_loss_is_at_most_n_experts_and_collapse_reaches_it(kata, n, n_experts, seed, data):
    """f_e <= 1 and sum_e P_e = 1, so the loss is at most E for every top_k; a router that sends every token
    to the same k experts with all the probability on them scores E (not E * k)."""
    top_k = data.draw(st.integers(1, n_experts), label="top_k") if data is not None else 2
    logits = torch.randn(n, n_experts, generator=torch.Generator().manual_seed(seed), dtype=torch.float64) * 3
    got = float(kata.load_balancing_loss(logits, top_k))
    assert got <= n_experts + 1e-9, (f"load_balancing_loss(random logits, top_k={top_k}) = {got:.6f} > n_experts = "
                                     f"{n_experts}, which no router can exceed")
    collapsed = torch.full((n, n_experts), -40.0, dtype=torch.float64)
    collapsed[:, :top_k] = 40.0 - torch.arange(top_k, dtype=torch.float64) * 1e-3   # the same top_k experts, distinct
    got = kata.load_balancing_loss(collapsed, top_k)
    # exp(-80) of the probability leaks to the other experts: the loss is E to ~1e-30.
    assert_close(got, float(n_experts), rtol=0, atol=1e-9, name="loss of a collapsed router",
                 call=describe_call("load_balancing_loss", collapsed, top_k))


def bar_heights(ax) -> list[float]:
    from matplotlib.patches import Rectangle

    return [p.get_height() for p in ax.patches if isinstance(p, Rectangle)]


@settings(max_examples=5)  # a figure per example costs ~50 ms; the structure does not depend on the numbers
@given(n_plots=dims(1, 3), n_experts=st.integers(2, 8), seed=seeds())
@example(n_plots=2, n_experts=4, seed=0)
def test_plot_utilization(kata, n_plots, n_experts, seed):
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    g = torch.Generator().manual_seed(seed)
    counts_by_name = {f"layer {i}": torch.randint(0, 50, (n_experts,), generator=g) for i in range(n_plots)}
    call = describe_call("plot_utilization", {k: v for k, v in counts_by_name.items()})
    fig = kata.plot_utilization(counts_by_name)
    try:
        assert isinstance(fig, Figure), f"{call} returned {type(fig).__name__}, expected a matplotlib Figure"
        axes = [ax for ax in fig.axes if ax.patches]
        assert len(axes) == n_plots, f"{call}: {len(axes)} axes hold bars, expected one per entry ({n_plots})"
        assert len(fig.axes) == n_plots, (f"{call} returned a figure with {len(fig.axes)} axes, expected "
                                          f"len(counts_by_name) = {n_plots}")
        for ax, (name, counts) in zip(axes, counts_by_name.items(), strict=True):
            assert ax.get_title() == name, f"{call}: axes titled {ax.get_title()!r}, expected {name!r}"
            assert ax.get_xlabel() == "expert" and ax.get_ylabel() == "tokens", \
                f"{call}: labels x={ax.get_xlabel()!r}, y={ax.get_ylabel()!r}; expected x='expert', y='tokens'"
            heights = bar_heights(ax)
            assert len(heights) == n_experts, f"{call}: {name!r} has {len(heights)} bars, expected one per expert ({n_experts})"
            hint = " (they look like fractions; plot the raw counts)" if abs(sum(heights) - 1) < 1e-6 else ""
            assert_close(heights, counts, rtol=0, atol=1e-9, name=f"bar heights of {name!r}{hint}", call=call)
            even = float(counts.sum()) / n_experts
            flat_lines = [ln for ln in ax.get_lines() if len(set(np.asarray(ln.get_ydata(), dtype=float))) == 1]
            assert any(abs(float(ln.get_ydata()[0]) - even) < 1e-9 for ln in flat_lines), (
                f"{call}: {name!r} has no horizontal line at the even share counts.sum() / n_experts = {even:.6g}")
    finally:
        plt.close(fig)
