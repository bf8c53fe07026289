"""Tests for ret-04-7, a multimodal index of rendered images and captions in one embedding space.

References: the CLIP loss from explicitly built float64 logits and scipy.special.logsumexp; a
reference training loop with the documented seeded initialization and torch.optim.Adam; brute-force
cosine ranking per modality for the index; and, measured, text-to-image and image-to-text retrieval
on held-out rendered images: near perfect after training the projections, near chance before.
"""
from functools import lru_cache

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy.special import logsumexp

from grader.strategies import seeds, torch_float_dtypes
from grader.testing import assert_close, assert_seeded, call_unmodified, describe_call


def unit(x: np.ndarray) -> np.ndarray:
    n = np.linalg.norm(x, axis=-1, keepdims=True)
    return x / np.where(n == 0, 1, n)


def ref_clip(img: np.ndarray, txt: np.ndarray, t: float) -> float:
    logits = unit(img) @ unit(txt).T / t
    n = len(logits)
    rows = logits[np.arange(n), np.arange(n)] - logsumexp(logits, axis=1)
    cols = logits[np.arange(n), np.arange(n)] - logsumexp(logits, axis=0)
    return float(-(rows.mean() + cols.mean()) / 2)


@given(seed=seeds(), n=st.integers(1, 6), d=st.integers(1, 5), t=st.sampled_from([None, 0.05, 0.1, 1.0]),
       dtype=torch_float_dtypes())
@example(seed=0, n=1, d=3, t=None, dtype=torch.float64)     # one pair: loss 0
def test_clip_loss_matches_explicit_formula(kata, seed, n, d, t, dtype):
    g = torch.Generator().manual_seed(seed)
    img = torch.randn(n, d, generator=g, dtype=torch.float64).to(dtype).requires_grad_()
    txt = torch.randn(n, d, generator=g, dtype=torch.float64).to(dtype).requires_grad_()
    kwargs = {} if t is None else {"temperature": t}
    call = describe_call("clip_loss", img, txt, **kwargs)
    got = call_unmodified(kata.clip_loss, img, txt, **kwargs)
    assert got.requires_grad, f"{call} returned a loss without a graph: no gradient can train the encoders"
    want = ref_clip(img.detach().double().numpy(), txt.detach().double().numpy(), t or 0.1)
    # float32 logits up to 1 / 0.05 = 20: a few ulps of 20
    tol = 2e-5 if dtype == torch.float32 else 1e-10
    assert_close(got.detach(), want, rtol=tol, atol=tol, name="CLIP loss", call=call)


def ref_train(img: torch.Tensor, txt: torch.Tensor, dim: int, steps: int, lr: float, t: float, seed: int) -> tuple:
    g = torch.Generator().manual_seed(seed)
    wi = (torch.randn(img.shape[1], dim, generator=g, dtype=torch.float64) * 0.05).requires_grad_()
    wt = (torch.randn(txt.shape[1], dim, generator=g, dtype=torch.float64) * 0.05).requires_grad_()
    opt = torch.optim.Adam([wi, wt], lr=lr)
    for _ in range(steps):
        logits = F.normalize(img @ wi, dim=-1) @ F.normalize(txt @ wt, dim=-1).T / t
        y = torch.arange(len(logits))
        loss = (F.cross_entropy(logits, y) + F.cross_entropy(logits.T, y)) / 2
        opt.zero_grad()
        loss.backward()
        opt.step()
    return wi.detach(), wt.detach()


@lru_cache(maxsize=2)
def dataset(kata: object, per_class: int, seed: int) -> tuple:
    return kata.make_dataset(per_class, seed)


@settings(max_examples=5)
@given(seed=st.integers(0, 100), dim=st.integers(2, 8), steps=st.integers(0, 6), lr=st.sampled_from([0.01, 0.05]),
       t=st.sampled_from([0.1, 0.5]))
@example(seed=3, dim=4, steps=0, lr=0.05, t=0.1)      # no step: the seeded initialization itself
def test_train_joint_matches_reference_loop(kata, seed, dim, steps, lr, t):
    img, txt, _ = dataset(kata, 1, 0)
    call = describe_call("train_joint", img, txt, dim=dim, steps=steps, lr=lr, temperature=t, seed=seed)
    wi, wt = call_unmodified(kata.train_joint, img, txt, dim=dim, steps=steps, lr=lr, temperature=t, seed=seed)
    ri, rt = ref_train(img, txt, dim, steps, lr, t, seed)
    assert_close(wi, ri, rtol=1e-9, atol=1e-12, name="W_img", call=call)
    assert_close(wt, rt, rtol=1e-9, atol=1e-12, name="W_txt", call=call)


def test_train_joint_defaults_and_seed(kata):
    img, txt, _ = dataset(kata, 1, 0)
    wi, wt = kata.train_joint(img, txt)
    ri, rt = ref_train(img, txt, 16, 60, 0.05, 0.1, 0)
    assert_close(wi, ri, rtol=1e-8, atol=1e-10, name="W_img (defaults dim=16, steps=60, lr=0.05, T=0.1, seed=0)",
                 call="train_joint(img, txt)")
    assert_close(wt, rt, rtol=1e-8, atol=1e-10, name="W_txt (defaults)", call="train_joint(img, txt)")
    assert_seeded(lambda s: kata.train_joint(img, txt, steps=2, seed=s), 5, name="projections")


@given(seed=seeds(), n_img=st.integers(0, 5), n_txt=st.integers(0, 5), k=st.integers(0, 12),
       modality=st.sampled_from([None, "image", "text"]))
