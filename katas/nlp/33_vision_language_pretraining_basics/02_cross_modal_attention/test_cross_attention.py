"""Tests for nlp-33-2, cross-modal attention (text queries over image-patch keys).

References: torch.nn.functional.unfold for the patches; torch.nn.MultiheadAttention with
kdim = vdim = d_image (its separate q/k/v projection weights set to the module's) for the attention
output and the per-head weights, key padding mask included. The trained effect: a one-head
cross-attention layer trained to answer "what pattern is the <colour> tile?" learns to put its
attention on the tile of the named colour, on held-out images.
"""
import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import dims, seeds, torch_float_dtypes
from grader.testing import (
    assert_close,
    assert_dtype,
    assert_equal,
    assert_shape,
    call_unmodified,
    describe_call,
)

pytestmark = pytest.mark.slow      # one test trains a small model


@given(seed=seeds(), b=dims(1, 2), c=dims(1, 3), gh=dims(1, 3), gw=dims(1, 3), p=dims(1, 4), dtype=torch_float_dtypes())
@example(seed=0, b=1, c=1, gh=1, gw=1, p=1, dtype=torch.float32)     # a one-pixel image, one patch
@example(seed=1, b=2, c=3, gh=1, gw=3, p=2, dtype=torch.float64)     # wide image: row-major order matters
def test_patchify_matches_unfold(kata, seed, b, c, gh, gw, p, dtype):
    images = torch.randn(b, c, gh * p, gw * p, generator=torch.Generator().manual_seed(seed)).to(dtype)
    call = describe_call("patchify", images, p)
    got = call_unmodified(kata.patchify, images, p)
    assert_shape(got, (b, gh * gw, c * p * p), name="patches", call=call)
    assert_dtype(got, dtype, name="patches", call=call)
    assert_equal(got, F.unfold(images, p, stride=p).transpose(1, 2), name="patches (reference: F.unfold)", call=call)


@given(case=st.sampled_from(["height", "width", "zero patch", "negative patch", "3-D"]))
@example(case="width")
@example(case="zero patch")
def test_patchify_rejects_bad_input(kata, case):
    images, p = torch.zeros(1, 3, 8, 8), 4
    if case == "height":
        images = torch.zeros(1, 3, 6, 8)
    elif case == "width":
        images = torch.zeros(1, 3, 8, 6)
    elif case == "zero patch":
        p = 0
    elif case == "negative patch":
        p = -2
    else:
        images = torch.zeros(3, 8, 8)
    with pytest.raises(ValueError):
        kata.patchify(images, p)
        pytest.fail(f"patchify with {case} ({tuple(images.shape)}, patch={p}) returned instead of raising ValueError")


def reference_mha(module, dtype):
    d_text, d_image = module.q_proj.in_features, module.k_proj.in_features
    mha = torch.nn.MultiheadAttention(d_text, module.n_heads, kdim=d_image, vdim=d_image, batch_first=True).to(dtype)
    with torch.no_grad():
        if mha.in_proj_weight is not None:       # torch packs q, k, v into one matrix when kdim == vdim == d_text
            mha.in_proj_weight.copy_(torch.cat([module.q_proj.weight, module.k_proj.weight, module.v_proj.weight]))
        else:
            mha.q_proj_weight.copy_(module.q_proj.weight)
            mha.k_proj_weight.copy_(module.k_proj.weight)
            mha.v_proj_weight.copy_(module.v_proj.weight)
        mha.in_proj_bias.copy_(torch.cat([module.q_proj.bias, module.k_proj.bias, module.v_proj.bias]))
        mha.out_proj.weight.copy_(module.out_proj.weight)
        mha.out_proj.bias.copy_(module.out_proj.bias)
    return mha


@given(seed=seeds(), b=dims(1, 3), t=dims(1, 4), n=dims(1, 5), heads=dims(1, 3), hd=dims(1, 4), d_image=dims(1, 6),
       masked=st.booleans(), dtype=torch_float_dtypes())
@example(seed=0, b=1, t=1, n=1, heads=1, hd=1, d_image=1, masked=False, dtype=torch.float32)
@example(seed=1, b=2, t=3, n=4, heads=2, hd=3, d_image=5, masked=True, dtype=torch.float64)
@example(seed=2, b=3, t=2, n=5, heads=3, hd=2, d_image=2, masked=True, dtype=torch.float32)
def test_matches_nn_multihead_attention(kata, seed, b, t, n, heads, hd, d_image, masked, dtype):
    torch.manual_seed(seed)
    module = kata.CrossModalAttention(heads * hd, d_image, heads).to(dtype)
    g = torch.Generator().manual_seed(seed)
    text = torch.randn(b, t, heads * hd, generator=g).to(dtype)
    patches = torch.randn(b, n, d_image, generator=g).to(dtype)
    mask = None
    if masked:
        mask = torch.rand(b, n, generator=g) < 0.5
        mask[torch.arange(b), torch.randint(0, n, (b,), generator=g)] = False   # >= 1 visible patch per image
        mask[0, :] = True
        mask[0, -1] = False                                                      # image 0: exactly one visible
    call = describe_call("CrossModalAttention(...).forward", text, patches, key_padding_mask=mask)
    out, weights = call_unmodified(module, text, patches, key_padding_mask=mask, fn_name="CrossModalAttention.forward")
    assert_shape(out, (b, t, heads * hd), name="output", call=call)
    assert_shape(weights, (b, heads, t, n), name="attention weights", call=call)
    assert_dtype(out, dtype, name="output", call=call)
    with torch.no_grad():
        want_out, want_w = reference_mha(module, dtype)(text, patches, patches, key_padding_mask=mask,
                                                        need_weights=True, average_attn_weights=False)
    # float32 projections and a softmax of O(1) scores: ~1e-6; float64: reassociation only
    tol = 2e-5 if dtype == torch.float32 else 1e-12
    assert_close(weights, want_w, rtol=1e-5, atol=tol, name="per-head attention weights (reference: nn.MultiheadAttention)",
                 call=call)
    assert_close(out, want_out, rtol=1e-5, atol=tol, name="output (reference: nn.MultiheadAttention)", call=call)
    if mask is not None:
        hidden = weights.detach()[mask[:, None, None, :].expand_as(weights)]
        assert (hidden == 0).all(), f"{call}: masked patches got attention weight {hidden.abs().max().item():.3g}, expected 0"


