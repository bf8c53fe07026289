"""Tests for dl-05-5, a character-level LSTM language model with truncated BPTT.

References: the stream layout of tbptt_batches rebuilt here from the text; a training-loop twin
(a copy of your model, the same chunks, Adam, gradient clipping, detached state) whose per-step
losses must equal yours; and a real run on tiny Shakespeare (grader.lm), whose validation loss must
beat the unigram baseline and benefit from the carried state.
"""
import copy

import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader import lm
from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, describe_call

pytestmark = pytest.mark.slow

TRAIN, VAL = lm.corpus_splits()
V = len(lm.vocab())


@given(n=st.integers(2, 60), batch_size=st.integers(1, 6), seq_len=st.integers(1, 9))
@example(n=2, batch_size=1, seq_len=1)
@example(n=23, batch_size=3, seq_len=4)   # L = 7: chunks of 4 and 3
def test_batches_walk_parallel_streams(kata, n, batch_size, seq_len):
    ids = torch.arange(100, 100 + n)
    L = (n - 1) // batch_size
    call = describe_call("tbptt_batches", ids, batch_size, seq_len)
    if L < 1:
        with pytest.raises(ValueError):
            list(kata.tbptt_batches(ids, batch_size, seq_len))
        return
    chunks = list(kata.tbptt_batches(ids, batch_size, seq_len))
    starts = list(range(0, L, seq_len))
    assert len(chunks) == len(starts), f"{call} yielded {len(chunks)} chunks, expected ceil(L / seq_len) = {len(starts)}"
    for k, ((x, y), s) in enumerate(zip(chunks, starts, strict=True)):
        t = torch.arange(s, min(s + seq_len, L))
        want_x = 100 + torch.arange(batch_size)[:, None] * L + t[None, :]
        assert_equal(x, want_x, name=f"x of chunk {k} (row b = stream b = ids[b·L : (b+1)·L + 1])", call=call)
        assert_equal(y, want_x + 1, name=f"y of chunk {k} (the next character of each x)", call=call)


@given(bad=st.sampled_from([(0, 4), (2, 0), (-1, 3)]))
def test_batches_reject_bad_sizes(kata, bad):
    with pytest.raises(ValueError):
        list(kata.tbptt_batches(torch.arange(50), *bad))


def twin_train(model: torch.nn.Module, ids: torch.Tensor, batch_size: int, seq_len: int, steps: int, lr: float,
               clip: float) -> list[float]:
    L = (len(ids) - 1) // batch_size
    streams = torch.stack([ids[b * L: (b + 1) * L + 1] for b in range(batch_size)])
    chunks = [(streams[:, s:min(s + seq_len, L)], streams[:, s + 1:min(s + seq_len, L) + 1]) for s in range(0, L, seq_len)]
    opt = torch.optim.Adam(model.parameters(), lr=lr)
    losses, state = [], None
    for step in range(steps):
        k = step % len(chunks)
        if k == 0:
            state = None
        x, y = chunks[k]
        if state is not None:
            state = tuple(s.detach() for s in state)
        opt.zero_grad()
        logits, state = model(x, state)
        loss = F.cross_entropy(logits.reshape(-1, V), y.reshape(-1))
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), clip)
        opt.step()
        losses.append(float(loss.detach()))
    return losses


@settings(max_examples=4)
@given(seed=seeds(), batch_size=st.integers(1, 4), seq_len=st.integers(2, 8), steps=st.integers(1, 12),
       clip=st.sampled_from([0.05, 1.0]))
@example(seed=0, batch_size=2, seq_len=5, steps=12, clip=0.05)  # 61 chars: 6 chunks, then a wrap-around
def test_training_matches_the_twin(kata, seed, batch_size, seq_len, steps, clip):
    start = (seed * 7919) % (len(TRAIN) - 100)
    ids = TRAIN[start:start + 61]
    torch.manual_seed(seed)
    model = kata.CharLSTM(V, emb=8, hidden=12)
    twin = copy.deepcopy(model)
    call = describe_call(f"train_tbptt(batch_size={batch_size}, seq_len={seq_len}, steps={steps}, lr=0.01, clip={clip})",
                         ids)
    got = kata.train_tbptt(model, ids, batch_size, seq_len, steps, 0.01, clip=clip)
    want = twin_train(twin, ids, batch_size, seq_len, steps, 0.01, clip)
    assert len(got) == steps, f"{call} returned {len(got)} losses, expected one per step ({steps})"
    # float32 LSTM, identical operations: a few ulps, grown over ≤ 12 Adam steps.
    assert_close(got, want, rtol=1e-4, atol=1e-5, name="per-step losses (vs the twin: carried, detached state)",
                 call=call)


