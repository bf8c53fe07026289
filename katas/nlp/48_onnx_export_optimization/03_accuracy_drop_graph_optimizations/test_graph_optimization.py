"""Tests for nlp-48-3, the accuracy drop of ONNX Runtime graph optimizations and dynamic int8 quantization.

References: ONNX Runtime itself (its optimizer saving the graph of each level, and
`onnxruntime.quantization.quantize_dynamic`), run by the tests on their own exports; cross-entropy and
top-1 accuracy recomputed in float64 with torch from the logits ONNX Runtime returns; and, on the
workbook's trained character GPT and held-out Shakespeare, the drop measured end to end.
"""
import collections
import io
import tempfile
import warnings
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
import torch
import torch.nn.functional as F
from hypothesis import example, given, settings
from hypothesis import strategies as st
from onnxruntime.quantization import QuantType, quantize_dynamic

from grader import lm
from grader.strategies import dims, seeds
from grader.testing import assert_close, assert_equal, call_unmodified, describe_call

VOCAB = 65
LEVEL_ENUM = {"basic": ort.GraphOptimizationLevel.ORT_ENABLE_BASIC,
              "extended": ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED}
_CACHE: dict = {}


def cached(key: str, make):  # noqa: ANN001, ANN201 - a memo for the exports several tests share
    if key not in _CACHE:
        _CACHE[key] = make()
    return _CACHE[key]


def export(model: torch.nn.Module) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (torch.zeros(1, 8, dtype=torch.long),), buffer, dynamo=False, opset_version=17,
                          input_names=["input_ids"], output_names=["logits"],
                          dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "logits": {0: "batch", 1: "seq"}})
    return buffer.getvalue()


def tiny_onnx() -> bytes:
    """A one-layer CharGPT with seeded random weights: the trained model's graph structure, cheaper to export."""
    def make() -> bytes:
        torch.manual_seed(0)
        return export(lm.CharGPT(lm.LMConfig(n_layer=1, n_head=2, d_model=16, d_ff=32)).eval())
    return cached("tiny", make)


def trained_onnx() -> bytes:
    return cached("trained", lambda: export(lm.load_model()))


def run_as_stored(blob: bytes, ids: np.ndarray) -> np.ndarray:
    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_DISABLE_ALL
    session = ort.InferenceSession(blob, options, providers=["CPUExecutionProvider"])
    return session.run(None, {"input_ids": ids.astype(np.int64)})[0]


def reference_optimized(blob: bytes, level: str) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        options = ort.SessionOptions()
        options.graph_optimization_level = LEVEL_ENUM[level]
        options.optimized_model_filepath = str(Path(tmp) / "m.onnx")
        ort.InferenceSession(blob, options, providers=["CPUExecutionProvider"])
        return (Path(tmp) / "m.onnx").read_bytes()


def reference_int8(blob: bytes, per_channel: bool, exclude: tuple[str, ...]) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        quantize_dynamic(onnx.load_from_string(blob), Path(tmp) / "q.onnx", op_types_to_quantize=["MatMul", "Gather"],
                         per_channel=per_channel, weight_type=QuantType.QInt8, nodes_to_exclude=list(exclude))
        return (Path(tmp) / "q.onnx").read_bytes()


def op_counts(blob: bytes) -> collections.Counter:
    return collections.Counter((n.domain or "ai.onnx", n.op_type) for n in onnx.load_from_string(blob).graph.node)


def ids_array(seed: int, batch: int, seq: int) -> np.ndarray:
    return np.random.default_rng(seed).integers(0, VOCAB, size=(batch, seq))


# ----------------------------------------------------------------------------- optimize_graph


@settings(max_examples=1)
@given(level=st.sampled_from(["basic", "extended"]), seed=seeds())
@example(level="basic", seed=0)
@example(level="extended", seed=1)
def test_optimize_graph_saves_onnxruntime_optimized_graph(kata, level, seed):
    blob = tiny_onnx()
    call = describe_call("optimize_graph", blob, level)
    got = kata.optimize_graph(blob, level)
    assert isinstance(got, bytes), f"{call} returned {type(got).__name__}, expected the optimized model's bytes"
    want, have = op_counts(reference_optimized(blob, level)), op_counts(got)
    assert have == want, (
        f"{call}: the graph's operators differ from what ONNX Runtime saves at level {level!r}:\n"
        f"  missing {dict(want - have)}\n  extra   {dict(have - want)}\n"
        f"  ({sum(have.values())} nodes; the input had {sum(op_counts(blob).values())}, ONNX Runtime's "
        f"{level} graph has {sum(want.values())})")
    ids = ids_array(seed, 2, 9)
    # Same float32 function, operators fused and folded: ~1e-6 apart, 1e-4 is a generous bound.
    assert_close(run_as_stored(got, ids), run_as_stored(blob, ids), rtol=1e-4, atol=1e-4,
                 name="logits of the optimized graph (run as stored)", call=call)


