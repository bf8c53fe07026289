"""Tests for nlp-31-3, student performance against compression ratio.

References: parameter counts summed here; agreement and loss recomputed position by position
(F.cross_entropy in float64); a brute-force scan for the most compressed student within a tolerance;
the plotted points read back from the matplotlib Figure. The measured effect comes from the
workbook's trained char GPT (grader.lm) cut down to its first 1, 2, 3 blocks: the more it is
compressed, the worse its loss and the less it agrees with the full model.
"""
from functools import lru_cache

import matplotlib
import numpy as np
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader import lm
from grader.strategies import seeds
from grader.testing import assert_close, call_unmodified, describe_call

matplotlib.use("Agg")


def gpt(seed: int, n_layer: int = 2, d_model: int = 8) -> lm.CharGPT:
    with torch.random.fork_rng():
        torch.manual_seed(seed)
        return lm.CharGPT(lm.LMConfig(n_layer=n_layer, d_model=d_model, d_ff=2 * d_model, n_head=2))


def count(model) -> int:
    return sum(p.numel() for p in model.parameters())


@lru_cache(maxsize=1)
def val_windows() -> torch.Tensor:
    _, val = lm.corpus_splits()
    return val[:40 * 65].view(40, 65)


@given(t_layers=st.integers(1, 3), s_layers=st.integers(1, 3), frozen=st.booleans())
@example(t_layers=3, s_layers=1, frozen=True)
def test_compression_ratio_counts_every_parameter(kata, t_layers, s_layers, frozen):
    teacher, student = gpt(0, t_layers, 16), gpt(1, s_layers, 8)
    if frozen:
        teacher.requires_grad_(False)
        student.requires_grad_(False)
    got = kata.compression_ratio(teacher, student)
    want = count(teacher) / count(student)
    assert abs(got - want) < 1e-12, (f"compression_ratio({count(teacher)}-param teacher, {count(student)}-param student) "
                                     f"= {got}, expected {want} (teacher / student, all parameters)")


@settings(max_examples=6)
@given(seed=seeds(), n=st.integers(1, 4), t=st.integers(1, 12))
@example(seed=0, n=1, t=1)
def test_top1_agreement(kata, seed, n, t):
    teacher, student = gpt(seed % 7, 2), gpt(seed % 7 + 1, 1)
    windows = torch.randint(65, (n, t + 1), generator=torch.Generator().manual_seed(seed))
    got = call_unmodified(kata.top1_agreement, teacher, student, windows)
    hits = 0
    with torch.no_grad():
        for row in windows:
            a, b = teacher(row[None, :-1])[0], student(row[None, :-1])[0]
            hits += sum(int(torch.argmax(a[i])) == int(torch.argmax(b[i])) for i in range(t))
    want = hits / (n * t)
    assert abs(got - want) < 1e-12, f"top1_agreement on windows {tuple(windows.shape)} = {got}, expected {want}"


@settings(max_examples=5)
@given(seed=seeds(), names=st.permutations(["a", "b", "c"]))
def test_compression_curve_entries(kata, seed, names):
    teacher = gpt(seed % 5, 3, 16)
    sizes = {"a": (2, 16), "b": (1, 8), "c": (3, 16)}
    students = {n: gpt(seed % 5 + i + 1, *sizes[n]) for i, n in enumerate(names)}
    windows = torch.randint(65, (3, 9), generator=torch.Generator().manual_seed(seed))
    call = describe_call("compression_curve", "teacher", list(students), windows)
    got = call_unmodified(kata.compression_curve, teacher, students, windows)

    def loss(m):
        with torch.no_grad():
            return F.cross_entropy(m(windows[:, :-1]).double().reshape(-1, 65), windows[:, 1:].reshape(-1)).item()

    base = loss(teacher)
    want = sorted(({"name": n, "ratio": count(teacher) / count(s), "loss": loss(s)} for n, s in students.items()),
                  key=lambda r: r["ratio"])
    assert [r["name"] for r in got] == [r["name"] for r in want], (
        f"{call}: order {[r['name'] for r in got]}, expected {[r['name'] for r in want]} (by ratio, smallest first)")
    for g, w in zip(got, want, strict=True):
        assert abs(g["ratio"] - w["ratio"]) < 1e-12, f"{call}: {g['name']} ratio {g['ratio']}, expected {w['ratio']}"
        assert abs(g["loss"] - w["loss"]) < 1e-10, f"{call}: {g['name']} loss {g['loss']}, expected {w['loss']}"
        assert abs(g["loss_increase"] - (w["loss"] - base)) < 1e-10, (
            f"{call}: {g['name']} loss_increase {g['loss_increase']}, expected {w['loss'] - base} (student - teacher)")
        assert abs(g["agreement"] - kata.top1_agreement(teacher, students[g["name"]], windows)) < 1e-12, (
            f"{call}: {g['name']} agreement differs from top1_agreement")


