"""Tests for nlp-33-1, CLIP's symmetric contrastive loss.

References: the logits and the loss evaluated from their definition in float64 numpy (logsumexp),
Hugging Face transformers' own CLIP loss (`image_text_contrastive_loss`, the one `CLIPModel` uses
with return_loss=True) on float64 logits, and float64 autograd of that reference for the gradients
with respect to both embeddings and the learnable temperature. The trained effect: two tiny
encoders trained with the learner's loss on rendered coloured shapes and their two-word captions
classify held-out images zero-shot by picking the most similar of the nine captions.
"""
import numpy as np
import pytest
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.special import logsumexp
from transformers.models.clip.modeling_clip import image_text_contrastive_loss

from grader.strategies import dims, seeds, torch_float_dtypes
from grader.testing import assert_close, assert_dtype, assert_shape, call_unmodified, describe_call

pytestmark = pytest.mark.slow      # one test trains two small encoders

SCALES = st.sampled_from([-1.0, 0.0, 1.5, float(np.log(1 / 0.07))])


def draw(seed: int, shape: tuple[int, ...], dtype: torch.dtype) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    return (torch.randn(shape, generator=g, dtype=torch.float64) * 3).to(dtype)


def ref_logits(img, txt, scale) -> np.ndarray:
    i, t = img.detach().double().numpy(), txt.detach().double().numpy()
    i = i / np.linalg.norm(i, axis=1, keepdims=True)
    t = t / np.linalg.norm(t, axis=1, keepdims=True)
    return np.exp(float(scale)) * i @ t.T


def ref_loss(logits: np.ndarray) -> float:
    diag = np.diag(logits)
    image_to_text = np.mean(logsumexp(logits, axis=1) - diag)
    text_to_image = np.mean(logsumexp(logits, axis=0) - diag)
    return (image_to_text + text_to_image) / 2


@given(seed=seeds(), n=dims(1, 6), m=dims(1, 6), d=dims(1, 8), scale=SCALES, dtype=torch_float_dtypes())
@example(seed=0, n=1, m=1, d=1, scale=0.0, dtype=torch.float32)
@example(seed=1, n=5, m=2, d=3, scale=float(np.log(1 / 0.07)), dtype=torch.float64)
def test_logits_are_scaled_cosine_similarities(kata, seed, n, m, d, scale, dtype):
    img, txt = draw(seed, (n, d), dtype), draw(seed + 1, (m, d), dtype)
    logit_scale = torch.tensor(scale, dtype=dtype)
    call = describe_call("clip_logits", img, txt, logit_scale)
    got = call_unmodified(kata.clip_logits, img, txt, logit_scale)
    assert_shape(got, (n, m), name="logits_per_image", call=call)
    assert_dtype(got, dtype, name="logits_per_image", call=call)
    # cosines in [-1, 1] times at most 1/0.07: float32 rounding ~1e-6 relative
    assert_close(got, ref_logits(img, txt, scale), rtol=1e-5, atol=1e-5 if dtype == torch.float32 else 1e-12,
                 name="exp(logit_scale) * cos(image_i, text_j)", call=call)


@given(seed=seeds(), b=dims(1, 8), d=dims(1, 8), scale=SCALES, dtype=torch_float_dtypes())
@example(seed=0, b=1, d=4, scale=1.5, dtype=torch.float32)          # one pair: nothing to contrast, loss 0
@example(seed=2, b=8, d=2, scale=float(np.log(1 / 0.07)), dtype=torch.float32)
def test_loss_matches_definition_and_transformers(kata, seed, b, d, scale, dtype):
    img, txt = draw(seed, (b, d), dtype), draw(seed + 1, (b, d), dtype)
    logit_scale = torch.tensor(scale, dtype=dtype)
    call = describe_call("clip_loss", img, txt, logit_scale)
    got = call_unmodified(kata.clip_loss, img, txt, logit_scale)
    assert_shape(got, (), name="loss", call=call)
    assert_dtype(got, dtype, name="loss", call=call)
    logits = ref_logits(img, txt, scale)
    hf = image_text_contrastive_loss(torch.from_numpy(logits.T.copy())).item()
    tol = 1e-5 if dtype == torch.float32 else 1e-12
    assert_close(got, ref_loss(logits), rtol=1e-5, atol=tol, name="symmetric InfoNCE (definition)", call=call)
    assert_close(got, hf, rtol=1e-5, atol=tol, name="symmetric InfoNCE (transformers' CLIP loss)", call=call)


@given(seed=seeds(), b=dims(2, 6), d=dims(2, 6))
def test_loss_ignores_embedding_lengths(kata, seed, b, d):
    img, txt = draw(seed, (b, d), torch.float64), draw(seed + 1, (b, d), torch.float64)
    scale = torch.tensor(1.0, dtype=torch.float64)
    stretch = torch.rand(b, 1, generator=torch.Generator().manual_seed(seed), dtype=torch.float64) * 50 + 0.01
    assert_close(kata.clip_loss(img * stretch, txt / stretch, scale), kata.clip_loss(img, txt, scale),
                 rtol=1e-10, atol=1e-12, name="loss after rescaling every embedding",
                 call=describe_call("clip_loss", img * stretch, txt / stretch, scale))