@given(level=st.sampled_from(["all", "disabled", "Basic", "", "layout", "EXTENDED"]))
@example(level="all")
def test_optimize_graph_rejects_unknown_level(kata, level):
    with pytest.raises(ValueError):
        kata.optimize_graph(tiny_onnx(), level)
        pytest.fail(f"optimize_graph(model, {level!r}) returned instead of raising ValueError")


# ----------------------------------------------------------------------------- quantize_int8

WEIGHT_MATMULS = ["/head/MatMul", "/blocks.0/fc/MatMul", "/blocks.0/attn/qkv/MatMul", "/blocks.0/out/MatMul"]


@settings(max_examples=1)
@given(per_channel=st.booleans(), exclude=st.lists(st.sampled_from(WEIGHT_MATMULS), max_size=2, unique=True),
       seed=seeds())
@example(per_channel=False, exclude=[], seed=0)
@example(per_channel=True, exclude=["/head/MatMul"], seed=1)
def test_quantize_int8_matches_quantize_dynamic(kata, per_channel, exclude, seed):
    blob = tiny_onnx()
    exclude = tuple(exclude)
    call = describe_call("quantize_int8", blob, per_channel=per_channel, exclude=exclude)
    got = kata.quantize_int8(blob, per_channel=per_channel, exclude=exclude)
    assert isinstance(got, bytes), f"{call} returned {type(got).__name__}, expected the quantized model's bytes"
    want = reference_int8(blob, per_channel, exclude)
    proto = onnx.load_from_string(got)
    weights = collections.Counter((onnx.TensorProto.DataType.Name(t.data_type), tuple(t.dims))
                                  for t in proto.graph.initializer)
    want_weights = collections.Counter((onnx.TensorProto.DataType.Name(t.data_type), tuple(t.dims))
                                       for t in onnx.load_from_string(want).graph.initializer)
    assert weights == want_weights, (
        f"{call}: the initializers (dtype, shape) differ from quantize_dynamic's (int8 weights of every MatMul "
        f"and Gather, {'one scale per output channel' if per_channel else 'one scale per tensor'}):\n"
        f"  missing {dict(want_weights - weights)}\n  extra   {dict(weights - want_weights)}")
    float_nodes = {n.name for n in proto.graph.node if n.op_type == "MatMul"}
    kept = [name for name in exclude if name not in float_nodes]
    assert not kept, f"{call}: nodes {kept} were to stay float MatMuls, but are not in the quantized graph as MatMul"
    ids = ids_array(seed, 2, 7)
    # Same quantized graph, same kernels: the logits agree to float32 rounding.
    assert_close(run_as_stored(got, ids), run_as_stored(want, ids), rtol=1e-6, atol=1e-6,
                 name="logits of the int8 model (run as stored)", call=call)


# ----------------------------------------------------------------------------- compare_variants


def reference_report(float_blob: bytes, variants: dict[str, bytes], ids: np.ndarray,
                     targets: np.ndarray) -> dict[str, dict[str, float]]:
    base = torch.from_numpy(run_as_stored(float_blob, ids)).double()
    t = torch.from_numpy(targets).long()
    out = {}
    for name, blob in {"float": float_blob, **variants}.items():
        logits = torch.from_numpy(run_as_stored(blob, ids)).double()
        out[name] = {
            "loss": F.cross_entropy(logits.flatten(0, 1), t.flatten()).item(),
            "accuracy": (logits.argmax(-1) == t).double().mean().item(),
            "agreement": (logits.argmax(-1) == base.argmax(-1)).double().mean().item(),
            "max_abs_diff": (logits - base).abs().max().item(),
            "size_bytes": float(len(blob)),
        }
    for row in out.values():
        row["loss_increase"] = row["loss"] - out["float"]["loss"]
        row["accuracy_drop"] = out["float"]["accuracy"] - row["accuracy"]
    return out


def tiny_variants() -> dict[str, bytes]:
    def make() -> dict[str, bytes]:
        blob = tiny_onnx()
        return {"extended": reference_optimized(blob, "extended"), "int8": reference_int8(blob, False, ()),
                "int8-per-channel": reference_int8(blob, True, ())}
    return cached("tiny-variants", make)


