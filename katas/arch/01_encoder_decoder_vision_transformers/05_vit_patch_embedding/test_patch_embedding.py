"""Tests for arch-01-5, ViT patch embedding.

References: F.unfold with kernel = stride = p (the same patch layout, exactly); F.conv2d with
stride = kernel = p (the strided-convolution view of the patch projection); transformers'
ViTEmbeddings built from a ViTConfig with its weights copied in (random weights, nothing downloaded).
"""
import warnings

import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds, torch_float_dtypes
from grader.testing import (
    assert_close,
    assert_dtype,
    assert_equal,
    assert_shape,
    call_unmodified,
    describe_call,
)

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from transformers import ViTConfig
    from transformers.models.vit.modeling_vit import ViTEmbeddings


@given(b=st.integers(1, 2), c=st.integers(1, 3), gh=st.integers(1, 4), gw=st.integers(1, 4), p=st.integers(1, 4),
       dtype=torch_float_dtypes(), seed=seeds())
@example(b=1, c=1, gh=2, gw=3, p=2, dtype=torch.float32, seed=0)    # non-square grid: rows before columns
@example(b=2, c=3, gh=1, gw=1, p=3, dtype=torch.float64, seed=1)    # one patch = the whole image
@example(b=1, c=2, gh=3, gw=2, p=1, dtype=torch.float32, seed=2)    # 1x1 patches: pixels as tokens
def test_patchify_matches_unfold(kata, b, c, gh, gw, p, dtype, seed):
    images = torch.randn(b, c, gh * p, gw * p, generator=torch.Generator().manual_seed(seed), dtype=dtype)
    call = describe_call("patchify", images, p)
    got = call_unmodified(kata.patchify, images, p, fn_name="patchify")
    assert_shape(got, (b, gh * gw, c * p * p), call=call)
    assert_dtype(got, images, call=call)
    want = F.unfold(images, kernel_size=p, stride=p).transpose(1, 2)
    assert_equal(got, want, call=call)     # pure data movement: exact


@given(h=st.integers(1, 9), w=st.integers(1, 9), p=st.integers(0, 4))
@example(h=4, w=6, p=4)      # W not a multiple
@example(h=6, w=4, p=4)      # H not a multiple
@example(h=4, w=4, p=0)
def test_patchify_rejects_ragged_images(kata, h, w, p):
    images = torch.zeros(1, 1, h, w)
    if p >= 1 and h % p == 0 and w % p == 0:
        kata.patchify(images, p)
        return
    with pytest.raises(ValueError):
        kata.patchify(images, p)
        pytest.fail(f"patchify(images {h}x{w}, patch={p}) returned instead of raising ValueError")


@given(b=st.integers(1, 2), c=st.integers(1, 3), gh=st.integers(1, 3), gw=st.integers(1, 3), p=st.integers(1, 4),
       d=st.integers(1, 6), dtype=torch_float_dtypes(), seed=seeds())
@example(b=2, c=3, gh=2, gw=3, p=2, d=5, dtype=torch.float64, seed=0)
def test_patch_embed_is_a_strided_convolution(kata, b, c, gh, gw, p, d, dtype, seed):
    g = torch.Generator().manual_seed(seed)
    images = torch.randn(b, c, gh * p, gw * p, generator=g, dtype=dtype)
    weight = torch.randn(d, c, p, p, generator=g, dtype=dtype)
    bias = torch.randn(d, generator=g, dtype=dtype)
    call = describe_call("patch_embed", images, weight, bias, p)
    got = call_unmodified(kata.patch_embed, images, weight, bias, p, fn_name="patch_embed")
    want = F.conv2d(images, weight, bias, stride=p).flatten(2).transpose(1, 2)
    assert_shape(got, (b, gh * gw, d), call=call)
    assert_dtype(got, images, call=call)
    # Same products, different summation order: float32 sums of <= 48 terms of size ~1.
    tol = dict(rtol=1e-5, atol=1e-5) if dtype == torch.float32 else dict(rtol=1e-12, atol=1e-12)
    assert_close(got, want, **tol, call=call)


@settings(max_examples=15)
@given(image=st.sampled_from([4, 6, 8]), p=st.sampled_from([1, 2]), c=st.integers(1, 3), b=st.integers(1, 2),
       seed=seeds())
@example(image=8, p=2, c=3, b=2, seed=0)
def test_vit_embeddings_match_transformers(kata, image, p, c, b, seed):
    torch.manual_seed(seed)
    config = ViTConfig(image_size=image, patch_size=p, num_channels=c, hidden_size=8, hidden_dropout_prob=0.0)
    ref = ViTEmbeddings(config).eval()
    with torch.no_grad():                  # cls_token and position_embeddings start at zero/trunc-normal: redraw
        ref.cls_token.normal_()
        ref.position_embeddings.normal_()
    images = torch.randn(b, c, image, image)
    proj = ref.patch_embeddings.projection
    call = describe_call("vit_embeddings", images, proj.weight, proj.bias, ref.cls_token, ref.position_embeddings, p)
    with torch.no_grad():
        want = ref(images)
        got = kata.vit_embeddings(images, proj.weight, proj.bias, ref.cls_token, ref.position_embeddings, p)
    n = (image // p) ** 2
    assert_shape(got, (b, n + 1, 8), call=call)
    # float32, sums of <= 27 products: a few ulps of ~5.
    assert_close(got, want, rtol=1e-5, atol=1e-5, call=call)
    assert_close(got[:, 0], (ref.cls_token[0, 0] + ref.position_embeddings[0, 0]).expand(b, 8).detach(), rtol=1e-6,
                 atol=1e-6, name="token 0 ([CLS] + its position embedding, the same for every image)", call=call)
