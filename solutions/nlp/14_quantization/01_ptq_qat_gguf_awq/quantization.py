"""Reference solution for nlp-14-1."""
from __future__ import annotations

import copy
import math
import struct
from collections.abc import Collection
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F
from matplotlib.figure import Figure
from torch import nn

from grader import lm

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


def train_lm(model: nn.Module, train_ids: torch.Tensor, steps: int, lr: float, seed: int = 0,
             batch: int = 8) -> nn.Module:
    """Given, complete: `steps` Adam steps of next-character cross-entropy on random 64-character
    windows of `train_ids` (drawn from `seed`); trains `model` in place (all its parameters) and returns it.

    (Adam written out: torch.optim's first step imports torch._dynamo, seconds the tests can spare.)
    """
    model.requires_grad_(True)
    params = list(model.parameters())
    m = [torch.zeros_like(p) for p in params]
    v = [torch.zeros_like(p) for p in params]
    beta1, beta2, eps = 0.9, 0.999, 1e-8
    g = torch.Generator().manual_seed(seed)
    offsets = torch.arange(lm.CONTEXT + 1)
    model.train()
    for t in range(1, steps + 1):
        chunk = train_ids[torch.randint(len(train_ids) - lm.CONTEXT - 1, (batch,), generator=g)[:, None] + offsets]
        for p in params:
            p.grad = None
        F.cross_entropy(model(chunk[:, :-1]).flatten(0, 1), chunk[:, 1:].flatten()).backward()
        with torch.no_grad():
            for p, m_p, v_p in zip(params, m, v, strict=True):
                m_p.mul_(beta1).add_(p.grad, alpha=1 - beta1)
                v_p.mul_(beta2).addcmul_(p.grad, p.grad, value=1 - beta2)
                p.sub_(lr * (m_p / (1 - beta1**t)) / ((v_p / (1 - beta2**t)).sqrt() + eps))
    model.eval()
    model.requires_grad_(False)
    return model


def perplexity(model: nn.Module, ids: torch.Tensor) -> float:
    """Given, complete: exp of the mean next-character loss over non-overlapping 64-character windows of ids."""
    return math.exp(lm.evaluate_loss(model, ids, context=lm.CONTEXT))


def perplexity_drop(model: nn.Module, train_ids: torch.Tensor, val_ids: torch.Tensor, bits_list: list[int],
                    qat_steps: int = 20, lr: float = 3e-4) -> dict:
    """Held-out perplexity of the float model, of PTQ and of QAT at every bit width.

    For every b in bits_list:
        ptq = perplexity(quantize_linears(model, b), val_ids)
        qat = perplexity(train_lm(quantize_linears(model, b), train_ids, qat_steps, lr), val_ids)
    (train_lm with its default seed and batch). `model` itself is not changed.

    Returns:
        {"bits": list(bits_list), "float": float, "ptq": [float per bits], "qat": [float per bits]}
    """
    result: dict = {"bits": list(bits_list), "float": perplexity(model, val_ids), "ptq": [], "qat": []}
    for b in bits_list:
        result["ptq"].append(perplexity(quantize_linears(model, b), val_ids))
        qat_model = train_lm(quantize_linears(model, b), train_ids, qat_steps, lr)
        result["qat"].append(perplexity(qat_model, val_ids))
    return result


def plot_perplexity_drop(result: dict) -> Figure:
    """One axes: the perplexity increase (quantized perplexity minus float perplexity) against the bit width.

    Two lines, labelled "PTQ" and "QAT", with x = result["bits"] and y = result["ptq"] (resp.
    result["qat"]) minus result["float"]; x label mentions "bits", y label "perplexity increase"; a legend.

    Returns:
        a matplotlib Figure
    """
    fig = Figure(figsize=(5, 3.5))
    ax = fig.subplots()
    bits = result["bits"]
    for key, label in (("ptq", "PTQ"), ("qat", "QAT")):
        ax.plot(bits, [p - result["float"] for p in result[key]], marker="o", label=label)
    ax.axhline(0.0, color="grey", lw=0.8)
    ax.set_xlabel("weight bits")
    ax.set_ylabel("perplexity increase (quantized - float)")
    ax.set_title("Quantizing the workbook LM: held-out perplexity lost per bit width")
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
    magnitude = np.abs(scaled)
    whole = np.floor(magnitude)                                   # roundf, exactly in float32: add 1 iff the
    codes = np.sign(scaled) * (whole + np.floor(2 * (magnitude - whole)))   # fraction is >= 0.5 (no |v| + 0.5 sum)
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


# --------------------------------------------------------------------------------------------
# AWQ export: int4 group-wise codes with zero points, packed as AutoAWQ's WQLinear_GEMM stores them
# --------------------------------------------------------------------------------------------

AWQ_PACK_ORDER = (0, 2, 4, 6, 1, 3, 5, 7)   # nibble i of a packed word holds column 8 j + AWQ_PACK_ORDER[i]


