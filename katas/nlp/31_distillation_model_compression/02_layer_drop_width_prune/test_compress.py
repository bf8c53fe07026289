"""Tests for nlp-31-2, progressive layer dropping and structured width pruning.

References: the progressive-layer-dropping schedule of Zhang & He (2020) in closed form; the
stochastic-depth pass against the same seeded draw and a manual walk through the kept blocks; the
layer-dropped model against the original's kept blocks run by hand; the width-pruned model against
the ORIGINAL model with the pruned hidden units masked to zero (a forward pre-hook), which must agree;
FLOPs counted by torch.utils.flop_counter (linear in the number of layers and in the MLP width).
"""
import math

import pytest
import torch
import torch._dynamo  # noqa: F401  (FlopCounterMode and torch.optim import it on first use, ~4 s: pay that at collection)
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader import lm
from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call


def gpt(seed: int, n_layer: int = 3, d_ff: int = 12) -> lm.CharGPT:
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        return lm.CharGPT(lm.LMConfig(n_layer=n_layer, d_model=8, d_ff=d_ff, n_head=2))


def ids(seed: int, b: int = 2, t: int = 6) -> torch.Tensor:
    return torch.randint(65, (b, t), generator=torch.Generator().manual_seed(seed))


def run_blocks(model, idx, blocks):
    positions = torch.arange(idx.shape[1])
    with torch.no_grad():
        x = model.embed(idx)
        for block in blocks:
            x = block(x, positions)
        return model.head(model.ln_f(x))


@given(step=st.integers(0, 2000), n_layers=st.integers(1, 12), theta_bar=st.sampled_from([0.25, 0.5, 0.9, 1.0]),
       gamma=st.sampled_from([0.001, 0.01, 0.1]))
@example(step=0, n_layers=4, theta_bar=0.5, gamma=0.01)        # everything kept at the start
@example(step=10**6, n_layers=4, theta_bar=0.5, gamma=0.01)    # the last layer reaches theta_bar
def test_pld_keep_probs_closed_form(kata, step, n_layers, theta_bar, gamma):
    got = kata.pld_keep_probs(step, n_layers, theta_bar=theta_bar, gamma=gamma)
    theta = (1 - theta_bar) * math.exp(-gamma * step) + theta_bar
    want = [1 - (i / n_layers) * (1 - theta) for i in range(1, n_layers + 1)]
    call = describe_call("pld_keep_probs", step, n_layers, theta_bar=theta_bar, gamma=gamma)
    assert got.dtype == torch.float64, f"{call} returned dtype {got.dtype}, expected torch.float64"
    assert_close(got, want, rtol=1e-12, atol=1e-14, name="1 - (l / L)(1 - theta(t)), l = 1..L", call=call)


def test_pld_keep_probs_defaults(kata):
    got = kata.pld_keep_probs(100, 2)
    theta = 0.5 * math.exp(-1.0) + 0.5
    assert_close(got, [1 - 0.5 * (1 - theta), theta], rtol=1e-12, atol=1e-14,
                 name="keep probabilities with theta_bar=0.5, gamma=0.01", call="pld_keep_probs(100, 2)")


@pytest.mark.parametrize("step,n,theta_bar", [(-1, 4, 0.5), (0, 0, 0.5), (0, 4, 0.0), (0, 4, 1.5), (0, 4, -0.2)])
def test_pld_keep_probs_rejects_bad_arguments(kata, step, n, theta_bar):
    with pytest.raises(ValueError):
        kata.pld_keep_probs(step, n, theta_bar=theta_bar)
        pytest.fail(f"pld_keep_probs({step}, {n}, theta_bar={theta_bar}) returned instead of raising ValueError")


