"""Plausible wrong quantizers, exporters and searches that the tests must reject."""
from __future__ import annotations

import copy
from collections.abc import Collection
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import torch
from matplotlib.figure import Figure
from torch import nn

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from quantization import (
        AWQ_PACK_ORDER,
        FakeQuantLinear,
        awq_dequantize,
        awq_export,
        awq_scales,
        dequantize,
        int4_group_quantize,
        pack_int4,
        perplexity,
        quantize_linears,
        quantize_per_channel,
        quantize_q8_0,
        train_lm,
        unpack_int4,
    )


@pitfall(replaces="quantize_per_channel", why="qmax = 2**bits - 1, the unsigned range: codes overflow the signed grid")
def unsigned_qmax(w: torch.Tensor, bits: int = 8) -> tuple[torch.Tensor, torch.Tensor]:
    if not 2 <= bits <= 8:
        raise ValueError("bits")
    qmax = 2**bits - 1
    scale = w.detach().float().abs().amax(dim=1) / qmax
    scale = torch.where(scale == 0, torch.ones_like(scale), scale)
    q = torch.clamp(torch.round(w.detach() / scale[:, None]), -qmax, qmax)
    return q.to(torch.int16).clamp(-128, 127).to(torch.int8), scale


@pitfall(replaces="quantize_per_channel", why="one scale for the whole tensor (per-tensor), repeated per row")
def per_tensor_scale(w: torch.Tensor, bits: int = 8) -> tuple[torch.Tensor, torch.Tensor]:
    if not 2 <= bits <= 8:
        raise ValueError("bits")
    qmax = 2 ** (bits - 1) - 1
    s = w.detach().float().abs().max() / qmax
    s = s if s > 0 else torch.tensor(1.0)
    scale = s.expand(w.shape[0]).clone()
    return torch.clamp(torch.round(w.detach() / s), -qmax, qmax).to(torch.int8), scale


@pitfall(replaces="quantize_per_channel", why="truncates toward zero (a cast to int8) instead of rounding")
def truncates(w: torch.Tensor, bits: int = 8) -> tuple[torch.Tensor, torch.Tensor]:
    if not 2 <= bits <= 8:
        raise ValueError("bits")
    qmax = 2 ** (bits - 1) - 1
    scale = w.detach().float().abs().amax(dim=1) / qmax
    scale = torch.where(scale == 0, torch.ones_like(scale), scale)
    return torch.clamp(w.detach() / scale[:, None], -qmax, qmax).to(torch.int8), scale


@pitfall(replaces="fake_quantize", why="no straight-through estimator: round() has zero gradient, so QAT cannot learn")
def no_ste(w: torch.Tensor, bits: int = 8) -> torch.Tensor:
    qmax = 2 ** (bits - 1) - 1
    scale = (w.detach().abs().amax(dim=1, keepdim=True) / qmax).clamp(min=1e-12)
    return torch.clamp(torch.round(w / scale), -qmax, qmax) * scale


@pitfall(replaces="fake_quantize", why="STE on the rounding, but the scale is not detached: a gradient flows through max|w|")
def gradient_through_scale(w: torch.Tensor, bits: int = 8) -> torch.Tensor:
    qmax = 2 ** (bits - 1) - 1
    scale = w.abs().amax(dim=1, keepdim=True) / qmax
    scale = torch.where(scale == 0, torch.ones_like(scale), scale)
    r = w / scale
    r = r + (torch.clamp(torch.round(r), -qmax, qmax) - r).detach()
    return r * scale


@pitfall(replaces="quantize_linears", why="swaps the layers of the model in place: the float model is gone")
def in_place(model: nn.Module, bits: int) -> nn.Module:
    for parent in list(model.modules()):
        for name, child in list(parent.named_children()):
            if type(child) is nn.Linear:
                layer = FakeQuantLinear(child.in_features, child.out_features, bias=child.bias is not None, bits=bits)
                layer.load_state_dict(child.state_dict())
                setattr(parent, name, layer)
    return model


@pitfall(replaces="quantize_linears", why="only looks at the model's direct children, so nested Linears stay float")
def top_level_only(model: nn.Module, bits: int) -> nn.Module:
    new = copy.deepcopy(model)
    for name, child in list(new.named_children()):
        if type(child) is nn.Linear:
            layer = FakeQuantLinear(child.in_features, child.out_features, bias=child.bias is not None, bits=bits)
            layer.load_state_dict(child.state_dict())
            setattr(new, name, layer)
    return new


