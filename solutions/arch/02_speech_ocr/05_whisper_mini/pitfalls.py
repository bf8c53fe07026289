"""Plausible wrong versions of the Whisper-mini pieces that the tests must reject."""
from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

import torch
import torch.nn.functional as F

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from whisper_mini import Attention, DecoderLayer, EncoderLayer, WhisperMini, sinusoids


def _features(audio: torch.Tensor, mel_filters: torch.Tensor, n_fft: int, hop_length: int, *, periodic: bool = True,
              power: float = 2.0, drop_last: bool = True, log: Callable[[torch.Tensor], torch.Tensor] = torch.log10, per_utterance: bool = True) -> torch.Tensor:
    if n_fft < 2 or hop_length < 1 or audio.shape[-1] <= n_fft // 2:
        raise ValueError("bad sizes")
    window = torch.hann_window(n_fft, periodic=periodic, dtype=audio.dtype)
    stft = torch.stft(audio, n_fft, hop_length, window=window, center=True, pad_mode="reflect", return_complex=True)
    spec = stft.abs() ** power
    if drop_last:
        spec = spec[..., :-1]
    log_spec = log(torch.clamp(mel_filters.to(audio.dtype).T @ spec, min=1e-10))
    peak = log_spec.amax(dim=(-2, -1), keepdim=True) if per_utterance else log_spec.max()
    return (torch.maximum(log_spec, peak - 8.0) + 4.0) / 4.0


@pitfall(replaces="whisper_log_mel", why="natural log instead of log10")
def natural_log(audio: torch.Tensor, mel_filters: torch.Tensor, n_fft: int, hop_length: int) -> torch.Tensor:
    return _features(audio, mel_filters, n_fft, hop_length, log=torch.log)


@pitfall(replaces="whisper_log_mel", why="one dynamic-range peak for the whole batch, not one per utterance")
def batch_peak(audio: torch.Tensor, mel_filters: torch.Tensor, n_fft: int, hop_length: int) -> torch.Tensor:
    return _features(audio, mel_filters, n_fft, hop_length, per_utterance=False)


@pitfall(replaces="whisper_log_mel", why="the symmetric Hann window (denominator n_fft - 1)")
def symmetric_window(audio: torch.Tensor, mel_filters: torch.Tensor, n_fft: int, hop_length: int) -> torch.Tensor:
    return _features(audio, mel_filters, n_fft, hop_length, periodic=False)


@pitfall(replaces="whisper_log_mel", why="magnitude |X| instead of power |X|^2")
def magnitude(audio: torch.Tensor, mel_filters: torch.Tensor, n_fft: int, hop_length: int) -> torch.Tensor:
    return _features(audio, mel_filters, n_fft, hop_length, power=1.0)


@pitfall(replaces="whisper_log_mel", why="keeps the last STFT frame")
def keeps_last_frame(audio: torch.Tensor, mel_filters: torch.Tensor, n_fft: int, hop_length: int) -> torch.Tensor:
    return _features(audio, mel_filters, n_fft, hop_length, drop_last=False)


@pitfall(replaces="sinusoids", why="interleaves sin and cos (Vaswani's layout) instead of concatenating them")
def interleaved(length: int, channels: int, max_timescale: float = 10000.0) -> torch.Tensor:
    table = sinusoids(length, channels, max_timescale)
    half = channels // 2
    return torch.stack([table[:, :half], table[:, half:]], dim=-1).reshape(length, channels)


