"""Plausible wrong versions of the nlp-48-3 functions that the tests must reject."""
from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from graph_optimization import LEVELS, _scores, inference_session


def _saved(onnx_model: bytes, level_enum: object) -> bytes:
    import onnxruntime as ort

    with tempfile.TemporaryDirectory() as tmp:
        options = ort.SessionOptions()
        options.graph_optimization_level = level_enum
        options.optimized_model_filepath = str(Path(tmp) / "m.onnx")
        ort.InferenceSession(onnx_model, options, providers=["CPUExecutionProvider"])
        return (Path(tmp) / "m.onnx").read_bytes()


@pitfall(replaces="optimize_graph", why="builds an optimized session but returns the original bytes: nothing was optimized")
def returns_input(onnx_model: bytes, level: str) -> bytes:
    if level not in LEVELS:
        raise ValueError(level)
    inference_session(onnx_model, level)
    return onnx_model


@pitfall(replaces="optimize_graph", why="always saves the extended graph, whatever level was asked for")
def always_extended(onnx_model: bytes, level: str) -> bytes:
    import onnxruntime as ort

    if level not in LEVELS:
        raise ValueError(level)
    return _saved(onnx_model, ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED)


@pitfall(replaces="optimize_graph", why="treats any unknown level as ORT_ENABLE_ALL instead of rejecting it")
def no_level_check(onnx_model: bytes, level: str) -> bytes:
    import onnxruntime as ort

    L = ort.GraphOptimizationLevel
    return _saved(onnx_model, {"basic": L.ORT_ENABLE_BASIC, "extended": L.ORT_ENABLE_EXTENDED}.get(level, L.ORT_ENABLE_ALL))


def _quantize(onnx_model: bytes, **kwargs: object) -> bytes:
    import onnx
    from onnxruntime.quantization import quantize_dynamic

    with tempfile.TemporaryDirectory() as tmp:
        quantize_dynamic(onnx.load_from_string(onnx_model), Path(tmp) / "q.onnx", **kwargs)
        return (Path(tmp) / "q.onnx").read_bytes()


@pitfall(replaces="quantize_int8", why="unsigned uint8 weights (QuantType.QUInt8) instead of signed int8")
def uint8_weights(onnx_model: bytes, *, per_channel: bool = False, exclude: tuple[str, ...] = ()) -> bytes:
    from onnxruntime.quantization import QuantType

    return _quantize(onnx_model, op_types_to_quantize=["MatMul", "Gather"], per_channel=per_channel,
                     weight_type=QuantType.QUInt8, nodes_to_exclude=list(exclude))


@pitfall(replaces="quantize_int8", why="quantizes only MatMul: the embedding table (a Gather) stays float")
def matmul_only(onnx_model: bytes, *, per_channel: bool = False, exclude: tuple[str, ...] = ()) -> bytes:
    from onnxruntime.quantization import QuantType

    return _quantize(onnx_model, op_types_to_quantize=["MatMul"], per_channel=per_channel,
                     weight_type=QuantType.QInt8, nodes_to_exclude=list(exclude))


@pitfall(replaces="quantize_int8", why="reduce_range=True: 7-bit weights, as advised for old x86 without VNNI")
def reduced_range(onnx_model: bytes, *, per_channel: bool = False, exclude: tuple[str, ...] = ()) -> bytes:
    from onnxruntime.quantization import QuantType

    return _quantize(onnx_model, op_types_to_quantize=["MatMul", "Gather"], per_channel=per_channel,
                     reduce_range=True, weight_type=QuantType.QInt8, nodes_to_exclude=list(exclude))


@pitfall(replaces="quantize_int8", why="passes the excluded names as nodes_to_quantize: quantizes only those")
def exclude_inverted(onnx_model: bytes, *, per_channel: bool = False, exclude: tuple[str, ...] = ()) -> bytes:
    from onnxruntime.quantization import QuantType

    return _quantize(onnx_model, op_types_to_quantize=["MatMul", "Gather"], per_channel=per_channel,
                     weight_type=QuantType.QInt8, nodes_to_quantize=list(exclude) or None)


