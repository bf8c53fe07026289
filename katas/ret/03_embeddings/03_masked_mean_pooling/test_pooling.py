"""Tests for ret-03-3, masked mean pooling and sentence embeddings.

References: an explicit float64 loop that averages each row over its kept positions; a transformers
BertModel built from a small BertConfig (random weights, nothing downloaded) run on each sentence
alone, unpadded, whose mean token state the batched, padded embedding must reproduce;
torch.nn.functional.normalize for the unit-length option.
"""
import warnings
from functools import lru_cache

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds, torch_float_dtypes
from grader.testing import assert_close, assert_dtype, call_unmodified, describe_call

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from transformers import BertConfig, BertModel

VOCAB = 40


def states(seed: int, b: int, t: int, h: int, dtype: torch.dtype) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(b, t, h, generator=g, dtype=torch.float64) * 3 + 1).to(dtype)


def draw_mask(seed: int, b: int, t: int, kind: str, empty_row: bool) -> torch.Tensor:
    """Random keep/drop per position (holes allowed, not only trailing padding); optionally an empty row."""
    g = torch.Generator().manual_seed(seed + 1)
    keep = torch.rand(b, t, generator=g) < 0.6
    if empty_row:
        keep[0] = False
    return keep if kind == "bool" else keep.to(torch.long if kind == "int64" else torch.int32)


def explicit_mean(hidden: torch.Tensor, mask: torch.Tensor) -> np.ndarray:
    h, m = hidden.double().numpy(), mask.bool().numpy()
    out = np.zeros((h.shape[0], h.shape[2]))
    for i in range(h.shape[0]):
        rows = [h[i, t] for t in range(h.shape[1]) if m[i, t]]
        if rows:
            out[i] = sum(rows) / len(rows)
    return out


def tol(dtype: torch.dtype) -> float:
    # float32: a mean of <= 8 values of size ~10 carries a few ulps; float64 is exact up to rounding
    return 1e-5 if dtype == torch.float32 else 1e-12


@given(seed=seeds(), b=st.integers(1, 4), t=st.integers(1, 8), h=st.integers(1, 5), dtype=torch_float_dtypes(),
       kind=st.sampled_from(["bool", "int64", "int32"]), empty_row=st.booleans())
@example(seed=0, b=2, t=5, h=3, dtype=torch.float32, kind="bool", empty_row=True)    # a row with nothing kept
@example(seed=1, b=3, t=1, h=2, dtype=torch.float64, kind="int64", empty_row=False)  # length-1 sequences
@example(seed=5, b=2, t=6, h=4, dtype=torch.float64, kind="int64", empty_row=False)
def test_pool_matches_explicit_mean(kata, seed, b, t, h, dtype, kind, empty_row):
    hidden = states(seed, b, t, h, dtype)
    mask = draw_mask(seed, b, t, kind, empty_row)
    call = describe_call("masked_mean_pool", hidden, mask)
    got = call_unmodified(kata.masked_mean_pool, hidden, mask)
    assert_dtype(got, hidden, call=call)
    want = explicit_mean(hidden, mask)
    assert_close(got, want, rtol=tol(dtype), atol=tol(dtype), name="pooled embeddings", call=call)


@given(seed=seeds(), b=st.integers(1, 3), t=st.integers(2, 7), h=st.integers(1, 4), dtype=torch_float_dtypes(),
       junk=st.sampled_from([float("nan"), float("inf"), -float("inf"), 1e30]))
@example(seed=0, b=2, t=4, h=2, dtype=torch.float32, junk=float("nan"))
def test_pool_never_reads_padding(kata, seed, b, t, h, dtype, junk):
    """Padded positions hold garbage (NaN, inf, or a huge value): the result must not change."""
    hidden = states(seed, b, t, h, dtype)
    mask = draw_mask(seed, b, t, "int64", empty_row=False)
    mask[:, 0] = 1
    dirty = hidden.clone()
    dirty[~mask.bool()] = junk
    call = describe_call("masked_mean_pool", dirty, mask) + f" with {junk} at the padded positions"
    got = kata.masked_mean_pool(dirty, mask)
    assert_close(got, explicit_mean(hidden, mask), rtol=tol(dtype), atol=tol(dtype),
                 name="pooled embeddings (padding must never be read)", call=call)


