"""Tests for nlp-36-1, neurons that fire for a concept.

References: the MLP activations re-read with a forward hook on the block's `fc` layer (GELU applied
to what it outputs); each neuron's AUROC against sklearn.metrics.roc_auc_score; the ranking against
a brute-force sort. The trained effect, on held-out Shakespeare: the workbook LM's last block has a
neuron that fires inside speaker-name lines ("KING RICHARD III:"), picked on one stretch of text and
still selective on another, while no neuron of a randomly initialised copy comes close.
"""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sklearn.metrics import roc_auc_score

from grader import lm
from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_equal, assert_shape, call_unmodified, describe_call

TEXT_START = 1_003_854   # the held-out split
L, D_FF = 4, 320


def held_out(offset: int, rows: int, length: int = 64) -> tuple[str, torch.Tensor]:
    text = lm.corpus_text()[TEXT_START + offset:TEXT_START + offset + rows * length]
    return text, lm.encode(text).view(rows, length)


def hooked_acts(model, idx, layer) -> torch.Tensor:
    out = []
    handle = model.blocks[layer].fc.register_forward_hook(lambda m, a, o: out.append(F.gelu(o)))
    with torch.no_grad():
        model(idx)
    handle.remove()
    return out[0]


@settings(max_examples=8)
@given(offset=st.integers(0, 50_000), rows=dims(1, 3), length=dims(1, 16), layer=st.integers(0, L - 1))
@example(offset=0, rows=1, length=1, layer=0)
@example(offset=7, rows=2, length=16, layer=L - 1)
def test_activations_match_hook(kata, offset, rows, length, layer):
    model = lm.load_model().requires_grad_(True)        # trainable weights: the activations must still not record
    _, idx = held_out(offset, rows, length)
    call = describe_call("mlp_activations", "lm.load_model()", idx, layer)
    got = call_unmodified(kata.mlp_activations, model, idx, layer)
    assert_shape(got, (rows, length, D_FF), name="activations", call=call)
    assert not got.requires_grad, f"{call} returned activations that record gradients"
    assert_close(got, hooked_acts(model, idx, layer), rtol=0, atol=1e-5,
                 name="GELU(fc(ln2(x))) (reference: a forward hook on blocks[layer].fc)", call=call)


@given(layer=st.sampled_from([-1, L, L + 3]))
@example(layer=L)
@example(layer=-1)
def test_activations_reject_missing_layer(kata, layer):
    with pytest.raises(ValueError):
        kata.mlp_activations(lm.load_model(), held_out(0, 1, 4)[1], layer)
        pytest.fail(f"mlp_activations(..., layer={layer}) on a {L}-block model returned")


@st.composite
def acts_and_labels(draw):
    m, n = draw(dims(2, 30)), draw(dims(1, 6))
    rng = np.random.default_rng(draw(seeds()))
    levels = draw(st.sampled_from([3, 1000]))            # 3 levels: many exact ties
    acts = rng.integers(0, levels, (m, n)).astype(np.float64) / 7
    labels = rng.random(m) < draw(st.sampled_from([0.2, 0.5]))
    labels[0], labels[1] = True, False                    # both classes present
    return acts, labels


@given(data=acts_and_labels())
@example(data=(np.array([[0.0], [0.0]]), np.array([True, False])))             # a complete tie: 0.5
@example(data=(np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]]), np.array([True, False, False])))
def test_auroc_matches_sklearn(kata, data):
    acts, labels = data
    call = describe_call("neuron_auroc", acts, labels)
    got = call_unmodified(kata.neuron_auroc, acts, labels)
    assert_shape(got, (acts.shape[1],), name="AUROC per neuron", call=call)
    want = [roc_auc_score(labels, acts[:, j]) for j in range(acts.shape[1])]
    assert_close(got, want, rtol=0, atol=1e-12, name="AUROC per neuron (reference: sklearn roc_auc_score)", call=call)


