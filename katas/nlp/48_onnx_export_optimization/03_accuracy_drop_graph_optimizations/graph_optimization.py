"""nlp-48-3: measure the accuracy drop of graph optimizations. Edit this file; `grader check nlp-48-3` tests it."""
from __future__ import annotations

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
    """The graph ONNX Runtime's optimizer produces at `level` ("basic" or "extended"), as model bytes.

    Exactly the graph ONNX Runtime saves through `SessionOptions.optimized_model_filepath` when it
    builds a CPU session at that optimization level.

    Raises:
        ValueError: if `level` is not one of LEVELS.
    """
    raise NotImplementedError("optimize_graph: let a session save its optimized graph, read it back")


def quantize_int8(onnx_model: bytes, *, per_channel: bool = False, exclude: tuple[str, ...] = ()) -> bytes:
    """Dynamic int8 quantization with `onnxruntime.quantization.quantize_dynamic`, as model bytes.

    The weights of every MatMul and Gather node become signed int8 (full 8-bit range) with one scale
    per tensor, or one per output channel with `per_channel`; activations are quantized at run time.
    Nodes named in `exclude` (e.g. "/head/MatMul") stay float.
    """
    raise NotImplementedError("quantize_int8: call quantize_dynamic on the model, read the output back")


def compare_variants(float_model: bytes, variants: dict[str, bytes], inputs: np.ndarray,
                     targets: np.ndarray) -> dict[str, dict[str, float]]:
    """Score the float model and each variant on next-token prediction; report each one's drop.

    Every model runs as stored (`inference_session(model)`, optimizations off). Returns one row per
    model, "float" first, then the variants in the order given; each row holds floats:
        loss           mean cross-entropy of `targets` under the logits, in nats, computed in float64
        accuracy       fraction of positions whose argmax logit is the target
        loss_increase  loss - the float model's loss
        accuracy_drop  the float model's accuracy - accuracy
        agreement      fraction of positions whose argmax equals the float model's argmax
        max_abs_diff   largest |logit - the float model's logit|
        size_bytes     the model's size in bytes
    `inputs` and `targets` are left unchanged.

    Shapes:
        inputs, targets: (batch, seq) int64 token ids; logits (batch, seq, vocab)

    Raises:
        ValueError: if a variant is named "float".
    """
    raise NotImplementedError("compare_variants: run each model, score it, subtract the float row")
