"""Reference solution for nlp-48-1."""
from __future__ import annotations

import io
import warnings

import numpy as np
import torch
from torch import nn

INPUT_NAME = "input_ids"
OUTPUT_NAME = "logits"


def export_onnx(model: nn.Module, example_ids: torch.Tensor, *, opset: int = 17, dynamic: bool = True) -> bytes:
    dynamic_axes = None
    if dynamic:
        dynamic_axes = {INPUT_NAME: {0: "batch", 1: "seq"}, OUTPUT_NAME: {0: "batch", 1: "seq"}}
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the TorchScript exporter announces its deprecation
        torch.onnx.export(model, (example_ids,), buffer, dynamo=False, opset_version=opset,
                          input_names=[INPUT_NAME], output_names=[OUTPUT_NAME], dynamic_axes=dynamic_axes)
    return buffer.getvalue()


def run_onnxruntime(onnx_model: bytes, input_ids: np.ndarray) -> np.ndarray:
    import onnxruntime as ort

    session = ort.InferenceSession(onnx_model, providers=["CPUExecutionProvider"])
    return session.run([OUTPUT_NAME], {INPUT_NAME: np.asarray(input_ids, dtype=np.int64)})[0]


def run_openvino(onnx_model: bytes, input_ids: np.ndarray) -> np.ndarray:
    import openvino as ov

    core = ov.Core()
    compiled = core.compile_model(core.read_model(onnx_model, b""), "CPU", {"INFERENCE_PRECISION_HINT": "f32"})
    return np.asarray(compiled({INPUT_NAME: np.asarray(input_ids, dtype=np.int64)})[OUTPUT_NAME])


def tensorrt_provider_options(profiles: dict[str, tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]],
                              *, fp16: bool = False) -> dict[str, str]:
    if not profiles:
        raise ValueError("need a (min, opt, max) shape for at least one input")
    fields: dict[str, list[str]] = {"min": [], "opt": [], "max": []}
    for name, (lo, opt, hi) in profiles.items():
        if not (len(lo) == len(opt) == len(hi)) or len(lo) == 0:
            raise ValueError(f"{name}: min, opt and max must have the same, non-zero rank")
        for a, b, c in zip(lo, opt, hi, strict=True):
            if not 1 <= a <= b <= c:
                raise ValueError(f"{name}: need 1 <= min <= opt <= max in every dimension, got {lo}, {opt}, {hi}")
        for key, shape in zip(("min", "opt", "max"), (lo, opt, hi), strict=True):
            fields[key].append(f"{name}:" + "x".join(str(d) for d in shape))
    return {f"trt_profile_{key}_shapes": ",".join(parts) for key, parts in fields.items()} | {
        "trt_fp16_enable": "True" if fp16 else "False"}
