"""Tests for arch-01-4, BERT's 80/10/10 masking and the masked-LM loss.

References: binomial bounds (5 standard errors) on the selection rate and the 80/10/10 split over
~10^5 positions; exact structural facts (labels, untouched positions, special tokens); the loss
against torch's cross_entropy(ignore_index=-100) and against transformers' BertForMaskedLM built
from a small BertConfig (random weights, nothing downloaded).
"""
import math
import warnings

import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, assert_seeded, call_unmodified, describe_call

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from transformers import BertConfig, BertForMaskedLM

IGNORE = -100


def batch(b: int, seq: int, vocab: int, seed: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Random tokens in [5, vocab) with [CLS]=1 first, [SEP]=2 last, padding 0 at the end of some rows."""
    g = torch.Generator().manual_seed(seed)
    tokens = torch.randint(5, vocab, (b, seq), generator=g)
    lengths = torch.randint(2, seq + 1, (b,), generator=g)
    special = torch.zeros(b, seq, dtype=torch.bool)
    for i, n in enumerate(lengths.tolist()):
        tokens[i, 0], tokens[i, n - 1] = 1, 2
        tokens[i, n:] = 0
        special[i, 0] = special[i, n - 1:] = True
    return tokens, special


def within(got: float, p: float, n: int, what: str, call: str) -> None:
    se = math.sqrt(max(p * (1 - p), 1e-12) / max(n, 1))
    assert abs(got - p) <= 5 * se + 1e-9, (f"{call}: {what} is {got:.4f} over {n} positions, expected {p:.4f} "
                                           f"(± {5 * se:.4f}, five binomial standard errors)")


@pytest.mark.parametrize("mask_prob", [0.15, 0.4])
def test_proportions_are_80_10_10(kata, mask_prob):
    vocab, mask_id = 50, 4
    tokens, special = batch(200, 400, vocab, seed=1)
    call = describe_call("bert_mask", tokens, special, vocab, mask_id, mask_prob=mask_prob, seed=7)
    inputs, labels = kata.bert_mask(tokens, special, vocab, mask_id, mask_prob=mask_prob, seed=7)
    selected = labels != IGNORE
    n_free, n_sel = int((~special).sum()), int(selected.sum())
    within(n_sel / n_free, mask_prob, n_free, "the fraction of non-special positions selected", call)
    sel_in, sel_orig = inputs[selected], tokens[selected]
    within(float((sel_in == mask_id).float().mean()), 0.8, n_sel, "the fraction of selected set to mask_id", call)
    # A random replacement equals the original with probability 1/vocab, and mask_id with 1/vocab.
    changed = (sel_in != mask_id) & (sel_in != sel_orig)
    within(float(changed.float().mean()), 0.1 * (1 - 2 / vocab), n_sel,
           "the fraction of selected replaced by another token", call)
    within(float((sel_in == sel_orig).float().mean()), 0.1 + 0.1 / vocab, n_sel,
           "the fraction of selected left unchanged", call)
    replaced = sel_in[changed]
    counts = torch.bincount(replaced, minlength=vocab)
    assert int(replaced.max()) < vocab and int(replaced.min()) >= 0 and int((counts[:5] > 0).sum()) >= 3, (
        f"{call}: random replacements should be uniform over [0, {vocab}) (ids 0..4 too), got counts {counts.tolist()}")


@settings(max_examples=25)
@given(b=st.integers(1, 4), seq=st.integers(2, 30), vocab=st.integers(6, 40),
       mask_prob=st.sampled_from([0.0, 0.15, 0.5, 1.0]), seed=seeds())
@example(b=2, seq=10, vocab=20, mask_prob=1.0, seed=0)   # every non-special position selected
@example(b=2, seq=10, vocab=20, mask_prob=0.0, seed=0)   # nothing selected
def test_labels_and_untouched_positions(kata, b, seq, vocab, mask_prob, seed):
    tokens, special = batch(b, seq, vocab, seed)
    mask_id = 3
    call = describe_call("bert_mask", tokens, special, vocab, mask_id, mask_prob=mask_prob, seed=seed)
    inputs, labels = call_unmodified(kata.bert_mask, tokens, special, vocab, mask_id, mask_prob=mask_prob, seed=seed,
                                     fn_name="bert_mask")
    selected = labels != IGNORE
    assert inputs.dtype == torch.int64 and labels.dtype == torch.int64, (
        f"{call}: dtypes {inputs.dtype}, {labels.dtype}, expected int64 for both")
    assert not bool((selected & special).any()), f"{call}: a special position got a label"
    assert_equal(labels[selected], tokens[selected], name="labels at selected positions (the original tokens)",
                 call=call)
    assert_equal(inputs[~selected], tokens[~selected], name="inputs at positions that were not selected", call=call)
    if mask_prob == 1.0:
        assert bool(selected.eq(~special).all()), f"{call}: with mask_prob=1 every non-special position is selected"
    if mask_prob == 0.0:
        assert not bool(selected.any()), f"{call}: with mask_prob=0 nothing is selected"


@given(seed=seeds())
def test_masking_is_seeded(kata, seed):
    tokens, special = batch(4, 30, 30, 0)
    assert_seeded(lambda s: kata.bert_mask(tokens, special, 30, 3, seed=s), seed, name="(inputs, labels)")


def test_default_mask_prob_is_15_percent(kata):
    tokens, special = batch(100, 300, 30, 2)
    _, labels = kata.bert_mask(tokens, special, 30, 3)
    n_free = int((~special).sum())
    within(int((labels != IGNORE).sum()) / n_free, 0.15, n_free, "the default selection rate",
           "bert_mask(tokens, special, 30, 3)")


@given(p=st.sampled_from([-0.01, 1.01, -1.0, 2.0]))
def test_rejects_bad_mask_prob(kata, p):
    tokens, special = batch(1, 5, 10, 0)
    with pytest.raises(ValueError):
        kata.bert_mask(tokens, special, 10, 3, mask_prob=p)
        pytest.fail(f"bert_mask(..., mask_prob={p}) returned instead of raising ValueError")


@given(b=st.integers(1, 3), seq=st.integers(1, 8), v=st.integers(2, 12), seed=seeds())
@example(b=1, seq=1, v=2, seed=0)
def test_loss_matches_cross_entropy_with_ignore_index(kata, b, seq, v, seed):
    g = torch.Generator().manual_seed(seed)
    logits = torch.randn(b, seq, v, generator=g, dtype=torch.float64) * 3
    labels = torch.randint(v, (b, seq), generator=g)
    labels[torch.rand(b, seq, generator=g) < 0.6] = IGNORE
    labels.view(-1)[torch.randint(b * seq, (1,), generator=g)] = int(torch.randint(v, (1,), generator=g))
    call = describe_call("masked_lm_loss", logits, labels)
    got = call_unmodified(kata.masked_lm_loss, logits, labels, fn_name="masked_lm_loss")
    want = F.cross_entropy(logits.reshape(-1, v), labels.reshape(-1), ignore_index=IGNORE)
    assert_close(got, want, rtol=1e-12, atol=1e-12, call=call)   # float64, same arithmetic
    scrambled = logits.clone()
    scrambled[labels == IGNORE] = torch.randn(int((labels == IGNORE).sum()), v, generator=g, dtype=torch.float64)
    assert_close(kata.masked_lm_loss(scrambled, labels), got, rtol=1e-12, atol=1e-12,
                 name="loss after changing logits at unlabelled positions", call=call)


def test_loss_rejects_no_labels(kata):
    with pytest.raises(ValueError):
        kata.masked_lm_loss(torch.randn(1, 3, 5), torch.full((1, 3), IGNORE))
        pytest.fail("masked_lm_loss with every label -100 returned instead of raising ValueError")


@settings(max_examples=5)
@given(seed=seeds())
def test_loss_matches_bert_for_masked_lm(kata, seed):
    """A real BERT-mini (2 layers, width 32) on a masked batch: your loss on its logits is its own loss."""
    torch.manual_seed(seed)
    config = BertConfig(vocab_size=40, hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=32)
    model = BertForMaskedLM(config).eval()
    tokens, special = batch(3, 16, 40, seed)
    inputs, labels = kata.bert_mask(tokens, special, 40, 4, mask_prob=0.3, seed=seed)
    if not bool((labels != IGNORE).any()):
        labels[0, 1] = tokens[0, 1]
    with torch.no_grad():
        out = model(input_ids=inputs, attention_mask=(tokens != 0).long(), labels=labels)
    call = describe_call("masked_lm_loss", out.logits, labels)
    # float32 logits; the same log-softmax, different reduction order.
    assert_close(kata.masked_lm_loss(out.logits, labels), out.loss, rtol=1e-5, atol=1e-6,
                 name="loss vs BertForMaskedLM(labels=...).loss", call=call)