@given(case=st.sampled_from(["all true", "all false", "lengths", "1-D acts"]))
@example(case="all true")
@example(case="lengths")
def test_auroc_rejects_bad_input(kata, case):
    acts, labels = np.zeros((4, 2)), np.array([True, False, True, False])
    if case == "all true":
        labels = np.ones(4, dtype=bool)
    elif case == "all false":
        labels = np.zeros(4, dtype=bool)
    elif case == "lengths":
        labels = labels[:3]
    else:
        acts = np.zeros(4)
    with pytest.raises(ValueError):
        kata.neuron_auroc(acts, labels)
        pytest.fail(f"neuron_auroc with {case} returned instead of raising ValueError")


@given(data=acts_and_labels(), k_frac=st.floats(0, 1))
@example(data=(np.array([[1.0, 1.0, 0.0], [0.0, 0.0, 1.0]]), np.array([True, False])), k_frac=1.0)   # tied 0 and 1
@example(data=(np.array([[0.0, 1.0], [1.0, 0.0]]), np.array([True, False])), k_frac=0.0)            # k = 0
def test_concept_neurons_ranks_by_auroc(kata, data, k_frac):
    acts, labels = data
    n = acts.shape[1]
    k = int(round(k_frac * n))
    call = describe_call("concept_neurons", acts, labels, k)
    got = call_unmodified(kata.concept_neurons, acts, labels, k)
    scores = [roc_auc_score(labels, acts[:, j]) for j in range(n)]
    want = sorted(range(n), key=lambda j: (-round(scores[j], 12), j))[:k]   # highest first, ties by lower index
    assert_equal(np.asarray(got, dtype=np.int64), np.array(want, dtype=np.int64),
                 name="neuron indices (highest AUROC first, ties by lower index)", call=call)


@given(k=st.sampled_from([-1, 4, 9]))
@example(k=4)
@example(k=-1)
def test_concept_neurons_rejects_bad_k(kata, k):
    acts, labels = np.eye(3), np.array([True, False, False])
    with pytest.raises(ValueError):
        kata.concept_neurons(acts, labels, k)
        pytest.fail(f"concept_neurons(3 neurons, k={k}) returned instead of raising ValueError")


def test_trained_lm_has_a_speaker_name_neuron(kata):
    """Chosen on one stretch of held-out text, checked on another; a random-init copy as control."""
    model = lm.load_model()
    text_a, idx_a = held_out(0, 32)
    text_b, idx_b = held_out(40_000, 32)
    labels_a, labels_b = kata.speaker_line_labels(text_a), kata.speaker_line_labels(text_b)
    acts_a = kata.mlp_activations(model, idx_a, L - 1).reshape(-1, D_FF).numpy()
    best = int(kata.concept_neurons(acts_a, labels_a, 1)[0])
    auroc_a = roc_auc_score(labels_a, acts_a[:, best])
    acts_b = kata.mlp_activations(model, idx_b, L - 1).reshape(-1, D_FF).numpy()
    auroc_b = roc_auc_score(labels_b, acts_b[:, best])
    torch.manual_seed(0)
    untrained = lm.CharGPT(model.cfg).eval()
    acts_r = kata.mlp_activations(untrained, idx_a, L - 1).reshape(-1, D_FF).numpy()
    auroc_r = roc_auc_score(labels_a, acts_r[:, int(kata.concept_neurons(acts_r, labels_a, 1)[0])])
    assert auroc_a > 0.95 and auroc_b > 0.85, (
        f"last-block neuron {best}, chosen on text A: AUROC {auroc_a:.3f} on A, {auroc_b:.3f} on unseen text B; "
        "expected > 0.95 and > 0.85 (the trained model tracks speaker-name lines)")
    assert auroc_r < 0.85, (f"the best neuron of a randomly initialised copy reaches AUROC {auroc_r:.3f}; expected "
                            "< 0.85: selectivity should come from training")
