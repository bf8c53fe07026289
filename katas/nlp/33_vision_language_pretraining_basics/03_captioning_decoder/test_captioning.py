"""Tests for nlp-33-3, an image-captioning decoder evaluated with corpus BLEU.

References: `torch.nn.TransformerDecoderLayer` (norm_first, GELU, causal target mask) loaded with the
learner's block weights; the embedding arithmetic of the docstring on top of it; an explicit float64
log-softmax sum for the teacher-forced loss (and its gradient through autograd); a one-image-at-a-time
step-by-step argmax for greedy decoding; `sacrebleu`'s corpus BLEU (tokenize="none",
smooth_method="none") for BLEU. The trained test renders a synthetic caption set (COCO cannot be
downloaded here), trains the learner's decoder and scores its greedy captions with sacrebleu.
"""
import pytest
import torch
import torch._dynamo  # noqa: F401  (torch.optim's first step imports it: pay that at collection, not in a test)
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sacrebleu.metrics import BLEU
from torch import nn

from grader.strategies import seeds
from grader.testing import assert_close, call_unmodified, describe_call

pytestmark = pytest.mark.slow


def torch_layer(block: nn.Module, d_model: int, n_heads: int, d_ff: int) -> nn.TransformerDecoderLayer:
    ref = nn.TransformerDecoderLayer(d_model, n_heads, d_ff, dropout=0.0, activation="gelu",
                                     batch_first=True, norm_first=True).double()
    ref.load_state_dict(block.state_dict())
    return ref.eval()


def causal_mask(t: int) -> torch.Tensor:
    return nn.Transformer.generate_square_subsequent_mask(t, dtype=torch.float64)


HEADS = st.integers(1, 3)
HEAD_DIMS = st.integers(1, 4)


@given(seed=seeds(), n_heads=HEADS, head_dim=HEAD_DIMS, d_ff=st.integers(1, 12), b=st.integers(1, 3),
       t=st.integers(1, 6), n=st.integers(1, 5))
@example(seed=0, n_heads=2, head_dim=4, d_ff=8, b=2, t=1, n=1)      # one token, one patch
@example(seed=1, n_heads=1, head_dim=3, d_ff=4, b=1, t=5, n=4)
@settings(max_examples=15)
def test_decoder_block_matches_torch_decoder_layer(kata, seed, n_heads, head_dim, d_ff, b, t, n):
    d = n_heads * head_dim
    torch.manual_seed(seed)
    block = kata.DecoderBlock(d, n_heads, d_ff).double()
    for p in block.parameters():   # LayerNorm starts at 1/0: make every weight matter
        nn.init.normal_(p, std=0.5)
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(b, t, d, generator=g, dtype=torch.float64)
    memory = torch.randn(b, n, d, generator=g, dtype=torch.float64)
    call = describe_call("DecoderBlock.forward", x, memory)
    got = call_unmodified(block, x, memory, fn_name="DecoderBlock.forward")
    with torch.no_grad():
        want = torch_layer(block, d, n_heads, d_ff)(x, memory, tgt_mask=causal_mask(t), tgt_is_causal=True)
    # float64 on both sides: only summation order differs.
    assert_close(got.detach(), want, rtol=1e-9, atol=1e-10, call=call,
                 name="block output (reference: nn.TransformerDecoderLayer(norm_first=True, gelu) + causal mask)")


