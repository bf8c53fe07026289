"""Tests for nlp-11-3, generating from masked, causal and prefix LMs and measuring their quirks.

References: decoding loops written out here, run on (a) a probe model whose next token is a
closed-form function of exactly which keys each position may see, so any wrong mask shows, (b) a
random float64 TinyLM, and (c) an exact masked-LM oracle for a finite language, whose posterior
marginals make the three masked decoding orders give three known answers (parallel decoding
producing a sentence that is not in the language: the classic quirk). distinct-n and repeats are
checked against brute force over Python sets and pairs.
"""
import itertools

import pytest
import torch
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_dtype, assert_equal, describe_call

V = 15          # the toy vocabulary size (id 0 is [MASK])


def reference_mask(objective: str, seq_len: int, prefix_len: int = 0) -> torch.Tensor:
    i, j = torch.arange(seq_len)[:, None], torch.arange(seq_len)[None, :]
    if objective == "mlm":
        return torch.ones(seq_len, seq_len, dtype=torch.bool)
    return (j <= i) | ((j < prefix_len) if objective == "prefix" else torch.zeros((), dtype=torch.bool))


class VisibilityProbe:
    """A stand-in model whose prediction at position i is a closed form of what the mask lets it see.

    w_j = 1 + sum of (k + 1) over the keys k that position j sees;  s_i = sum over the keys j that
    position i sees of w_j * (idx_j + 1);  the prediction at i is token 1 + s_i mod (V - 1) (never 0).
    Causal, prefix and bidirectional masks all give different predictions, as a deeper net would.
    """

    def __init__(self, vocab: int = V) -> None:
        self.vocab = vocab
        self.calls = 0

    def __call__(self, idx: torch.Tensor, attn_mask: torch.Tensor | None = None) -> torch.Tensor:
        self.calls += 1
        t = idx.shape[-1]
        m = torch.ones(t, t, dtype=torch.bool) if attn_mask is None else attn_mask.bool()
        w = 1 + (m.long() * (torch.arange(t) + 1)).sum(-1)                       # (T,)
        s = ((idx + 1) * w) @ m.long().T                                         # (B, T)
        pred = 1 + s % (self.vocab - 1)
        logits = torch.zeros(*idx.shape, self.vocab, dtype=torch.float64)
        logits.scatter_(-1, pred[..., None], 10.0)
        return logits


def reference_left_to_right(model, prompt: torch.Tensor, n_new: int, objective: str) -> torch.Tensor:
    tokens, t0 = prompt.clone(), prompt.shape[-1]
    for _ in range(n_new):
        mask = reference_mask(objective, tokens.shape[-1], t0 if objective == "prefix" else 0)
        nxt = model(tokens, mask)[:, -1].argmax(-1)
        tokens = torch.cat([tokens, nxt[:, None]], dim=-1)
    return tokens


def reference_masked(model, prompt: torch.Tensor, n_new: int, order: str,
                     mask_id: int = 0) -> tuple[torch.Tensor, float]:
    """The three masked decoding orders, row by row; also the smallest margin of any decision it made."""
    b, t0 = prompt.shape
    tokens = torch.cat([prompt, torch.full((b, n_new), mask_id)], dim=-1)
    mask = reference_mask("mlm", t0 + n_new)
    margin = float("inf")
    for _ in range(1 if order == "parallel" else n_new):
        logits = model(tokens, mask).double().clone()
        logits[..., mask_id] = float("-inf")
        probs = torch.softmax(logits, -1)
        for r in range(b):
            masked = [p for p in range(t0 + n_new) if tokens[r, p] == mask_id]
            if order == "parallel":
                chosen = masked
            elif order == "left_to_right":
                chosen = masked[:1]
            else:
                conf = sorted((probs[r, p].max().item() for p in masked), reverse=True)
                margin = min(margin, conf[0] - conf[1]) if len(conf) > 1 else margin
                chosen = [max(masked, key=lambda p, r=r: (probs[r, p].max().item(), -p))]
            for p in chosen:
                top2 = probs[r, p].topk(2).values
                margin = min(margin, float(top2[0] - top2[1]))
                tokens[r, p] = int(probs[r, p].argmax())
    return tokens, margin


