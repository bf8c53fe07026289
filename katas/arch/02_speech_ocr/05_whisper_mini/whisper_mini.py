"""arch-02-5: Whisper-mini. Edit this file; `grader check arch-02-5` tests it."""
from __future__ import annotations

import math  # noqa: F401  (you will want it)
from dataclasses import dataclass

import torch
import torch.nn.functional as F  # noqa: F401  (you will want it)
from torch import nn


def whisper_log_mel(audio: torch.Tensor, mel_filters: torch.Tensor, n_fft: int, hop_length: int) -> torch.Tensor:
    """Whisper's log-mel features of a batch of waveforms.

    1. STFT: frames centred by reflect-padding n_fft // 2 samples on each side, every hop_length samples,
       periodic Hann window, power |X|^2; the LAST frame is dropped.
    2. Mel: mel_filters.T @ power.
    3. log10(max(mel, 1e-10)).
    4. Dynamic range: values more than 8 below the utterance's own maximum are raised to (maximum - 8).
    5. Scale: (x + 4) / 4.
    The audio is left unchanged.

    Shapes:
        audio: (B, T)     mel_filters: (n_fft // 2 + 1, n_mels)  (transformers' layout)
        returns: (B, n_mels, T // hop_length), same dtype as audio

    Raises:
        ValueError: if n_fft < 2, hop_length < 1, or T <= n_fft // 2 (reflect padding needs more samples).
    """
    raise NotImplementedError("whisper_log_mel: STFT, power, mel, log10, clamp to max - 8, (x + 4) / 4")


def sinusoids(length: int, channels: int, max_timescale: float = 10000.0) -> torch.Tensor:
    """Whisper's fixed encoder position table: all sines, then all cosines (not interleaved).

    inv_timescale[i] = exp(-i * log(max_timescale) / (channels // 2 - 1)),  i = 0 .. channels // 2 - 1
    table[t] = [sin(t * inv_timescale), cos(t * inv_timescale)]

    Shapes:
        returns: (length, channels), float32

    Raises:
        ValueError: if channels is odd or less than 4.
    """
    raise NotImplementedError("sinusoids: the (length, channels) table")


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
        """out_proj(softmax(q k^T / sqrt(d_head)) v), heads split from d_model and merged back.

        Queries come from x; keys and values from context (cross-attention) or, when context is None, from x.
        With causal, query i sees keys 0..i only (used with context None, so Tq = Tk).
        The inputs are left unchanged.

        Shapes:
            x: (B, Tq, d_model)     context: (B, Tk, d_model) or None
            returns: (B, Tq, d_model)
        """
        raise NotImplementedError("Attention.forward")


class EncoderLayer(nn.Module):
    def __init__(self, cfg: MiniConfig) -> None:
        super().__init__()
        self.self_attn = Attention(cfg.d_model, cfg.n_heads)
        self.self_attn_layer_norm = nn.LayerNorm(cfg.d_model)
        self.fc1 = nn.Linear(cfg.d_model, cfg.ffn_dim)
        self.fc2 = nn.Linear(cfg.ffn_dim, cfg.d_model)
        self.final_layer_norm = nn.LayerNorm(cfg.d_model)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """Pre-norm block: x + self_attn(LN(x)), then x + fc2(gelu(fc1(LN(x)))). The input is left unchanged.

        Shapes:
            x: (B, T, d_model)     returns: (B, T, d_model)
        """
        raise NotImplementedError("EncoderLayer.forward")


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
        """Pre-norm block: causal self-attention, cross-attention to the audio features, MLP; each residual.

        Shapes:
            x: (B, L, d_model)     audio: (B, audio_ctx, d_model)     returns: (B, L, d_model)
        """
        raise NotImplementedError("DecoderLayer.forward")


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
        """gelu(conv1), gelu(conv2) (stride 2 halves the frames), + sinusoids(audio_ctx, d_model), the encoder
        layers, then the final layer_norm. The input is left unchanged.

        Shapes:
            mel: (B, n_mels, 2 * audio_ctx)     returns: (B, audio_ctx, d_model), same dtype as mel

        Raises:
            ValueError: if mel does not have exactly 2 * audio_ctx frames.
        """
        raise NotImplementedError("WhisperMini.encode")

    def decode(self, tokens: torch.Tensor, audio: torch.Tensor) -> torch.Tensor:
        """Token embeddings + learned positions 0..L-1, the decoder layers, the final layer_norm, then logits
        through the token embedding matrix (tied: no separate output head).

        Shapes:
            tokens: (B, L) int64     audio: (B, audio_ctx, d_model)     returns: (B, L, vocab)

        Raises:
            ValueError: if L > text_ctx.
        """
        raise NotImplementedError("WhisperMini.decode")

    def forward(self, mel: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
        return self.decode(tokens, self.encode(mel))


def greedy_decode(model: WhisperMini, mel: torch.Tensor, sot: int, eot: int, max_new: int) -> list[list[int]]:
    """Greedy transcription: start every row from [sot], append the argmax of the last position's logits,
    at most max_new times. A row stops at its first eot, which is left out of its list; other rows go on.

    Shapes:
        mel: (B, n_mels, 2 * audio_ctx)
        returns: B lists of token ids (the tokens after sot, eot excluded), each at most max_new long

    Raises:
        ValueError: if max_new < 0.
    """
    raise NotImplementedError("greedy_decode")