@given(seed=seeds(), t=st.integers(2, 6), cut=st.integers(1, 5))
@example(seed=0, t=2, cut=1)
@settings(max_examples=10)
def test_decoder_block_self_attention_is_causal(kata, seed, t, cut):
    cut = min(cut, t - 1)
    torch.manual_seed(seed)
    block = kata.DecoderBlock(4, 2, 8).double()
    g = torch.Generator().manual_seed(seed)
    x = torch.randn(2, t, 4, generator=g, dtype=torch.float64)
    memory = torch.randn(2, 3, 4, generator=g, dtype=torch.float64)
    changed = x.clone()
    changed[:, cut:] = torch.randn(2, t - cut, 4, generator=g, dtype=torch.float64)
    with torch.no_grad():
        a, b = block(x, memory), block(changed, memory)
    assert_close(b[:, :cut], a[:, :cut], rtol=0, atol=1e-12,
                 call=describe_call("DecoderBlock.forward", x, memory),
                 name=f"outputs at positions < {cut} after changing positions >= {cut} (must not change: causal)")


def reference_logits(model: nn.Module, images: torch.Tensor, tokens: torch.Tensor, d: int, heads: int,
                     d_ff: int) -> torch.Tensor:
    patches = F.unfold(images, kernel_size=model.patch, stride=model.patch).transpose(1, 2)
    memory = patches @ model.patch_embed.weight.T + model.patch_embed.bias + model.patch_pos
    x = model.tok_embed.weight[tokens] + model.pos_embed[: tokens.shape[1]]
    for block in model.blocks:
        x = torch_layer(block, d, heads, d_ff)(x, memory, tgt_mask=causal_mask(tokens.shape[1]), tgt_is_causal=True)
    return model.head(F.layer_norm(x, (d,), model.norm.weight, model.norm.bias))


@given(seed=seeds(), n_heads=st.integers(1, 2), head_dim=HEAD_DIMS, n_layers=st.integers(1, 2),
       patch=st.sampled_from([2, 4]), channels=st.integers(1, 3), vocab=st.integers(3, 9), b=st.integers(1, 3),
       t=st.integers(1, 5))
@example(seed=0, n_heads=2, head_dim=4, n_layers=2, patch=4, channels=3, vocab=5, b=2, t=1)
@settings(max_examples=10)
def test_caption_decoder_forward_matches_reference(kata, seed, n_heads, head_dim, n_layers, patch, channels,
                                                   vocab, b, t):
    d, d_ff = n_heads * head_dim, 6
    torch.manual_seed(seed)
    model = kata.CaptionDecoder(vocab_size=vocab, d_model=d, n_heads=n_heads, d_ff=d_ff, n_layers=n_layers,
                                patch=patch, image_size=8, channels=channels, max_len=5).double()
    with torch.no_grad():   # the positional tables start near 0: make them matter
        model.patch_pos.normal_()
        model.pos_embed.normal_()
    g = torch.Generator().manual_seed(seed)
    images = torch.rand(b, channels, 8, 8, generator=g, dtype=torch.float64)
    tokens = torch.randint(vocab, (b, t), generator=g)
    call = describe_call("CaptionDecoder.forward", images, tokens)
    got = call_unmodified(model, images, tokens, fn_name="CaptionDecoder.forward")
    with torch.no_grad():
        want = reference_logits(model, images, tokens, d, n_heads, d_ff)
    assert_close(got.detach(), want, rtol=1e-9, atol=1e-10, call=call,
                 name="logits (reference: patch/token embeddings + positions, nn.TransformerDecoderLayer stack, "
                      "final LayerNorm, head)")