@example(seed=0, n_img=3, n_txt=3, k=12, modality=None)
def test_index_matches_brute_force(kata, seed, n_img, n_txt, k, modality):
    g = torch.Generator().manual_seed(seed)
    vi, vt = torch.randn(n_img, 4, generator=g, dtype=torch.float64) * 3, torch.randn(n_txt, 4, generator=g, dtype=torch.float64)
    if n_img and n_txt:
        vt[0] = vi[0] * 0.5                     # an exact tie across modalities: the image was added first
    q = torch.randn(4, generator=g, dtype=torch.float64)
    if n_img:
        q = vi[0] + 0.0
    index = kata.MultimodalIndex()
    index.add([f"i{j}" for j in range(n_img)], vi, "image")
    index.add([f"t{j}" for j in range(n_txt)], vt, "text")
    items = [(f"i{j}", "image", v) for j, v in enumerate(vi.numpy())] + [(f"t{j}", "text", v) for j, v in enumerate(vt.numpy())]
    items = [it for it in items if modality is None or it[1] == modality]
    scores = [float(unit(v) @ unit(q.numpy())) for _, _, v in items]
    order = sorted(range(len(items)), key=lambda j: (-round(scores[j], 12), j))[:k]
    want = [(items[j][0], items[j][1]) for j in order]
    call = describe_call("MultimodalIndex.search", q, k, modality=modality) + f" over {n_img} images, {n_txt} texts"
    got = index.search(q, k, modality=modality)
    assert [(i, m) for i, m, _ in got] == want, f"{call} returned {[(i, m) for i, m, _ in got]}, expected {want}"
    assert_close([s for _, _, s in got], [scores[j] for j in order], rtol=0, atol=1e-12, name="cosines", call=call)


@given(add_dtype=torch_float_dtypes(), query_dtype=torch_float_dtypes())
def test_index_mixes_float32_and_float64(kata, add_dtype, query_dtype):
    g = torch.Generator().manual_seed(0)
    a, b = torch.randn(3, 4, generator=g, dtype=torch.float64), torch.randn(2, 4, generator=g, dtype=torch.float64)
    q = torch.randn(4, generator=g, dtype=torch.float64)
    index = kata.MultimodalIndex()
    index.add(["a0", "a1", "a2"], a.to(add_dtype), "image")
    index.add(["b0", "b1"], b.to(torch.float32 if add_dtype == torch.float64 else torch.float64), "text")
    got = index.search(q.to(query_dtype), 5)
    rows = torch.cat([a, b]).numpy()
    scores = unit(rows) @ unit(q.numpy())
    call = describe_call("MultimodalIndex.search", q.to(query_dtype), 5) + f" over {add_dtype} images and the other dtype's texts"
    assert_close(sorted(s for _, _, s in got), sorted(scores), rtol=0, atol=1e-6, name="cosines", call=call)
    single = kata.MultimodalIndex()                      # one dtype stored, the other for the query
    single.add(["a0", "a1", "a2"], a.to(add_dtype), "image")
    other = torch.float32 if add_dtype == torch.float64 else torch.float64
    got = single.search(q.to(other), 3)
    assert_close(sorted(s for _, _, s in got), sorted(scores[:3]), rtol=0, atol=1e-6, name="cosines",
                 call=describe_call("MultimodalIndex.search", q.to(other), 3) + f" over {add_dtype} images only")


@given(bad=st.sampled_from(["modality", "length", "k", "search_modality"]))
def test_index_rejects_bad_arguments(kata, bad):
    index = kata.MultimodalIndex()
    with pytest.raises(ValueError):
        if bad == "modality":
            index.add(["a"], torch.ones(1, 3), "audio")
        elif bad == "length":
            index.add(["a", "b"], torch.ones(1, 3), "image")
        else:
            index.add(["a"], torch.ones(1, 3), "image")
            index.search(torch.ones(3), -1 if bad == "k" else 1, modality=None if bad == "k" else "video")
        pytest.fail(f"MultimodalIndex with a bad {bad} returned instead of raising ValueError")


def retrieval_accuracy(kata: object, wi: torch.Tensor, wt: torch.Tensor) -> tuple[float, float]:
    img, txt, caps = dataset(kata, 1, 1)              # held out: other shifts and noise
    index = kata.MultimodalIndex()
    index.add([f"img:{c}" for c in caps], img @ wi, "image")
    index.add([f"txt:{c}" for c in caps], txt @ wt, "text")
    t2i = np.mean([index.search(q, 1, modality="image")[0][0] == f"img:{c}" for q, c in zip(txt @ wt, caps, strict=True)])
    i2t = np.mean([index.search(q, 1, modality="text")[0][0] == f"txt:{c}" for q, c in zip(img @ wi, caps, strict=True)])
    return float(t2i), float(i2t)


def test_measured_trained_projections_align_the_modalities(kata):
    img, txt, _ = dataset(kata, 4, 0)
    t2i, i2t = retrieval_accuracy(kata, *kata.train_joint(img, txt))
    u2i, _ = retrieval_accuracy(kata, *kata.train_joint(img, txt, steps=0))
    assert t2i >= 0.9 and i2t >= 0.9, f"after training, caption->image top-1 is {t2i:.0%} and image->caption {i2t:.0%} (expected >= 90%)"
    assert u2i <= 0.5, f"before training, caption->image top-1 is already {u2i:.0%}: the test cannot show the effect"