class LanguageOracle:
    """The exact masked LM of a finite language: the posterior marginal of each masked position given
    every unmasked token, as log-probabilities plus a per-position offset (logits, not log-probs)."""

    def __init__(self, sentences: list[tuple[int, ...]], weights: list[float], vocab: int = 8, mask_id: int = 0,
                 offsets: list[float] | None = None) -> None:
        self.sentences = torch.tensor(sentences)
        self.weights = torch.tensor(weights, dtype=torch.float64)
        self.vocab, self.mask_id = vocab, mask_id
        self.offsets = offsets

    def __call__(self, idx: torch.Tensor, attn_mask: torch.Tensor | None = None) -> torch.Tensor:
        b, t = idx.shape
        out = torch.full((b, t, self.vocab), -30.0, dtype=torch.float64)
        for r in range(b):
            known = idx[r] != self.mask_id
            fits = (self.sentences[:, known] == idx[r, known]).all(-1)
            w = self.weights * fits
            w = w / w.sum() if w.sum() > 0 else torch.full_like(w, 1 / len(w))
            for p in range(t):
                marg = torch.zeros(self.vocab, dtype=torch.float64).index_add_(0, self.sentences[:, p], w)
                out[r, p] = torch.log(marg.clamp_min(1e-13))
                if self.offsets is not None:
                    out[r, p] += self.offsets[p]
        return out


def random_language(seed: int, length: int, n_sentences: int) -> tuple[list[tuple[int, ...]], list[float]]:
    g = torch.Generator().manual_seed(seed)
    sentences = sorted({tuple(int(x) for x in torch.randint(1, 8, (length,), generator=g)) for _ in range(n_sentences)})
    weights = (torch.rand(len(sentences), generator=g, dtype=torch.float64) + 0.1).tolist()
    return sentences, weights


def margins_ok(logits: torch.Tensor) -> bool:
    """No near-tie between the two best tokens anywhere (so argmax is unambiguous)."""
    top2 = logits.topk(2, dim=-1).values
    return bool(((top2[..., 0] - top2[..., 1]) > 1e-9).all())


@given(b=dims(1, 3), t0=dims(1, 5), n_new=dims(0, 5), seed=seeds())
@example(b=1, t0=1, n_new=1, seed=0)
@example(b=2, t0=3, n_new=4, seed=1)
def test_causal_and_prefix_generation_with_a_mask_probe(kata, b, t0, n_new, seed):
    prompt = torch.randint(1, V, (b, t0), generator=torch.Generator().manual_seed(seed))
    for fn, objective in ((kata.generate_causal, "clm"), (kata.generate_prefix, "prefix")):
        call = describe_call(fn.__name__, "VisibilityProbe", prompt, n_new)
        probe = VisibilityProbe()
        got = fn(probe, prompt.clone(), n_new)
        want = reference_left_to_right(VisibilityProbe(), prompt, n_new, objective)
        assert_equal(got, want, name="tokens", call=call + f" (masks: {objective}"
                     + (f", prefix_len = prompt length {t0})" if objective == "prefix" else ")"))
        assert probe.calls == n_new, f"{call} ran the model {probe.calls} times, expected one pass per new token"


@settings(max_examples=15)
@given(b=dims(1, 3), t0=dims(1, 4), n_new=dims(1, 5), n_layers=dims(1, 2), seed=seeds())
@example(b=2, t0=3, n_new=4, n_layers=2, seed=0)
def test_greedy_generation_from_a_random_tiny_lm(kata, b, t0, n_new, n_layers, seed):
    torch.manual_seed(seed)
    model = kata.TinyLM(V, d_model=16, n_heads=2, n_layers=n_layers, max_len=16).double().eval()
    prompt = torch.randint(1, V, (b, t0), generator=torch.Generator().manual_seed(seed))
    for fn, objective in ((kata.generate_causal, "clm"), (kata.generate_prefix, "prefix")):
        with torch.no_grad():
            want = reference_left_to_right(model, prompt, n_new, objective)
            assume(margins_ok(model(want, reference_mask(objective, want.shape[-1], t0))))
            got = fn(model, prompt.clone(), n_new)
        assert_equal(got, want, name="tokens", call=describe_call(fn.__name__, f"TinyLM(n_layers={n_layers})", prompt,
                                                                  n_new))


@settings(max_examples=10)
@given(t0=dims(1, 4), n_new=dims(1, 6), temperature=st.sampled_from([0.5, 1.0, 2.0]), seed=seeds())
def test_sampling_passes_temperature_and_generator_through(kata, t0, n_new, temperature, seed):
    """With a seeded generator, sampling is reproducible: one sample_next call per step, on the last logits."""
    torch.manual_seed(seed)
    model = kata.TinyLM(V, d_model=16, n_heads=2, n_layers=1, max_len=16).double().eval()
    prompt = torch.randint(1, V, (4, t0), generator=torch.Generator().manual_seed(seed))
    for fn, objective in ((kata.generate_causal, "clm"), (kata.generate_prefix, "prefix")):
        g = torch.Generator().manual_seed(seed + 1)
        tokens = prompt.clone()
        with torch.no_grad():
            for _ in range(n_new):
                logits = model(tokens, reference_mask(objective, tokens.shape[-1], t0 if objective == "prefix" else 0))
                tokens = torch.cat([tokens, kata.sample_next(logits[:, -1], temperature, g)[:, None]], dim=-1)
            got = fn(model, prompt.clone(), n_new, temperature=temperature,
                     generator=torch.Generator().manual_seed(seed + 1))
        assert_equal(got, tokens, name="sampled tokens", call=describe_call(fn.__name__, "TinyLM", prompt, n_new,
                                                                          temperature=temperature, generator="seeded"))