@pitfall(replaces="compare_variants", why="the float baseline runs with ONNX Runtime's default (all) optimizations")
def optimized_baseline(float_model: bytes, variants: dict[str, bytes], inputs: np.ndarray,
                       targets: np.ndarray) -> dict[str, dict[str, float]]:
    import onnxruntime as ort

    if "float" in variants:
        raise ValueError("float")
    feeds = {"input_ids": np.asarray(inputs, dtype=np.int64)}
    base = ort.InferenceSession(float_model, providers=["CPUExecutionProvider"]).run(None, feeds)[0]
    base_loss, base_acc, base_pred = _scores(base, targets)
    report = {}
    for name, blob in {"float": float_model, **variants}.items():
        logits = base if name == "float" else inference_session(blob).run(None, feeds)[0]
        loss, acc, pred = _scores(logits, targets)
        report[name] = {"loss": loss, "accuracy": acc, "loss_increase": loss - base_loss,
                        "accuracy_drop": base_acc - acc, "agreement": float((pred == base_pred).mean()),
                        "max_abs_diff": float(np.abs(logits - base).max()), "size_bytes": float(len(blob))}
    return report


def _rows(float_model: bytes, variants: dict[str, bytes], inputs: np.ndarray, targets: np.ndarray,
          loss_fn: object = None, flip: bool = False, agree_targets: bool = False) -> dict[str, dict[str, float]]:
    if "float" in variants:
        raise ValueError("float")
    feeds = {"input_ids": np.asarray(inputs, dtype=np.int64)}
    base = inference_session(float_model).run(None, feeds)[0]
    report = {}
    for name, blob in {"float": float_model, **variants}.items():
        logits = inference_session(blob).run(None, feeds)[0]
        loss, acc, pred = _scores(logits, targets)
        if loss_fn is not None:
            loss = loss_fn(logits, targets)
        ref = targets if agree_targets else base.argmax(-1)
        report[name] = {"loss": loss, "accuracy": acc, "agreement": float((pred == ref).mean()),
                        "max_abs_diff": float(np.abs(logits - base).max()), "size_bytes": float(len(blob))}
    for row in report.values():
        sign = -1 if flip else 1
        row["loss_increase"] = sign * (row["loss"] - report["float"]["loss"])
        row["accuracy_drop"] = sign * (report["float"]["accuracy"] - row["accuracy"])
    return report


def _float32_loss(logits: np.ndarray, targets: np.ndarray) -> float:
    z = logits - logits.max(axis=-1, keepdims=True)
    log_probs = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    return float(-np.take_along_axis(log_probs, targets[..., None], axis=-1).mean(dtype=np.float32))


@pitfall(replaces="compare_variants", why="cross-entropy in float32: loss differences of 1e-7 nats are rounding, not the model")
def float32_loss(float_model: bytes, variants: dict[str, bytes], inputs: np.ndarray,
                 targets: np.ndarray) -> dict[str, dict[str, float]]:
    return _rows(float_model, variants, inputs, targets, loss_fn=_float32_loss)


@pitfall(replaces="compare_variants", why="subtracts the wrong way round: an accuracy loss is reported as a gain")
def reversed_drop(float_model: bytes, variants: dict[str, bytes], inputs: np.ndarray,
                  targets: np.ndarray) -> dict[str, dict[str, float]]:
    return _rows(float_model, variants, inputs, targets, flip=True)


@pitfall(replaces="compare_variants", why="'agreement' compares predictions with the targets: that is accuracy again")
def agreement_with_targets(float_model: bytes, variants: dict[str, bytes], inputs: np.ndarray,
                           targets: np.ndarray) -> dict[str, dict[str, float]]:
    return _rows(float_model, variants, inputs, targets, agree_targets=True)


@pitfall(replaces="compare_variants", why="lets a variant named 'float' silently replace the baseline row")
def no_name_check(float_model: bytes, variants: dict[str, bytes], inputs: np.ndarray,
                  targets: np.ndarray) -> dict[str, dict[str, float]]:
    return _rows(float_model, {k: v for k, v in variants.items() if k != "float"}, inputs, targets)
