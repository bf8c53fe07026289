"""Tests for arch-02-2, the CTC loss.

References: torch.nn.functional.ctc_loss (values for every reduction, and gradients); brute force
over all C^T alignments whose collapse (merge repeats, drop blanks) is the target, on tiny inputs.
"""
import itertools
import math

import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call


@given(target=st.lists(st.integers(1, 5), max_size=6), blank=st.sampled_from([0, 9]))
@example(target=[], blank=0)
def test_extended_sequence(kata, target, blank):
    want = [blank]
    for y in target:
        want += [y, blank]
    assert_equal(kata.extend_with_blanks(target, blank), want, name="extended sequence",
                 call=describe_call("extend_with_blanks", target, blank))
    assert_equal(kata.extend_with_blanks(target), [0] + [v for y in target for v in (y, 0)],
                 name="extended sequence with the default blank 0", call=describe_call("extend_with_blanks", target))


def collapse(path: tuple[int, ...], blank: int) -> list[int]:
    out, prev = [], None
    for p in path:
        if p != prev and p != blank:
            out.append(p)
        prev = p
    return out


@settings(max_examples=20)
@given(t=st.integers(1, 4), c=st.integers(2, 3), data=st.data(), seed=seeds(), blank_last=st.booleans())
@example(t=3, c=2, data=None, seed=0, blank_last=False)     # target [1, 1]: needs a blank between the repeats
@example(t=2, c=2, data=None, seed=0, blank_last=False)     # ... and two frames are one too few
def test_nll_is_the_sum_over_alignments(kata, t, c, data, seed, blank_last):
    blank = c - 1 if blank_last else 0
    labels = [k for k in range(c) if k != blank]
    target = [1, 1] if data is None else data.draw(st.lists(st.sampled_from(labels), max_size=3), label="target")
    lp = torch.randn(t, c, generator=torch.Generator().manual_seed(seed), dtype=torch.float64).log_softmax(-1)
    total = 0.0
    for path in itertools.product(range(c), repeat=t):
        if collapse(path, blank) == target:
            total += math.exp(sum(float(lp[i, p]) for i, p in enumerate(path)))
    want = -math.log(total) if total > 0 else math.inf
    call = describe_call("ctc_nll", lp, target, blank)
    got = call_unmodified(kata.ctc_nll, lp, target, blank, fn_name="ctc_nll")
    assert math.isinf(float(got)) == math.isinf(want), f"{call} returned {float(got)}, expected {want}"
    assert_close(got, want, rtol=1e-10, atol=1e-10, name="-log p(target) (brute force over alignments)", call=call)


@st.composite
def batch(draw: st.DrawFn, feasible: bool = False) -> tuple:
    c = draw(st.integers(2, 5))
    blank = draw(st.sampled_from([0, c - 1]))
    labels = [k for k in range(c) if k != blank]
    n, t = draw(st.integers(1, 4)), draw(st.integers(1, 10))
    targets, tl, il = [], [], []
    for _ in range(n):
        y = draw(st.lists(st.sampled_from(labels), max_size=5))
        need = len(y) + sum(a == b for a, b in zip(y, y[1:], strict=False))
        lo = min(need, t) if feasible else 1
        if feasible and need > t:
            y, need = y[:0], 0
        il.append(draw(st.integers(max(lo, 1), t)))
        tl.append(len(y))
        targets.append(y + [labels[0]] * (5 - len(y)))      # padding past target_length is ignored
    seed = draw(seeds())
    lp = torch.randn(t, n, c, generator=torch.Generator().manual_seed(seed), dtype=torch.float64).log_softmax(-1)
    return lp, torch.tensor(targets), il, tl, blank


@given(b=batch(), reduction=st.sampled_from(["none", "sum", "mean"]))
def test_loss_matches_torch(kata, b, reduction):
    lp, targets, il, tl, blank = b
    call = describe_call("ctc_loss", lp, targets, il, tl, blank=blank, reduction=reduction)
    got = call_unmodified(kata.ctc_loss, lp, targets, il, tl, blank=blank, reduction=reduction, fn_name="ctc_loss")
    want = F.ctc_loss(lp, targets, torch.tensor(il), torch.tensor(tl), blank=blank, reduction=reduction)
    assert_equal(torch.isinf(got), torch.isinf(want), name="where the loss is inf (no alignment fits)", call=call)
    assert_close(got, want, rtol=1e-9, atol=1e-9, name=f"loss (reduction={reduction!r}; inf = no alignment fits)",
                 call=call)


def test_loss_defaults_are_blank_zero_and_mean(kata):
    lp = torch.randn(6, 2, 4, generator=torch.Generator().manual_seed(3), dtype=torch.float64).log_softmax(-1)
    targets, il, tl = torch.tensor([[1, 2, 2], [3, 1, 1]]), [6, 5], [3, 0]   # an empty target counts as length 1
    want = F.ctc_loss(lp, targets, torch.tensor(il), torch.tensor(tl))
    assert_close(kata.ctc_loss(lp, targets, il, tl), want, rtol=1e-9, atol=1e-9,
                 name="loss with the defaults (blank 0, mean over target-length-normalised losses)",
                 call=describe_call("ctc_loss", lp, targets, il, tl))


@settings(max_examples=15)
@given(b=batch(feasible=True))
def test_gradient_matches_torch(kata, b):
    """Compared through log_softmax: torch's CTC backward returns the gradient as if for the logits."""
    lp, targets, il, tl, blank = b
    mine = lp.clone().requires_grad_()
    ref = lp.clone().requires_grad_()
    kata.ctc_loss(mine.log_softmax(-1), targets, il, tl, blank=blank, reduction="sum").backward()
    F.ctc_loss(ref.log_softmax(-1), targets, torch.tensor(il), torch.tensor(tl), blank=blank, reduction="sum").backward()
    assert mine.grad is not None, "ctc_loss(...).backward() did not reach log_probs"
    assert_close(mine.grad, ref.grad, rtol=1e-8, atol=1e-9, name="d loss / d logits (vs F.ctc_loss)",
                 call=describe_call("ctc_loss", lp, targets, il, tl, blank=blank, reduction="sum"))


@given(bad=st.sampled_from(["reduction", "blank_high", "blank_neg", "blank_in_target"]))
def test_loss_rejects_bad_arguments(kata, bad):
    lp = torch.zeros(4, 1, 3).log_softmax(-1)
    targets, kw = torch.tensor([[1, 2]]), {}
    if bad == "reduction":
        kw["reduction"] = "avg"
    elif bad == "blank_high":
        kw["blank"] = 3
    elif bad == "blank_neg":
        kw["blank"] = -1
    else:
        targets = torch.tensor([[1, 0]])
    with pytest.raises(ValueError):
        kata.ctc_loss(lp, targets, [4], [2], **kw)
        pytest.fail(f"ctc_loss with {bad} returned instead of raising ValueError")


def test_padding_after_target_length_is_ignored(kata):
    lp = torch.randn(5, 1, 4, generator=torch.Generator().manual_seed(1), dtype=torch.float64).log_softmax(-1)
    a = kata.ctc_loss(lp, torch.tensor([[1, 2, 3]]), [5], [2], reduction="none")
    b = kata.ctc_loss(lp, torch.tensor([[1, 2, 0]]), [5], [2], reduction="none")
    assert_close(a, b, rtol=0, atol=0, name="loss with different padding after target_length",
                 call="ctc_loss(..., targets=[[1, 2, pad]], target_lengths=[2])")


