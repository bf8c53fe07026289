"""Tests for nlp-12-1, fine-tuning a pretrained tiny LM on a small custom dataset.

References: parameter names matched module by module (never by bare string prefix); the
layer-wise learning rates in closed form; early stopping against a brute-force rule; a float64
fine-tuning loop written here with torch.optim.AdamW (per-parameter learning rates), whose
validation history yours must reproduce; and a short seeded run (pretrain on general toy English,
fine-tune on "cat stories") where frozen weights must not move, the custom validation loss must
drop, and, when validating on the general text the model slowly forgets, the best weights must be
the ones restored.
"""
import contextlib
import copy

import pytest
import torch
import torch._dynamo  # noqa: F401  (torch.optim's first step imports it, ~4 s: pay that at collection, not in a test)
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_equal, describe_call


def under(name: str, prefixes) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def reference_lr(name: str, n_layers: int, lr: float, decay: float) -> float:
    parts = name.split(".")
    if parts[0] in ("head", "norm"):
        return lr
    if parts[0] == "blocks":
        return lr * decay ** (n_layers - int(parts[1]))
    return lr * decay ** (n_layers + 1)


def reference_early_stopping(losses: list[float], patience: int, min_delta: float) -> tuple[int, bool]:
    best = 0
    for i, x in enumerate(losses):
        if x < losses[best] - min_delta:
            best = i
    return best, len(losses) - 1 - best >= patience


def lm_loss_reference(logits: torch.Tensor, idx: torch.Tensor) -> torch.Tensor:
    return F.cross_entropy(logits[:, :-1].reshape(-1, logits.shape[-1]), idx[:, 1:].reshape(-1))


@contextlib.contextmanager
def single_thread():
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(before)


MODULES = st.sampled_from(["head", "norm", "tok_emb", "pos_emb", "blocks.0", "blocks.1", "blocks.2", "blocks.10",
                           "blocks.1.fc", "blocks.11.ln1"])


@given(n_layers=st.sampled_from([1, 3, 12]), prefixes=st.lists(MODULES, max_size=4, unique=True))
@example(n_layers=12, prefixes=["blocks.1"])
@example(n_layers=3, prefixes=[])
def test_freeze_except_matches_module_names(kata, n_layers, prefixes):
    model = kata.TinyLM(d_model=4, n_heads=1, n_layers=n_layers, max_len=4)
    call = describe_call("freeze_except", f"TinyLM(n_layers={n_layers})", prefixes)
    got = kata.freeze_except(model, prefixes)
    wrong = [name for name, p in model.named_parameters() if p.requires_grad != under(name, prefixes)]
    assert not wrong, (f"{call}: requires_grad is wrong for {wrong[:4]}{' ...' if len(wrong) > 4 else ''}; a parameter "
                       f"is trainable iff its name is a prefix p or starts with p + '.' ('blocks.1' does not cover "
                       f"'blocks.10')")
    want = sum(p.numel() for name, p in model.named_parameters() if under(name, prefixes))
    assert got == want, f"{call} returned {got} trainable scalars, expected {want}"


@given(n_layers=dims(1, 4), lr=st.sampled_from([1e-3, 3e-4]), decay=st.sampled_from([1.0, 0.8, 0.5]),
       frozen=st.lists(st.sampled_from(["tok_emb", "pos_emb", "blocks.0", "head"]), max_size=2, unique=True))
@example(n_layers=2, lr=1e-3, decay=0.5, frozen=[])
def test_layerwise_lr_groups_closed_form(kata, n_layers, lr, decay, frozen):
    model = kata.TinyLM(d_model=4, n_heads=1, n_layers=n_layers, max_len=4)
    for name, p in model.named_parameters():
        p.requires_grad_(not under(name, frozen))
    call = describe_call("layerwise_lr_groups", f"TinyLM(n_layers={n_layers})", lr, decay) + f" with {frozen} frozen"
    groups = kata.layerwise_lr_groups(model, lr, decay)
    lr_of: dict[int, float] = {}
    for group in groups:
        assert group["params"], f"{call} returned an empty group (drop those)"
        for p in group["params"]:
            assert id(p) not in lr_of, f"{call} put a parameter in two groups"
            lr_of[id(p)] = group["lr"]
    for name, p in model.named_parameters():
        if not p.requires_grad:
            assert id(p) not in lr_of, f"{call} included the frozen parameter {name}"
            continue
        assert id(p) in lr_of, f"{call} left out the trainable parameter {name}"
        want = reference_lr(name, n_layers, lr, decay)
        # a product of at most six float64 factors
        assert abs(lr_of[id(p)] - want) <= 1e-12 * want, (
            f"{call} gave {name} lr={lr_of[id(p)]:.6g}, expected {want:.6g} (= lr * decay**depth, depth 0 at the "
            f"head, n - i for blocks.i, n + 1 for the embeddings)")
    torch.optim.AdamW(groups, lr=lr)   # usable as they are