def test_default_mask_sees_every_patch(kata):
    torch.manual_seed(3)
    module = kata.CrossModalAttention(4, 3, 2)
    text, patches = torch.randn(2, 3, 4), torch.randn(2, 5, 3)
    out, weights = module(text, patches)
    with torch.no_grad():
        want_out, want_w = reference_mha(module, torch.float32)(text, patches, patches, need_weights=True,
                                                                average_attn_weights=False)
    call = "CrossModalAttention(4, 3, 2)(text, patches) with the default key_padding_mask=None"
    assert_close(weights, want_w, rtol=1e-5, atol=2e-5, name="attention weights", call=call)
    assert_close(out, want_out, rtol=1e-5, atol=2e-5, name="output", call=call)


@given(bt=dims(1, 3), bp=dims(1, 3))
@example(bt=1, bp=2)
def test_rejects_unequal_batches(kata, bt, bp):
    if bt == bp:
        bp += 1
    module = kata.CrossModalAttention(4, 3, 2)
    with pytest.raises(ValueError):
        module(torch.zeros(bt, 2, 4), torch.zeros(bp, 5, 3))
        pytest.fail(f"forward with {bt} texts and {bp} images returned instead of raising ValueError")


PALETTE = torch.tensor([[1, 0, 0], [0, 1, 0], [0, 0, 1], [1, 1, 0]], dtype=torch.float32)   # red green blue yellow
_R = torch.arange(4)
PATTERNS = torch.stack([(_R[:, None] % 2 == 0).expand(4, 4), (_R[None, :] % 2 == 0).expand(4, 4),
                        (_R[:, None] + _R[None, :]) % 2 == 0]).float()   # horizontal stripes, vertical, checker


def tiles_task(g: torch.Generator, n: int):
    """8x8 images of four 4x4 tiles, each a distinct colour and an independent pattern; a colour query."""
    colour = torch.argsort(torch.rand(n, 4, generator=g), dim=1)
    pattern = torch.randint(0, 3, (n, 4), generator=g)
    tiles = PALETTE[colour][..., None, None] * PATTERNS[pattern][:, :, None]          # (n, 4, 3, 4, 4)
    img = tiles.reshape(n, 2, 2, 3, 4, 4).permute(0, 3, 1, 4, 2, 5).reshape(n, 3, 8, 8)
    img = img + 0.2 * torch.randn(img.shape, generator=g)
    query = torch.randint(0, 4, (n,), generator=g)
    where = (colour == query[:, None]).float().argmax(1)
    return img, query, pattern[torch.arange(n), where], where


@settings(max_examples=1)
@given(seed=seeds())
@example(seed=0)
def test_trained_text_query_attends_to_the_named_tile(kata, seed):
    torch.manual_seed(seed)
    g = torch.Generator().manual_seed(seed)
    patch_embed, words = torch.nn.Linear(48, 16), torch.nn.Embedding(4, 16)
    attn, head = kata.CrossModalAttention(16, 16, 1), torch.nn.Linear(16, 3)
    opt = torch.optim.Adam([*patch_embed.parameters(), *words.parameters(), *attn.parameters(), *head.parameters()],
                           lr=1e-2)

    def run(img, query):
        out, weights = attn(words(query)[:, None, :], patch_embed(kata.patchify(img, 4)))
        return head(out[:, 0]), weights[:, 0, 0]

    for _ in range(120):
        img, query, answer, _ = tiles_task(g, 64)
        loss = F.cross_entropy(run(img, query)[0], answer)
        opt.zero_grad()
        loss.backward()
        opt.step()
    img, query, answer, where = tiles_task(g, 300)
    with torch.no_grad():
        logits, weights = run(img, query)
    accuracy = (logits.argmax(1) == answer).double().mean().item()
    on_target = (weights.argmax(1) == where).double().mean().item()
    assert accuracy > 0.9, f"after 120 steps the pattern of the named tile is right {accuracy:.2f} of the time; expected > 0.9"
    assert on_target > 0.9, (f"the text query's attention peaks on the named tile in {on_target:.2f} of 300 held-out "
                             f"images (chance 0.25); expected > 0.9: text should attend to the patch it asks about")
