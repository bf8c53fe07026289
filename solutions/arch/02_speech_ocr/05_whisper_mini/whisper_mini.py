"""Reference solution for arch-02-5."""
from __future__ import annotations

import math
from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import nn


def whisper_log_mel(audio: torch.Tensor, mel_filters: torch.Tensor, n_fft: int, hop_length: int) -> torch.Tensor:
    if n_fft < 2 or hop_length < 1:
        raise ValueError(f"need n_fft >= 2 and hop_length >= 1, got {n_fft=}, {hop_length=}")
    if audio.shape[-1] <= n_fft // 2:
        raise ValueError(f"reflect padding needs more than n_fft // 2 = {n_fft // 2} samples, got {audio.shape[-1]}")
    window = torch.hann_window(n_fft, periodic=True, dtype=audio.dtype)
    stft = torch.stft(audio, n_fft, hop_length, window=window, center=True, pad_mode="reflect", return_complex=True)
    power = stft[..., :-1].abs() ** 2                          # (B, n_freq, n_frames): the last frame is dropped
    mel = mel_filters.to(audio.dtype).T @ power                # (B, n_mels, n_frames)
    log_spec = torch.clamp(mel, min=1e-10).log10()
    peak = log_spec.amax(dim=(-2, -1), keepdim=True)           # one peak per utterance
    log_spec = torch.maximum(log_spec, peak - 8.0)
    return (log_spec + 4.0) / 4.0


