"""Tests for nlp-34-2, linear probes on the residual stream.

Reference: forward hooks on the model's embedding and blocks for the hidden states;
sklearn.preprocessing.StandardScaler + sklearn.linear_model.LogisticRegression for the probe; the
labels written out character by character. On the trained workbook LM (grader/lm.py) and held-out
Shakespeare, the observed structure: the previous character's class is barely readable from the
embedding (it only sees the current character) and becomes linearly readable after the attention
layers have moved it forward.
"""
import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from grader import lm
from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_equal, assert_shape, call_unmodified, describe_call

TEXT_START = 1_003_854   # held-out text (the last 10 % of the corpus)


def real_ids(offset: int, batch: int, length: int) -> torch.Tensor:
    text = lm.corpus_text()
    s = TEXT_START + offset
    return torch.stack([lm.encode(text[s + 89 * b:s + 89 * b + length]) for b in range(batch)])


def hooked_states(model, idx: torch.Tensor) -> np.ndarray:
    seen = []
    handles = [model.embed.register_forward_hook(lambda m, i, o: seen.append(o))]
    handles += [b.register_forward_hook(lambda m, i, o: seen.append(o)) for b in model.blocks]
    try:
        with torch.no_grad():
            model(idx)
    finally:
        for h in handles:
            h.remove()
    return torch.stack(seen).numpy()


def ref_proba(train_x, train_y, test_x, C):
    scaler = StandardScaler().fit(train_x)
    clf = LogisticRegression(C=C, tol=1e-8, max_iter=5000).fit(scaler.transform(train_x), train_y)
    return clf.predict_proba(scaler.transform(test_x)), clf.classes_


def ref_class(c: str) -> int:
    return 0 if c in (" ", "\n") else 1 if c in "aeiouAEIOU" else 2


@settings(max_examples=8)
@given(offset=st.integers(0, 5000), batch=dims(1, 2), length=dims(1, 16))
@example(offset=0, batch=1, length=1)
@example(offset=5, batch=2, length=16)
def test_hidden_states_match_forward_hooks(kata, offset, batch, length):
    model = lm.load_model()
    idx = real_ids(offset, batch, length)
    call = describe_call("hidden_states", "lm.load_model()", idx)
    got = call_unmodified(kata.hidden_states, model, idx)
    L, D = model.cfg.n_layer, model.cfg.d_model
    assert_shape(got, (L + 1, batch, length, D), call=call)
    assert got.dtype == torch.float32, f"{call} returned dtype {got.dtype}, expected torch.float32"
    assert not got.requires_grad, f"{call} returned a tensor that records gradients: use torch.no_grad()"
    # the same float32 ops in the same order: only reassociation noise
    assert_close(got, hooked_states(model, idx), rtol=0, atol=1e-5,
                 name="residual stream [embedding, block 0, ..., block L-1]", call=call)


@given(offset=st.integers(0, 20000), batch=dims(1, 3), length=dims(1, 12))
@example(offset=0, batch=1, length=1)
def test_labels_are_the_previous_characters_class(kata, offset, batch, length):
    idx = real_ids(offset, batch, length)
    call = describe_call("previous_char_labels", idx)
    got = call_unmodified(kata.previous_char_labels, idx)
    want = [[-1] + [ref_class(c) for c in lm.decode(row)[:-1]] for row in idx]
    assert_shape(got, (batch, length), call=call)
    assert got.dtype == torch.int64, f"{call} returned dtype {got.dtype}, expected torch.int64"
    assert_equal(got, np.array(want), name="labels (-1, then the class of idx[b, t-1])", call=call)


@st.composite
def probe_data(draw):
    seed = draw(seeds())
    n, m, d, k = draw(dims(6, 30)), draw(dims(1, 10)), draw(dims(1, 6)), draw(st.integers(2, 3))
    rng = np.random.default_rng(seed)
    scales = rng.choice([0.01, 1.0, 50.0], size=d)          # features on very different scales
    offsets = rng.choice([0.0, 5.0, -200.0], size=d)
    train_x = rng.normal(size=(n, d)) * scales + offsets
    test_x = rng.normal(size=(m, d)) * scales + offsets
    if draw(st.booleans()):
        train_x[:, 0] = 3.0                                  # a constant feature: zero deviation
    train_y = np.concatenate([np.arange(k), rng.integers(0, k, n - k)])
    return train_x, train_y, test_x


@given(data=probe_data(), C=st.sampled_from([0.01, 1.0, 100.0]))
def test_probe_matches_sklearn(kata, data, C):
    train_x, train_y, test_x = data
    call = describe_call("probe_predict_proba", train_x, train_y, test_x, C=C)
    got = call_unmodified(kata.probe_predict_proba, train_x, train_y, test_x, C=C)
    want, _ = ref_proba(train_x, train_y, test_x, C)
    assert_shape(got, want.shape, name="probabilities", call=call)
    assert np.asarray(got).dtype == np.float64, f"{call} returned dtype {np.asarray(got).dtype}, expected float64"
    # both fits stop at lbfgs tol 1e-8 on the same objective: probabilities agree to ~1e-6
    assert_close(got, want, rtol=0, atol=1e-4, name="probabilities (standardized with train statistics)", call=call)


