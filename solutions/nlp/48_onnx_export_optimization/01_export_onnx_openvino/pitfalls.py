"""Plausible wrong versions of the nlp-48-1 functions that the tests must reject."""
from __future__ import annotations

import io
import warnings

import numpy as np
import torch
from torch import nn

from grader.pitfalls import pitfall

INPUT_NAME = "input_ids"
OUTPUT_NAME = "logits"


def _export(model: nn.Module, example_ids: torch.Tensor, opset: int, dynamic_axes: dict | None,
            names: bool = True, **extra: object) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (example_ids,), buffer, dynamo=False, opset_version=opset,
                          input_names=[INPUT_NAME] if names else None,
                          output_names=[OUTPUT_NAME] if names else None, dynamic_axes=dynamic_axes, **extra)
    return buffer.getvalue()


@pitfall(replaces="export_onnx", why="no dynamic_axes: the graph is frozen at the example's (batch, seq)")
def static_shapes(model: nn.Module, example_ids: torch.Tensor, *, opset: int = 17, dynamic: bool = True) -> bytes:
    return _export(model, example_ids, opset, None)


@pitfall(replaces="export_onnx", why="only the batch axis is dynamic: any other sequence length is rejected")
def batch_axis_only(model: nn.Module, example_ids: torch.Tensor, *, opset: int = 17, dynamic: bool = True) -> bytes:
    axes = {INPUT_NAME: {0: "batch"}, OUTPUT_NAME: {0: "batch"}} if dynamic else None
    return _export(model, example_ids, opset, axes)


@pitfall(replaces="export_onnx", why="no input_names/output_names: the graph's tensors are called 'input.1', '<n>'")
def default_names(model: nn.Module, example_ids: torch.Tensor, *, opset: int = 17, dynamic: bool = True) -> bytes:
    axes = {0: {0: "batch", 1: "seq"}} if dynamic else None
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (example_ids,), buffer, dynamo=False, opset_version=opset)
    del axes
    return buffer.getvalue()


@pitfall(replaces="export_onnx", why="calls model.eval() before exporting and never restores the caller's train mode")
def leaves_eval_mode(model: nn.Module, example_ids: torch.Tensor, *, opset: int = 17, dynamic: bool = True) -> bytes:
    model.eval()
    axes = {INPUT_NAME: {0: "batch", 1: "seq"}, OUTPUT_NAME: {0: "batch", 1: "seq"}} if dynamic else None
    return _export(model, example_ids, opset, axes)


@pitfall(replaces="export_onnx", why="exports in the model's current mode: dropout stays in the graph of a model in train mode")
def preserves_training(model: nn.Module, example_ids: torch.Tensor, *, opset: int = 17, dynamic: bool = True) -> bytes:
    axes = {INPUT_NAME: {0: "batch", 1: "seq"}, OUTPUT_NAME: {0: "batch", 1: "seq"}} if dynamic else None
    return _export(model, example_ids, opset, axes, training=torch.onnx.TrainingMode.PRESERVE)


@pitfall(replaces="export_onnx", why="ignores `opset` and always exports opset 17")
def fixed_opset(model: nn.Module, example_ids: torch.Tensor, *, opset: int = 17, dynamic: bool = True) -> bytes:
    axes = {INPUT_NAME: {0: "batch", 1: "seq"}, OUTPUT_NAME: {0: "batch", 1: "seq"}} if dynamic else None
    return _export(model, example_ids, 17, axes)


@pitfall(replaces="run_onnxruntime", why="feeds the ids as given: int32 ids are not the graph's int64 input")
def no_int64_cast(onnx_model: bytes, input_ids: np.ndarray) -> np.ndarray:
    import onnxruntime as ort

    session = ort.InferenceSession(onnx_model, providers=["CPUExecutionProvider"])
    return session.run([OUTPUT_NAME], {INPUT_NAME: input_ids})[0]


@pitfall(replaces="tensorrt_provider_options", why="joins a shape's dimensions with ',' like a Python tuple")
def comma_dims(profiles: dict, *, fp16: bool = False) -> dict[str, str]:
    if not profiles:
        raise ValueError("empty")
    for lo, opt, hi in profiles.values():
        if not (len(lo) == len(opt) == len(hi)) or not lo or not all(1 <= a <= b <= c for a, b, c in zip(lo, opt, hi, strict=True)):
            raise ValueError("bad profile")
    out = {}
    for i, key in enumerate(("min", "opt", "max")):
        out[f"trt_profile_{key}_shapes"] = ",".join(f"{n}:" + ",".join(map(str, p[i])) for n, p in profiles.items())
    return out | {"trt_fp16_enable": str(fp16)}


@pitfall(replaces="tensorrt_provider_options", why="checks min <= max but not that opt lies between them")
def opt_unchecked(profiles: dict, *, fp16: bool = False) -> dict[str, str]:
    if not profiles:
        raise ValueError("empty")
    for lo, opt, hi in profiles.values():
        if not (len(lo) == len(opt) == len(hi)) or not lo or not all(1 <= a <= c for a, c in zip(lo, hi, strict=True)):
            raise ValueError("bad profile")
    out = {}
    for i, key in enumerate(("min", "opt", "max")):
        out[f"trt_profile_{key}_shapes"] = ",".join(f"{n}:" + "x".join(map(str, p[i])) for n, p in profiles.items())
    return out | {"trt_fp16_enable": str(fp16)}