class BagModel(nn.Module):
    """A stand-in model for the loss test: logits from the current token and the image's mean pixel."""

    def __init__(self, vocab: int, seed: int) -> None:
        super().__init__()
        g = torch.Generator().manual_seed(seed)
        self.table = nn.Parameter(torch.randn(vocab, vocab, generator=g, dtype=torch.float64))
        self.pixel = nn.Parameter(torch.randn(vocab, generator=g, dtype=torch.float64))
        self.position = nn.Parameter(torch.randn(16, vocab, generator=g, dtype=torch.float64))

    def forward(self, images: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
        pixel = images.mean(dim=(1, 2, 3))[:, None, None] * self.pixel
        return self.table[tokens] + pixel + self.position[: tokens.shape[1]]


def reference_loss(model: nn.Module, images, captions, pad_id):
    total, count = 0.0, 0
    for i in range(captions.shape[0]):
        logits = model(images[i:i + 1], captions[i:i + 1, :-1])[0]
        for t in range(captions.shape[1] - 1):
            target = int(captions[i, t + 1])
            if target != pad_id:
                total = total - torch.log_softmax(logits[t], dim=-1)[target]
                count += 1
    return total / count


@given(seed=seeds(), b=st.integers(1, 4), length=st.integers(2, 7), vocab=st.integers(3, 8),
       pad_id=st.integers(0, 2), data=st.data())
@example(seed=0, b=1, length=2, vocab=3, pad_id=0, data=None)   # one target token
@settings(max_examples=20)
def test_caption_loss_matches_explicit_sum(kata, seed, b, length, vocab, pad_id, data):
    g = torch.Generator().manual_seed(seed)
    captions = torch.randint(vocab, (b, length), generator=g)
    captions[captions == pad_id] = (pad_id + 1) % vocab
    # each caption keeps >= 1 real target; the rest is padding, of different lengths per caption
    keep = [data.draw(st.integers(2, length)) if data is not None else length for _ in range(b)]
    for i, k in enumerate(keep):
        captions[i, k:] = pad_id
    images = torch.rand(b, 1, 2, 2, generator=g, dtype=torch.float64)
    model = BagModel(vocab, seed)
    call = describe_call("caption_loss", "model", images, captions, pad_id=pad_id)
    got = call_unmodified(kata.caption_loss, model, images, captions, pad_id=pad_id)
    assert isinstance(got, torch.Tensor) and got.dim() == 0, f"{call} returned {got!r}, expected a scalar tensor"
    got.backward()
    got_grads = [p.grad.clone() for p in model.parameters()]
    model.zero_grad()
    want = reference_loss(model, images, captions, pad_id)
    want.backward()
    # float64 throughout.
    assert_close(got.detach(), want.detach(), rtol=1e-10, atol=1e-12, call=call,
                 name="loss (reference: mean over non-pad targets of -log softmax, inputs shifted by one)")
    for (name, p), gg in zip(model.named_parameters(), got_grads, strict=True):
        assert_close(gg, p.grad, rtol=1e-9, atol=1e-12, call=call, name=f"gradient of {name}")


class CountingModel(nn.Module):
    """Wraps a model and records the token length of every call."""

    def __init__(self, inner: nn.Module) -> None:
        super().__init__()
        self.inner = inner
        self.lengths: list[int] = []

    def forward(self, images: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
        self.lengths.append(tokens.shape[1])
        return self.inner(images, tokens)


def reference_greedy(model: nn.Module, image: torch.Tensor, max_len: int, bos: int, eos: int) -> list[int]:
    seq = [bos]
    for _ in range(max_len):
        nxt = int(model(image[None], torch.tensor([seq]))[0, -1].argmax())
        if nxt == eos:
            break
        seq.append(nxt)
    return seq[1:]


@given(seed=seeds(), b=st.integers(1, 4), max_len=st.integers(1, 8), eos_bias=st.floats(-1.0, 3.0),
       bos=st.sampled_from([1, 0]), eos=st.sampled_from([2, 4]))
@example(seed=0, b=3, max_len=1, eos_bias=0.0, bos=1, eos=2)
@example(seed=0, b=4, max_len=8, eos_bias=0.0, bos=1, eos=2)    # captions of 6, 6, 8, 8 tokens
@example(seed=3, b=4, max_len=8, eos_bias=0.0, bos=1, eos=2)    # 1, 1, 1, 8
@example(seed=6, b=4, max_len=8, eos_bias=1.5, bos=1, eos=2)    # 0, 0, 0, 2
@settings(max_examples=20)
def test_greedy_decode_matches_stepwise_argmax(kata, seed, b, max_len, eos_bias, bos, eos):
    torch.manual_seed(seed)
    inner = kata.CaptionDecoder(vocab_size=6, d_model=8, n_heads=2, d_ff=8, patch=4, image_size=8, max_len=8)
    with torch.no_grad():
        inner.head.bias[eos] += eos_bias    # captions that end at different steps
        inner.pos_embed.normal_()
        inner.patch_embed.weight.mul_(4)    # images of different brightness: different captions
    model = CountingModel(inner).eval()
    images = (torch.rand(b, 3, 8, 8, generator=torch.Generator().manual_seed(seed))
              * torch.linspace(0.5, 4.0, b)[:, None, None, None])
    call = describe_call("greedy_decode", "model", images, max_len, bos_id=bos, eos_id=eos)
    with torch.no_grad():
        want = [reference_greedy(inner, images[i], max_len, bos, eos) for i in range(b)]
    model.lengths.clear()
    got = call_unmodified(kata.greedy_decode, model, images, max_len, bos_id=bos, eos_id=eos)
    got = [[int(t) for t in row] for row in got]
    assert got == want, (
        f"{call} returned {got}\n  expected {want}\n  (reference: one image at a time, argmax of the last "
        "position, stop at the first eos, which is not returned, or after max_len tokens)")
    assert model.lengths and max(model.lengths) <= max_len, (
        f"{call} called the model with {max(model.lengths, default=0)} tokens per row; at most max_len = {max_len} "
        "(<bos> + the tokens generated before the last step) are needed")


@given(max_len=st.integers(-3, 0))
@example(max_len=0)
def test_greedy_decode_rejects_max_len_below_one(kata, max_len):
    torch.manual_seed(0)
    model = kata.CaptionDecoder(vocab_size=5, d_model=4, n_heads=1, d_ff=4, patch=4, image_size=8, max_len=4)
    with pytest.raises(ValueError):
        kata.greedy_decode(model, torch.rand(1, 3, 8, 8), max_len)
        pytest.fail(f"greedy_decode(model, images, {max_len}) returned instead of raising ValueError")


def sacrebleu_bleu(hyps: list[list[str]], refs: list[list[list[str]]], max_n: int) -> float:
    metric = BLEU(tokenize="none", smooth_method="none", max_ngram_order=max_n, effective_order=False)
    streams = [[" ".join(r[k]) for r in refs] for k in range(len(refs[0]))]
    return metric.corpus_score([" ".join(h) for h in hyps], streams).score / 100


@st.composite
def corpora(draw):
    n, n_refs = draw(st.integers(1, 4)), draw(st.integers(1, 3))
    alphabet = st.sampled_from(["a", "b", "c", "d"][: draw(st.integers(1, 4))])
    hyps = [draw(st.lists(alphabet, max_size=8)) for _ in range(n)]
    refs = [[draw(st.lists(alphabet, min_size=1, max_size=8)) for _ in range(n_refs)] for _ in range(n)]
    return hyps, refs


@given(corpus=corpora(), max_n=st.integers(1, 4))
@example(corpus=([["a", "b", "c", "d"]], [[["a", "b", "c", "d"]]]), max_n=4)             # perfect: 1.0
@example(corpus=([["a", "a", "a"]], [[["a", "b", "c"], ["a", "a", "d", "c"]]]), max_n=1)  # clipping by max ref count
@example(corpus=([["a", "b", "c"]], [[["a", "b"], ["a", "b", "c", "d"]]]), max_n=2)       # closest-length tie: shorter
@example(corpus=([["a", "b"], ["a", "b", "c", "d", "a"]], [[["a", "b", "c"]], [["a", "b", "c", "d", "a"]]]), max_n=4)
@example(corpus=([[], ["a", "b"]], [[["a"]], [["a", "b"]]]), max_n=2)                   # an empty hypothesis
@example(corpus=([["a", "b", "c"]], [[["a", "b", "c", "d", "a", "b"]]]), max_n=1)       # brevity penalty
@example(corpus=([[]], [[["a"]]]), max_n=1)                                              # c = 0
@example(corpus=([["a", "b", "a", "b", "a", "b"]], [[["a", "b", "a"], ["a", "b", "a", "b", "a", "b", "c"]]]), max_n=2)
@settings(max_examples=60)
def test_corpus_bleu_matches_sacrebleu(kata, corpus, max_n):
    hyps, refs = corpus
    call = describe_call("corpus_bleu", hyps, refs, max_n=max_n)
    got = call_unmodified(kata.corpus_bleu, hyps, refs, max_n=max_n)
    assert isinstance(got, float), f"{call} returned {type(got).__name__}, expected a Python float"
    # sacrebleu works in float64 too; 1e-12 absolute is rounding of a product of a few ratios.
    assert_close(got, sacrebleu_bleu(hyps, refs, max_n), rtol=1e-9, atol=1e-12, call=call,
                 name="BLEU (reference: sacrebleu corpus_score, tokenize='none', smooth_method='none', /100)")


@given(max_n=st.integers(-2, 0), n_hyps=st.integers(0, 3), n_refs=st.integers(0, 3))
@example(max_n=0, n_hyps=1, n_refs=1)
@example(max_n=4, n_hyps=2, n_refs=1)
@example(max_n=1, n_hyps=0, n_refs=1)
def test_corpus_bleu_rejects_bad_arguments(kata, max_n, n_hyps, n_refs):
    if max_n >= 1 and n_hyps == n_refs:
        n_refs += 1
    hyps, refs = [["a"]] * n_hyps, [[["a"]]] * n_refs
    with pytest.raises(ValueError):
        kata.corpus_bleu(hyps, refs, max_n=max_n)
        pytest.fail(f"corpus_bleu({len(hyps)} hypotheses, {len(refs)} reference lists, max_n={max_n}) "
                    "returned instead of raising ValueError")


@given(seed=st.sampled_from([0, 1, 2, 3]))   # measured on seeds 0-5: BLEU 0.80-0.89, shuffled images 0.31-0.46
@settings(max_examples=1)
def test_trained_captioner_describes_the_image(kata, seed):
    images, captions, _ = kata.make_caption_set(512, seed)
    test_images, _, test_refs = kata.make_caption_set(64, 1000 + seed)
    torch.manual_seed(seed)
    model = kata.CaptionDecoder()
    losses = kata.train_captioner(model, images, captions, steps=250, seed=seed)
    hyps = [kata.words(ids) for ids in kata.greedy_decode(model, test_images, kata.CAPTION_LEN - 1)]
    shuffled = test_images[torch.randperm(64, generator=torch.Generator().manual_seed(seed))]
    blind = [kata.words(ids) for ids in kata.greedy_decode(model, shuffled, kata.CAPTION_LEN - 1)]
    bleu, bleu_blind = sacrebleu_bleu(hyps, test_refs, 4), sacrebleu_bleu(blind, test_refs, 4)
    report = (f"after 250 steps (loss {losses[0]:.2f} -> {losses[-1]:.2f}) greedy captions score BLEU {bleu:.3f} "
              f"(sacrebleu) on 64 new scenes, {bleu_blind:.3f} when each caption is generated from another image;"
              f" first caption {' '.join(hyps[0])!r}, references {[' '.join(r) for r in test_refs[0]]}")
    assert bleu >= 0.7, report + "\n  expected BLEU >= 0.7: the decoder does not learn to describe the scene"
    assert bleu - bleu_blind >= 0.25, report + "\n  expected the image to matter (BLEU drop >= 0.25 when shuffled)"
    assert_close(kata.corpus_bleu(hyps, test_refs), bleu, rtol=1e-9, atol=1e-12, name="your corpus_bleu on these captions",
                 call=describe_call("corpus_bleu", hyps, test_refs))

