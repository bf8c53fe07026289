"""Tests for arch-01-6, a tiny ViT classifier and attention rollout.

References: attention rollout against its definition (Abnar & Zuidema 2020) evaluated in float64 numpy with
np.linalg.multi_dot, on drawn attention tensors; the ViT block and the whole classifier against transformers'
ViTLayer and ViTForImageClassification (built from a ViTConfig, random weights copied in, eager attention,
which also returns its attention maps); and a real run: a ViT trained here on images whose class is written
in one patch only, whose rollout must single that patch out.
"""
import warnings

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds, torch_float_dtypes
from grader.testing import assert_close, assert_dtype, assert_shape, call_unmodified, describe_call

with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    from transformers import ViTConfig, ViTForImageClassification
    from transformers.models.vit.modeling_vit import ViTLayer

pytestmark = pytest.mark.slow
FUSIONS = ["mean", "max", "min"]


def rollout_reference(att: np.ndarray, head_fusion: str, add_residual: bool) -> np.ndarray:
    """R = Â_L ... Â_1, Â_l = rownorm(fuse_heads(A_l) + I): the first layer acts first, on the right."""
    fused = {"mean": att.mean(2), "max": att.max(2), "min": att.min(2)}[head_fusion]     # (L, B, N, N)
    n = fused.shape[-1]
    if add_residual:
        fused = fused + np.eye(n)
    fused = fused / fused.sum(-1, keepdims=True)
    out = []
    for b in range(fused.shape[1]):
        mats = [fused[i, b] for i in reversed(range(fused.shape[0]))]
        out.append(mats[0] if len(mats) == 1 else np.linalg.multi_dot(mats))
    return np.stack(out)


def draw_attentions(seed: int, layers: int, b: int, h: int, n: int, dtype: torch.dtype, sharp: float) -> torch.Tensor:
    g = torch.Generator().manual_seed(seed)
    return (sharp * torch.randn(layers, b, h, n, n, generator=g, dtype=torch.float64)).softmax(-1).to(dtype)


@given(layers=st.integers(1, 4), b=st.integers(1, 3), h=st.integers(1, 3), n=st.integers(1, 6),
       head_fusion=st.sampled_from(FUSIONS), add_residual=st.booleans(), dtype=torch_float_dtypes(),
       sharp=st.sampled_from([0.5, 3.0]), seed=seeds())
@example(layers=3, b=2, h=3, n=5, head_fusion="mean", add_residual=True, dtype=torch.float64, sharp=3.0, seed=0)
@example(layers=2, b=1, h=2, n=4, head_fusion="max", add_residual=True, dtype=torch.float64, sharp=3.0, seed=1)
@example(layers=2, b=1, h=2, n=4, head_fusion="min", add_residual=False, dtype=torch.float32, sharp=3.0, seed=2)
@example(layers=1, b=1, h=1, n=1, head_fusion="mean", add_residual=True, dtype=torch.float64, sharp=0.5, seed=3)
def test_attention_rollout_matches_definition(kata, layers, b, h, n, head_fusion, add_residual, dtype, sharp, seed):
    att = draw_attentions(seed, layers, b, h, n, dtype, sharp)
    call = describe_call("attention_rollout", att, head_fusion=head_fusion, add_residual=add_residual)
    got = call_unmodified(kata.attention_rollout, att, head_fusion=head_fusion, add_residual=add_residual,
                          fn_name="attention_rollout")
    assert_shape(got, (b, n, n), call=call)
    assert_dtype(got, att, call=call)
    want = rollout_reference(att.double().numpy(), head_fusion, add_residual)
    # products of <= 4 row-stochastic matrices: float32 keeps ~1e-6.
    tol = dict(rtol=1e-5, atol=1e-6) if dtype == torch.float32 else dict(rtol=1e-12, atol=1e-12)
    assert_close(got, want, **tol, call=call)


@given(layers=st.integers(1, 3), h=st.integers(1, 3), n=st.integers(2, 5), seed=seeds())
def test_attention_rollout_defaults_are_mean_and_residual(kata, layers, h, n, seed):
    att = draw_attentions(seed, layers, 2, h, n, torch.float64, 2.0)
    assert_close(kata.attention_rollout(att), rollout_reference(att.numpy(), "mean", True), rtol=1e-12, atol=1e-12,
                 name="rollout with the defaults (head_fusion='mean', add_residual=True)",
                 call=describe_call("attention_rollout", att))


