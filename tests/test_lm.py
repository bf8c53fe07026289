"""The workbook's small language model (grader/lm.py) and its training script (tools/train_char_lm.py).

(a) The committed weights reproduce the validation loss recorded beside them.
(b) Training is deterministic: two short runs from the same seed give bit-identical weights, and a
    different seed gives different ones. The full schedule's reproduction (`train_char_lm.py --check`,
    a few minutes) is run by hand; see data/README.md.
"""
from __future__ import annotations

import importlib.util
import math
import sys
from pathlib import Path

import pytest

torch = pytest.importorskip("torch")

from grader import lm  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
# Same machine, same torch: the loss is recomputed bit for bit. Another CPU or BLAS may change the
# float32 logits in the last bits; summed over ~111k characters in float64 that moves the mean loss
# by far less than 1e-4 nats.
LOSS_TOL = 1e-4


def load_script():
    spec = importlib.util.spec_from_file_location("train_char_lm", ROOT / "tools" / "train_char_lm.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("train_char_lm", module)
    spec.loader.exec_module(module)
    return module


def test_corpus_and_vocabulary():
    text = lm.corpus_text()
    assert len(text) == 1_115_394
    assert len(lm.vocab()) == 65 == lm.metadata()["config"]["vocab_size"]
    train, val = lm.corpus_splits()
    assert len(train) + len(val) == len(text) and len(val) == len(text) - int(len(text) * 0.9)
    assert lm.decode(val[:200]) == text[len(train):len(train) + 200]
    assert torch.equal(lm.encode(text[:50]), train[:50])


def test_committed_weights_are_small_and_load():
    weights = lm.data_dir() / "models" / lm.WEIGHTS_FILE
    assert weights.stat().st_size < 3 * 2**20, f"{weights} is {weights.stat().st_size} bytes"
    model = lm.load_model()
    # Every call is a fresh copy: a model changed in place never reaches the next caller.
    first = next(model.parameters())
    saved = first.detach().clone()
    first.data.zero_()
    model.head = torch.nn.Identity()
    again = lm.load_model()
    assert again is not model and torch.equal(next(again.parameters()), saved)
    assert not isinstance(again.head, torch.nn.Identity)
    model = again
    assert lm.n_params(model) == lm.metadata()["n_params"]
    assert not any(p.requires_grad for p in model.parameters()) and not model.training


def test_committed_model_reproduces_its_recorded_validation_loss():
    meta = lm.metadata()
    _, val = lm.corpus_splits()
    got = lm.evaluate_loss(lm.load_model(), val, context=meta["config"]["context"])
    assert abs(got - meta["val_loss"]) <= LOSS_TOL, (
        f"validation loss of the committed weights is {got:.6f}, recorded {meta['val_loss']:.6f}")
    assert got < 2.0, f"validation loss {got:.3f} nats/char: the committed model is barely trained"
    # far better than the unigram baseline (the entropy of the character frequencies, ~3.3 nats)
    counts = torch.bincount(val, minlength=len(lm.vocab())).double()
    p = counts / counts.sum()
    unigram = float(-(p[p > 0] * p[p > 0].log()).sum())
    assert got < unigram - 1.0, f"loss {got:.3f} vs unigram entropy {unigram:.3f}"
    assert math.isclose(lm.perplexity(got), math.exp(got))


def test_training_is_deterministic_on_a_short_run():
    script = load_script()
    threads = torch.get_num_threads()
    try:
        a = script.train(steps=3, seed=5).state_dict()
        b = script.train(steps=3, seed=5).state_dict()
        c = script.train(steps=3, seed=6).state_dict()
    finally:
        torch.set_num_threads(threads)
        torch.use_deterministic_algorithms(False)
    assert a.keys() == b.keys()
    for name in a:
        assert torch.equal(a[name], b[name]), f"{name} differs between two runs with the same seed"
    assert any(not torch.equal(a[n], c[n]) for n in a), "a different seed gave the same weights"


def test_the_schedule_recorded_is_the_scripts():
    script = load_script()
    meta = lm.metadata()
    assert (meta["seed"], meta["steps"], meta["batch"], meta["lr"]) == (script.SEED, script.STEPS, script.BATCH,
                                                                       script.LR)
    assert meta["config"] == lm.config_dict(lm.LMConfig(vocab_size=65))
