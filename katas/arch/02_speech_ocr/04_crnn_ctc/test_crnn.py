"""Tests for arch-02-4, a CRNN (CNN + BiLSTM + CTC) reading synthetic rendered text.

References: the CRNN forward pass against a reference built column by column from torch.nn.functional with
the model's own weights; the loss (and its gradient) against torch.nn.functional.ctc_loss; greedy decoding
against itertools.groupby; the character error rate against jiwer.cer; and a real run: your CRNN, trained
here with your loss on strings rendered by Pillow, must read held-out images.
"""
import itertools
import warnings

import jiwer
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, assert_shape, call_unmodified, describe_call

pytestmark = pytest.mark.slow
ALPHABET = "ABCDE"


def reference_forward(model: torch.nn.Module, images: torch.Tensor) -> torch.Tensor:
    """The same network written with torch.nn.functional, the sequence built one image column at a time."""
    def bn(x: torch.Tensor, m: torch.nn.BatchNorm2d) -> torch.Tensor:
        if model.training:
            return F.batch_norm(x, None, None, m.weight, m.bias, training=True, eps=m.eps)
        return F.batch_norm(x, m.running_mean, m.running_var, m.weight, m.bias, training=False, eps=m.eps)

    x = F.relu(bn(F.conv2d(images, model.conv1.weight, model.conv1.bias, padding=1), model.bn1))
    x = F.max_pool2d(x, kernel_size=2, stride=2)
    x = F.relu(bn(F.conv2d(x, model.conv2.weight, model.conv2.bias, padding=1), model.bn2))
    columns = [torch.stack([x[b, :, :, t].reshape(-1) for b in range(x.shape[0])]) for t in range(x.shape[3])]
    out, _ = model.rnn(torch.stack(columns))             # channel-major features of column t at step t
    return F.linear(out, model.fc.weight, model.fc.bias)


@settings(max_examples=15)
@given(b=st.integers(1, 3), width=st.sampled_from([2, 8, 16, 32]), n_chars=st.integers(1, 6),
       hidden=st.sampled_from([4, 8]), train=st.booleans(), seed=seeds())