@settings(max_examples=1)
@given(names=st.lists(st.sampled_from(["extended", "int8", "int8-per-channel"]), max_size=3, unique=True),
       batch=dims(1, 3), seq=dims(1, 10), seed=seeds(), targets_from_float=st.booleans())
# Targets = the float model's own predictions: float accuracy is 1, so int8's accuracy drop is
# exactly its disagreement (1/30 here), and a sign error shows.
@example(names=["extended", "int8", "int8-per-channel"], batch=3, seq=10, seed=0, targets_from_float=True)
@example(names=[], batch=1, seq=1, seed=1, targets_from_float=False)
def test_compare_variants_matches_reference(kata, names, batch, seq, seed, targets_from_float):
    blob = tiny_onnx()
    variants = {name: tiny_variants()[name] for name in names}
    ids = ids_array(seed, batch, seq)
    targets = run_as_stored(blob, ids).argmax(-1) if targets_from_float else ids_array(seed + 1, batch, seq)
    call = describe_call("compare_variants", blob, variants, ids, targets)
    got = call_unmodified(kata.compare_variants, blob, variants, ids, targets)
    want = reference_report(blob, variants, ids, targets)
    assert list(got) == list(want), f"{call} returned rows {list(got)}, expected {list(want)} ('float' first)"
    for name, row in want.items():
        assert set(got[name]) == set(row), f"{call}[{name!r}] has keys {sorted(got[name])}, expected {sorted(row)}"
        for key, value in row.items():
            # Cross-entropy in float64 from the same float32 logits: agreement to ~1e-15; 1e-9 allows
            # any float64 summation order but not a float32 log-softmax (~1e-7).
            assert_close(got[name][key], value, rtol=0, atol=1e-9, name=f"{name}.{key}", call=call)


def test_compare_variants_rejects_a_variant_named_float(kata):
    blob = tiny_onnx()
    ids = ids_array(0, 1, 4)
    with pytest.raises(ValueError):
        kata.compare_variants(blob, {"float": tiny_variants()["int8"]}, ids, ids)
        pytest.fail("compare_variants(model, {'float': ...}, ...) returned instead of raising ValueError")


# ----------------------------------------------------------------------------- the measurement


def test_compare_variants_measures_the_drop_on_shakespeare(kata):
    """The trained character GPT on held-out Shakespeare: what each transformation really costs."""
    blob = trained_onnx()
    _, val = lm.corpus_splits()
    x, y = lm.windows(val, lm.CONTEXT, max_windows=8)
    variants = {"extended": kata.optimize_graph(blob, "extended"), "int8": kata.quantize_int8(blob)}
    report = kata.compare_variants(blob, variants, x.numpy(), y.numpy())
    print("\n" + "\n".join(f"{name:17s} " + "  ".join(f"{k}={v:.6g}" for k, v in row.items())
                           for name, row in report.items()))
    call = "compare_variants(char GPT, {extended, int8}, 8 validation windows of 64)"
    want_float = lm.evaluate_loss(lm.load_model(), val, max_windows=8)
    # The ONNX float graph is the PyTorch model: same loss to float32 rounding.
    assert_close(report["float"]["loss"], want_float, rtol=0, atol=1e-5, name="float.loss", call=call)
    ext = report["extended"]
    assert abs(ext["loss_increase"]) < 1e-5 and ext["agreement"] >= 0.99, (
        f"{call}: the extended-level graph should compute the same function (fusions are exact up to "
        f"float32 rounding), but its loss moved by {ext['loss_increase']:.2e} and it agrees on "
        f"{ext['agreement']:.3f} of the predictions")
    for name in ("int8",):
        row = report[name]
        assert row["max_abs_diff"] > 1e-2, (
            f"{call}: {name} logits differ from float by at most {row['max_abs_diff']:.2e}: were the weights "
            "quantized? int8 weights move the logits by ~0.1-1 on this model")
        assert abs(row["loss_increase"]) < 0.05 and row["agreement"] > 0.9, (
            f"{call}: {name} moved the loss by {row['loss_increase']:+.4f} nats and agrees on "
            f"{row['agreement']:.3f} of the predictions; dynamic int8 costs ~1e-3 nats here")
        assert row["size_bytes"] < 0.4 * report["float"]["size_bytes"], (
            f"{call}: the {name} file is {row['size_bytes']:.0f} bytes, float is "
            f"{report['float']['size_bytes']:.0f}; int8 weights should make it about 3x smaller")
    assert_equal(report["float"]["agreement"], 1.0, name="float.agreement", call=call)