def int4_group_quantize(w: torch.Tensor, group_size: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """AWQ's asymmetric (zero-point) 4-bit quantizer, one scale and zero per group of input channels.

    For output row o and group g (input channels g·group_size .. (g+1)·group_size - 1), in float32:
        scale[g, o] = max(max_group - min_group, 1e-5) / 15
        zero[g, o]  = clamp(-round(min_group / scale[g, o]), 0, 15)
        code[o, i]  = clamp(round(w[o, i] / scale[g, o]) + zero[g, o], 0, 15)       (torch.round)
    so that w ≈ (code - zero) · scale. (AutoAWQ's pseudo_quantize_tensor with zero_point=True.)

    Shapes:
        w: (out, in) float32
        returns: codes (out, in) int32, zeros (in // group_size, out) int32, scales (in // group_size, out) float32

    Raises:
        ValueError: if in is not a multiple of group_size (or group_size < 1).
    """
    out_f, in_f = w.shape
    if group_size < 1 or in_f % group_size:
        raise ValueError(f"in_features {in_f} must be a multiple of group_size {group_size}")
    groups = w.detach().float().reshape(out_f, in_f // group_size, group_size)
    hi, lo = groups.amax(dim=2), groups.amin(dim=2)                     # (out, n_groups)
    scales = (hi - lo).clamp(min=1e-5) / 15
    zeros = torch.clamp(-torch.round(lo / scales), 0, 15)
    codes = torch.clamp(torch.round(groups / scales[..., None]) + zeros[..., None], 0, 15)
    return codes.reshape(out_f, in_f).to(torch.int32), zeros.T.contiguous().to(torch.int32), scales.T.contiguous()


def pack_int4(codes: torch.Tensor) -> torch.Tensor:
    """Pack 4-bit codes eight to an int32 word along the last axis, in AutoAWQ's GEMM order.

    Word j of a row holds columns 8j .. 8j + 7: its nibble i (bits 4i .. 4i + 3) is column
    8j + AWQ_PACK_ORDER[i], i.e. nibbles 0..7 hold columns 0, 2, 4, 6, 1, 3, 5, 7 of the eight. Words
    are int32 (a code of 8..15 in nibble 7 makes the word negative).

    Shapes:
        codes: (rows, cols) integer dtype, values 0..15, cols a multiple of 8
        returns: (rows, cols // 8) int32

    Raises:
        ValueError: if cols is not a multiple of 8.
    """
    rows, cols = codes.shape
    if cols % 8:
        raise ValueError(f"the packed axis must be a multiple of 8, got {cols}")
    nibbles = codes.to(torch.int64).reshape(rows, cols // 8, 8)[:, :, list(AWQ_PACK_ORDER)]
    words = (nibbles << (4 * torch.arange(8))).sum(dim=-1)               # < 2**32, exact in int64
    return torch.where(words >= 2**31, words - 2**32, words).to(torch.int32)


def unpack_int4(packed: torch.Tensor) -> torch.Tensor:
    """The inverse of pack_int4: (rows, words) int32 -> (rows, 8 · words) int32 codes in column order."""
    nibbles = (packed.to(torch.int64)[..., None] >> (4 * torch.arange(8))) & 15          # nibble i
    codes = torch.empty_like(nibbles)
    codes[..., list(AWQ_PACK_ORDER)] = nibbles
    return codes.reshape(packed.shape[0], -1).to(torch.int32)


def awq_export(w: torch.Tensor, group_size: int = 16) -> dict[str, torch.Tensor]:
    """A linear weight as AutoAWQ's WQLinear_GEMM buffers (the "AWQ format" vLLM and transformers load).

    codes, zeros, scales = int4_group_quantize(w, group_size), then
        qweight = pack_int4(codes.T)     (in, out // 8) int32: the codes transposed to (in, out), packed along out
        qzeros  = pack_int4(zeros)       (in // group_size, out // 8) int32
        scales  = scales as float16      (in // group_size, out)

    Raises:
        ValueError: if out is not a multiple of 8 or in not a multiple of group_size.
    """
    if w.shape[0] % 8:
        raise ValueError(f"out_features must be a multiple of 8, got {w.shape[0]}")
    codes, zeros, scales = int4_group_quantize(w, group_size)
    return {"qweight": pack_int4(codes.T.contiguous()), "qzeros": pack_int4(zeros), "scales": scales.half()}


def awq_dequantize(qweight: torch.Tensor, qzeros: torch.Tensor, scales: torch.Tensor, group_size: int) -> torch.Tensor:
    """The float32 weight an AWQ checkpoint stands for, in nn.Linear's (out, in) layout.

    W[o, i] = (code[i, o] - zero[i // group_size, o]) · scale[i // group_size, o], with code and zero
    unpacked from qweight and qzeros (float16 scales read as float32).

    Shapes:
        qweight: (in, out // 8) int32; qzeros: (in // group_size, out // 8) int32; scales: (in // group_size, out)
        returns: (out, in) float32
    """
    codes = unpack_int4(qweight)                                             # (in, out)
    zeros = unpack_int4(qzeros).repeat_interleave(group_size, dim=0)         # (in, out)
    w = (codes - zeros).float() * scales.float().repeat_interleave(group_size, dim=0)
    return w.T.contiguous()


def export_int4_model(model: nn.Module, group_size: int = 16) -> nn.Module:
    """A deep copy of `model` whose nn.Linear weights went through the AWQ format and back.

    Every nn.Linear (at any depth) with out_features a multiple of 8 and in_features a multiple of
    group_size gets weight = awq_dequantize(**awq_export(weight, group_size), group_size=group_size);
    the others (the workbook LM's 65-row output head) stay float, as AutoAWQ leaves lm_head in float.
    Biases are kept. `model` itself is not changed.
    """
    new = copy.deepcopy(model)
    for module in new.modules():
        if isinstance(module, nn.Linear) and module.out_features % 8 == 0 and module.in_features % group_size == 0:
            with torch.no_grad():
                module.weight.copy_(awq_dequantize(**awq_export(module.weight, group_size), group_size=group_size))
    return new
