"""Tests for nlp-36-2, causal tracing by activation patching on the workbook's trained LM.

References: the residual stream and the patched forward pass re-done with PyTorch forward hooks on
the model's own modules (register_forward_hook / register_forward_pre_hook), and the trace computed
from its definition on top of them. The trained effect, measured on held-out Shakespeare: when a
character two or three places before the end is corrupted, the information needed to restore the
prediction sits at the corrupted position in the early layers and at the last position in the late
layers: the attention layers move it, and the averaged trace shows the hand-over.
"""
import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader import lm
from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_shape, call_unmodified, describe_call

L, D = 4, 80
TEXT_START = 1_003_854   # the held-out split: the last 10 % of the corpus


def real_ids(offset: int, batch: int, length: int) -> torch.Tensor:
    text = lm.corpus_text()
    return torch.stack([lm.encode(text[TEXT_START + offset + 97 * b:TEXT_START + offset + 97 * b + length])
                        for b in range(batch)])


def hooked_states(model, idx) -> torch.Tensor:
    states = []
    handles = [model.embed.register_forward_hook(lambda m, a, out: states.append(out))]
    handles += [b.register_forward_hook(lambda m, a, out: states.append(out)) for b in model.blocks]
    with torch.no_grad():
        model(idx)
    for h in handles:
        h.remove()
    return torch.stack(states)


def hooked_patch(model, idx, layer, position, value) -> torch.Tensor:
    """Replace the residual stream entering block `layer` (or ln_f, for layer = L) at `position`."""
    def pre(module, args):
        x = args[0].clone()
        x[:, position] = value
        return (x, *args[1:])

    site = model.blocks[layer] if layer < len(model.blocks) else model.ln_f
    handle = site.register_forward_pre_hook(pre)
    with torch.no_grad():
        out = model(idx)
    handle.remove()
    return out


def p_last(logits, target) -> float:
    return logits[0, -1].double().softmax(-1)[target].item()


@settings(max_examples=10)
@given(offset=st.integers(0, 50_000), batch=dims(1, 3), length=dims(1, 12))
@example(offset=0, batch=1, length=1)
def test_residual_stream_matches_hooks(kata, offset, batch, length):
    model = lm.load_model()
    idx = real_ids(offset, batch, length)
    call = describe_call("residual_stream", "lm.load_model()", idx)
    got = call_unmodified(kata.residual_stream, model, idx)
    assert_shape(got, (L + 1, batch, length, D), name="residual stream", call=call)
    assert not got.requires_grad, f"{call} returned states that record gradients"
    # the same float32 operations in the same order: agreement to rounding
    assert_close(got, hooked_states(model, idx), rtol=0, atol=1e-5,
                 name="states (reference: forward hooks on embed and each block)", call=call)


@settings(max_examples=15)
@given(offset=st.integers(0, 50_000), batch=dims(1, 2), length=dims(1, 10), layer=st.integers(0, L),
       pos_frac=st.floats(0, 1, exclude_max=True), per_row=st.booleans(), seed=seeds())
@example(offset=5, batch=2, length=6, layer=0, pos_frac=0.0, per_row=True, seed=0)
@example(offset=9, batch=1, length=8, layer=L, pos_frac=0.99, per_row=False, seed=1)     # after the last block
@example(offset=3, batch=2, length=7, layer=2, pos_frac=0.5, per_row=False, seed=2)
def test_patched_logits_match_hook_patching(kata, offset, batch, length, layer, pos_frac, per_row, seed):
    model = lm.load_model()
    idx = real_ids(offset, batch, length)
    position = int(pos_frac * length)
    g = torch.Generator().manual_seed(seed)
    value = torch.randn((batch, D) if per_row else (D,), generator=g) * 2
    before = {k: v.clone() for k, v in model.state_dict().items()}
    call = describe_call("patched_logits", "lm.load_model()", idx, layer, position, value)
    got = call_unmodified(kata.patched_logits, model, idx, layer, position, value)
    for k, v in model.state_dict().items():
        assert torch.equal(v, before[k]), f"{call} modified the model's {k}"
    assert_shape(got, (batch, length, 65), name="logits", call=call)
    assert not got.requires_grad, f"{call} returned logits that record gradients"
    assert_close(got, hooked_patch(model, idx, layer, position, value), rtol=0, atol=1e-4,
                 name="patched logits (reference: a forward pre-hook on block `layer`, or on ln_f for layer = L)",
                 call=call)


@given(layer=st.sampled_from([-1, L + 1, 0, 2]), position=st.sampled_from([-1, 5, 6, 0]))
@example(layer=L + 1, position=0)
@example(layer=0, position=6)
@example(layer=-1, position=0)
@example(layer=0, position=-1)
def test_patched_logits_rejects_sites_outside_the_model(kata, layer, position):
    if 0 <= layer <= L and 0 <= position < 6:
        position = 6
    model = lm.load_model()
    with pytest.raises(ValueError):
        kata.patched_logits(model, real_ids(0, 1, 6), layer, position, torch.zeros(D))
        pytest.fail(f"patched_logits(model, 6 tokens, layer={layer}, position={position}) returned")