@given(n_layer=st.integers(1, 4), p=st.sampled_from([0.0, 0.3, 0.7, 1.0]), seed=seeds())
@example(n_layer=3, p=1.0, seed=0)     # keep everything: the ordinary forward pass
@example(n_layer=3, p=0.0, seed=0)     # skip everything: embedding straight to the head
def test_stochastic_depth_forward(kata, n_layer, p, seed):
    model = gpt(seed % 7, n_layer=n_layer)
    idx = ids(seed)
    probs = torch.full((n_layer,), p, dtype=torch.float64)
    probs[0] = min(1.0, p + 0.2)
    call = describe_call("stochastic_depth_forward", "CharGPT", idx, probs, "generator")
    with torch.no_grad():
        logits, keep = call_unmodified(kata.stochastic_depth_forward, model, idx, probs,
                                       torch.Generator().manual_seed(seed))
    want_keep = torch.rand(n_layer, generator=torch.Generator().manual_seed(seed), dtype=torch.float64) < probs
    assert_equal(keep, want_keep, name="blocks kept (torch.rand(L, generator, float64) < keep_probs)", call=call)
    want = run_blocks(model, idx, [b for b, k in zip(model.blocks, want_keep.tolist(), strict=True) if k])
    assert_close(logits, want, rtol=1e-5, atol=1e-5, name="logits with the skipped blocks as identities", call=call)


SUBSETS = st.integers(1, 5).flatmap(lambda n: st.tuples(st.just(n), st.lists(st.integers(0, n - 1), min_size=1,
                                                                               max_size=n, unique=True)))


@given(sub=SUBSETS, seed=seeds())
@example(sub=(4, [3, 1]), seed=0)      # given out of order: blocks keep model order
@example(sub=(1, [0]), seed=0)
def test_drop_layers_keeps_the_chosen_blocks(kata, sub, seed):
    n, keep = sub
    model = gpt(seed % 5, n_layer=n)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    idx = ids(seed)
    call = describe_call("drop_layers", f"CharGPT(n_layer={n})", keep)
    small = kata.drop_layers(model, keep)
    want = run_blocks(model, idx, [model.blocks[i] for i in sorted(keep)])
    with torch.no_grad():
        got = small(idx)
    assert_close(got, want, rtol=1e-6, atol=1e-6, name="output of the kept blocks, in model order", call=call)
    assert small.cfg.n_layer == len(keep) == len(small.blocks), f"{call}: cfg.n_layer {small.cfg.n_layer}, expected {len(keep)}"
    big = {p.data_ptr() for p in model.parameters()}
    shared = [name for name, p in small.named_parameters() if p.data_ptr() in big]
    assert not shared, f"{call}: the small model shares {shared[:3]} with the original: copy, do not reuse"
    assert all(torch.equal(v, model.state_dict()[k]) for k, v in before.items()), f"{call} changed the original"


@settings(max_examples=3)
@given(n=st.integers(2, 4), seed=seeds())
def test_dropping_layers_removes_their_flops_exactly(kata, n, seed):
    model = gpt(seed % 5, n_layer=n)
    idx = ids(seed)
    full = kata.forward_flops(model, idx)
    per_block = full - kata.forward_flops(kata.drop_layers(model, list(range(n - 1))), idx)
    assert per_block > 0, "dropping a block removed no FLOPs"
    for k in range(1, n):
        got = kata.forward_flops(kata.drop_layers(model, list(range(k))), idx)
        assert got == full - (n - k) * per_block, (
            f"a {n}-layer model has {full} FLOPs; keeping {k} blocks gave {got}, expected {full - (n - k) * per_block} "
            f"(each block costs the same {per_block})")


@pytest.mark.parametrize("keep", [[], [0, 0], [3], [-1], [0, 5]])
def test_drop_layers_rejects_bad_indices(kata, keep):
    with pytest.raises(ValueError):
        kata.drop_layers(gpt(0, n_layer=3), keep)
        pytest.fail(f"drop_layers(3-layer model, {keep}) returned instead of raising ValueError")


