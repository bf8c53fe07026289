"""Tests for nlp-34-3, head and layer ablation.

Reference: the same ablations done to the weights instead of the activations: a head is removed by
zeroing its columns of the output projection (a deep copy of the model), a layer by deleting its
block from the ModuleList; the loss by torch.nn.functional.cross_entropy in float64. On the trained
workbook LM (grader/lm.py) and held-out Shakespeare, the observed structure: every head matters a
little, every whole layer far more than its most important head, and the most important head is the
model's strongest previous-token head.
"""
import copy

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader import lm
from grader.strategies import dims
from grader.testing import assert_close, assert_shape, call_unmodified, describe_call

TEXT_START = 1_003_854   # held-out text (the last 10 % of the corpus)
L, H = 4, 4


def real_batch(offset: int, batch: int, length: int) -> tuple[torch.Tensor, torch.Tensor]:
    text = lm.corpus_text()
    rows = [lm.encode(text[TEXT_START + offset + 101 * b:TEXT_START + offset + 101 * b + length + 1])
            for b in range(batch)]
    ids = torch.stack(rows)
    return ids[:, :-1].clone(), ids[:, 1:].clone()


def weight_ablated(model, heads, layers):
    """A deep copy with each (layer, head)'s output-projection columns zeroed and `layers` deleted."""
    m = copy.deepcopy(model)
    hd = m.cfg.d_model // m.cfg.n_head
    with torch.no_grad():
        for layer, head in heads:
            m.blocks[layer].attn.proj.weight[:, head * hd:(head + 1) * hd] = 0.0
    m.blocks = torch.nn.ModuleList(b for i, b in enumerate(m.blocks) if i not in set(layers))
    return m


def ref_loss(model, idx, targets) -> float:
    with torch.no_grad():
        return F.cross_entropy(model(idx).flatten(0, 1).double(), targets.flatten()).item()


PAIRS = st.tuples(st.integers(0, L - 1), st.integers(0, H - 1))


@settings(max_examples=12)
@given(offset=st.integers(0, 5000), batch=dims(1, 2), length=dims(1, 12),
       heads=st.lists(PAIRS, max_size=5), layers=st.lists(st.integers(0, L - 1), max_size=2))
@example(offset=0, batch=1, length=1, heads=[], layers=[])           # no ablation: the model itself
@example(offset=7, batch=2, length=12, heads=[(2, 1)], layers=[])
@example(offset=9, batch=1, length=8, heads=[(0, 3), (3, 0)], layers=[1])
@example(offset=3, batch=1, length=6, heads=[], layers=[0, 3])
def test_matches_weight_surgery(kata, offset, batch, length, heads, layers):
    model = lm.load_model()
    idx, _ = real_batch(offset, batch, length)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    call = describe_call("ablated_logits", "lm.load_model()", idx, heads=heads, layers=layers)
    got = call_unmodified(kata.ablated_logits, model, idx, heads=heads, layers=layers)
    for k, v in model.state_dict().items():
        assert torch.equal(v, before[k]), f"{call} modified the model's {k}: ablate activations, or work on a copy"
    assert_shape(got, (batch, length, model.cfg.vocab_size), name="logits", call=call)
    assert got.dtype == torch.float32, f"{call} returned dtype {got.dtype}, expected torch.float32"
    assert not got.requires_grad, f"{call} returned logits that record gradients"
    with torch.no_grad():
        want = weight_ablated(model, heads, layers)(idx)
    # float32 logits of size ~10 after four blocks: 1e-4 is reassociation noise
    assert_close(got, want, rtol=0, atol=1e-4, name="ablated logits (reference: zeroed projection columns, "
                 "deleted blocks)", call=call)


def test_defaults_ablate_nothing(kata):
    model = lm.load_model()
    idx, _ = real_batch(11, 2, 10)
    with torch.no_grad():
        want = model(idx)
    assert_close(kata.ablated_logits(model, idx), want, rtol=0, atol=1e-5, name="logits",
                 call="ablated_logits(model, idx) with the default heads=() and layers=()")