def reference_trace(model, clean, corrupt, target) -> np.ndarray:
    p_clean, p_corrupt = p_last(model(clean[None]), target), p_last(model(corrupt[None]), target)
    states = hooked_states(model, clean[None])
    return np.array([[(p_last(hooked_patch(model, corrupt[None], layer, t, states[layer, 0, t]), target) - p_corrupt)
                      / (p_clean - p_corrupt) for t in range(len(clean))] for layer in range(L + 1)])


@settings(max_examples=4)
@given(offset=st.integers(0, 50_000), length=dims(2, 6), seed=seeds(), n_corrupt=dims(1, 2))
@example(offset=17, length=2, seed=3, n_corrupt=1)
def test_trace_matches_its_definition(kata, offset, length, seed, n_corrupt):
    model = lm.load_model()
    clean = real_ids(offset, 1, length)[0]
    g = torch.Generator().manual_seed(seed)
    corrupt = clean.clone()
    where = torch.randperm(length, generator=g)[:n_corrupt]
    corrupt[where] = (corrupt[where] + torch.randint(1, 65, (n_corrupt,), generator=g)) % 65
    target = int(torch.randint(0, 65, (1,), generator=g))
    call = describe_call("causal_trace", "lm.load_model()", clean, corrupt, target)
    got = call_unmodified(kata.causal_trace, model, clean, corrupt, target)
    assert_shape(got, (L + 1, length), name="trace", call=call)
    assert np.asarray(got).dtype == np.float64, f"{call} returned dtype {np.asarray(got).dtype}, expected float64"
    # ratios of float64 probabilities from float32 logits: the denominator is >= 1e-4 on these inputs
    assert_close(got, reference_trace(model, clean, corrupt, target), rtol=1e-3, atol=1e-3,
                 name="restored fraction (p_patched - p_corrupt) / (p_clean - p_corrupt)", call=call)


@given(case=st.sampled_from(["shorter corrupt", "longer corrupt", "batched", "identical"]))
@example(case="identical")      # nothing corrupted: nothing to restore
@example(case="longer corrupt")
def test_trace_rejects_bad_pairs(kata, case):
    model = lm.load_model()
    clean = real_ids(0, 1, 6)[0]
    corrupt = clean.clone()
    corrupt[2] = (corrupt[2] + 1) % 65
    if case == "shorter corrupt":
        corrupt = corrupt[:-1]
    elif case == "longer corrupt":
        clean = clean[:-1]
    elif case == "batched":
        clean, corrupt = clean[None], corrupt[None]
    else:
        corrupt = clean.clone()
    with pytest.raises(ValueError):
        kata.causal_trace(model, clean, corrupt, 5)
        pytest.fail(f"causal_trace with {case} clean/corrupt returned instead of raising ValueError")


def corrupted_examples(model, count: int, length: int = 16):
    """Held-out windows whose top next-character prediction a one-character corruption 2 or 3 places
    before the end destroys (p drops by >= 0.5). Chosen by a fixed rule from a fixed seed."""
    rng = np.random.default_rng(0)
    _, val = lm.corpus_splits()
    found = []
    while len(found) < count:
        start, back = int(rng.integers(0, len(val) - 2 * length)), int(rng.integers(2, 4))
        clean = val[start:start + length].clone()
        corrupt = clean.clone()
        corrupt[length - 1 - back] = (clean[length - 1 - back] + int(rng.integers(1, 65))) % 65
        with torch.no_grad():
            p = model(torch.stack([clean, corrupt]))[:, -1].double().softmax(-1)
        target = int(p[0].argmax())
        if p[0, target] - p[1, target] >= 0.5:
            found.append((clean, corrupt, target, length - 1 - back))
    return found


def test_trained_model_moves_information_to_the_last_position(kata):
    model = lm.load_model()
    at_corrupted, at_last = [], []
    for clean, corrupt, target, pos in corrupted_examples(model, 6):
        trace = np.asarray(kata.causal_trace(model, clean, corrupt, target))
        assert abs(trace[0, pos] - 1) < 1e-3 and abs(trace[L, -1] - 1) < 1e-3, (
            f"trace at (layer 0, corrupted position) = {trace[0, pos]:.4f} and at (layer {L}, last position) = "
            f"{trace[L, -1]:.4f}: patching either site restores the clean run, so both must be 1")
        assert np.abs(trace[:, :pos]).max() < 1e-3, (
            "patching positions before the corruption changed the output: a causal model's states there are "
            f"identical in both runs (largest |trace| {np.abs(trace[:, :pos]).max():.4f})")
        at_corrupted.append(trace[:, pos])
        at_last.append(trace[:, -1])
    c, last = np.mean(at_corrupted, 0), np.mean(at_last, 0)
    shown = f"mean restoration by layer: at the corrupted position {np.round(c, 2).tolist()}, at the last {np.round(last, 2).tolist()}"
    assert (np.diff(c) < 0).all() and (np.diff(last) > 0).all(), (
        f"{shown}: expected the corrupted position to matter less and the last position more with every layer")
    assert c[1] > last[1] and last[L - 1] > c[L - 1], (
        f"{shown}: expected the information to sit at the corrupted position after block 0 and at the last "
        f"position before the final block")
