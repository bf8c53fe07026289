"""Tests for nlp-47-2, feature-based distillation (FitNets hints through a learned projection).

References: a manual block-by-block forward of grader.lm.CharGPT for the hidden states; the
definition with torch.nn.functional.mse_loss for the hint loss (and autograd for where gradients
go); a reference training loop on the same seeded batches; and the measured effect with the
workbook's trained char GPT as teacher: the hint loss on held-out text falls.
"""
import pytest
import torch
import torch._dynamo  # noqa: F401  (torch.optim's first step imports it: pay that at collection, not in a test)
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st
from torch import nn

from grader import lm
from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, describe_call

pytestmark = pytest.mark.slow  # trains a student against the trained teacher


@given(n_s=st.integers(1, 6), n_t=st.integers(1, 8))
@example(n_s=2, n_t=4)
@example(n_s=3, n_t=4)
@example(n_s=4, n_t=4)
def test_layer_map(kata, n_s, n_t):
    if n_s > n_t:
        n_s, n_t = n_t, n_s
    want = [(i, (i + 1) * n_t // n_s - 1) for i in range(n_s)]
    assert_equal(kata.layer_map(n_s, n_t), want, call=describe_call("layer_map", n_s, n_t),
                 name="(student block, teacher block) pairs")


@pytest.mark.parametrize("n_s, n_t", [(0, 3), (5, 4)])
def test_layer_map_rejects(kata, n_s, n_t):
    with pytest.raises(ValueError):
        kata.layer_map(n_s, n_t)
        pytest.fail(f"layer_map({n_s}, {n_t}) returned instead of raising ValueError")


def manual_hidden(model, idx):
    positions = torch.arange(idx.shape[1])
    x, out = model.embed(idx), []
    for block in model.blocks:
        x = block(x, positions)
        out.append(x)
    return out


def ids(seed, B, T):
    return torch.randint(65, (B, T), generator=torch.Generator().manual_seed(seed))


@given(layers=st.lists(st.integers(0, 2), min_size=1, max_size=4), seed=seeds())
@example(layers=[2, 0, 2], seed=0)
@settings(max_examples=10)
def test_hidden_states_are_block_outputs(kata, layers, seed):
    model = kata.small_student(seed, n_layer=3, d_model=16)
    x = ids(seed, 2, 5)
    call = describe_call("hidden_states", "CharGPT(3 blocks)", x, layers)
    got = kata.hidden_states(model, x, layers)
    want = manual_hidden(model, x)
    assert len(got) == len(layers), f"{call} returned {len(got)} tensors, expected {len(layers)}"
    for k, i in enumerate(layers):
        # the same float32 ops in the same order
        assert_close(got[k].detach(), want[i].detach(), rtol=1e-6, atol=1e-6, call=call,
                     name=f"entry {k}: output of block {i}")
    torch.stack([h.sum() for h in got]).sum().backward()
    assert model.embed.weight.grad is not None, f"{call}: no gradient reached the embedding through the hidden states"
    leftover = [i for i, b in enumerate(model.blocks) if b._forward_hooks or b._forward_pre_hooks]
    assert not leftover, f"{call} left hooks on blocks {leftover}"


@given(n=st.integers(1, 3), d_s=st.integers(1, 4), d_t=st.integers(1, 5), seed=seeds())
@example(n=2, d_s=3, d_t=5, seed=0)
@settings(max_examples=15)
def test_feature_loss_matches_definition(kata, n, d_s, d_t, seed):
    g = torch.Generator().manual_seed(seed)
    s = [torch.randn(2, 3, d_s, generator=g, requires_grad=True) for _ in range(n)]
    t = [torch.randn(2, 3, d_t, generator=g, requires_grad=True) for _ in range(n)]
    torch.manual_seed(seed)
    proj = nn.ModuleList(nn.Linear(d_s, d_t) for _ in range(n))
    call = describe_call("feature_loss", s, t, f"{n} projections {d_s}->{d_t}")
    got = kata.feature_loss(s, t, proj)
    want = torch.stack([F.mse_loss(p(a), b) for a, b, p in zip(s, t, proj, strict=True)]).mean()
    assert_close(got.detach(), want.detach(), rtol=1e-6, atol=1e-7, call=call, name="mean over pairs of mse(P s, t)")
    got.backward()
    assert all(x.grad is None for x in t), f"{call}: gradient flowed into the teacher's features"
    assert all(x.grad is not None for x in s) and all(p.weight.grad is not None for p in proj), (
        f"{call}: no gradient reached the student's features or the projections")


@pytest.mark.parametrize("n_s, n_t, n_p", [(2, 1, 2), (1, 1, 2), (0, 0, 0)])
def test_feature_loss_rejects_mismatched_lists(kata, n_s, n_t, n_p):
    s, t = [torch.zeros(1, 2)] * n_s, [torch.zeros(1, 2)] * n_t
    with pytest.raises(ValueError):
        kata.feature_loss(s, t, nn.ModuleList(nn.Linear(2, 2) for _ in range(n_p)))
        pytest.fail(f"feature_loss with {n_s}, {n_t}, {n_p} entries returned instead of raising ValueError")


def make_projections(seed, n, d_s, d_t):
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        return nn.ModuleList(nn.Linear(d_s, d_t) for _ in range(n))


def train_windows(n=64, T=32):
    train, _ = lm.corpus_splits()
    x, y = lm.windows(train[:n * T + 1], T)
    return torch.cat([x, y[:, -1:]], dim=1)


def reference_loop(student, teacher, proj, windows, steps, beta, lr, batch_size, seed):
    pairs = [(i, (i + 1) * len(teacher.blocks) // len(student.blocks) - 1) for i in range(len(student.blocks))]
    opt = torch.optim.AdamW([*student.parameters(), *proj.parameters()], lr=lr, weight_decay=0.0)
    g = torch.Generator().manual_seed(seed)
    out = []
    for _ in range(steps):
        batch = windows[torch.randint(len(windows), (batch_size,), generator=g)]
        x = batch[:, :-1]
        with torch.no_grad():
            th = manual_hidden(teacher, x)
        sh = manual_hidden(student, x)
        logits = student.head(student.ln_f(sh[-1]))
        ce = F.cross_entropy(logits.flatten(0, 1), batch[:, 1:].flatten())
        feat = torch.stack([F.mse_loss(p(sh[s]), th[t]) for (s, t), p in zip(pairs, proj, strict=True)]).mean()
        opt.zero_grad()
        (ce + beta * feat).backward()
        opt.step()
        out.append((ce.item(), feat.item()))
    return out


@given(steps=st.integers(1, 3), beta=st.sampled_from([0.0, 1.0, 5.0]), lr=st.sampled_from([0.01, 0.003]),
       batch_size=st.integers(2, 6), seed=seeds())
@example(steps=3, beta=1.0, lr=0.003, batch_size=4, seed=0)
@settings(max_examples=4)
def test_training_matches_reference_loop(kata, steps, beta, lr, batch_size, seed):
    teacher = lm.load_model()
    windows = train_windows()
    s1, s2 = kata.small_student(seed), kata.small_student(seed)
    p1, p2 = make_projections(seed, 2, 32, teacher.cfg.d_model), make_projections(seed, 2, 32, teacher.cfg.d_model)
    call = describe_call("feature_distill", "student(2 blocks)", "char_gpt(4 blocks)", "projections", windows, steps,
                         beta=beta, lr=lr, batch_size=batch_size, seed=seed)
    got = kata.feature_distill(s1, teacher, p1, windows, steps, beta=beta, lr=lr, batch_size=batch_size, seed=seed)
    want = reference_loop(s2, teacher, p2, windows, steps, beta, lr, batch_size, seed)
    # float32 forward passes of the same ops: agreement to ~1e-5
    assert_close([list(x) for x in got], [list(x) for x in want], rtol=1e-4, atol=1e-5, call=call,
                 name="(cross-entropy, feature loss) per step")
    for (name, a), b in zip(s1.named_parameters(), s2.parameters(), strict=True):
        assert_close(a.detach(), b.detach(), rtol=1e-4, atol=1e-5, call=call, name=f"student parameter {name}")
    for a, b in zip(p1.parameters(), p2.parameters(), strict=True):
        assert_close(a.detach(), b.detach(), rtol=1e-4, atol=1e-5, call=call, name="projection parameter")


def test_student_learns_the_teachers_features(kata):
    """Measured: 40 steps cut the hint loss on held-out text by more than half; the teacher is unchanged."""
    teacher = lm.load_model()
    before_teacher = [p.detach().clone() for p in teacher.parameters()]
    student, proj = kata.small_student(0), make_projections(0, 2, 32, teacher.cfg.d_model)
    _, val = lm.corpus_splits()
    vx, _ = lm.windows(val[:16 * 32 + 1], 32)
    pairs = kata.layer_map(2, 4)

    def held_out():
        with torch.no_grad():
            th, sh = manual_hidden(teacher, vx), manual_hidden(student, vx)
            return torch.stack([F.mse_loss(p(sh[s]), th[t]) for (s, t), p in zip(pairs, proj, strict=True)]).mean().item()

    start = held_out()
    kata.feature_distill(student, teacher, proj, train_windows(), 40, beta=1.0, lr=0.01, batch_size=16, seed=0)
    end = held_out()
    assert end < 0.5 * start, f"hint loss on held-out text went from {start:.4f} to {end:.4f}: expected it to halve"
    for p, q in zip(teacher.parameters(), before_teacher, strict=True):
        assert torch.equal(p, q), "feature_distill changed the teacher's parameters"
