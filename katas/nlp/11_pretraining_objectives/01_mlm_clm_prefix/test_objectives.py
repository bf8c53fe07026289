"""Tests for nlp-11-1, masked vs causal vs prefix language modelling.

Reference: the masks written out entry by entry (and torch's scaled_dot_product_attention with
is_causal=True for the causal one); BERT's 80/10/10 corruption checked by its exact frequencies on
tens of thousands of tokens; torch.nn.functional.cross_entropy on the scored positions; a float64
training loop written here with torch.optim.AdamW; and short seeded runs on the toy grammar whose
held-out loss must drop well below where it started.
"""
import contextlib

import pytest
import torch
import torch._dynamo  # noqa: F401  (torch.optim's first step imports it, ~4 s: pay that at collection, not in a test)
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch import nn

from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_equal, assert_shape, describe_call

OBJECTIVE = st.sampled_from(["mlm", "clm", "prefix"])


def reference_mask(objective: str, seq_len: int, prefix_len: int) -> torch.Tensor:
    """Entry by entry: query i may read key j."""
    allowed = torch.zeros(seq_len, seq_len, dtype=torch.bool)
    for i in range(seq_len):
        for j in range(seq_len):
            if objective == "mlm":
                allowed[i, j] = True
            elif objective == "clm":
                allowed[i, j] = j <= i
            else:
                allowed[i, j] = j <= i or j < prefix_len
    return allowed