THREE_SENTENCES = ([(1, 4), (2, 4), (3, 5)], [0.30, 0.25, 0.45])


@pytest.mark.parametrize("order, offsets, want, why", [
    ("parallel", None, [3, 4], "each position takes its own most likely token: 3 (p=.45) and 4 (p=.55), "
                               "a sentence the language does not contain"),
    ("left_to_right", None, [3, 5], "position 0 first: 3 (p=.45), then position 1 given 3: 5"),
    ("confidence", None, [1, 4], "position 1 is the more confident (.55 > .45): 4 first, then position 0 given 4: "
                                 "1 (.30/.55)"),
    ("confidence", [5.0, 0.0], [1, 4], "as without offsets: position 0's logits are all 5 higher, which changes no "
                                       "probability; rank positions by softmax probability, not by raw logit"),
])
def test_masked_decoding_orders_on_a_three_sentence_language(kata, order, offsets, want, why):
    """Sentences (1 4) p=.30, (2 4) p=.25, (3 5) p=.45: the three orders give three different answers."""
    oracle = LanguageOracle(*THREE_SENTENCES, offsets=offsets)
    got = kata.generate_masked(oracle, torch.zeros(1, 0, dtype=torch.long), 2, order=order)
    assert got.tolist() == [want], (f"generate_masked(oracle, empty prompt, 2, order={order!r}) returned "
                                    f"{got.tolist()}, expected {[want]}: {why}")


@given(seed=seeds(), length=dims(2, 4), n_sentences=dims(2, 8), t0=dims(0, 2),
       order=st.sampled_from(["left_to_right", "parallel", "confidence"]), shifted=st.booleans())
@example(seed=0, length=3, n_sentences=5, t0=1, order="confidence", shifted=True)
def test_masked_decoding_matches_a_reference_on_random_languages(kata, seed, length, n_sentences, t0, order, shifted):
    sentences, weights = random_language(seed, length, n_sentences)
    offsets = [float(3 * p) for p in range(length)] if shifted else None   # logits, not log-probs
    oracle = LanguageOracle(sentences, weights, offsets=offsets)
    t0 = min(t0, length - 1)
    prompt = torch.tensor([sentences[0][:t0], sentences[-1][:t0]], dtype=torch.long).reshape(2, t0)
    want, margin = reference_masked(oracle, prompt, length - t0, order)
    assume(margin > 1e-9)   # no near-tie in any decision the reference made
    call = describe_call("generate_masked", "LanguageOracle", prompt, length - t0, order=order)
    got = kata.generate_masked(oracle, prompt.clone(), length - t0, order=order)
    assert_equal(got, want, name="tokens", call=call)
    if order != "parallel":   # sequential filling conditions on what it filled: always a real sentence
        for row in got.tolist():
            assert tuple(row) in sentences, f"{call} produced {row}, which is not a sentence of the language"


class MaskLover:
    """A model that always rates the mask id highest and then token 1 + (position mod (V - 1))."""

    def __init__(self, mask_id: int = 0) -> None:
        self.mask_id = mask_id

    def __call__(self, idx: torch.Tensor, attn_mask: torch.Tensor | None = None) -> torch.Tensor:
        b, t = idx.shape
        logits = torch.zeros(b, t, V, dtype=torch.float64)
        logits[..., self.mask_id] = 20.0
        logits[:, torch.arange(t), 1 + torch.arange(t) % (V - 1)] = 10.0
        return logits


@given(t0=dims(0, 3), n_new=dims(1, 5), order=st.sampled_from(["left_to_right", "parallel", "confidence"]),
       mask_id=st.sampled_from([0, V - 1]))
@example(t0=1, n_new=3, order="parallel", mask_id=V - 1)   # a mask id other than the default MASK_ID = 0
def test_masked_decoding_never_emits_the_mask_token(kata, t0, n_new, order, mask_id):
    prompt = torch.full((2, t0), 3, dtype=torch.long)
    got = kata.generate_masked(MaskLover(mask_id), prompt, n_new, order=order, mask_id=mask_id)
    want = torch.cat([prompt, (1 + torch.arange(t0, t0 + n_new) % (V - 1)).expand(2, n_new)], dim=-1)
    assert_equal(got, want, name=f"tokens (argmax over the tokens other than mask_id={mask_id})",
                 call=describe_call("generate_masked", "model preferring the mask id", prompt, n_new, order=order,
                                    mask_id=mask_id))