@given(seed=seeds(), b=dims(1, 6), d=dims(1, 6), scale=SCALES)
@example(seed=3, b=1, d=1, scale=0.0)
def test_gradients_reach_both_encoders_and_the_temperature(kata, seed, b, d, scale):
    img, txt = draw(seed, (b, d), torch.float64), draw(seed + 1, (b, d), torch.float64)
    args = [img.clone().requires_grad_(True), txt.clone().requires_grad_(True),
            torch.tensor(scale, dtype=torch.float64, requires_grad=True)]
    kata.clip_loss(*args).backward()
    want = [a.clone().requires_grad_(True) for a in (img, txt, torch.tensor(scale, dtype=torch.float64))]
    i = want[0] / want[0].norm(dim=1, keepdim=True)
    t = want[1] / want[1].norm(dim=1, keepdim=True)
    image_text_contrastive_loss(want[2].exp() * t @ i.T).backward()
    call = describe_call("clip_loss(...).backward()", img, txt, f"logit_scale={scale}")
    for name, got, ref in zip(("image_emb", "text_emb", "logit_scale"), args, want, strict=True):
        assert got.grad is not None, f"{call}: no gradient reached {name}; keep it in the graph"
        assert_close(got.grad, ref.grad, rtol=1e-7, atol=1e-10, name=f"d loss / d {name}", call=call)


@given(case=st.sampled_from(["widths", "1-D image", "1-D text"]))
@example(case="widths")
def test_logits_reject_mismatched_inputs(kata, case):
    img, txt, s = torch.ones(3, 4), torch.ones(2, 4), torch.tensor(0.0)
    if case == "widths":
        txt = torch.ones(2, 5)
    elif case == "1-D image":
        img = torch.ones(4)
    else:
        txt = torch.ones(4)
    with pytest.raises(ValueError):
        kata.clip_logits(img, txt, s)
        pytest.fail(f"clip_logits with mismatched {case} returned instead of raising ValueError")


@given(n=dims(1, 5), m=dims(1, 5), d=dims(1, 5))
@example(n=3, m=2, d=2)        # more images than texts, the width equal to the text count
@example(n=2, m=3, d=2)
def test_loss_rejects_unequal_batches(kata, n, m, d):
    if n == m:
        m += 1
    with pytest.raises(ValueError):
        kata.clip_loss(torch.ones(n, d), torch.ones(m, d), torch.tensor(0.0))
        pytest.fail(f"clip_loss with {n} images and {m} texts returned instead of raising ValueError")


STAMPS = [np.array(m, dtype=np.float32) for m in (
    [[1, 1, 1], [1, 1, 1], [1, 1, 1]],      # square
    [[0, 1, 0], [1, 1, 1], [0, 1, 0]],      # plus
    [[1, 0, 1], [0, 1, 0], [1, 0, 1]],      # cross
)]
COLOURS, SHAPES = ["red", "green", "blue"], ["square", "plus", "cross"]


def render(rng: np.random.Generator, n: int, size: int = 8):
    """n noisy (3, size, size) images, each one coloured 3x3 shape at a random place, and its caption ids."""
    colour, shape = rng.integers(0, 3, n), rng.integers(0, 3, n)
    img = rng.normal(0, 0.1, (n, 3, size, size)).astype(np.float32)
    for i in range(n):
        r, c = rng.integers(0, size - 2, 2)
        img[i, colour[i], r:r + 3, c:c + 3] += STAMPS[shape[i]]
    return torch.from_numpy(img), torch.from_numpy(colour), torch.from_numpy(shape)


@settings(max_examples=1)
@given(seed=seeds())
@example(seed=0)
def test_trained_encoders_classify_zero_shot(kata, seed):
    """Caption "<colour> <shape>" = sum of two word vectors; image = conv, max-pool, linear."""
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    conv, proj, words = torch.nn.Conv2d(3, 16, 3), torch.nn.Linear(16, 16), torch.nn.Embedding(6, 16)
    logit_scale = torch.nn.Parameter(torch.tensor(float(np.log(1 / 0.07))))
    opt = torch.optim.Adam([*conv.parameters(), *proj.parameters(), *words.parameters(), logit_scale], lr=1e-2)

    def encode_images(x):
        return proj(torch.relu(conv(x)).amax(dim=(-1, -2)))

    def encode_captions(colour, shape):
        return words(colour) + words(3 + shape)

    for _ in range(60):
        x, colour, shape = render(rng, 32)
        loss = kata.clip_loss(encode_images(x), encode_captions(colour, shape), logit_scale)
        opt.zero_grad()
        loss.backward()
        opt.step()
    x, colour, shape = render(rng, 200)
    with torch.no_grad():
        captions = torch.arange(9)
        pred = kata.clip_logits(encode_images(x), encode_captions(captions // 3, captions % 3), logit_scale).argmax(1)
    accuracy = ((pred // 3 == colour) & (pred % 3 == shape)).double().mean().item()
    assert accuracy > 0.9, (f"after 60 steps of training with clip_loss, zero-shot accuracy on 200 held-out images "
                            f"(best of the 9 captions) is {accuracy:.2f}; chance is 0.11, expected > 0.9")