@given(losses=st.lists(st.sampled_from([1.0, 0.9, 0.895, 0.8, 1.2, 0.7]), min_size=1, max_size=10),
       patience=dims(1, 4), min_delta=st.sampled_from([0.0, 0.01]))
@example(losses=[1.0, 1.0, 1.0], patience=2, min_delta=0.0)
@example(losses=[1.0, 0.9, 0.895, 0.895], patience=2, min_delta=0.01)
@example(losses=[1.0, 1.2], patience=1, min_delta=0.0)
def test_early_stopping_matches_the_rule(kata, losses, patience, min_delta):
    got = kata.early_stopping(losses, patience, min_delta)
    want = reference_early_stopping(losses, patience, min_delta)
    assert tuple(got) == want, (f"early_stopping({losses}, patience={patience}, min_delta={min_delta}) returned {got}, "
                                f"expected {want} (best index, stop?): an improvement must beat the best by more than "
                                f"min_delta, a tie is not one, and stop when patience epochs have passed since the best")


def reference_finetune(model, train_batches, val_batch, lr, epochs, patience, trainable, lr_decay, min_delta=0.0):
    """The loop of the docstring, written out with per-parameter learning rates."""
    for name, p in model.named_parameters():
        p.requires_grad_(trainable is None or under(name, trainable))
    n = len(model.blocks)
    groups = [{"params": [p], "lr": reference_lr(name, n, lr, lr_decay)} for name, p in model.named_parameters()
              if p.requires_grad]
    opt = torch.optim.AdamW(groups, weight_decay=0.0)
    train_hist, val_hist = [], []
    for _ in range(epochs):
        losses = []
        for batch in train_batches:
            loss = lm_loss_reference(model(batch), batch)
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        train_hist.append(sum(losses) / len(losses))
        with torch.no_grad():
            val_hist.append(lm_loss_reference(model(val_batch), val_batch).item())
        if reference_early_stopping(val_hist, patience, min_delta)[1]:
            break
    return train_hist, val_hist


@settings(max_examples=6)
@given(seed=seeds(), trainable=st.sampled_from([["head", "norm", "blocks.1"], ["head"], ["tok_emb", "pos_emb",
       "blocks.0", "blocks.1", "norm", "head"], None]), lr_decay=st.sampled_from([1.0, 0.5]), patience=dims(1, 3),
       min_delta=st.sampled_from([0.0, 0.1]), lr=st.sampled_from([3e-2, 3e-3]))