def masked_reference(model, idx, fraction):
    """The original model with the least important hidden units of every MLP silenced."""
    k = max(1, round(fraction * model.cfg.d_ff))
    handles, kept_sets = [], []
    for block in model.blocks:
        score = (block.fc.weight.detach().double().norm(dim=1) * block.out.weight.detach().double().norm(dim=0)).numpy()
        order = sorted(range(len(score)), key=lambda j: (-score[j], j))
        mask = torch.zeros(model.cfg.d_ff)
        mask[order[:k]] = 1.0
        kept_sets.append(sorted(order[:k]))
        handles.append(block.out.register_forward_pre_hook(lambda mod, args, m=mask: (args[0] * m,)))
    try:
        with torch.no_grad():
            return model(idx), kept_sets, k
    finally:
        for h in handles:
            h.remove()


@given(fraction=st.sampled_from([0.1, 0.25, 0.5, 0.75, 1.0]), d_ff=st.integers(2, 16), seed=seeds(),
       trained=st.just(False))
@example(fraction=0.5, d_ff=320, seed=0, trained=True)      # the workbook's trained model
@example(fraction=0.01, d_ff=12, seed=0, trained=False)     # k = max(1, round(...)) = 1
def test_width_pruning_equals_masking_the_pruned_units(kata, fraction, d_ff, seed, trained):
    model = lm.load_model() if trained else gpt(seed % 11, d_ff=d_ff)
    before = {k: v.clone() for k, v in model.state_dict().items()}
    idx = ids(seed)
    call = describe_call("prune_mlp_width", f"CharGPT(d_ff={model.cfg.d_ff})", fraction)
    small = kata.prune_mlp_width(model, fraction)
    want, kept_sets, k = masked_reference(model, idx, fraction)
    with torch.no_grad():
        got = small(idx)
    assert small.cfg.d_ff == k and all(b.fc.out_features == k == b.out.in_features for b in small.blocks), (
        f"{call}: expected every MLP to keep k = {k} hidden units (cfg.d_ff = {small.cfg.d_ff})")
    for i, (block, kept) in enumerate(zip(small.blocks, kept_sets, strict=True)):
        assert_equal(block.fc.bias.detach(), model.blocks[i].fc.bias.detach()[kept], call=call,
                     name=f"blocks[{i}].fc.bias (the kept units, in their original order)")
    # the same products, summed over fewer (zero) terms
    assert_close(got, want, rtol=1e-5, atol=1e-5, name="pruned model vs the original with pruned units masked",
                 call=call)
    assert all(torch.equal(v, model.state_dict()[k]) for k, v in before.items()), f"{call} changed the original"
    if k < model.cfg.d_ff:
        assert kata.forward_flops(small, idx) < kata.forward_flops(model, idx), f"{call} did not reduce the FLOPs"


def test_width_pruning_ties_keep_the_lower_index(kata):
    model = gpt(0, n_layer=1, d_ff=6)
    with torch.no_grad():
        model.blocks[0].fc.weight.fill_(0.5)
        model.blocks[0].out.weight.fill_(0.25)
        model.blocks[0].fc.bias.copy_(torch.arange(6.0))
    small = kata.prune_mlp_width(model, 0.5)
    assert_equal(small.blocks[0].fc.bias.detach(), torch.tensor([0.0, 1.0, 2.0]),
                 name="fc.bias after pruning 6 equally important units to 3 (ties: lower index first)",
                 call="prune_mlp_width(model with tied units, 0.5)")


@pytest.mark.parametrize("fraction", [0.0, -0.5, 1.5])
def test_width_pruning_rejects_bad_fractions(kata, fraction):
    with pytest.raises(ValueError):
        kata.prune_mlp_width(gpt(0), fraction)
        pytest.fail(f"prune_mlp_width(model, {fraction}) returned instead of raising ValueError")


@settings(max_examples=5)
@given(seed=seeds())
def test_stochastic_depth_is_seeded(kata, seed):
    model = gpt(1, n_layer=4)
    probs = torch.full((4,), 0.5, dtype=torch.float64)
    keeps = {tuple(kata.stochastic_depth_forward(model, ids(0), probs, torch.Generator().manual_seed(s))[1].tolist())
             for s in range(seed % 1000, seed % 1000 + 8)}
    assert len(keeps) > 1, "stochastic_depth_forward kept the same blocks for 8 different seeds"