@given(b=st.integers(1, 3), t=st.integers(1, 5), h=st.integers(1, 3), change=st.sampled_from(["t", "b", "transpose"]))
def test_pool_rejects_mismatched_mask(kata, b, t, h, change):
    hidden = states(0, b, t, h, torch.float32)
    mask = {"t": torch.ones(b, t + 1), "b": torch.ones(b + 1, t), "transpose": torch.ones(t, b + 1)}[change]
    with pytest.raises(ValueError):
        kata.masked_mean_pool(hidden, mask)
        pytest.fail(f"masked_mean_pool(hidden {tuple(hidden.shape)}, mask {tuple(mask.shape)}) returned instead of raising ValueError")


@lru_cache(maxsize=4)
def _bert(seed: int, double: bool) -> BertModel:
    cfg = BertConfig(vocab_size=VOCAB, hidden_size=16, num_hidden_layers=2, num_attention_heads=2,
                     intermediate_size=32, max_position_embeddings=16, hidden_dropout_prob=0.0,
                     attention_probs_dropout_prob=0.0)
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        model = BertModel(cfg).eval()
    return model.double() if double else model


def padded_batch(seed: int, lengths: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
    """Right-padded token ids; the padding holds random token ids (not 0), so only the mask tells it apart."""
    g = torch.Generator().manual_seed(seed)
    t = max(lengths)
    ids = torch.randint(1, VOCAB, (len(lengths), t), generator=g)
    mask = (torch.arange(t)[None, :] < torch.tensor(lengths)[:, None]).long()
    return ids, mask


@settings(max_examples=12)
@given(seed=st.integers(0, 3), lengths=st.lists(st.integers(1, 9), min_size=1, max_size=4),
       normalize=st.booleans(), double=st.booleans())
@example(seed=0, lengths=[1, 9, 4], normalize=False, double=False)
@example(seed=1, lengths=[5, 2], normalize=True, double=True)
def test_embed_matches_each_sentence_alone(kata, seed, lengths, normalize, double):
    model = _bert(seed % 2, double)
    ids, mask = padded_batch(seed, lengths)
    call = describe_call("embed_sentences", "BertModel", ids, mask, normalize=normalize)
    got = call_unmodified(kata.embed_sentences, model, ids, mask, normalize=normalize)
    assert_dtype(got, torch.float64 if double else torch.float32, call=call)
    with torch.no_grad():
        want = torch.stack([model(input_ids=ids[i:i + 1, :n]).last_hidden_state[0].double().mean(0)
                            for i, n in enumerate(lengths)])
    if normalize:
        want = F.normalize(want, dim=-1)
    # float32: the padded and unpadded runs differ only by rounding in the attention (~1e-6 on states of size ~1)
    tol_ = 1e-5 if not double else 1e-10
    assert_close(got, want, rtol=tol_, atol=tol_,
                 name="sentence embeddings (vs each sentence run alone without padding)", call=call)


@settings(max_examples=5)
@given(seed=st.integers(0, 3), lengths=st.lists(st.integers(1, 6), min_size=1, max_size=3))
def test_embed_default_is_unnormalized_and_records_no_gradients(kata, seed, lengths):
    model = _bert(seed % 2, False)
    ids, mask = padded_batch(seed, lengths)
    call = describe_call("embed_sentences", "BertModel", ids, mask)
    got = kata.embed_sentences(model, ids, mask)
    assert not got.requires_grad, f"{call} returned a tensor that requires grad: run the model under torch.no_grad()"
    with torch.no_grad():
        want = torch.stack([model(input_ids=ids[i:i + 1, :n]).last_hidden_state[0].mean(0)
                            for i, n in enumerate(lengths)])
    assert_close(got, want, rtol=1e-5, atol=1e-5, name="sentence embeddings (default normalize=False)", call=call)


@given(lengths=st.lists(st.integers(0, 4), min_size=1, max_size=3).filter(lambda ls: 0 in ls))
@example(lengths=[0])
def test_embed_rejects_an_empty_sentence(kata, lengths):
    model = _bert(0, False)
    ids, _ = padded_batch(0, [max(n, 1) for n in lengths])
    mask = (torch.arange(ids.shape[1])[None, :] < torch.tensor(lengths)[:, None]).long()
    with pytest.raises(ValueError):
        kata.embed_sentences(model, ids, mask)
        pytest.fail(f"embed_sentences with attention_mask rows of lengths {lengths} returned instead of raising ValueError")