@given(t0=dims(0, 3), n_new=dims(1, 4), seed=seeds())
def test_masked_decoding_is_bidirectional(kata, t0, n_new, seed):
    prompt = torch.randint(1, V, (2, t0), generator=torch.Generator().manual_seed(seed))
    for order in ("left_to_right", "parallel"):
        probe = VisibilityProbe()
        got = kata.generate_masked(probe, prompt.clone(), n_new, order=order)
        want, _ = reference_masked(VisibilityProbe(), prompt, n_new, order)
        call = describe_call("generate_masked", "VisibilityProbe", prompt, n_new, order=order)
        assert_equal(got, want, name="tokens", call=call + " (expects the all-True mlm mask)")
        passes = 1 if order == "parallel" else n_new
        assert probe.calls == passes, f"{call} ran the model {probe.calls} times, expected {passes} forward passes"


class Counter:
    """The same logits at every position (so every confidence ties exactly); the favourite token is
    1 + (number of tokens already filled in the row) mod (V - 1)."""

    def __call__(self, idx: torch.Tensor, attn_mask: torch.Tensor | None = None) -> torch.Tensor:
        b, t = idx.shape
        filled = (idx != 0).sum(-1)                                               # (B,)
        logits = torch.zeros(b, t, V, dtype=torch.float64)
        logits[torch.arange(b), :, 1 + filled % (V - 1)] = 4.0
        return logits


@given(t0=dims(0, 3), n_new=dims(2, 5))
def test_confidence_ties_go_to_the_leftmost_position(kata, t0, n_new):
    prompt = torch.full((1, t0), 3, dtype=torch.long)
    got = kata.generate_masked(Counter(), prompt, n_new, order="confidence")
    want = torch.cat([prompt, 1 + torch.arange(t0, t0 + n_new)[None] % (V - 1)], dim=-1)
    assert_equal(got, want, name="tokens (every position equally confident: fill left to right)",
                 call=describe_call("generate_masked", "model with identical rows", prompt, n_new, order="confidence"))


def test_masked_decoding_rejects_an_unknown_order(kata):
    with pytest.raises(ValueError):
        kata.generate_masked(VisibilityProbe(), torch.ones(1, 2, dtype=torch.long), 2, order="random")
        pytest.fail("generate_masked(..., order='random') did not raise ValueError")


@given(b=dims(1, 3), t=dims(1, 12), n=dims(1, 4), alphabet=dims(1, 4), seed=seeds())
@example(b=1, t=4, n=1, alphabet=1, seed=0)
@example(b=2, t=3, n=3, alphabet=2, seed=1)
@example(b=1, t=1, n=1, alphabet=3, seed=2)     # one token, one unigram: 1.0
def test_distinct_n_matches_brute_force(kata, b, t, n, alphabet, seed):
    n = min(n, t)                                  # n > T is an error (next test)
    tokens = torch.randint(alphabet, (b, t), generator=torch.Generator().manual_seed(seed))
    want = [len({tuple(row[i:i + n]) for i in range(t - n + 1)}) / (t - n + 1) for row in tokens.tolist()]
    call = describe_call("distinct_n", tokens, n)
    got = kata.distinct_n(tokens, n)
    assert_dtype(got, torch.float64, call=call)
    assert_close(got, torch.tensor(want, dtype=torch.float64), rtol=0, atol=1e-12, call=call)


@given(t=dims(1, 5), extra=dims(1, 3))
def test_distinct_n_rejects_n_longer_than_the_row(kata, t, extra):
    with pytest.raises(ValueError):
        kata.distinct_n(torch.zeros(1, t, dtype=torch.long), t + extra)
        pytest.fail(f"distinct_n on a row of length {t} with n={t + extra} did not raise ValueError")
    for bad_n in (0, -extra):
        with pytest.raises(ValueError):
            kata.distinct_n(torch.zeros(1, t, dtype=torch.long), bad_n)
            pytest.fail(f"distinct_n(tokens, n={bad_n}) did not raise ValueError")


@given(b=dims(1, 3), t=dims(2, 12), alphabet=dims(1, 3), seed=seeds())
@example(b=1, t=2, alphabet=1, seed=0)
def test_adjacent_repeats_matches_brute_force(kata, b, t, alphabet, seed):
    tokens = torch.randint(alphabet, (b, t), generator=torch.Generator().manual_seed(seed))
    want = [sum(x == y for x, y in itertools.pairwise(row)) / (t - 1) for row in tokens.tolist()]
    got = kata.adjacent_repeats(tokens)
    assert_dtype(got, torch.float64, call=describe_call("adjacent_repeats", tokens))
    assert_close(got, torch.tensor(want, dtype=torch.float64), rtol=0, atol=1e-12,
                 call=describe_call("adjacent_repeats", tokens))