def reference_example(objective: str, idx: torch.Tensor, prefix_len: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Targets and loss mask of the two left-to-right objectives, position by position."""
    b, t = idx.shape
    targets = torch.zeros_like(idx)
    scored = torch.zeros(b, t, dtype=torch.bool)
    for pos in range(t - 1):
        targets[:, pos] = idx[:, pos + 1]
        scored[:, pos] = objective == "clm" or pos + 1 >= prefix_len   # the target token lies after the prefix
    return targets, scored


def mask_hint(got: torch.Tensor, want: torch.Tensor) -> str:
    if got.shape != want.shape or got.dtype != torch.bool:
        return ""
    if torch.equal(got, want.T):
        return "the transpose of the expected mask: rows are queries, columns are keys"
    if torch.equal(got, want & ~torch.eye(len(want), dtype=torch.bool)):
        return "the diagonal is masked: every position must see itself"
    return ""


def with_hint(check, hint: str) -> None:
    try:
        check()
    except AssertionError as e:
        raise AssertionError(f"{e}\n  looks like: {hint}" if hint else str(e)) from None


@contextlib.contextmanager
def single_thread():
    """Tiny matmuls gain nothing from threads, and on a busy 2-core machine threads spin-wait."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


@given(objective=OBJECTIVE, seq_len=dims(1, 12), data=st.data())
@example(objective="prefix", seq_len=5, data=None)
@example(objective="clm", seq_len=1, data=None)
def test_attention_mask_entry_by_entry(kata, objective, seq_len, data):
    prefix_len = data.draw(st.integers(0, seq_len), label="prefix_len") if data is not None else 2
    prefix_len = prefix_len if objective == "prefix" else 0
    call = describe_call("attention_mask", objective, seq_len, prefix_len=prefix_len)
    got = kata.attention_mask(objective, seq_len, prefix_len=prefix_len)
    want = reference_mask(objective, seq_len, prefix_len)
    assert_shape(got, (seq_len, seq_len), name="mask", call=call)
    assert got.dtype == torch.bool, f"{call} returned dtype {got.dtype}, expected torch.bool (True = may attend)"
    with_hint(lambda: assert_equal(got, want, name="mask", call=call), mask_hint(got, want))


@given(seq_len=dims(1, 10), seed=seeds())
def test_causal_mask_matches_sdpa_is_causal(kata, seq_len, seed):
    g = torch.Generator().manual_seed(seed)
    q, k, v = (torch.randn(2, seq_len, 4, generator=g, dtype=torch.float64) for _ in range(3))
    mask = kata.attention_mask("clm", seq_len)
    call = describe_call("attention_mask", "clm", seq_len)
    # same float64 computation, only the mask construction differs
    assert_close(F.scaled_dot_product_attention(q, k, v, attn_mask=mask),
                 F.scaled_dot_product_attention(q, k, v, is_causal=True), rtol=0, atol=1e-12,
                 name="attention output with your mask (vs is_causal=True)", call=call)


@given(seq_len=dims(1, 10))
def test_prefix_mask_interpolates_between_causal_and_bidirectional(kata, seq_len):
    """A prefix of length 0 (or 1) is a causal LM; a prefix covering everything is bidirectional."""
    for p, other in ((0, "clm"), (1, "clm"), (seq_len, "mlm")):
        call = describe_call("attention_mask", "prefix", seq_len, prefix_len=p)
        assert_equal(kata.attention_mask("prefix", seq_len, prefix_len=p), kata.attention_mask(other, seq_len),
                     name=f"prefix mask (should equal the {other} mask)", call=call)


@given(seq_len=dims(1, 6), extra=dims(1, 3))
def test_attention_mask_rejects_bad_arguments(kata, seq_len, extra):
    for args in (("bert", seq_len, 0), ("prefix", seq_len, seq_len + extra), ("prefix", seq_len, -extra)):
        with pytest.raises(ValueError):
            kata.attention_mask(*args)
            pytest.fail(f"attention_mask{args} did not raise ValueError")


@given(vocab=dims(4, 30), mask_prob=st.sampled_from([0.15, 0.3, 0.5]), seed=seeds(), mask_last=st.booleans())
@example(vocab=4, mask_prob=0.15, seed=0, mask_last=False)
def test_mlm_corrupt_follows_the_80_10_10_rule(kata, vocab, mask_prob, seed, mask_last):
    g = torch.Generator().manual_seed(seed)
    mask_id = vocab - 1 if mask_last else 0
    low = 0 if mask_last else 1                               # data never contains the mask id
    idx = torch.randint(low, low + vocab - 1, (64, 256), generator=g)
    original = idx.clone()
    call = describe_call("mlm_corrupt", idx, mask_prob, mask_id, vocab, "generator")
    inputs, selected = kata.mlm_corrupt(idx, mask_prob, mask_id, vocab, torch.Generator().manual_seed(seed + 1))
    assert_equal(idx, original, name="idx after the call (it must not be modified in place)", call=call)
    assert_shape(inputs, idx.shape, name="inputs", call=call)
    assert_shape(selected, idx.shape, name="selected", call=call)
    assert selected.dtype == torch.bool, f"{call} returned selected of dtype {selected.dtype}, expected torch.bool"
    assert_equal(inputs[~selected], idx[~selected], name="inputs at unselected positions", call=call)
    n = int(selected.sum())
    frac = n / idx.numel()
    # 16384 tokens: the selected fraction has sd <= 0.004, so 0.025 is over 6 sd.
    assert abs(frac - mask_prob) < 0.025, f"{call} selected {frac:.3f} of the positions, expected about {mask_prob}"
    got, orig = inputs[selected], idx[selected]
    shares = {"mask_id": float((got == mask_id).double().mean()),
              "unchanged": float((got == orig).double().mean()),
              "another token": float(((got != mask_id) & (got != orig)).double().mean())}
    # a random token can be the mask id or the original by chance (1/vocab each)
    want = {"mask_id": 0.8 + 0.1 / vocab, "unchanged": 0.1 + 0.1 / vocab, "another token": 0.1 * (vocab - 2) / vocab}
    # >= 2000 selected tokens: each share has sd <= 0.009, so 0.055 is over 6 sd.
    off = {k: (shares[k], want[k]) for k in want if abs(shares[k] - want[k]) > 0.055}
    assert not off, (f"{call}: among the {n} selected positions the shares (got, expected) are {off}; BERT replaces "
                     f"80% with the mask id, 10% with a uniformly random token and leaves 10% unchanged; "
                     f"all shares: {shares}")


@given(b=dims(1, 3), seq_len=dims(2, 12), vocab=dims(3, 20), seed=seeds(), data=st.data())
@example(b=1, seq_len=2, vocab=3, seed=0, data=None)
def test_make_example_for_left_to_right_objectives(kata, b, seq_len, vocab, seed, data):
    idx = torch.randint(1, vocab, (b, seq_len), generator=torch.Generator().manual_seed(seed))
    prefix_len = data.draw(st.integers(0, seq_len - 1), label="prefix_len") if data is not None else 1
    for objective in ("clm", "prefix"):
        p = prefix_len if objective == "prefix" else 0
        call = describe_call("make_example", objective, idx, prefix_len=p)
        inputs, targets, loss_mask = kata.make_example(objective, idx, prefix_len=p, vocab_size=vocab)
        want_targets, want_mask = reference_example(objective, idx, p)
        assert_equal(inputs, idx, name="inputs", call=call)
        assert_shape(loss_mask, (b, seq_len), name="loss_mask", call=call)
        late = want_mask & (torch.arange(seq_len) >= p)
        hint = ("scoring starts one position late: position prefix_len - 1 (the last prefix token) predicts the "
                "first token after the prefix" if objective == "prefix" and torch.equal(loss_mask.bool(), late) else "")
        with_hint(lambda got=loss_mask, want=want_mask, call=call: assert_equal(got, want, name="loss_mask", call=call),
                  hint)
        assert_equal(targets[want_mask], want_targets[want_mask], name="targets at the scored positions", call=call)


@given(b=dims(1, 4), seq_len=dims(2, 16), mask_prob=st.sampled_from([0.15, 0.5, 1.0]), seed=seeds(),
       mask_id=st.sampled_from([0, 3]), vocab=st.sampled_from([15, 50]))
@example(b=1, seq_len=2, mask_prob=1.0, seed=0, mask_id=0, vocab=15)
@example(b=4, seq_len=16, mask_prob=1.0, seed=1, mask_id=3, vocab=50)   # mask_id and vocab_size are passed on
def test_make_example_for_mlm(kata, b, seq_len, mask_prob, seed, mask_id, vocab):
    idx = torch.randint(1, 15, (b, seq_len), generator=torch.Generator().manual_seed(seed))
    original = idx.clone()
    call = describe_call("make_example", "mlm", idx, mask_prob=mask_prob, mask_id=mask_id, vocab_size=vocab,
                         generator="generator")
    inputs, targets, loss_mask = kata.make_example("mlm", idx, mask_prob=mask_prob, mask_id=mask_id, vocab_size=vocab,
                                                   generator=torch.Generator().manual_seed(seed + 1))
    want_inputs, selected = kata.mlm_corrupt(original.clone(), mask_prob, mask_id, vocab,
                                             torch.Generator().manual_seed(seed + 1))
    assert_equal(idx, original, name="idx after the call (it must not be modified in place)", call=call)
    assert_equal(inputs, want_inputs, name="inputs (mlm_corrupt with the same generator)", call=call)
    assert_equal(loss_mask, selected, name="loss_mask (the selected positions)", call=call)
    assert_equal(targets, original, name="targets (each position predicts its own original token, no shift)",
                 call=call)


@given(objective=st.sampled_from(["bert", "MLM", "causal", ""]), seq_len=dims(1, 6))
def test_make_example_rejects_an_unknown_objective(kata, objective, seq_len):
    idx = torch.randint(1, 15, (2, seq_len), generator=torch.Generator().manual_seed(seq_len))
    with pytest.raises(ValueError):
        kata.make_example(objective, idx, generator=torch.Generator().manual_seed(0))
        pytest.fail(f"make_example({objective!r}, ...) did not raise ValueError")


@given(b=dims(1, 3), seq_len=dims(1, 8), vocab=dims(2, 12), seed=seeds())
@example(b=1, seq_len=1, vocab=2, seed=0)
def test_masked_cross_entropy_averages_over_scored_positions(kata, b, seq_len, vocab, seed):
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn(b, seq_len, vocab, generator=g, dtype=torch.float64) * 3
    targets = torch.randint(vocab, (b, seq_len), generator=g)
    loss_mask = torch.rand(b, seq_len, generator=g) < 0.4
    loss_mask[0, -1] = True
    call = describe_call("masked_cross_entropy", logits, targets, loss_mask)
    got = kata.masked_cross_entropy(logits, targets, loss_mask)
    want = F.cross_entropy(logits.reshape(-1, vocab), targets.masked_fill(~loss_mask, -100).reshape(-1),
                           ignore_index=-100)
    assert_shape(got, (), name="loss", call=call)
    assert_close(got, want, rtol=1e-12, atol=1e-12, name="loss", call=call)   # float64, same sum


class MaskRecorder(nn.Module):
    """Wraps a model and records every attention mask it is called with."""

    def __init__(self, inner: nn.Module) -> None:
        super().__init__()
        self.inner = inner
        self.masks: list[torch.Tensor | None] = []

    def forward(self, idx: torch.Tensor, attn_mask: torch.Tensor | None = None) -> torch.Tensor:
        self.masks.append(None if attn_mask is None else attn_mask.detach().clone())
        return self.inner(idx, attn_mask)


@given(objective=st.sampled_from(["clm", "prefix"]), seed=seeds(), prefix_len=dims(0, 5))
@example(objective="prefix", seed=0, prefix_len=3)
@settings(max_examples=10)
def test_train_objective_matches_a_reference_loop(kata, objective, seed, prefix_len):
    """Three float64 AdamW steps: same masks, same losses as the loop written out here."""
    seq_len, steps = 8, 3
    p = prefix_len if objective == "prefix" else 0
    torch.manual_seed(seed)
    model = kata.TinyLM(15, d_model=8, n_heads=2, n_layers=1, max_len=seq_len).double()
    ref = kata.TinyLM(15, d_model=8, n_heads=2, n_layers=1, max_len=seq_len).double()
    ref.load_state_dict(model.state_dict())
    g = torch.Generator().manual_seed(seed)
    batches = [torch.randint(1, 15, (4, seq_len), generator=g) for _ in range(steps)]
    with single_thread():
        recorder = MaskRecorder(model)
        got = kata.train_objective(recorder, objective, batches, 1e-2, prefix_len=p)
        opt = torch.optim.AdamW(ref.parameters(), lr=1e-2, weight_decay=0.0)
        want = []
        mask = reference_mask(objective, seq_len, p)
        for batch in batches:
            targets, scored = reference_example(objective, batch, p)
            loss = F.cross_entropy(ref(batch, mask)[scored], targets[scored])
            opt.zero_grad()
            loss.backward()
            opt.step()
            want.append(loss.item())
    call = describe_call("train_objective", "TinyLM(float64)", objective, f"{steps} batches", 1e-2, prefix_len=p)
    assert len(recorder.masks) == steps, f"{call} called the model {len(recorder.masks)} times, expected {steps}"
    for m in recorder.masks:
        assert m is not None, f"{call} called the model without an attention mask"
        with_hint(lambda m=m: assert_equal(m, mask, name="attention mask passed to the model", call=call),
                  mask_hint(m, mask))
    assert len(got) == steps, f"{call} returned {len(got)} losses, expected {steps}"
    # float64 everywhere: only the order of summation can differ
    assert_close(torch.tensor(got), torch.tensor(want), rtol=1e-9, atol=1e-9, name="losses", call=call)


@given(seed=seeds(), mask_prob=st.sampled_from([0.3, 0.5]), vocab=st.sampled_from([15, 40]))
@example(seed=0, mask_prob=0.5, vocab=40)   # random replacement tokens come from 0..vocab_size-1
@settings(max_examples=5)
def test_train_objective_mlm_uses_mask_prob_and_the_generator(kata, seed, mask_prob, vocab):
    """MLM: every step's example is make_example("mlm", ..., mask_prob, vocab_size, generator), drawn from the generator given."""
    seq_len, steps = 8, 3
    torch.manual_seed(seed)
    model = kata.TinyLM(vocab, d_model=8, n_heads=2, n_layers=1, max_len=seq_len).double()
    ref = kata.TinyLM(vocab, d_model=8, n_heads=2, n_layers=1, max_len=seq_len).double()
    ref.load_state_dict(model.state_dict())
    g = torch.Generator().manual_seed(seed)
    batches = [torch.randint(1, 15, (4, seq_len), generator=g) for _ in range(steps)]
    with single_thread():
        got = kata.train_objective(model, "mlm", batches, 1e-2, mask_prob=mask_prob, vocab_size=vocab,
                                   generator=torch.Generator().manual_seed(seed + 1))
        opt = torch.optim.AdamW(ref.parameters(), lr=1e-2, weight_decay=0.0)
        gen, want = torch.Generator().manual_seed(seed + 1), []
        for batch in batches:
            inputs, targets, scored = kata.make_example("mlm", batch, mask_prob=mask_prob, vocab_size=vocab, generator=gen)
            logits = ref(inputs, torch.ones(seq_len, seq_len, dtype=torch.bool))
            loss = F.cross_entropy(logits[scored], targets[scored]) if scored.any() else logits.sum() * 0
            opt.zero_grad()
            loss.backward()
            opt.step()
            want.append(loss.item())
    call = describe_call("train_objective", "TinyLM(float64)", "mlm", f"{steps} batches", 1e-2, mask_prob=mask_prob,
                         vocab_size=vocab, generator=f"Generator(seed={seed + 1})")
    # float64 everywhere: only the order of summation can differ
    assert_close(torch.tensor(got), torch.tensor(want), rtol=1e-9, atol=1e-9,
                 name="losses (each step corrupted with mask_prob, drawing from the generator given)", call=call)


@pytest.mark.slow
@pytest.mark.parametrize("objective", ["clm", "prefix", "mlm"])
@settings(max_examples=1)  # plus the explicit example: two 40-step runs of ~0.2 s each
@given(seed=seeds())
@example(seed=0)
def test_training_lowers_held_out_loss_on_toy_english(kata, objective, seed):
    seq_len, prefix_len, steps = 16, 6, 40
    with single_thread():
        g = torch.Generator().manual_seed(seed)
        stream = kata.toy_english(300, g)
        torch.manual_seed(seed)
        model = kata.TinyLM(len(kata.WORDS), d_model=32, n_heads=2, n_layers=1, max_len=seq_len)
        held = kata.random_windows(stream, 256, seq_len, torch.Generator().manual_seed(seed + 1))
        p = prefix_len if objective == "prefix" else 0
        mask = reference_mask(objective, seq_len, p)

        def held_out_loss() -> float:
            if objective == "mlm":   # one fixed corruption, the same before and after training
                gen = torch.Generator().manual_seed(seed + 2)
                selected = torch.rand(held.shape, generator=gen) < 0.15
                inputs, targets, scored = held.masked_fill(selected, 0), held, selected
            else:
                inputs, (targets, scored) = held, reference_example(objective, held, p)
            with torch.no_grad():
                return F.cross_entropy(model(inputs, mask)[scored], targets[scored]).item()

        before = held_out_loss()
        batches = [kata.random_windows(stream, 16, seq_len, g) for _ in range(steps)]
        losses = kata.train_objective(model, objective, batches, 1e-2, prefix_len=p, generator=g)
        after = held_out_loss()
    assert len(losses) == steps, f"train_objective returned {len(losses)} losses for {steps} batches"
    # Measured over 100 seeds: clm/prefix drop by 1.4-1.7 nats, mlm (15% of the tokens scored, slower) by
    # 0.16-0.6; demand half of the smallest drop seen.
    need = 0.7 if objective != "mlm" else 0.08
    assert after < before - need, (
        f"after {steps} AdamW steps (lr=1e-2) of {objective} training the held-out {objective} loss went "
        f"{before:.3f} -> {after:.3f} nats; expected a drop of more than {need}. Training losses: "
        f"{losses[0]:.3f} -> {losses[-1]:.3f}")