@given(bad=st.sampled_from([(L, 0), (0, H), (-1, 0), (0, -1)]), bad_layer=st.sampled_from([L, -1, L + 2]))
@example(bad=(L, 0), bad_layer=L)
@example(bad=(0, -1), bad_layer=-1)
def test_rejects_heads_and_layers_outside_the_model(kata, bad, bad_layer):
    model = lm.load_model()
    idx, _ = real_batch(0, 1, 4)
    with pytest.raises(ValueError):
        kata.ablated_logits(model, idx, heads=[bad])
        pytest.fail(f"ablated_logits(..., heads=[{bad}]) on a {L}-layer {H}-head model returned")
    with pytest.raises(ValueError):
        kata.ablated_logits(model, idx, layers=[bad_layer])
        pytest.fail(f"ablated_logits(..., layers=[{bad_layer}]) on a {L}-layer model returned")


@settings(max_examples=3)
@given(offset=st.integers(0, 5000), length=dims(2, 10))
@example(offset=21, length=10)
def test_importances_match_their_definition(kata, offset, length):
    model = lm.load_model()
    idx, targets = real_batch(offset, 2, length)
    clean = ref_loss(model, idx, targets)
    want_heads = np.array([[ref_loss(weight_ablated(model, [(ly, h)], []), idx, targets) - clean
                            for h in range(H)] for ly in range(L)])
    want_layers = np.array([ref_loss(weight_ablated(model, [], [ly]), idx, targets) - clean for ly in range(L)])
    call = describe_call("head_importance", "lm.load_model()", idx, targets)
    got = call_unmodified(kata.head_importance, model, idx, targets)
    assert_shape(got, (L, H), name="head importance", call=call)
    # float32 logits, float64 losses: differences of mean losses agree to ~1e-5 nats
    assert_close(got, want_heads, rtol=0, atol=5e-5, name="loss increase per ablated head (nats)", call=call)
    call = describe_call("layer_importance", "lm.load_model()", idx, targets)
    got = call_unmodified(kata.layer_importance, model, idx, targets)
    assert_shape(got, (L,), name="layer importance", call=call)
    assert_close(got, want_layers, rtol=0, atol=5e-5, name="loss increase per skipped layer (nats)", call=call)


def previous_token_scores(model, idx) -> np.ndarray:
    maps = []

    def record(q, k, v):
        T = q.shape[-2]
        s = (q @ k.transpose(-1, -2)) / q.shape[-1] ** 0.5
        a = s.masked_fill(torch.ones(T, T, dtype=torch.bool).triu(1), float("-inf")).softmax(-1)
        maps.append(a[..., torch.arange(1, T), torch.arange(T - 1)].mean(dim=(0, 2)))
        return a @ v

    with torch.no_grad():
        model(idx, attention=record)
    return torch.stack(maps).numpy()


def test_trained_model_heads_and_layers_matter(kata):
    """Observed on the trained LM, held-out text: structure that training put there."""
    model = lm.load_model()
    idx, targets = real_batch(3000, 12, lm.CONTEXT)
    heads = kata.head_importance(model, idx, targets)
    layers = kata.layer_importance(model, idx, targets)
    assert (heads > 0).all(), f"loss increase per head {np.round(heads, 3).tolist()}: every head of the trained model helps"
    assert (layers > 3 * heads.max(axis=1)).all(), (
        f"loss increase per layer {np.round(layers, 3).tolist()} vs best head per layer "
        f"{np.round(heads.max(axis=1), 3).tolist()}: a whole block should matter far more than any one head")
    top = np.unravel_index(heads.argmax(), heads.shape)
    prev = previous_token_scores(model, idx)
    assert top == np.unravel_index(prev.argmax(), prev.shape), (
        f"most important head {tuple(int(i) for i in top)}, strongest previous-token head "
        f"{tuple(int(i) for i in np.unravel_index(prev.argmax(), prev.shape))}: expected the same head")
