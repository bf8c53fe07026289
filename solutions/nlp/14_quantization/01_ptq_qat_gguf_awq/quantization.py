"""Reference solution for nlp-14-1."""
from __future__ import annotations

import copy
import struct
from collections.abc import Collection
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from torch import nn

# --------------------------------------------------------------------------------------------
# Post-training quantization (PTQ)
# --------------------------------------------------------------------------------------------


def quantize_per_channel(w: torch.Tensor, bits: int = 8) -> tuple[torch.Tensor, torch.Tensor]:
    """Symmetric per-output-channel quantization of a linear layer's weight.

    qmax = 2**(bits - 1) - 1 (127 for 8 bits); for every row o (one output channel)
        scale[o] = max_i |w[o, i]| / qmax        (1.0 for an all-zero row)
        q[o, i]  = clamp(round(w[o, i] / scale[o]), -qmax, qmax)   (round half to even, torch.round)
    The zero point is 0 and the grid is symmetric: -qmax..qmax (-128 is never used).

    Shapes:
        w: (out, in), float32
        returns: (q (out, in) int8, scale (out,) float32)

    Raises:
        ValueError: if bits is not in 2..8.
    """
    if not 2 <= bits <= 8:
        raise ValueError(f"bits must be in 2..8, got {bits}")
    qmax = 2 ** (bits - 1) - 1
    w = w.detach().float()
    scale = w.abs().amax(dim=1) / qmax
    scale = torch.where(scale == 0, torch.ones_like(scale), scale)
    q = torch.clamp(torch.round(w / scale[:, None]), -qmax, qmax).to(torch.int8)
    return q, scale