@pitfall(replaces="quantize_linears", why="builds fresh FakeQuantLinears but forgets to copy the bias")
def drops_bias(model: nn.Module, bits: int) -> nn.Module:
    new = copy.deepcopy(model)
    for parent in list(new.modules()):
        for name, child in list(parent.named_children()):
            if type(child) is nn.Linear:
                layer = FakeQuantLinear(child.in_features, child.out_features, bias=child.bias is not None, bits=bits)
                with torch.no_grad():
                    layer.weight.copy_(child.weight)
                    if layer.bias is not None:
                        layer.bias.zero_()
                setattr(parent, name, layer)
    return new


@pitfall(replaces="perplexity_drop", why="'QAT' that trains the float model further and quantizes afterwards (that is PTQ again)")
def train_then_quantize(model: nn.Module, train_ids: torch.Tensor, val_ids: torch.Tensor, bits_list: list[int],
                        qat_steps: int = 20, lr: float = 3e-4) -> dict:
    result: dict = {"bits": list(bits_list), "float": perplexity(model, val_ids), "ptq": [], "qat": []}
    for b in bits_list:
        result["ptq"].append(perplexity(quantize_linears(model, b), val_ids))
        tuned = train_lm(copy.deepcopy(model), train_ids, qat_steps, lr)
        result["qat"].append(perplexity(quantize_linears(tuned, b), val_ids))
    return result


@pitfall(replaces="perplexity_drop", why="reuses one quantized copy: QAT at the second bit width starts from the first's QAT")
def shared_qat_copy(model: nn.Module, train_ids: torch.Tensor, val_ids: torch.Tensor, bits_list: list[int],
                    qat_steps: int = 20, lr: float = 3e-4) -> dict:
    result: dict = {"bits": list(bits_list), "float": perplexity(model, val_ids), "ptq": [], "qat": []}
    qmodel = None
    for b in bits_list:
        result["ptq"].append(perplexity(quantize_linears(model, b), val_ids))
        qmodel = quantize_linears(model if qmodel is None else qmodel, b)
        result["qat"].append(perplexity(train_lm(qmodel, train_ids, qat_steps, lr), val_ids))
    return result


@pitfall(replaces="plot_perplexity_drop", why="plots the quantized perplexity itself, not the increase over the float model")
def plots_perplexity(result: dict) -> Figure:
    fig = Figure()
    ax = fig.subplots()
    for key, label in (("ptq", "PTQ"), ("qat", "QAT")):
        ax.plot(result["bits"], result[key], label=label)
    ax.set_xlabel("weight bits")
    ax.set_ylabel("perplexity increase")
    ax.legend()
    return fig