@given(bad=st.sampled_from(["fusion", "ndim4", "ndim6", "not_square"]))
@example(bad="not_square")
def test_attention_rollout_rejects_bad_input(kata, bad):
    att = draw_attentions(0, 2, 1, 2, 3, torch.float64, 1.0)
    kw = {}
    if bad == "fusion":
        kw["head_fusion"] = "median"
    elif bad == "ndim4":
        att = att[0]
    elif bad == "ndim6":
        att = att[None]
    else:
        att = att[..., :2]
    with pytest.raises(ValueError):
        kata.attention_rollout(att, **kw)
        pytest.fail(f"attention_rollout({bad}: {tuple(att.shape)}, {kw}) returned instead of raising ValueError")


def hf_config(image: int, patch: int, c: int, dim: int, depth: int, h: int, mlp: int, classes: int) -> ViTConfig:
    return ViTConfig(image_size=image, patch_size=patch, num_channels=c, hidden_size=dim, num_hidden_layers=depth,
                     num_attention_heads=h, intermediate_size=mlp, num_labels=classes, layer_norm_eps=1e-6,
                     hidden_dropout_prob=0.0, attention_probs_dropout_prob=0.0, attn_implementation="eager")


BLOCK_NAMES = {"layernorm_before": "norm1", "attention.q_proj": "q_proj", "attention.k_proj": "k_proj",
               "attention.v_proj": "v_proj", "attention.o_proj": "o_proj", "layernorm_after": "norm2",
               "mlp.fc1": "fc1", "mlp.fc2": "fc2"}


def block_state(hf_layer_state: dict) -> dict:
    out = {}
    for key, value in hf_layer_state.items():
        for theirs, mine in BLOCK_NAMES.items():
            if key.startswith(theirs + "."):
                out[mine + key[len(theirs):]] = value
    return out


def model_state(hf: ViTForImageClassification) -> dict:
    sd = hf.state_dict()
    out = {"patch_embed.weight": sd["vit.embeddings.patch_embeddings.projection.weight"],
           "patch_embed.bias": sd["vit.embeddings.patch_embeddings.projection.bias"],
           "cls_token": sd["vit.embeddings.cls_token"], "pos_embed": sd["vit.embeddings.position_embeddings"],
           "norm.weight": sd["vit.layernorm.weight"], "norm.bias": sd["vit.layernorm.bias"],
           "head.weight": sd["classifier.weight"], "head.bias": sd["classifier.bias"]}
    for i, layer in enumerate(hf.vit.layers):
        out.update({f"blocks.{i}.{k}": v for k, v in block_state(layer.state_dict()).items()})
    return out


def redraw(module: torch.nn.Module, seed: int) -> None:
    """Weights large enough that every mistake shows (transformers starts LayerNorms at 1 and biases at 0)."""
    g = torch.Generator().manual_seed(seed)
    with torch.no_grad():
        for name, p in module.named_parameters():
            noise = torch.randn(p.shape, generator=g, dtype=p.dtype)
            is_norm = "layernorm" in name and name.endswith("weight")
            p.copy_(1 + 0.2 * noise if is_norm else 0.5 * noise)


