"""Tests for nlp-34-1, attention heatmaps and attention patterns.

Reference: the attention weights recomputed in float64 from the q and k the model hands to its
attention function, with torch.nn.functional.scaled_dot_product_attention checking that the weights
reproduce the model's own causal attention; the pattern scores written out in float64 numpy loops;
the figure's structure read back from matplotlib (Agg). On the trained workbook LM (grader/lm.py) and
real Shakespeare text, the observed structure: layer 0 attends broadly, later layers sharply, and
some head is a previous-token head far above the uniform baseline.
"""
import matplotlib
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader import lm
from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_dtype, assert_shape, call_unmodified, describe_call

matplotlib.use("Agg")

TEXT_START = 1_003_854   # held-out text (the last 10 % of the corpus)


def real_ids(offset: int, batch: int, length: int) -> torch.Tensor:
    text = lm.corpus_text()
    return torch.stack([lm.encode(text[TEXT_START + offset + 97 * b:TEXT_START + offset + 97 * b + length])
                        for b in range(batch)])


def ref_maps(model, idx: torch.Tensor) -> tuple[np.ndarray, list]:
    """float64 softmax(q kᵀ/sqrt(d) + causal mask) from the model's own q, k; and the (q, k, v) seen."""
    maps, seen = [], []

    def record(q, k, v):
        seen.append((q, k, v))
        qd, kd = q.double(), k.double()
        T = q.shape[-2]
        s = qd @ kd.transpose(-1, -2) / np.sqrt(q.shape[-1])
        s = s.masked_fill(torch.ones(T, T, dtype=torch.bool).triu(1), float("-inf"))
        maps.append(s.softmax(-1).numpy())
        return F.scaled_dot_product_attention(q, k, v, is_causal=True)

    with torch.no_grad():
        model(idx, attention=record)
    return np.stack(maps, axis=1), seen


def random_causal_maps(seed: int, lead: tuple[int, ...], T: int, sharp: float) -> np.ndarray:
    rng = np.random.default_rng(seed)
    logits = rng.normal(size=(*lead, T, T)) * sharp
    logits[..., np.triu(np.ones((T, T), dtype=bool), 1)] = -np.inf
    e = np.exp(logits - logits.max(-1, keepdims=True))
    return e / e.sum(-1, keepdims=True)


def ref_scores(maps: np.ndarray) -> dict[str, np.ndarray]:
    lead, T = maps.shape[:-2], maps.shape[-1]
    flat = maps.reshape(-1, T, T)
    out = {k: np.zeros(len(flat)) for k in ("previous", "self", "first", "entropy")}
    for n, a in enumerate(flat):
        out["previous"][n] = sum(a[i, i - 1] for i in range(1, T)) / (T - 1)
        out["self"][n] = sum(a[i, i] for i in range(T)) / T
        out["first"][n] = sum(a[i, 0] for i in range(T)) / T
        out["entropy"][n] = sum(-a[i, j] * np.log(a[i, j]) for i in range(T) for j in range(T) if a[i, j] > 0) / T
    return {k: v.reshape(lead) for k, v in out.items()}


@settings(max_examples=10)
@given(offset=st.integers(0, 5000), batch=dims(1, 2), length=dims(1, 20))
@example(offset=0, batch=1, length=1)     # one position: every map is [[1.0]]
@example(offset=17, batch=2, length=20)
def test_maps_match_the_models_attention(kata, offset, batch, length):
    model = lm.load_model()
    idx = real_ids(offset, batch, length)
    call = describe_call("attention_maps", "lm.load_model()", idx)
    got = call_unmodified(kata.attention_maps, model, idx)
    L, H = model.cfg.n_layer, model.cfg.n_head
    assert_shape(got, (batch, L, H, length, length), call=call)
    assert got.dtype == torch.float32, f"{call} returned dtype {got.dtype}, expected torch.float32"
    want, seen = ref_maps(model, idx)
    # float32 scores of size ~10 and a float32 softmax: 2e-5 absolute is a few ulps of the weights.
    assert_close(got, want, rtol=0, atol=2e-5, name="attention weights", call=call)
    # the weights are the model's own attention: A @ v equals its causal SDPA at every layer
    for layer, (q, k, v) in enumerate(seen):
        sdpa = F.scaled_dot_product_attention(q.double(), k.double(), v.double(), is_causal=True)
        assert_close(torch.from_numpy(want[:, layer]) @ v.double(), sdpa, rtol=0, atol=1e-9,
                     name=f"reference check, layer {layer}", call=call)


