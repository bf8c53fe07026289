"""Tests for dl-01-3, softmax + cross-entropy and its (p − y) gradient.

Reference: torch.nn.functional.cross_entropy in float64 (same reduction and label_smoothing, with
index targets or probability targets) and torch.autograd for the gradient with respect to the logits.
"""
import numpy as np
import pytest
import torch
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import float_dtypes, seeds
from grader.testing import assert_close, assert_dtype, assert_shape, call_unmodified, describe_call

SCALES = st.sampled_from([1.0, 5.0, 1000.0])  # 1000: softmax underflows to exact zeros
SMOOTHING = st.sampled_from([0.0, 0.1, 0.5, 1.0])


def draw(seed: int, n: int, K: int, soft: bool, scale: float, dtype: type) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    logits = (rng.standard_normal((n, K)) * scale).astype(dtype)
    if soft:
        t = rng.random((n, K)) ** 3  # uneven distributions, some near-zero entries
        target = t / t.sum(axis=1, keepdims=True)
    else:
        target = rng.integers(0, K, size=n)
    return logits, target


def torch_reference(logits: np.ndarray, target: np.ndarray, reduction: str, eps: float) -> tuple[float, np.ndarray]:
    z = torch.tensor(logits, dtype=torch.float64, requires_grad=True)
    t = torch.tensor(target) if target.ndim == 1 else torch.tensor(target, dtype=torch.float64)
    loss = torch.nn.functional.cross_entropy(z, t, reduction=reduction, label_smoothing=eps)
    loss.backward()
    return float(loss), z.grad.numpy()


@given(seed=seeds(), n=st.integers(1, 6), K=st.integers(1, 6), soft=st.booleans(), scale=SCALES,
       reduction=st.sampled_from(["mean", "sum"]), eps=SMOOTHING, dtype=float_dtypes())
@example(seed=0, n=1, K=1, soft=False, scale=1.0, reduction="mean", eps=0.0, dtype=np.float64)
@example(seed=1, n=4, K=3, soft=False, scale=1000.0, reduction="mean", eps=0.0, dtype=np.float64)
@example(seed=2, n=3, K=4, soft=True, scale=1000.0, reduction="sum", eps=0.1, dtype=np.float32)
@example(seed=3, n=5, K=2, soft=False, scale=1.0, reduction="mean", eps=0.1, dtype=np.float64)
def test_loss_and_gradient_match_torch(kata, seed, n, K, soft, scale, reduction, eps, dtype):
    logits, target = draw(seed, n, K, soft, scale, dtype)
    call = describe_call("softmax_cross_entropy", logits, target, reduction=reduction, label_smoothing=eps)
    with np.errstate(under="ignore"):
        loss, grad = call_unmodified(kata.softmax_cross_entropy, logits, target, reduction=reduction,
                                     label_smoothing=eps, fn_name="softmax_cross_entropy")
    want_loss, want_grad = torch_reference(logits.astype(np.float64), target, reduction, eps)
    # float64 logits: a logsumexp and a sum, 1e-10 relative. float32 logits up to 1000 in size: the loss is
    # computed from float32 logits either way (the reference upcasts the same values), so only the
    # float32 rounding of intermediate steps differs: 1e-5 relative to the logits' scale.
    tol = 1e-10 if dtype == np.float64 else 1e-5
    assert_close(float(loss), want_loss, rtol=tol, atol=tol * scale, name="loss (vs F.cross_entropy)", call=call)
    assert_shape(grad, (n, K), name="dlogits", call=call)
    assert_dtype(grad, logits, name="dlogits", call=call)
    assert_close(grad, want_grad, rtol=tol, atol=tol, name="dlogits (vs torch.autograd)", call=call)


@given(seed=seeds(), n=st.integers(1, 6), K=st.integers(2, 6), eps=SMOOTHING)
def test_gradient_is_p_minus_y_and_rows_sum_to_zero(kata, seed, n, K, eps):
    """With reduction="sum" each gradient row is p − y: adding softmax's row sums (1) and y's (1) gives 0."""
    logits, target = draw(seed, n, K, False, 3.0, np.float64)
    call = describe_call("softmax_cross_entropy", logits, target, reduction="sum", label_smoothing=eps)
    _, grad = kata.softmax_cross_entropy(logits, target, reduction="sum", label_smoothing=eps)
    p = np.exp(logits - logits.max(axis=1, keepdims=True))
    p /= p.sum(axis=1, keepdims=True)
    y = np.full((n, K), eps / K)
    y[np.arange(n), target] += 1 - eps
    assert_close(grad, p - y, rtol=1e-12, atol=1e-14, name="dlogits (p − y, smoothed y)", call=call)
    assert_close(grad.sum(axis=1), np.zeros(n), rtol=0, atol=1e-12, name="row sums of dlogits", call=call)


@given(seed=seeds(), K=st.integers(2, 5))
def test_one_hot_probability_targets_equal_index_targets(kata, seed, K):
    logits, target = draw(seed, 4, K, False, 2.0, np.float64)
    onehot = np.eye(K)[target]
    a = kata.softmax_cross_entropy(logits, target)
    b = kata.softmax_cross_entropy(logits, onehot)
    call = describe_call("softmax_cross_entropy", logits, onehot)
    assert_close(b[0], a[0], rtol=1e-12, atol=1e-14, name="loss with one-hot rows (vs index targets)", call=call)
    assert_close(b[1], a[1], rtol=1e-12, atol=1e-14, name="dlogits with one-hot rows (vs index targets)", call=call)


@given(reduction=st.sampled_from(["none", "avg", "MEAN", ""]))
def test_rejects_unknown_reduction(kata, reduction):
    logits, target = np.zeros((2, 3)), np.array([0, 1])
    with pytest.raises(ValueError):
        kata.softmax_cross_entropy(logits, target, reduction=reduction)


@given(eps=st.sampled_from([-0.5, -1e-3, 1.001, 2.0]))
def test_rejects_smoothing_outside_unit_interval(kata, eps):
    logits, target = np.zeros((2, 3)), np.array([0, 1])
    with pytest.raises(ValueError):
        kata.softmax_cross_entropy(logits, target, label_smoothing=eps)