def test_probe_default_C_is_one(kata):
    rng = np.random.default_rng(3)
    train_x, test_x = rng.normal(size=(20, 3)), rng.normal(size=(5, 3))
    train_y = (train_x[:, 0] + 0.3 * rng.normal(size=20) > 0).astype(int)
    want, _ = ref_proba(train_x, train_y, test_x, 1.0)
    assert_close(kata.probe_predict_proba(train_x, train_y, test_x), want, rtol=0, atol=1e-4,
                 name="probabilities with the default C", call="probe_predict_proba(train_x, train_y, test_x)")


@st.composite
def layered(draw):
    seed = draw(seeds())
    S, B, T, D = draw(dims(1, 3)), draw(dims(1, 3)), draw(dims(4, 10)), draw(dims(1, 4))
    g = torch.Generator().manual_seed(seed)
    labels = torch.randint(0, 3, (B, T), generator=g)
    labels[:, 0] = -1
    labels[torch.rand(B, T, generator=g) < 0.2] = -1
    states = torch.randn(S, B, T, D, generator=g) + labels.clamp_min(0)[None, :, :, None] * torch.rand(S, 1, 1, D, generator=g)
    n_valid = int((labels >= 0).sum())
    if n_valid < 4 or len(torch.unique(labels[labels >= 0])) < 2:
        labels.view(-1)[:4] = torch.tensor([0, 1, 2, 0])
        n_valid = int((labels >= 0).sum())
    n_train = draw(st.integers(2, n_valid - 1))
    return states, labels, n_train


def ref_accuracies(states, labels, n_train, C):
    keep = labels.reshape(-1) >= 0
    y = labels.reshape(-1)[keep].numpy()
    out = []
    for layer in states:
        x = layer.reshape(-1, layer.shape[-1])[keep].double().numpy()
        proba, classes = ref_proba(x[:n_train], y[:n_train], x[n_train:], C)
        out.append(np.mean(classes[proba.argmax(1)] == y[n_train:]))
    return np.array(out)


@settings(max_examples=15)
@given(data=layered(), C=st.sampled_from([0.05, 1.0]))
def test_layer_accuracies_match_sklearn(kata, data, C):
    states, labels, n_train = data
    y = labels.reshape(-1)[labels.reshape(-1) >= 0]
    if len(torch.unique(y[:n_train])) < 2:
        return   # one training class: sklearn refuses to fit, the question is undefined
    call = describe_call("layer_probe_accuracies", states, labels, n_train, C=C)
    got = call_unmodified(kata.layer_probe_accuracies, states, labels, n_train, C=C)
    want = ref_accuracies(states, labels, n_train, C)
    assert_shape(got, want.shape, name="accuracies", call=call)
    n_test = len(y) - n_train
    # the same fit up to lbfgs's tolerance: allow no flipped prediction beyond a float32 tie
    assert_close(got, want, rtol=0, atol=1e-9, name=f"held-out accuracy per layer ({n_test} test rows, "
                 "positions with label -1 dropped, first n_train rows train)", call=call)


@given(extra=st.integers(0, 3))
@example(extra=0)
def test_layer_accuracies_reject_an_empty_split(kata, extra):
    states = torch.randn(2, 1, 6, 3)
    labels = torch.tensor([[-1, 0, 1, 2, 0, 1]])
    for n_train in (0, -extra, 5 + extra):
        with pytest.raises(ValueError):
            kata.layer_probe_accuracies(states, labels, n_train)
            pytest.fail(f"layer_probe_accuracies(..., n_train={n_train}) with 5 labelled rows returned")
    got = kata.layer_probe_accuracies(states, labels, 4)
    assert_shape(got, (2,), name="accuracies", call="layer_probe_accuracies(states, labels, n_train=4)")


def test_accuracy_maps_probe_columns_to_the_training_classes(kata):
    """Class 1 never appears in training: column j of the probabilities is the j-th TRAINING class."""
    labels = torch.tensor([[-1, 0, 2, 0, 2, 0, 2, 1, 2, 0]])
    states = (labels.clamp_min(0).double() * 3.0)[None, :, :, None] + torch.tensor([0.1, -0.2] * 5)[None, None, :, None]
    call = describe_call("layer_probe_accuracies", states, labels, 6)
    got = kata.layer_probe_accuracies(states, labels, 6)
    want = ref_accuracies(states, labels, 6, 1.0)
    assert_close(got, want, rtol=0, atol=1e-9, name="held-out accuracy (train classes {0, 2}, test has a 1)", call=call)


def test_previous_character_becomes_linearly_readable(kata):
    """Observed on the trained LM, held-out text: attention writes the previous character forward."""
    model = lm.load_model()
    idx = real_ids(2000, 24, lm.CONTEXT)
    labels = kata.previous_char_labels(idx)
    acc = kata.layer_probe_accuracies(kata.hidden_states(model, idx), labels, n_train=1100)
    y = labels[labels >= 0].numpy()
    majority = np.bincount(y[1100:]).max() / len(y[1100:])
    assert acc[1:].max() > acc[0] + 0.12, (
        f"probe accuracy per layer {np.round(acc, 3).tolist()}: expected a layer after the first attention "
        "to read the previous character's class far better than the embedding (state 0) does")
    assert acc.max() > majority + 0.25, (
        f"best probe accuracy {acc.max():.3f} vs majority class {majority:.3f}: expected a linearly readable target")