@example(b=2, width=32, n_chars=5, hidden=8, train=False, seed=0)
@example(b=2, width=16, n_chars=3, hidden=4, train=True, seed=1)
def test_crnn_forward_matches_functional_reference(kata, b, width, n_chars, hidden, train, seed):
    torch.manual_seed(seed)
    model = kata.CRNN(n_chars, hidden=hidden).double()
    with torch.no_grad():                               # running statistics that are not the identity
        for m in (model.bn1, model.bn2):
            m.running_mean.uniform_(-0.5, 0.5)
            m.running_var.uniform_(0.5, 2.0)
            m.weight.uniform_(0.5, 1.5)
            m.bias.uniform_(-0.5, 0.5)
    model.train(train)
    images = torch.rand(b, 1, kata.HEIGHT, width, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    call = describe_call(f"CRNN({n_chars}, hidden={hidden}).forward ({'train' if train else 'eval'} mode)", images)
    with torch.no_grad():
        want = reference_forward(model, images)
        got = call_unmodified(model, images, fn_name="CRNN.forward")
    assert_shape(got, (width // 2, b, n_chars + 1), name="logits (T = W/2, B, n_chars + 1)", call=call)
    assert_close(got, want, rtol=1e-9, atol=1e-10, name="logits", call=call)


TEXTS = st.lists(st.text(alphabet=ALPHABET, max_size=5), min_size=1, max_size=4)


@given(texts=TEXTS, alphabet=st.sampled_from([ALPHABET, "EDCBA", "ABCDEXYZ"]))
@example(texts=["", "A"], alphabet=ALPHABET)        # an empty string has length 0 and no targets
@example(texts=[], alphabet=ALPHABET)               # no texts: two empty int64 tensors
def test_encode_texts_maps_characters_after_blank(kata, texts, alphabet):
    call = describe_call("encode_texts", texts, alphabet)
    targets, lengths = kata.encode_texts(texts, alphabet)
    assert_equal(targets, [alphabet.index(c) + 1 for t in texts for c in t], name="targets (1-based: 0 is blank)",
                 call=call)
    assert_equal(lengths, [len(t) for t in texts], name="target lengths", call=call)
    assert targets.dtype == torch.long and lengths.dtype == torch.long, \
        f"{call} returned dtypes {targets.dtype}, {lengths.dtype}; expected torch.int64 for both"


@given(bad=st.sampled_from([["AB", "AZ"], ["a"], ["A B"]]))
def test_encode_texts_rejects_unknown_characters(kata, bad):
    with pytest.raises(ValueError):
        kata.encode_texts(bad, ALPHABET)
        pytest.fail(f"encode_texts({bad}, {ALPHABET!r}) returned instead of raising ValueError")


@st.composite
def ctc_batch(draw: st.DrawFn) -> tuple[torch.Tensor, list[str]]:
    t = draw(st.integers(1, 10))
    texts = []
    for _ in range(draw(st.integers(1, 4))):
        text = draw(st.text(alphabet=ALPHABET, max_size=5))
        while text and len(text) + sum(a == b for a, b in itertools.pairwise(text)) > t:
            text = text[:-1]                           # keep every target alignable in t frames
        texts.append(text)
    seed = draw(seeds())
    logits = 2 * torch.randn(t, len(texts), len(ALPHABET) + 1, generator=torch.Generator().manual_seed(seed),
                             dtype=torch.float64)
    return logits, texts


@given(batch=ctc_batch())
@example(batch=(torch.linspace(-1, 1, 5 * 2 * 6, dtype=torch.float64).reshape(5, 2, 6), ["AA", "BCB"]))
def test_crnn_ctc_loss_matches_torch(kata, batch):
    logits, texts = batch
    call = describe_call("crnn_ctc_loss", logits, texts, ALPHABET)
    mine = logits.clone().requires_grad_(True)
    got = call_unmodified(kata.crnn_ctc_loss, mine, texts, ALPHABET, fn_name="crnn_ctc_loss")
    ref = logits.clone().requires_grad_(True)
    targets = torch.tensor([ALPHABET.index(c) + 1 for t in texts for c in t], dtype=torch.long)
    want = F.ctc_loss(ref.log_softmax(-1), targets, torch.full((len(texts),), logits.shape[0]),
                      torch.tensor([len(t) for t in texts]), blank=0, reduction="mean")
    assert_close(got, want, rtol=1e-9, atol=1e-10,
                 name="loss (vs F.ctc_loss on log_softmax(logits), blank 0, every frame used, mean)", call=call)
    got.backward()
    want.backward()
    assert mine.grad is not None, f"{call}: no gradient reached the logits"
    assert_close(mine.grad, ref.grad, rtol=1e-8, atol=1e-10, name="d loss / d logits", call=call)


def test_crnn_ctc_loss_rejects_unknown_characters(kata):
    with pytest.raises(ValueError):
        kata.crnn_ctc_loss(torch.zeros(4, 1, 6), ["AQ"], ALPHABET)
        pytest.fail("crnn_ctc_loss(..., ['AQ'], 'ABCDE') returned instead of raising ValueError")


def groupby_decode(path: list[int], alphabet: str) -> str:
    return "".join(alphabet[k - 1] for k, _ in itertools.groupby(path) if k != 0)


@given(paths=st.lists(st.lists(st.integers(0, 5), min_size=1, max_size=10), min_size=1, max_size=3).filter(
    lambda ps: len({len(p) for p in ps}) == 1), alphabet=st.sampled_from([ALPHABET, "VWXYZ"]), seed=seeds())
@example(paths=[[1, 1, 0, 1, 2, 2, 0, 0]], alphabet=ALPHABET, seed=0)     # AA only with a blank between
@example(paths=[[0, 0, 0], [3, 3, 3]], alphabet=ALPHABET, seed=1)         # all blank; one held character
def test_greedy_decode_collapses_then_drops_blanks(kata, paths, alphabet, seed):
    path = torch.tensor(paths).T                                              # (T, B)
    noise = 0.3 * torch.rand(*path.shape, 6, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    logits = noise + 5.0 * F.one_hot(path, 6)
    call = describe_call("greedy_decode", logits, alphabet)
    got = call_unmodified(kata.greedy_decode, logits, alphabet, fn_name="greedy_decode")
    want = [groupby_decode(p, alphabet) for p in paths]
    assert got == want, f"{call} returned {got}, expected {want} (best path {paths}, blank = 0)"


STRINGS = st.text(alphabet="abc", max_size=6)


@given(pairs=st.lists(st.tuples(STRINGS, STRINGS), min_size=1, max_size=5))
@example(pairs=[("abc", "abc"), ("ab", "ab")])                 # perfect: 0
@example(pairs=[("abc", ""), ("a", "")])                       # nothing read: 1
@example(pairs=[("a", "bcbcbc")])                              # insertions push it past 1
@example(pairs=[("", "ab"), ("abc", "abc")])                   # an empty reference still counts its insertions
def test_character_error_rate_matches_jiwer(kata, pairs):
    refs, hyps = [p[0] for p in pairs], [p[1] for p in pairs]
    if not "".join(refs):
        refs[0] = "a"
    call = describe_call("character_error_rate", refs, hyps)
    got = kata.character_error_rate(refs, hyps)
    assert_close(got, jiwer.cer(refs, hyps), rtol=1e-12, atol=0, name="CER (vs jiwer.cer)", call=call)


@given(bad=st.sampled_from(["lengths", "empty"]))
def test_character_error_rate_rejects_bad_input(kata, bad):
    refs, hyps = (["ab", "c"], ["ab"]) if bad == "lengths" else (["", ""], ["a", "b"])
    with pytest.raises(ValueError):
        kata.character_error_rate(refs, hyps)
        pytest.fail(f"character_error_rate({refs}, {hyps}) returned instead of raising ValueError")


def text_images(n: int, rng: np.random.Generator, kata) -> tuple[torch.Tensor, list[str]]:
    """Strings of 1-4 letters from ALPHABET, rendered by Pillow at a random offset, with pixel noise."""
    images, texts = [], []
    for _ in range(n):
        text = "".join(rng.choice(list(ALPHABET), rng.integers(1, 5)))
        x0 = int(rng.integers(0, max(kata.WIDTH - kata.text_width(text), 0) + 1))
        images.append(kata.render_text(text, x0))
        texts.append(text)
    x = torch.from_numpy(np.stack(images))[:, None]
    return x + 0.1 * torch.from_numpy(rng.standard_normal(x.shape).astype(np.float32)), texts


def test_crnn_learns_to_read_rendered_text(kata):
    """150 Adam steps of your CTC loss on your CRNN: held-out character error rate must fall below 0.1
    (the reference reaches 0.0 on eight seeds out of eight; an untrained CRNN reads nothing, CER 1)."""
    torch.manual_seed(0)
    rng = np.random.default_rng(0)
    model = kata.CRNN(len(ALPHABET))
    opt = torch.optim.Adam(model.parameters(), lr=5e-3)
    for _ in range(150):
        images, texts = text_images(32, rng, kata)
        loss = kata.crnn_ctc_loss(model(images), texts, ALPHABET)
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    images, texts = text_images(200, np.random.default_rng(10_000), kata)
    with torch.no_grad():
        read = kata.greedy_decode(model(images), ALPHABET)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cer = jiwer.cer(texts, read)
    assert cer <= 0.1, (f"after 150 steps your CRNN reads held-out images with CER {cer:.3f} (reference 0.0); "
                        f"first few: {list(zip(texts[:5], read[:5], strict=True))}")
    assert_close(kata.character_error_rate(texts, read), cer, rtol=1e-12, atol=0, name="your CER of the run",
                 call="character_error_rate(held-out texts, read)")