@pitfall(replaces="sinusoids", why="timescale step log(max)/(channels/2) instead of log(max)/(channels/2 - 1)")
def step_off_by_one(length: int, channels: int, max_timescale: float = 10000.0) -> torch.Tensor:
    if channels < 4 or channels % 2:
        raise ValueError("bad channels")
    inv = torch.exp(-math.log(max_timescale) / (channels // 2) * torch.arange(channels // 2, dtype=torch.float64))
    t = torch.arange(length, dtype=torch.float64)[:, None] * inv
    return torch.cat([t.sin(), t.cos()], dim=1).float()


def _attention(self: Attention, x: torch.Tensor, context: torch.Tensor | None = None, causal: bool = False, *, scale: bool = True,
               diagonal: int = 1) -> torch.Tensor:
    kv = x if context is None else context
    b, tq, d = x.shape
    h = self.n_heads
    q = self.q_proj(x).view(b, tq, h, d // h).transpose(1, 2)
    k = self.k_proj(kv).view(b, kv.shape[1], h, d // h).transpose(1, 2)
    v = self.v_proj(kv).view(b, kv.shape[1], h, d // h).transpose(1, 2)
    scores = q @ k.transpose(-1, -2)
    if scale:
        scores = scores / math.sqrt(d // h)
    if causal:
        scores = scores.masked_fill(torch.ones(tq, kv.shape[1], dtype=torch.bool).triu(diagonal), float("-inf"))
    return self.out_proj((scores.softmax(-1) @ v).transpose(1, 2).reshape(b, tq, d))


@pitfall(replaces="Attention.forward", why="forgets the 1/sqrt(d_head) scale")
def unscaled(self: Attention, x: torch.Tensor, context: torch.Tensor | None = None, causal: bool = False) -> torch.Tensor:
    return _attention(self, x, context, causal, scale=False)


@pitfall(replaces="Attention.forward", why="scales by sqrt(d_model) instead of sqrt(d_head)")
def model_width_scale(self: Attention, x: torch.Tensor, context: torch.Tensor | None = None, causal: bool = False) -> torch.Tensor:
    return _attention_dmodel(self, x, context, causal)


def _attention_dmodel(self: Attention, x: torch.Tensor, context: torch.Tensor | None, causal: bool) -> torch.Tensor:
    kv = x if context is None else context
    b, tq, d = x.shape
    h = self.n_heads
    q = self.q_proj(x).view(b, tq, h, d // h).transpose(1, 2)
    k = self.k_proj(kv).view(b, kv.shape[1], h, d // h).transpose(1, 2)
    v = self.v_proj(kv).view(b, kv.shape[1], h, d // h).transpose(1, 2)
    scores = q @ k.transpose(-1, -2) / math.sqrt(d)
    if causal:
        scores = scores.masked_fill(torch.ones(tq, kv.shape[1], dtype=torch.bool).triu(1), float("-inf"))
    return self.out_proj((scores.softmax(-1) @ v).transpose(1, 2).reshape(b, tq, d))


@pitfall(replaces="Attention.forward", why="causal mask that also hides the diagonal (a token cannot see itself)")
def mask_hides_self(self: Attention, x: torch.Tensor, context: torch.Tensor | None = None, causal: bool = False) -> torch.Tensor:
    return _attention(self, x, context, causal, diagonal=0)


@pitfall(replaces="Attention.forward", why="splits heads with view(b, h, t, dh) instead of view(b, t, h, dh).transpose")
def heads_wrong_split(self: Attention, x: torch.Tensor, context: torch.Tensor | None = None, causal: bool = False) -> torch.Tensor:
    kv = x if context is None else context
    b, tq, d = x.shape
    h = self.n_heads
    q = self.q_proj(x).reshape(b, h, tq, d // h)
    k = self.k_proj(kv).reshape(b, h, kv.shape[1], d // h)
    v = self.v_proj(kv).reshape(b, h, kv.shape[1], d // h)
    scores = q @ k.transpose(-1, -2) / math.sqrt(d // h)
    if causal:
        scores = scores.masked_fill(torch.ones(tq, kv.shape[1], dtype=torch.bool).triu(1), float("-inf"))
    return self.out_proj((scores.softmax(-1) @ v).reshape(b, tq, d))


@pitfall(replaces="EncoderLayer.forward", why="post-norm (LN after the residual add) instead of Whisper's pre-norm")
def post_norm(self: EncoderLayer, x: torch.Tensor) -> torch.Tensor:
    x = self.self_attn_layer_norm(x + self.self_attn(x))
    return self.final_layer_norm(x + self.fc2(F.gelu(self.fc1(x))))


@pitfall(replaces="EncoderLayer.forward", why="ReLU in the MLP instead of GELU")
def relu_mlp(self: EncoderLayer, x: torch.Tensor) -> torch.Tensor:
    x = x + self.self_attn(self.self_attn_layer_norm(x))
    return x + self.fc2(F.relu(self.fc1(self.final_layer_norm(x))))


@pitfall(replaces="DecoderLayer.forward", why="the decoder's self-attention is not causal: it sees future tokens")
def decoder_not_causal(self: DecoderLayer, x: torch.Tensor, audio: torch.Tensor) -> torch.Tensor:
    x = x + self.self_attn(self.self_attn_layer_norm(x))
    x = x + self.encoder_attn(self.encoder_attn_layer_norm(x), context=audio)
    return x + self.fc2(F.gelu(self.fc1(self.final_layer_norm(x))))


@pitfall(replaces="DecoderLayer.forward", why="cross-attention queries the audio (context and x swapped)")
def cross_attention_swapped(self: DecoderLayer, x: torch.Tensor, audio: torch.Tensor) -> torch.Tensor:
    x = x + self.self_attn(self.self_attn_layer_norm(x), causal=True)
    q = self.encoder_attn_layer_norm(x)
    attn = self.encoder_attn
    b, tq, d = q.shape
    h = attn.n_heads
    qq = attn.q_proj(q).view(b, tq, h, d // h).transpose(1, 2)
    k = attn.k_proj(audio).view(b, -1, h, d // h).transpose(1, 2)
    v = attn.v_proj(audio).view(b, -1, h, d // h).transpose(1, 2)
    w = (qq @ k.transpose(-1, -2) / math.sqrt(d // h)).softmax(-2)      # normalised over queries, not keys
    x = x + attn.out_proj((w @ v).transpose(1, 2).reshape(b, tq, d))
    return x + self.fc2(F.gelu(self.fc1(self.final_layer_norm(x))))


@pitfall(replaces="WhisperMini.encode", why="no GELU after the second (strided) convolution")
def no_gelu_after_conv2(self: WhisperMini, mel: torch.Tensor) -> torch.Tensor:
    if mel.shape[-1] != 2 * self.cfg.audio_ctx:
        raise ValueError("wrong frame count")
    enc = self.encoder
    x = enc.conv2(F.gelu(enc.conv1(mel))).transpose(1, 2)
    x = x + sinusoids(self.cfg.audio_ctx, self.cfg.d_model).to(x.dtype)
    for layer in enc.layers:
        x = layer(x)
    return enc.layer_norm(x)


@pitfall(replaces="WhisperMini.encode", why="forgets the encoder's final layer norm")
def no_final_norm(self: WhisperMini, mel: torch.Tensor) -> torch.Tensor:
    if mel.shape[-1] != 2 * self.cfg.audio_ctx:
        raise ValueError("wrong frame count")
    enc = self.encoder
    x = F.gelu(enc.conv2(F.gelu(enc.conv1(mel)))).transpose(1, 2)
    x = x + sinusoids(self.cfg.audio_ctx, self.cfg.d_model).to(x.dtype)
    for layer in enc.layers:
        x = layer(x)
    return x


@pitfall(replaces="WhisperMini.decode", why="no learned position embedding in the decoder")
def no_decoder_positions(self: WhisperMini, tokens: torch.Tensor, audio: torch.Tensor) -> torch.Tensor:
    if tokens.shape[1] > self.cfg.text_ctx:
        raise ValueError("too many tokens")
    x = self.decoder.embed_tokens(tokens)
    for layer in self.decoder.layers:
        x = layer(x, audio)
    return self.decoder.layer_norm(x) @ self.decoder.embed_tokens.weight.T


@torch.no_grad()
def _greedy(model: WhisperMini, mel: torch.Tensor, sot: int, eot: int, max_new: int, *, keep_eot: bool = False,
            stop_all_at_first: bool = False) -> list[list[int]]:
    if max_new < 0:
        raise ValueError("max_new < 0")
    audio = model.encode(mel)
    tokens = torch.full((mel.shape[0], 1), sot, dtype=torch.long)
    out = [[] for _ in range(mel.shape[0])]
    done = [False] * mel.shape[0]
    for _ in range(max_new):
        nxt = model.decode(tokens, audio)[:, -1].argmax(-1)
        for i in range(len(out)):
            if done[i]:
                continue
            if int(nxt[i]) == eot:
                done[i] = True
                if keep_eot:
                    out[i].append(eot)
            else:
                out[i].append(int(nxt[i]))
        if stop_all_at_first and any(done):
            break
        tokens = torch.cat([tokens, nxt[:, None]], 1)
    return out


@pitfall(replaces="greedy_decode", why="keeps the eot token in the transcript")
def keeps_eot(model: WhisperMini, mel: torch.Tensor, sot: int, eot: int, max_new: int) -> list[list[int]]:
    return _greedy(model, mel, sot, eot, max_new, keep_eot=True)


@pitfall(replaces="greedy_decode", why="stops every row as soon as one row emits eot")
def stops_the_batch(model: WhisperMini, mel: torch.Tensor, sot: int, eot: int, max_new: int) -> list[list[int]]:
    return _greedy(model, mel, sot, eot, max_new, stop_all_at_first=True)