@given(n=st.integers(1, 6), h=st.sampled_from([1, 2, 4]), b=st.integers(1, 2), seed=seeds())
@example(n=5, h=2, b=2, seed=0)
@example(n=1, h=1, b=1, seed=1)        # a single token attends to itself with weight 1
def test_block_matches_transformers_vit_layer(kata, n, h, b, seed):
    torch.manual_seed(seed)
    ref = ViTLayer(hf_config(8, 4, 1, 8, 1, h, 12, 2)).double().eval()
    redraw(ref, seed)
    block = kata.Block(8, h, 12).double()
    block.load_state_dict(block_state(ref.state_dict()))
    x = torch.randn(b, n, 8, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    call = describe_call(f"Block(8, n_heads={h}, mlp_dim=12).forward", x)
    with torch.no_grad():
        out, attn = call_unmodified(block, x, fn_name="Block.forward")
        want = ref(x)
    # float64 everywhere, but transformers' eager ViT attention takes its softmax in float32: ~1e-7.
    assert_close(out, want, rtol=2e-6, atol=2e-6, name="block output (vs ViTLayer)", call=call)
    assert_shape(attn, (b, h, n, n), name="attention weights", call=call)
    assert_close(attn.sum(-1), torch.ones(b, h, n, dtype=torch.float64), rtol=0, atol=1e-12,
                 name="attention weights' row sums (each query's weights over the keys)", call=call)


@settings(max_examples=12)
@given(image=st.sampled_from([4, 6, 8]), patch=st.sampled_from([2, 4]), c=st.integers(1, 3), depth=st.integers(1, 3),
       h=st.sampled_from([1, 2]), classes=st.integers(2, 4), b=st.integers(1, 2), seed=seeds())
@example(image=8, patch=2, c=3, depth=3, h=2, classes=3, b=2, seed=0)
@example(image=4, patch=4, c=1, depth=1, h=1, classes=2, b=1, seed=1)        # one patch: [CLS] + 1 token
def test_tiny_vit_matches_transformers(kata, image, patch, c, depth, h, classes, b, seed):
    if image % patch:
        patch = 2
    torch.manual_seed(seed)
    hf = ViTForImageClassification(hf_config(image, patch, c, 8, depth, h, 16, classes)).double().eval()
    redraw(hf, seed)
    model = kata.TinyViT(image, patch, c, 8, depth, h, 16, classes).double()
    model.load_state_dict(model_state(hf))
    images = torch.randn(b, c, image, image, generator=torch.Generator().manual_seed(seed), dtype=torch.float64)
    call = describe_call("TinyViT.forward", images)
    with torch.no_grad():
        logits, attentions = call_unmodified(model, images, fn_name="TinyViT.forward")
        want = hf(images, output_attentions=True)
    n = (image // patch) ** 2 + 1
    assert_shape(attentions, (depth, b, h, n, n), name="attention maps", call=call)
    # float64 everywhere, but transformers' eager ViT attention takes its softmax in float32: ~1e-7.
    assert_close(attentions, torch.stack(want.attentions), rtol=2e-6, atol=2e-6,
                 name="attention maps, layer by layer (vs output_attentions=True)", call=call)
    assert_close(logits, want.logits, rtol=2e-6, atol=2e-6, name="logits (vs ViTForImageClassification)", call=call)


# --- a real run: the class is written in one patch -------------------------------------------------------
SIZE, PATCH, KEY = 12, 4, 2          # a 3 x 3 grid of 4 x 4 patches; the label lives in patch 2 (top right)
GRID = SIZE // PATCH


def _bar(kind: int) -> torch.Tensor:
    img = torch.zeros(PATCH, PATCH)
    if kind == 0:
        img[PATCH // 2 - 1:PATCH // 2 + 1, :] = 1.0      # horizontal bar
    elif kind == 1:
        img[:, PATCH // 2 - 1:PATCH // 2 + 1] = 1.0      # vertical bar
    return img


BARS = torch.stack([_bar(0), _bar(1), _bar(2)])


def bar_images(n: int, g: torch.Generator) -> tuple[torch.Tensor, torch.Tensor]:
    """Every patch holds a horizontal bar, a vertical bar or nothing at random; the label is patch KEY's bar."""
    kinds = torch.randint(3, (n, GRID * GRID), generator=g)
    labels = torch.randint(2, (n,), generator=g)
    kinds[:, KEY] = labels
    img = BARS[kinds].view(n, GRID, GRID, PATCH, PATCH).permute(0, 1, 3, 2, 4).reshape(n, 1, SIZE, SIZE)
    return img + 0.1 * torch.randn(n, 1, SIZE, SIZE, generator=g), labels


def test_trained_vit_rollout_finds_the_label_patch(kata):
    """Train your ViT 100 Adam steps; the [CLS] row of your rollout (patch columns) must peak on the one patch
    that decides the class, at least twice as high as any other patch on average."""
    torch.manual_seed(0)
    g = torch.Generator().manual_seed(0)
    model = kata.TinyViT(SIZE, PATCH, 1, 16, 2, 2, 32, 2)
    test_x, test_y = bar_images(256, torch.Generator().manual_seed(1))
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    for _ in range(100):
        x, y = bar_images(32, g)
        loss = F.cross_entropy(model(x)[0], y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        logits, attentions = model(test_x)
    acc = (logits.argmax(-1) == test_y).double().mean().item()
    assert acc >= 0.95, f"after 100 steps your ViT classifies {acc:.0%} of held-out images (the reference: 100%)"
    relevance = kata.attention_rollout(attentions)[:, 0, 1:].mean(0)         # [CLS] -> patches
    others = torch.cat([relevance[:KEY], relevance[KEY + 1:]])
    ratio = (relevance[KEY] / others.max()).item()
    assert int(relevance.argmax()) == KEY and ratio >= 2.0, (
        f"the mean [CLS] rollout over patches is {np.round(relevance.numpy(), 3).tolist()}: the label patch {KEY} "
        f"should stand out (>= 2x any other; the reference gets 3.5-10x), got {ratio:.2f}x")