@example(seed=0, trainable=["head", "norm", "blocks.1"], lr_decay=0.5, patience=1, min_delta=0.0, lr=3e-2)
# At lr = 3e-3 validation improves by ~0.015 per epoch: with min_delta = 0.1 none of it counts, so the best
# stays epoch 0 and training stops after patience epochs, one epoch earlier than without min_delta.
@example(seed=1, trainable=None, lr_decay=1.0, patience=2, min_delta=0.1, lr=3e-3)
# Still improving after 4 epochs with patience 3: no early stop, exactly `epochs` epochs run.
@example(seed=2, trainable=None, lr_decay=1.0, patience=3, min_delta=0.0, lr=3e-3)
def test_finetune_matches_a_reference_loop(kata, seed, trainable, lr_decay, patience, min_delta, lr):
    g = torch.Generator().manual_seed(seed)
    torch.manual_seed(seed)
    model = kata.TinyLM(d_model=8, n_heads=2, n_layers=2, max_len=8).double()
    ref = copy.deepcopy(model)
    data = torch.randint(14, (10, 8), generator=g)
    train_batches, val_batch = list(data[:8].split(4)), data[8:]
    # lr = 3e-2 is large enough that validation gets worse within a few epochs; 3e-3 keeps improving.
    with single_thread():
        got = kata.finetune(model, train_batches, val_batch, lr, 4, patience, trainable=trainable, lr_decay=lr_decay,
                            min_delta=min_delta)
        want_train, want_val = reference_finetune(ref, train_batches, val_batch, lr, 4, patience, trainable, lr_decay,
                                                  min_delta)
    call = describe_call("finetune", "TinyLM(float64)", "2 batches", val_batch, lr, 4, patience, trainable=trainable,
                         lr_decay=lr_decay, min_delta=min_delta)
    assert set(got) >= {"train_loss", "val_loss", "best_epoch"}, f"{call} returned keys {sorted(got)}"
    assert len(got["val_loss"]) == len(want_val), (
        f"{call} ran {len(got['val_loss'])} epochs, expected {len(want_val)} (validation losses {want_val}, "
        f"patience {patience})")
    # float64 throughout: the same steps in the same order agree to rounding
    assert_close(got["val_loss"], want_val, rtol=1e-9, atol=1e-9, name="val_loss history", call=call)
    assert_close(got["train_loss"], want_train, rtol=1e-9, atol=1e-9, name="train_loss history (epoch means)",
                 call=call)
    best = reference_early_stopping(want_val, patience, min_delta)[0]
    assert got["best_epoch"] == best, f"{call} reported best_epoch={got['best_epoch']}, expected {best}"
    with torch.no_grad():
        now = lm_loss_reference(model(val_batch), val_batch).item()
    assert abs(now - want_val[best]) < 1e-9, (
        f"{call}: after fine-tuning the model's validation loss is {now:.6f}, but the best epoch ({best}) had "
        f"{want_val[best]:.6f}: the best weights were not restored (did you keep state_dict() without copying it?)")


@pytest.mark.slow
@settings(max_examples=1)  # plus the explicit example: ~1 s each
@given(seed=seeds())
@example(seed=0)
def test_finetuning_a_pretrained_model_on_cat_stories(kata, seed):
    seq_len = 12
    with single_thread():
        torch.manual_seed(seed)
        base = kata.TinyLM(d_model=32, n_heads=2, n_layers=2, max_len=16)
        kata.pretrain(base, steps=60, seed=seed)
        custom = kata.windows(kata.cat_stories(40, torch.Generator().manual_seed(seed + 1)), seq_len)
        train_batches, val_batch = list(custom[:12].split(4)), custom[12:]
        general = kata.windows(kata.toy_english(60, torch.Generator().manual_seed(seed + 2)), seq_len)

        model = copy.deepcopy(base)
        frozen_before = {n: p.detach().clone() for n, p in model.named_parameters() if not under(n, ["head", "norm",
                                                                                                  "blocks.1"])}
        with torch.no_grad():
            start = lm_loss_reference(model(val_batch), val_batch).item()
        hist = kata.finetune(model, train_batches, val_batch, 3e-3, 6, 2, trainable=["head", "norm", "blocks.1"],
                             lr_decay=0.5)
        with torch.no_grad():
            end = lm_loss_reference(model(val_batch), val_batch).item()

        forgetful = copy.deepcopy(base)
        hist2 = kata.finetune(forgetful, train_batches, general, 2e-2, 6, 2)
        with torch.no_grad():
            general_end = lm_loss_reference(forgetful(general), general).item()

    for name, before in frozen_before.items():
        assert_equal(dict(model.named_parameters())[name].detach(), before, name=f"frozen parameter {name}",
                     call="finetune(..., trainable=['head', 'norm', 'blocks.1'])")
    # measured over seeds: 1.2-1.3 nats -> 0.8-0.9 after 6 epochs; demand a third of that drop
    assert end < start - 0.12, (f"fine-tuning on cat stories moved the custom validation loss {start:.3f} -> "
                                f"{end:.3f} nats; expected a clear drop. History: {hist['val_loss']}")
    assert abs(end - min(hist["val_loss"])) < 1e-5, (f"the fine-tuned model's validation loss {end:.5f} is not the "
                                                     f"best of its history {hist['val_loss']}")
    # validating on general English while training on cat stories: it forgets, so an early epoch is best
    # (measured over seeds: the last epoch is at least 0.13 nats worse than the best)
    val = hist2["val_loss"]
    assert min(val) < val[-1] - 0.03, f"expected the general-text loss to rise while fitting cat stories: {val}"
    assert abs(general_end - min(val)) < 1e-5, (
        f"validation on general text went {[round(v, 3) for v in val]}; the best epoch {hist2['best_epoch']} should "
        f"have been restored, but the model now scores {general_end:.4f}")