def sinusoids(length: int, channels: int, max_timescale: float = 10000.0) -> torch.Tensor:
    if channels < 4 or channels % 2:
        raise ValueError(f"channels must be even and at least 4, got {channels}")
    increment = math.log(max_timescale) / (channels // 2 - 1)
    inv_timescales = torch.exp(-increment * torch.arange(channels // 2, dtype=torch.float64))
    scaled_time = torch.arange(length, dtype=torch.float64)[:, None] * inv_timescales[None, :]
    return torch.cat([scaled_time.sin(), scaled_time.cos()], dim=1).float()


@dataclass
class MiniConfig:
    """Sizes of a Whisper-mini model (the fields of a WhisperConfig it mirrors are in brackets)."""

    n_mels: int = 8          # [num_mel_bins]
    d_model: int = 16        # [d_model]
    n_heads: int = 2         # [encoder_attention_heads = decoder_attention_heads]
    enc_layers: int = 1      # [encoder_layers]
    dec_layers: int = 1      # [decoder_layers]
    ffn_dim: int = 32        # [encoder_ffn_dim = decoder_ffn_dim]
    vocab: int = 8           # [vocab_size]
    audio_ctx: int = 8       # [max_source_positions]: the encoder sees 2 * audio_ctx mel frames
    text_ctx: int = 8        # [max_target_positions]


class Attention(nn.Module):
    """Multi-head attention with Whisper's projections: the key projection has no bias."""

    def __init__(self, d_model: int, n_heads: int) -> None:
        super().__init__()
        if d_model % n_heads:
            raise ValueError(f"d_model={d_model} is not a multiple of n_heads={n_heads}")
        self.n_heads = n_heads
        self.q_proj = nn.Linear(d_model, d_model)
        self.k_proj = nn.Linear(d_model, d_model, bias=False)
        self.v_proj = nn.Linear(d_model, d_model)
        self.out_proj = nn.Linear(d_model, d_model)

    def forward(self, x: torch.Tensor, context: torch.Tensor | None = None, causal: bool = False) -> torch.Tensor:
        kv = x if context is None else context
        b, tq, d = x.shape
        tk = kv.shape[1]
        h = self.n_heads
        dh = d // h
        q = self.q_proj(x).view(b, tq, h, dh).transpose(1, 2)
        k = self.k_proj(kv).view(b, tk, h, dh).transpose(1, 2)
        v = self.v_proj(kv).view(b, tk, h, dh).transpose(1, 2)
        scores = q @ k.transpose(-1, -2) / math.sqrt(dh)
        if causal:
            future = torch.ones(tq, tk, dtype=torch.bool).triu(1)
            scores = scores.masked_fill(future, float("-inf"))
        out = scores.softmax(dim=-1) @ v
        return self.out_proj(out.transpose(1, 2).reshape(b, tq, d))


class EncoderLayer(nn.Module):
    def __init__(self, cfg: MiniConfig) -> None:
        super().__init__()
        self.self_attn = Attention(cfg.d_model, cfg.n_heads)
        self.self_attn_layer_norm = nn.LayerNorm(cfg.d_model)
        self.fc1 = nn.Linear(cfg.d_model, cfg.ffn_dim)
        self.fc2 = nn.Linear(cfg.ffn_dim, cfg.d_model)
        self.final_layer_norm = nn.LayerNorm(cfg.d_model)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.self_attn(self.self_attn_layer_norm(x))
        return x + self.fc2(F.gelu(self.fc1(self.final_layer_norm(x))))


class DecoderLayer(nn.Module):
    def __init__(self, cfg: MiniConfig) -> None:
        super().__init__()
        self.self_attn = Attention(cfg.d_model, cfg.n_heads)
        self.self_attn_layer_norm = nn.LayerNorm(cfg.d_model)
        self.encoder_attn = Attention(cfg.d_model, cfg.n_heads)
        self.encoder_attn_layer_norm = nn.LayerNorm(cfg.d_model)
        self.fc1 = nn.Linear(cfg.d_model, cfg.ffn_dim)
        self.fc2 = nn.Linear(cfg.ffn_dim, cfg.d_model)
        self.final_layer_norm = nn.LayerNorm(cfg.d_model)

    def forward(self, x: torch.Tensor, audio: torch.Tensor) -> torch.Tensor:
        x = x + self.self_attn(self.self_attn_layer_norm(x), causal=True)
        x = x + self.encoder_attn(self.encoder_attn_layer_norm(x), context=audio)
        return x + self.fc2(F.gelu(self.fc1(self.final_layer_norm(x))))


class Encoder(nn.Module):
    def __init__(self, cfg: MiniConfig) -> None:
        super().__init__()
        self.conv1 = nn.Conv1d(cfg.n_mels, cfg.d_model, kernel_size=3, padding=1)
        self.conv2 = nn.Conv1d(cfg.d_model, cfg.d_model, kernel_size=3, stride=2, padding=1)
        self.layers = nn.ModuleList([EncoderLayer(cfg) for _ in range(cfg.enc_layers)])
        self.layer_norm = nn.LayerNorm(cfg.d_model)


class Decoder(nn.Module):
    def __init__(self, cfg: MiniConfig) -> None:
        super().__init__()
        self.embed_tokens = nn.Embedding(cfg.vocab, cfg.d_model)
        self.embed_positions = nn.Embedding(cfg.text_ctx, cfg.d_model)
        self.layers = nn.ModuleList([DecoderLayer(cfg) for _ in range(cfg.dec_layers)])
        self.layer_norm = nn.LayerNorm(cfg.d_model)


class WhisperMini(nn.Module):
    """Whisper's encoder-decoder; parameter names follow transformers' WhisperModel."""

    def __init__(self, cfg: MiniConfig) -> None:
        super().__init__()
        self.cfg = cfg
        self.encoder = Encoder(cfg)
        self.decoder = Decoder(cfg)

    def encode(self, mel: torch.Tensor) -> torch.Tensor:
        cfg = self.cfg
        if mel.shape[-1] != 2 * cfg.audio_ctx:
            raise ValueError(f"the encoder takes exactly 2 * audio_ctx = {2 * cfg.audio_ctx} frames, got {mel.shape[-1]}")
        enc = self.encoder
        x = F.gelu(enc.conv1(mel))
        x = F.gelu(enc.conv2(x)).transpose(1, 2)               # (B, audio_ctx, d_model)
        x = x + sinusoids(cfg.audio_ctx, cfg.d_model).to(x.dtype)
        for layer in enc.layers:
            x = layer(x)
        return enc.layer_norm(x)

    def decode(self, tokens: torch.Tensor, audio: torch.Tensor) -> torch.Tensor:
        if tokens.shape[1] > self.cfg.text_ctx:
            raise ValueError(f"at most text_ctx = {self.cfg.text_ctx} tokens, got {tokens.shape[1]}")
        dec = self.decoder
        pos = torch.arange(tokens.shape[1])
        x = dec.embed_tokens(tokens) + dec.embed_positions(pos)
        for layer in dec.layers:
            x = layer(x, audio)
        x = dec.layer_norm(x)
        return x @ dec.embed_tokens.weight.T                    # tied output projection

    def forward(self, mel: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
        return self.decode(tokens, self.encode(mel))


@torch.no_grad()
def greedy_decode(model: WhisperMini, mel: torch.Tensor, sot: int, eot: int, max_new: int) -> list[list[int]]:
    if max_new < 0:
        raise ValueError(f"max_new must be >= 0, got {max_new}")
    audio = model.encode(mel)
    b = mel.shape[0]
    tokens = torch.full((b, 1), sot, dtype=torch.long)
    out: list[list[int]] = [[] for _ in range(b)]
    done = [False] * b
    for _ in range(max_new):
        if all(done):
            break
        nxt = model.decode(tokens, audio)[:, -1].argmax(-1)
        for i in range(b):
            if not done[i]:
                if int(nxt[i]) == eot:
                    done[i] = True
                else:
                    out[i].append(int(nxt[i]))
        tokens = torch.cat([tokens, nxt[:, None]], dim=1)
    return out