@settings(max_examples=5)
@given(offset=st.integers(0, 5000), length=dims(2, 16))
def test_recording_leaves_the_logits_alone(kata, offset, length):
    """The attention function must return A @ v: the model's logits are unchanged by recording."""
    model = lm.load_model()
    idx = real_ids(offset, 1, length)
    recorded = []
    original = model.forward

    def spy(ids, positions=None, attention=None):
        out = original(ids, positions, attention)
        recorded.append(out)
        return out

    model.forward = spy
    try:
        kata.attention_maps(model, idx)
    finally:
        del model.forward
    assert len(recorded) == 1, f"attention_maps called the model {len(recorded)} times, expected once"
    with torch.no_grad():
        plain = model(idx)
    assert_close(recorded[0], plain, rtol=0, atol=1e-4, name="logits while recording",
                 call=describe_call("attention_maps", "lm.load_model()", idx))
    assert not recorded[0].requires_grad, "attention_maps recorded gradients: run the model under torch.no_grad()"


@given(seed=seeds(), lead=st.sampled_from([(), (3,), (2, 2)]), T=dims(2, 9),
       sharp=st.sampled_from([0.5, 3.0, 30.0]), dtype=st.sampled_from([torch.float32, torch.float64]))
@example(seed=0, lead=(), T=2, sharp=3.0, dtype=torch.float64)
@example(seed=1, lead=(2,), T=5, sharp=30.0, dtype=torch.float32)   # near one-hot rows: 0 ln 0 = 0
def test_pattern_scores_match_their_definition(kata, seed, lead, T, sharp, dtype):
    maps_np = random_causal_maps(seed, lead, T, sharp)
    maps = torch.from_numpy(maps_np).to(dtype)
    call = describe_call("pattern_scores", maps)
    got = call_unmodified(kata.pattern_scores, maps)
    assert set(got) == {"previous", "self", "first", "entropy"}, f"{call} returned keys {sorted(got)}"
    want = ref_scores(maps.double().numpy())
    tol = 1e-10 if dtype == torch.float64 else 2e-6   # float32 weights: means of a few ulps each
    for key in want:
        assert_shape(got[key], lead, name=f"scores[{key!r}]", call=call)
        assert_dtype(got[key], maps, name=f"scores[{key!r}]", call=call)
        assert_close(got[key], want[key], rtol=0, atol=tol, name=f"scores[{key!r}]", call=call)


@given(T=dims(2, 8), dtype=st.sampled_from([torch.float32, torch.float64]))
@example(T=2, dtype=torch.float32)
def test_pure_patterns_score_exactly(kata, T, dtype):
    """Exact zeros: a head that looks only at itself, one that looks only back, and a uniform one."""
    eye = torch.eye(T, dtype=dtype)
    prev = torch.zeros(T, T, dtype=dtype)
    prev[0, 0] = 1.0
    prev[torch.arange(1, T), torch.arange(T - 1)] = 1.0
    uniform = torch.tril(torch.ones(T, T, dtype=dtype)) / torch.arange(1, T + 1, dtype=dtype)[:, None]
    got = kata.pattern_scores(torch.stack([eye, prev, uniform]))
    call = describe_call("pattern_scores", "[identity, previous-token, uniform causal]")
    harmonic = sum(1.0 / (t + 1) for t in range(T))
    want = {"self": [1.0, 1.0 / T, harmonic / T],
            "previous": [0.0, 1.0, (harmonic - 1.0) / (T - 1)],
            "first": [1.0 / T, 2.0 / T if T > 1 else 1.0, harmonic / T],
            "entropy": [0.0, 0.0, sum(np.log(t + 1) for t in range(T)) / T]}
    for key, values in want.items():
        assert torch.isfinite(got[key]).all(), f"{call}: scores[{key!r}] = {got[key]} (0 ln 0 must count as 0)"
        assert_close(got[key], np.array(values), rtol=0, atol=1e-6, name=f"scores[{key!r}]", call=call)