@given(seed=seeds())
@settings(max_examples=3)
def test_truncation_stops_gradients_at_the_chunk_boundary(kata, seed):
    """Carry the state out of chunk 1 the way train_tbptt does it, then differentiate chunk 2's loss:
    an embedding row used only in chunk 1 must get no gradient (it would without the detach)."""
    torch.manual_seed(seed)
    model = kata.CharLSTM(V, emb=4, hidden=6)
    ids = torch.tensor([1, 2, 3, 4, 5, 10, 11, 12, 13, 14, 15])  # chunk 1 reads ids 1..5, chunk 2 reads 10..14
    model.zero_grad()
    kata.train_tbptt(model, ids, 1, 5, 2, lr=0.0, clip=1e9)
    grad = model.emb.weight.grad
    assert grad is not None, "train_tbptt left no gradient on the model after its last step"
    assert torch.all(grad[1:6] == 0), (
        f"after train_tbptt's second step, embedding rows 1..5 (used only in chunk 1) have gradient norm "
        f"{float(grad[1:6].norm()):.3g}: detach the carried state so BPTT is truncated at the chunk boundary")
    assert torch.any(grad[10:15] != 0), "embedding rows used in chunk 2 got no gradient at all"


@settings(max_examples=1)
@given(seed=seeds())
def test_lstm_learns_shakespeare_and_uses_its_carried_state(kata, seed):
    """A measured effect: 150 TBPTT steps bring validation loss far below the unigram baseline (~3.3
    nats), and evaluating with the carried state beats resetting it every 8 characters."""
    torch.manual_seed(seed)
    model = kata.CharLSTM(V)
    start = (seed * 7919) % 800_000
    losses = kata.train_tbptt(model, TRAIN[start:start + 200_000], 32, 32, 150, 1e-2)
    val = VAL[:20_000]
    carried = kata.evaluate(model, val, 16, 8, carry_state=True)
    reset = kata.evaluate(model, val, 16, 8, carry_state=False)
    report = (f"first/last training loss {losses[0]:.3f}/{losses[-1]:.3f}, validation {carried:.3f} with the "
              f"state carried, {reset:.3f} reset every 8 characters")
    assert carried < 2.6, f"{report}: expected below 2.6 nats after 150 steps"
    assert reset - carried > 0.08, f"{report}: carrying the state should help by more than 0.08 nats"


@given(seed=seeds(), batch_size=st.integers(1, 3), seq_len=st.integers(1, 6), carry=st.booleans())
@settings(max_examples=10)
def test_evaluate_is_the_mean_loss_per_character(kata, seed, batch_size, seq_len, carry):
    torch.manual_seed(seed)
    model = kata.CharLSTM(V, emb=4, hidden=5)
    ids = VAL[seed % 1000: seed % 1000 + 40]
    L = (len(ids) - 1) // batch_size
    streams = torch.stack([ids[b * L: (b + 1) * L + 1] for b in range(batch_size)])
    total, count, state = 0.0, 0, None
    with torch.no_grad():
        for s in range(0, L, seq_len):
            x, y = streams[:, s:min(s + seq_len, L)], streams[:, s + 1:min(s + seq_len, L) + 1]
            logits, new = model(x, state if carry else None)
            state = new
            total += float(F.cross_entropy(logits.reshape(-1, V), y.reshape(-1), reduction="sum"))
            count += y.numel()
    got = kata.evaluate(model, ids, batch_size, seq_len, carry_state=carry)
    assert_close(got, total / count, rtol=1e-5, atol=1e-6, name="mean loss per predicted character",
                 call=describe_call(f"evaluate(batch_size={batch_size}, seq_len={seq_len}, carry_state={carry})", ids))
