"""nlp-48-1: export PyTorch -> ONNX -> ONNX Runtime / OpenVINO / TensorRT. Edit this file; `grader check nlp-48-1` tests it."""
from __future__ import annotations

import numpy as np
import torch
from torch import nn

INPUT_NAME = "input_ids"
OUTPUT_NAME = "logits"


def export_onnx(model: nn.Module, example_ids: torch.Tensor, *, opset: int = 17, dynamic: bool = True) -> bytes:
    """Export a token-id -> logits model to ONNX with the TorchScript exporter (`dynamo=False`).

    The graph has one input named INPUT_NAME (int64) and one output named OUTPUT_NAME; it imports
    `opset` of the default ONNX domain. With `dynamic=True` the batch and sequence axes of both are
    symbolic, named "batch" and "seq", so the graph runs at any (batch, seq); with `dynamic=False`
    they are fixed to the example's shape. The graph computes the model's inference behaviour
    (dropout off) whatever mode the model is in; the model's mode and parameters, and `example_ids`,
    are left as they were.

    Shapes:
        example_ids: (batch, seq) int64 token ids used to trace the model
        graph input: (batch, seq) int64; graph output: (batch, seq, vocab) float32
        returns: the serialized onnx.ModelProto
    """
    raise NotImplementedError("export_onnx: call torch.onnx.export into an io.BytesIO")


def run_onnxruntime(onnx_model: bytes, input_ids: np.ndarray) -> np.ndarray:
    """Run a serialized model from `export_onnx` in ONNX Runtime on the CPU; `input_ids` is left unchanged.

    Shapes:
        input_ids: (batch, seq), any integer dtype (the graph wants int64)
        returns: (batch, seq, vocab) float32 logits
    """
    raise NotImplementedError("run_onnxruntime: build an InferenceSession and run it")


def run_openvino(onnx_model: bytes, input_ids: np.ndarray) -> np.ndarray:
    """Run a serialized model from `export_onnx` in OpenVINO on the CPU with float32 inference.

    The result agrees with PyTorch's float32 logits to ~1e-6 on every processor, including those
    where OpenVINO's CPU plugin would otherwise run bfloat16. `input_ids` is left unchanged.

    Shapes:
        input_ids: (batch, seq), any integer dtype
        returns: (batch, seq, vocab) float32 logits
    """
    raise NotImplementedError("run_openvino: read_model, compile_model for 'CPU', call it")


def tensorrt_provider_options(profiles: dict[str, tuple[tuple[int, ...], tuple[int, ...], tuple[int, ...]]],
                              *, fp16: bool = False) -> dict[str, str]:
    """Provider options of ONNX Runtime's TensorRT execution provider for one optimization profile.

    `profiles` maps each dynamic input's name to its (min, opt, max) shapes. Returns the four options
    "trt_profile_min_shapes", "trt_profile_opt_shapes", "trt_profile_max_shapes" (each
    "name:d0xd1x...", inputs in the order given, joined by ",") and "trt_fp16_enable" ("True" or
    "False"). Example: {"input_ids": ((1, 1), (4, 64), (8, 128))} gives trt_profile_opt_shapes
    "input_ids:4x64".

    Shapes:
        profiles[name]: three shapes of the same rank >= 1

    Raises:
        ValueError: if `profiles` is empty, an input's three shapes differ in rank or have rank 0, or
            1 <= min <= opt <= max fails in any dimension.
    """
    raise NotImplementedError("tensorrt_provider_options: validate the profile and format the strings")
