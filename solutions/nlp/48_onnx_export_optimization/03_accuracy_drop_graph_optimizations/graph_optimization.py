"""Reference solution for nlp-48-3."""
from __future__ import annotations

import tempfile
from pathlib import Path

import numpy as np

LEVELS = ("basic", "extended")


def export_char_gpt() -> bytes:
    """The workbook's trained character GPT (grader.lm) as ONNX: input "input_ids" (batch, seq) int64,
    output "logits" (batch, seq, 65) float32, both axes dynamic, opset 17 (the exporter of nlp-48-1)."""
    import io
    import warnings

    import torch

    from grader import lm

    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(lm.load_model(), (torch.zeros(1, 8, dtype=torch.long),), buffer, dynamo=False,
                          opset_version=17, input_names=["input_ids"], output_names=["logits"],
                          dynamic_axes={"input_ids": {0: "batch", 1: "seq"}, "logits": {0: "batch", 1: "seq"}})
    return buffer.getvalue()


def inference_session(onnx_model: bytes, level: str | None = None):  # noqa: ANN201 - an onnxruntime.InferenceSession
    """An ONNX Runtime CPU session; `level=None` runs the graph exactly as stored (optimizations off)."""
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.graph_optimization_level = {
        None: ort.GraphOptimizationLevel.ORT_DISABLE_ALL,
        "basic": ort.GraphOptimizationLevel.ORT_ENABLE_BASIC,
        "extended": ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
    }[level]
    return ort.InferenceSession(onnx_model, options, providers=["CPUExecutionProvider"])


def optimize_graph(onnx_model: bytes, level: str) -> bytes:
    import onnxruntime as ort

    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "optimized.onnx"
        options = ort.SessionOptions()
        options.graph_optimization_level = (ort.GraphOptimizationLevel.ORT_ENABLE_BASIC if level == "basic"
                                            else ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED)
        options.optimized_model_filepath = str(out)
        ort.InferenceSession(onnx_model, options, providers=["CPUExecutionProvider"])
        return out.read_bytes()


def quantize_int8(onnx_model: bytes, *, per_channel: bool = False, exclude: tuple[str, ...] = ()) -> bytes:
    import onnx
    from onnxruntime.quantization import QuantType, quantize_dynamic

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "int8.onnx"
        quantize_dynamic(onnx.load_from_string(onnx_model), out, op_types_to_quantize=["MatMul", "Gather"],
                         per_channel=per_channel, reduce_range=False, weight_type=QuantType.QInt8,
                         nodes_to_exclude=list(exclude))
        return out.read_bytes()


def _scores(logits: np.ndarray, targets: np.ndarray) -> tuple[float, float, np.ndarray]:
    z = logits.astype(np.float64)
    z = z - z.max(axis=-1, keepdims=True)
    log_probs = z - np.log(np.exp(z).sum(axis=-1, keepdims=True))
    nll = -np.take_along_axis(log_probs, targets[..., None], axis=-1)[..., 0]
    pred = logits.argmax(axis=-1)
    return float(nll.mean()), float((pred == targets).mean()), pred


def compare_variants(float_model: bytes, variants: dict[str, bytes], inputs: np.ndarray,
                     targets: np.ndarray) -> dict[str, dict[str, float]]:
    if "float" in variants:
        raise ValueError("'float' names the unquantized, unoptimized model; give the variant another name")
    feeds = {"input_ids": np.asarray(inputs, dtype=np.int64)}
    targets = np.asarray(targets, dtype=np.int64)
    base = inference_session(float_model).run(None, feeds)[0]
    base_loss, base_acc, base_pred = _scores(base, targets)
    report = {}
    for name, blob in {"float": float_model, **variants}.items():
        logits = base if name == "float" else inference_session(blob).run(None, feeds)[0]
        loss, acc, pred = _scores(logits, targets)
        report[name] = {
            "loss": loss, "accuracy": acc,
            "loss_increase": loss - base_loss, "accuracy_drop": base_acc - acc,
            "agreement": float((pred == base_pred).mean()),
            "max_abs_diff": float(np.abs(logits - base).max()),
            "size_bytes": float(len(blob)),
        }
    return report