def test_compression_curve_ties_keep_input_order(kata):
    teacher = gpt(0, 2, 16)
    students = {"z": gpt(1, 1, 8), "y": gpt(2, 1, 8), "x": gpt(3, 1, 8)}
    got = [r["name"] for r in kata.compression_curve(teacher, students, val_windows()[:2, :9])]
    assert got == ["z", "y", "x"], f"students of equal size came back as {got}, expected the input order ['z', 'y', 'x']"


ROWS = st.lists(st.tuples(st.sampled_from([1.0, 2.0, 4.0, 8.0]), st.sampled_from([0.0, 0.1, 0.5, 1.0, 2.0])),
                max_size=6)


@given(rows=ROWS, tol=st.sampled_from([0.0, 0.1, 0.5, 1.5]))
@example(rows=[(1.0, 0.0), (2.0, 0.5), (4.0, 1.0)], tol=0.5)     # exactly at the tolerance counts
@example(rows=[(2.0, 0.1), (2.0, 0.0)], tol=0.5)                 # equal ratios: the earlier entry
@example(rows=[(2.0, 1.0)], tol=0.1)                             # none qualifies
def test_most_compressed_within(kata, rows, tol):
    curve = [{"name": f"s{i}", "ratio": r, "loss_increase": d} for i, (r, d) in enumerate(rows)]
    ok = [c for c in curve if c["loss_increase"] <= tol]
    want = None if not ok else max(ok, key=lambda c: (c["ratio"], -curve.index(c)))
    got = kata.most_compressed_within(curve, tol)
    assert got is want or (got is not None and want is not None and got["name"] == want["name"]), (
        f"most_compressed_within({rows}, {tol}) returned {None if got is None else got['name']}, expected "
        f"{None if want is None else want['name']} (largest ratio with loss_increase <= tolerance; first on ties)")


@settings(max_examples=4)
@given(n=st.integers(1, 5), seed=seeds())
def test_plot_compression_curve(kata, n, seed):
    import matplotlib.pyplot as plt

    rng = np.random.default_rng(seed)
    curve = [{"name": f"s{i}", "ratio": 1.0 + i + float(rng.random()), "loss": 2.0,
              "loss_increase": float(rng.random()), "agreement": float(rng.random())} for i in range(n)]
    fig = kata.plot_compression_curve(curve)
    call = describe_call("plot_compression_curve", curve)
    try:
        assert len(fig.axes) == 2, f"{call} drew {len(fig.axes)} axes, expected 2"
        ax_loss, ax_agree = fig.axes
        for ax, key in ((ax_loss, "loss_increase"), (ax_agree, "agreement")):
            lines = [line for line in ax.get_lines() if len(line.get_xdata()) == n]
            assert lines, f"{call}: no line with one point per student on the {key} panel"
            assert_close(lines[0].get_xdata(), [r["ratio"] for r in curve], rtol=0, atol=1e-12,
                         name=f"x data of the {key} panel", call=call)
            assert_close(lines[0].get_ydata(), [r[key] for r in curve], rtol=0, atol=1e-12,
                         name=f"y data of the {key} panel", call=call)
            assert "compression" in ax.get_xlabel().lower(), f"{call}: x label {ax.get_xlabel()!r}"
        assert "loss" in ax_loss.get_ylabel().lower(), f"{call}: left y label {ax_loss.get_ylabel()!r}"
        assert "agreement" in ax_agree.get_ylabel().lower(), f"{call}: right y label {ax_agree.get_ylabel()!r}"
        assert sorted(t.get_text() for t in ax_loss.texts) == sorted(r["name"] for r in curve), (
            f"{call}: the left panel should annotate every student by name")
    finally:
        plt.close(fig)


def test_truncating_the_trained_model_trades_loss_for_size(kata):
    teacher = lm.load_model()
    students = {f"{k} blocks": kata.truncated(teacher, k) for k in (3, 2, 1)}
    curve = kata.compression_curve(teacher, students, val_windows())
    table = [(r["name"], round(r["ratio"], 2), round(r["loss_increase"], 3), round(r["agreement"], 3)) for r in curve]
    assert [r["name"] for r in curve] == ["3 blocks", "2 blocks", "1 blocks"], f"curve {table}: sorted by ratio"
    increases = [r["loss_increase"] for r in curve]
    agreements = [r["agreement"] for r in curve]
    assert increases[0] > 0.2 and increases == sorted(increases), (
        f"(name, ratio, loss increase, agreement): {table}; dropping trained blocks without retraining should cost "
        f"loss, more with every block dropped")
    assert agreements == sorted(agreements, reverse=True), f"{table}: agreement should fall as the ratio grows"
    best = kata.most_compressed_within(curve, increases[1])
    assert best is not None and best["name"] == "2 blocks", f"{table}: within {increases[1]:.3f} nats, expected 2 blocks"