@given(T=dims(1, 6))
@example(T=1)
def test_pattern_scores_rejects_bad_maps(kata, T):
    with pytest.raises(ValueError):
        kata.pattern_scores(torch.ones(2, T, T + 1) / (T + 1))
        pytest.fail(f"pattern_scores accepted maps of shape (2, {T}, {T + 1})")
    if T == 1:
        with pytest.raises(ValueError):
            kata.pattern_scores(torch.ones(3, 1, 1))
            pytest.fail("pattern_scores accepted T = 1, where no query has a previous token")


def test_trained_model_shows_broad_then_sharp_attention_and_a_previous_token_head(kata):
    """Observed on the trained LM, held-out text: structure that training put there."""
    model = lm.load_model()
    idx = real_ids(4321, 4, lm.CONTEXT)
    scores = kata.pattern_scores(kata.attention_maps(model, idx))
    entropy = scores["entropy"].mean(dim=(0, 2))          # per layer
    assert entropy[0] > entropy[1:].max() + 0.2, (
        f"mean attention entropy per layer {entropy.tolist()}: expected layer 0 (broad, averaging "
        "context) well above every later layer (sharp, few keys)")
    previous = scores["previous"].mean(dim=0)             # (L, H)
    T = lm.CONTEXT
    baseline = sum(1.0 / (t + 1) for t in range(1, T)) / (T - 1)   # a uniform causal head
    best = previous.max().item()
    assert best > 5 * baseline, (
        f"strongest previous-token score {best:.3f}, expected > 5x the uniform baseline {baseline:.3f}")


@settings(max_examples=3)
@given(H=dims(1, 4), T=dims(1, 7), seed=seeds())
@example(H=1, T=1, seed=0)
@example(H=3, T=7, seed=1)
def test_plot_has_one_labelled_heatmap_per_head(kata, H, T, seed):
    import matplotlib.pyplot as plt
    maps = torch.from_numpy(random_causal_maps(seed, (H,), T, 3.0)).float()
    tokens = "ab \nxyz"[:T]
    call = describe_call("plot_attention", maps, repr(tokens))
    fig = kata.plot_attention(maps, tokens)
    try:
        axes = fig.axes
        assert len(axes) == H, f"{call}: the figure has {len(axes)} axes, expected exactly one per head ({H})"
        labels = [{" ": "␣", "\n": "⏎"}.get(c, c) for c in tokens]
        for h, ax in enumerate(axes):
            assert len(ax.images) == 1, f"{call}: head {h} has {len(ax.images)} images, expected 1"
            assert_close(np.asarray(ax.images[0].get_array()), maps[h].numpy(), rtol=0, atol=0,
                         name=f"image of head {h} (rows = queries, columns = keys)", call=call)
            assert ax.get_title() == f"head {h}", f"{call}: axes {h} titled {ax.get_title()!r}, expected 'head {h}'"
            assert ax.get_xlabel() == "key" and ax.get_ylabel() == "query", (
                f"{call}: axis labels ({ax.get_xlabel()!r}, {ax.get_ylabel()!r}), expected ('key', 'query')")
            for axis, ticks in (("x", ax.get_xticklabels()), ("y", ax.get_yticklabels())):
                got = [t.get_text() for t in ticks]
                assert got == labels, f"{call}: head {h} {axis} tick labels {got}, expected {labels}"
    finally:
        plt.close(fig)
    with pytest.raises(ValueError):
        kata.plot_attention(maps, tokens + "!")
        pytest.fail(f"plot_attention accepted {T + 1} characters for {T} positions")