@pitfall(replaces="quantize_q8_0", why="np.round (half to even) where ggml uses C's roundf (half away from zero)")
def round_half_even(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    if x.shape[-1] % 32:
        raise ValueError("blocks")
    blocks = x.reshape(-1, 32)
    d = np.abs(blocks).max(axis=1, keepdims=True) / np.float32(127)
    with np.errstate(divide="ignore"):
        inv = np.where(d == 0, np.float32(0), np.float32(1) / d).astype(np.float32)
    codes = np.round(blocks * inv)
    out = np.concatenate([d.astype("<f2").view(np.uint8), codes.astype(np.int8).view(np.uint8)], axis=1)
    return out.reshape(*x.shape[:-1], x.shape[-1] // 32 * 34)


@pitfall(replaces="quantize_q8_0", why="floor(|v| + 0.5) in float32: the sum rounds 0.49999997 up to 1 (roundf gives 0)")
def floor_plus_half(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    if x.shape[-1] % 32:
        raise ValueError("blocks")
    blocks = x.reshape(-1, 32)
    d = np.abs(blocks).max(axis=1, keepdims=True) / np.float32(127)
    with np.errstate(divide="ignore"):
        inv = np.where(d == 0, np.float32(0), np.float32(1) / d).astype(np.float32)
    scaled = blocks * inv
    codes = np.sign(scaled) * np.floor(np.abs(scaled) + np.float32(0.5))
    out = np.concatenate([d.astype("<f2").view(np.uint8), codes.astype(np.int8).view(np.uint8)], axis=1)
    return out.reshape(*x.shape[:-1], x.shape[-1] // 32 * 34)


@pitfall(replaces="quantize_q8_0", why="d = max|block| / 128 instead of / 127: the scale and every code are off")
def divides_by_128(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    if x.shape[-1] % 32:
        raise ValueError("blocks")
    blocks = x.reshape(-1, 32)
    d = np.abs(blocks).max(axis=1, keepdims=True) / np.float32(128)
    with np.errstate(divide="ignore"):
        inv = np.where(d == 0, np.float32(0), np.float32(1) / d).astype(np.float32)
    scaled = blocks * inv
    codes = np.clip(np.sign(scaled) * np.floor(np.abs(scaled) + np.float32(0.5)), -127, 127)
    out = np.concatenate([d.astype("<f2").view(np.uint8), codes.astype(np.int8).view(np.uint8)], axis=1)
    return out.reshape(*x.shape[:-1], x.shape[-1] // 32 * 34)


def _write_gguf_variant(path: str | Path, tensors: dict[str, np.ndarray], metadata: dict[str, str | int | float],
                        quantize: Collection[str], numpy_dims: bool, align: bool) -> None:
    import struct

    def string(s: str) -> bytes:
        raw = s.encode("utf-8")
        return struct.pack("<Q", len(raw)) + raw

    def pad(n: int) -> int:
        return (32 - n % 32) % 32 if align else 0

    out = bytearray(b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(metadata)))
    for key, value in metadata.items():
        out += string(key)
        if isinstance(value, str):
            out += struct.pack("<I", 8) + string(value)
        elif isinstance(value, int):
            out += struct.pack("<II", 4, value)
        else:
            out += struct.pack("<If", 6, value)
    blobs, offset = [], 0
    for name, array in tensors.items():
        array = np.asarray(array, dtype=np.float32)
        q = name in quantize
        blob = quantize_q8_0(array).tobytes() if q else array.astype("<f4").tobytes()
        shape = array.shape if numpy_dims else tuple(reversed(array.shape))
        out += string(name) + struct.pack("<I", array.ndim) + struct.pack(f"<{array.ndim}Q", *shape)
        out += struct.pack("<IQ", 8 if q else 0, offset)
        blobs.append(blob + bytes(pad(len(blob))))
        offset += len(blobs[-1])
    out += bytes(pad(len(out)))
    for blob in blobs:
        out += blob
    Path(path).write_bytes(bytes(out))


@pitfall(replaces="write_gguf", why="writes the dims in numpy order; GGUF lists them innermost first")
def numpy_order_dims(path: str | Path, tensors: dict[str, np.ndarray], metadata: dict[str, str | int | float],
                     quantize: Collection[str] = ()) -> None:
    _write_gguf_variant(path, tensors, metadata, quantize, numpy_dims=True, align=True)


@pitfall(replaces="write_gguf", why="no alignment padding: tensor data does not start on 32-byte boundaries")
def unaligned(path: str | Path, tensors: dict[str, np.ndarray], metadata: dict[str, str | int | float],
              quantize: Collection[str] = ()) -> None:
    _write_gguf_variant(path, tensors, metadata, quantize, numpy_dims=False, align=False)


@pitfall(replaces="awq_scales", why="max |x| per channel instead of the mean (a different salience measure than AWQ's)")
def max_not_mean(x: torch.Tensor, alpha: float) -> torch.Tensor:
    s = x.detach().float().abs().amax(dim=0).pow(alpha).clamp(min=1e-4)
    return s / (s.max() * s.min()).sqrt()


@pitfall(replaces="awq_quantize", why="scales the weight's columns down (w / s) and back up: salient weights get coarser")
def scales_the_wrong_way(w: torch.Tensor, x: torch.Tensor, bits: int, n_grid: int = 20) -> tuple[torch.Tensor, float]:
    w, x = w.detach().float(), x.detach().float()
    best = None
    for i in range(n_grid):
        s = awq_scales(x, i / n_grid)
        w_eff = dequantize(*quantize_per_channel(w / s, bits)) * s
        err = float(((x @ w_eff.T - x @ w.T) ** 2).mean())
        if best is None or err < best[0]:
            best = (err, w_eff, i / n_grid)
    return best[1], best[2]


@pitfall(replaces="awq_quantize", why="picks alpha by the weight error |w_eff - w|, which ignores the activations")
def weight_error_search(w: torch.Tensor, x: torch.Tensor, bits: int, n_grid: int = 20) -> tuple[torch.Tensor, float]:
    w, x = w.detach().float(), x.detach().float()
    best = None
    for i in range(n_grid):
        s = awq_scales(x, i / n_grid)
        w_eff = dequantize(*quantize_per_channel(w * s, bits)) / s
        err = float(((w_eff - w) ** 2).mean())
        if best is None or err < best[0]:
            best = (err, w_eff, i / n_grid)
    return best[1], best[2]


@pitfall(replaces="awq_quantize", why="returns Q(w * s) without dividing the scales back out")
def forgets_to_unscale(w: torch.Tensor, x: torch.Tensor, bits: int, n_grid: int = 20) -> tuple[torch.Tensor, float]:
    w, x = w.detach().float(), x.detach().float()
    best = None
    for i in range(n_grid):
        s = awq_scales(x, i / n_grid)
        w_eff = dequantize(*quantize_per_channel(w * s, bits)) / s
        err = float(((x @ w_eff.T - x @ w.T) ** 2).mean())
        if best is None or err < best[0]:
            best = (err, dequantize(*quantize_per_channel(w * s, bits)), i / n_grid)
    return best[1], best[2]


@pitfall(replaces="int4_group_quantize", why="symmetric int4 (zero point 8, scale max|w| / 7) where AWQ uses min/max zero points")
def symmetric_int4(w: torch.Tensor, group_size: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    out_f, in_f = w.shape
    if group_size < 1 or in_f % group_size:
        raise ValueError("group_size")
    groups = w.detach().float().reshape(out_f, in_f // group_size, group_size)
    scales = groups.abs().amax(dim=2).clamp(min=1e-5) / 7
    zeros = torch.full_like(scales, 8)
    codes = torch.clamp(torch.round(groups / scales[..., None]) + 8, 0, 15)
    return codes.reshape(out_f, in_f).to(torch.int32), zeros.T.contiguous().to(torch.int32), scales.T.contiguous()


@pitfall(replaces="int4_group_quantize", why="one min/max per output row (per channel), repeated for every group")
def per_row_not_per_group(w: torch.Tensor, group_size: int) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    out_f, in_f = w.shape
    if group_size < 1 or in_f % group_size:
        raise ValueError("group_size")
    wf = w.detach().float()
    hi, lo = wf.amax(dim=1, keepdim=True), wf.amin(dim=1, keepdim=True)
    scales = (hi - lo).clamp(min=1e-5) / 15
    zeros = torch.clamp(-torch.round(lo / scales), 0, 15)
    codes = torch.clamp(torch.round(wf / scales) + zeros, 0, 15).to(torch.int32)
    n = in_f // group_size
    return codes, zeros.T.repeat(n, 1).to(torch.int32), scales.T.repeat(n, 1)


@pitfall(replaces="pack_int4", why="packs the eight columns in plain order 0..7 (GPTQ's / exllama's), not AutoAWQ's 0, 2, 4, 6, 1, 3, 5, 7")
def plain_order(codes: torch.Tensor) -> torch.Tensor:
    rows, cols = codes.shape
    if cols % 8:
        raise ValueError("cols")
    nibbles = codes.to(torch.int64).reshape(rows, cols // 8, 8)
    words = (nibbles << (4 * torch.arange(8))).sum(dim=-1)
    return torch.where(words >= 2**31, words - 2**32, words).to(torch.int32)


@pitfall(replaces="pack_int4", why="applies the order the wrong way round (AutoAWQ's reverse order [0, 4, 1, 5, 2, 6, 3, 7])")
def inverse_order(codes: torch.Tensor) -> torch.Tensor:
    rows, cols = codes.shape
    if cols % 8:
        raise ValueError("cols")
    nibbles = codes.to(torch.int64).reshape(rows, cols // 8, 8)[:, :, [0, 4, 1, 5, 2, 6, 3, 7]]
    words = (nibbles << (4 * torch.arange(8))).sum(dim=-1)
    return torch.where(words >= 2**31, words - 2**32, words).to(torch.int32)


@pitfall(replaces="unpack_int4", why="forgets the & 15 after the arithmetic right shift: the top nibble keeps the sign bits")
def no_mask(packed: torch.Tensor) -> torch.Tensor:
    nibbles = packed[..., None] >> (4 * torch.arange(8, dtype=torch.int32))
    nibbles = torch.where(torch.arange(8) == 7, nibbles, nibbles & 15)
    codes = torch.empty_like(nibbles)
    codes[..., list(AWQ_PACK_ORDER)] = nibbles
    return codes.reshape(packed.shape[0], -1).to(torch.int32)


@pitfall(replaces="awq_export", why="packs the codes in the (out, in) layout of nn.Linear instead of AutoAWQ's (in, out)")
def packs_untransposed(w: torch.Tensor, group_size: int = 16) -> dict[str, torch.Tensor]:
    if w.shape[0] % 8:
        raise ValueError("out")
    codes, zeros, scales = int4_group_quantize(w, group_size)
    if codes.shape[1] % 8:
        raise ValueError("in")
    return {"qweight": pack_int4(codes), "qzeros": pack_int4(zeros), "scales": scales.half()}


@pitfall(replaces="awq_dequantize", why="forgets to subtract the zero points: every weight shifted by zero * scale")
def ignores_zeros(qweight: torch.Tensor, qzeros: torch.Tensor, scales: torch.Tensor, group_size: int) -> torch.Tensor:
    codes = unpack_int4(qweight)
    return (codes.float() * scales.float().repeat_interleave(group_size, dim=0)).T.contiguous()


@pitfall(replaces="export_int4_model", why="quantizes in place: the float model comes back quantized too")
def export_in_place(model: nn.Module, group_size: int = 16) -> nn.Module:
    for module in model.modules():
        if isinstance(module, nn.Linear) and module.out_features % 8 == 0 and module.in_features % group_size == 0:
            with torch.no_grad():
                module.weight.copy_(awq_dequantize(**awq_export(module.weight, group_size), group_size=group_size))
    return model