def dequantize(q: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
    """The float weight the integers stand for: q[o, i] * scale[o].

    Shapes:
        q: (out, in) int8; scale: (out,) float32
        returns: (out, in) float32
    """
    return q.float() * scale.float()[:, None]


def fake_quantize(w: torch.Tensor, bits: int = 8) -> torch.Tensor:
    """Quantize-dequantize in the forward pass with a straight-through estimator (STE) backward.

    Forward: dequantize(*quantize_per_channel(w, bits)). Backward: the gradient passes to w
    unchanged, as if the rounding were the identity; the scale is a constant (computed from
    w.detach()), so no gradient flows through it.

    Shapes:
        w: (out, in), float32, may require grad
        returns: (out, in) float32, differentiable with respect to w
    """
    w_q = dequantize(*quantize_per_channel(w.detach(), bits))
    return w + (w_q - w).detach()


class FakeQuantLinear(nn.Linear):
    """Given, complete: an nn.Linear whose forward uses fake_quantize(weight, bits).

    Evaluated as is, it is the post-training-quantized layer; trained, it is quantization-aware
    training (the float weight is the "shadow" weight the optimizer updates).
    """

    def __init__(self, in_features: int, out_features: int, bias: bool = True, bits: int = 8) -> None:
        super().__init__(in_features, out_features, bias=bias)
        self.bits = bits

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return F.linear(x, fake_quantize(self.weight, self.bits), self.bias)


def quantize_linears(model: nn.Module, bits: int) -> nn.Module:
    """A deep copy of `model` in which every nn.Linear, at any depth, is a FakeQuantLinear with
    the same in/out features, a copy of the same weight and bias (or no bias), and `bits`.

    The original model must not change. Other modules (activations, norms, embeddings) are kept.

    Returns:
        the new nn.Module
    """
    new = copy.deepcopy(model)

    def swap(parent: nn.Module) -> None:
        for name, child in parent.named_children():
            if isinstance(child, nn.Linear) and not isinstance(child, FakeQuantLinear):
                layer = FakeQuantLinear(child.in_features, child.out_features, bias=child.bias is not None, bits=bits)
                layer.load_state_dict(child.state_dict())
                setattr(parent, name, layer)
            elif isinstance(child, FakeQuantLinear):
                child.bits = bits
            else:
                swap(child)

    swap(new)
    return new


def train(model: nn.Module, x: torch.Tensor, y: torch.Tensor, steps: int, lr: float) -> nn.Module:
    """Given, complete: full-batch Adam on the cross-entropy; trains `model` in place and returns it.

    (Adam written out: torch.optim's first step imports torch._dynamo, seconds the tests can spare.)
    """
    params = [p for p in model.parameters() if p.requires_grad]
    m = [torch.zeros_like(p) for p in params]
    v = [torch.zeros_like(p) for p in params]
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    model.train()
    for t in range(1, steps + 1):
        for p in params:
            p.grad = None
        F.cross_entropy(model(x), y).backward()
        with torch.no_grad():
            for p, m_p, v_p in zip(params, m, v, strict=True):
                m_p.mul_(beta1).add_(p.grad, alpha=1 - beta1)
                v_p.mul_(beta2).addcmul_(p.grad, p.grad, value=1 - beta2)
                step = lr * (m_p / (1 - beta1**t)) / ((v_p / (1 - beta2**t)).sqrt() + eps)
                p.sub_(step)
    model.eval()
    return model


@torch.no_grad()
def accuracy(model: nn.Module, x: torch.Tensor, y: torch.Tensor) -> float:
    """Given, complete: the fraction of rows of x whose argmax logit is the label."""
    return float((model(x).argmax(dim=-1) == y).double().mean())


def accuracy_drop(model: nn.Module, x_train: torch.Tensor, y_train: torch.Tensor, x_test: torch.Tensor,
                  y_test: torch.Tensor, bits_list: list[int], qat_steps: int = 50, lr: float = 1e-2) -> dict:
    """Test accuracy of the float model, of PTQ and of QAT at every bit width.

    For every b in bits_list:
        ptq = accuracy(quantize_linears(model, b), x_test, y_test)
        qat = accuracy(train(quantize_linears(model, b), x_train, y_train, qat_steps, lr), x_test, y_test)
    `model` itself is not changed.

    Returns:
        {"bits": list(bits_list), "float": float, "ptq": [float per bits], "qat": [float per bits]}
    """
    result: dict = {"bits": list(bits_list), "float": accuracy(model, x_test, y_test), "ptq": [], "qat": []}
    for b in bits_list:
        result["ptq"].append(accuracy(quantize_linears(model, b), x_test, y_test))
        qat_model = train(quantize_linears(model, b), x_train, y_train, qat_steps, lr)
        result["qat"].append(accuracy(qat_model, x_test, y_test))
    return result


def plot_accuracy_drop(result: dict) -> Figure:
    """One axes: the accuracy drop (float accuracy minus quantized accuracy) against the bit width.

    Two lines, labelled "PTQ" and "QAT", with x = result["bits"] and y = result["float"] minus
    result["ptq"] (resp. result["qat"]); x label mentions "bits", y label "accuracy drop"; a legend.

    Returns:
        a matplotlib Figure
    """
    fig = Figure(figsize=(5, 3.5))
    ax = fig.subplots()
    bits = result["bits"]
    for key, label in (("ptq", "PTQ"), ("qat", "QAT")):
        ax.plot(bits, [result["float"] - a for a in result[key]], marker="o", label=label)
    ax.axhline(0.0, color="grey", lw=0.8)
    ax.set_xlabel("weight bits")
    ax.set_ylabel("accuracy drop (float - quantized)")
    ax.set_title("Quantization: accuracy lost per bit width")
    ax.invert_xaxis()
    ax.legend()
    return fig


# --------------------------------------------------------------------------------------------
# Export: GGUF with Q8_0 blocks
# --------------------------------------------------------------------------------------------

GGUF_MAGIC = b"GGUF"
GGUF_VERSION = 3
GGUF_ALIGNMENT = 32
GGML_TYPE_F32, GGML_TYPE_Q8_0 = 0, 8
GGUF_TYPE_UINT32, GGUF_TYPE_FLOAT32, GGUF_TYPE_STRING = 4, 6, 8
Q8_0_BLOCK = 32


def quantize_q8_0(x: np.ndarray) -> np.ndarray:
    """GGML's Q8_0 encoding: blocks of 32 consecutive values along the last axis.

    Each block becomes 34 bytes: its scale d = max|block| / 127 as a little-endian float16,
    then 32 int8 codes round(block * (1 / d)), rounding half away from zero (C's roundf), and
    all codes 0 when d == 0. Compute d and 1 / d in float32, as ggml does.

    Shapes:
        x: (..., n) float32 with n a multiple of 32
        returns: (..., n // 32 * 34) uint8

    Raises:
        ValueError: if the last axis is not a multiple of 32.
    """
    x = np.asarray(x, dtype=np.float32)
    if x.shape[-1] % Q8_0_BLOCK:
        raise ValueError(f"the last axis must be a multiple of {Q8_0_BLOCK}, got {x.shape[-1]}")
    blocks = x.reshape(-1, Q8_0_BLOCK)
    d = np.abs(blocks).max(axis=1, keepdims=True) / np.float32(127)
    with np.errstate(divide="ignore"):
        inv = np.where(d == 0, np.float32(0), np.float32(1) / d).astype(np.float32)
    scaled = blocks * inv
    codes = np.sign(scaled) * np.floor(np.abs(scaled) + np.float32(0.5))
    out = np.concatenate([d.astype("<f2").view(np.uint8), codes.astype(np.int8).view(np.uint8)], axis=1)
    return out.reshape(*x.shape[:-1], x.shape[-1] // Q8_0_BLOCK * (Q8_0_BLOCK + 2))


def write_gguf(path: str | Path, tensors: dict[str, np.ndarray], metadata: dict[str, str | int | float],
               quantize: Collection[str] = ()) -> None:
    """Write a GGUF (version 3) file that llama.cpp's `gguf` reader can load.

    Layout (all little-endian; a "string" is a uint64 byte length followed by UTF-8 bytes):
        b"GGUF", uint32 version = 3, uint64 number of tensors, uint64 number of metadata pairs
        each metadata pair: string key, uint32 value type, value
            str -> STRING (8), int -> UINT32 (4), float -> FLOAT32 (6)
        each tensor info, in the order of `tensors`: string name, uint32 n_dims,
            n_dims uint64 sizes innermost first (a (rows, cols) array is written [cols, rows]),
            uint32 type (F32 = 0, Q8_0 = 8), uint64 offset of its data from the start of the data section
        zero padding up to a multiple of 32 bytes (from the start of the file)
        the data section: each tensor's bytes at its offset; every offset a multiple of 32
    Tensors named in `quantize` are stored as quantize_q8_0(array), the others as float32.

    Shapes:
        tensors: name -> float array of any rank >= 1 (quantized ones: last axis a multiple of 32)
    """
    def string(s: str) -> bytes:
        raw = s.encode("utf-8")
        return struct.pack("<Q", len(raw)) + raw

    def pad(n: int) -> int:
        return (GGUF_ALIGNMENT - n % GGUF_ALIGNMENT) % GGUF_ALIGNMENT

    out = bytearray(GGUF_MAGIC + struct.pack("<IQQ", GGUF_VERSION, len(tensors), len(metadata)))
    for key, value in metadata.items():
        out += string(key)
        if isinstance(value, str):
            out += struct.pack("<I", GGUF_TYPE_STRING) + string(value)
        elif isinstance(value, bool | int):
            out += struct.pack("<II", GGUF_TYPE_UINT32, int(value))
        else:
            out += struct.pack("<If", GGUF_TYPE_FLOAT32, float(value))
    blobs, offset = [], 0
    for name, array in tensors.items():
        array = np.asarray(array, dtype=np.float32)
        if name in quantize:
            blob, kind = quantize_q8_0(array).tobytes(), GGML_TYPE_Q8_0
        else:
            blob, kind = np.ascontiguousarray(array, dtype="<f4").tobytes(), GGML_TYPE_F32
        out += string(name) + struct.pack("<I", array.ndim)
        out += struct.pack(f"<{array.ndim}Q", *reversed(array.shape))
        out += struct.pack("<IQ", kind, offset)
        blobs.append(blob + bytes(pad(len(blob))))
        offset += len(blobs[-1])
    out += bytes(pad(len(out)))
    for blob in blobs:
        out += blob
    Path(path).write_bytes(bytes(out))


# --------------------------------------------------------------------------------------------
# AWQ: activation-aware weight quantization
# --------------------------------------------------------------------------------------------


def awq_scales(x: torch.Tensor, alpha: float) -> torch.Tensor:
    """AWQ's per-input-channel scales from calibration activations.

        s[j] = (mean_t |x[t, j]|) ** alpha, clamped below at 1e-4,
        then divided by sqrt(max(s) * min(s)) so the scales are centred around 1.

    Shapes:
        x: (tokens, in) float32; returns: (in,) float32
    """
    s = x.detach().float().abs().mean(dim=0).pow(alpha).clamp(min=1e-4)
    return s / (s.max() * s.min()).sqrt()


def awq_quantize(w: torch.Tensor, x: torch.Tensor, bits: int, n_grid: int = 20) -> tuple[torch.Tensor, float]:
    """Grid-search AWQ's alpha and return the effective (quantized) weight.

    For alpha in [0, 1/n_grid, 2/n_grid, ..., (n_grid - 1)/n_grid]:
        s     = awq_scales(x, alpha)
        w_eff = dequantize(*quantize_per_channel(w * s, bits)) / s       (s scales the input columns)
        err   = mean((x @ w_eff.T - x @ w.T) ** 2)                         (the layer's output error)
    and keep the alpha with the smallest err (the first one on a tie). alpha = 0 is plain rounding.

    Shapes:
        w: (out, in); x: (tokens, in)
        returns: (w_eff (out, in) float32, alpha float)
    """
    w, x = w.detach().float(), x.detach().float()
    want = x @ w.T
    best: tuple[float, torch.Tensor, float] | None = None
    for i in range(n_grid):
        alpha = i / n_grid
        s = awq_scales(x, alpha)
        w_eff = dequantize(*quantize_per_channel(w * s, bits)) / s
        err = float(((x @ w_eff.T - want) ** 2).mean())
        if best is None or err < best[0]:
            best = (err, w_eff, alpha)
    assert best is not None
    return best[1], best[2]
