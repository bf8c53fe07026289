"""Reference solution for arch-02-1."""
from __future__ import annotations

import numpy as np

SCALES = ("htk", "slaney")
F_SP = 200.0 / 3            # Slaney: Hz per mel below 1 kHz
MIN_LOG_HZ = 1000.0
MIN_LOG_MEL = MIN_LOG_HZ / F_SP
LOGSTEP = np.log(6.4) / 27.0


def hz_to_mel(f: np.ndarray, scale: str = "htk") -> np.ndarray:
    f = np.asarray(f)
    if scale == "htk":
        return 2595.0 * np.log10(1.0 + f / 700.0)
    if scale == "slaney":
        log_part = MIN_LOG_MEL + np.log(np.maximum(f, MIN_LOG_HZ) / MIN_LOG_HZ) / LOGSTEP
        return np.where(f >= MIN_LOG_HZ, log_part, f / F_SP)
    raise ValueError(f"scale must be one of {SCALES}, got {scale!r}")


def mel_to_hz(m: np.ndarray, scale: str = "htk") -> np.ndarray:
    m = np.asarray(m)
    if scale == "htk":
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)
    if scale == "slaney":
        return np.where(m >= MIN_LOG_MEL, MIN_LOG_HZ * np.exp(LOGSTEP * (m - MIN_LOG_MEL)), m * F_SP)
    raise ValueError(f"scale must be one of {SCALES}, got {scale!r}")


def mel_filterbank(n_mels: int, n_fft: int, sample_rate: float, f_min: float = 0.0, f_max: float | None = None,
                   scale: str = "htk", area_norm: bool = False) -> np.ndarray:
    f_max = sample_rate / 2 if f_max is None else f_max
    if n_mels < 1 or n_fft < 2 or not 0 <= f_min < f_max <= sample_rate / 2:
        raise ValueError("need n_mels >= 1, n_fft >= 2 and 0 <= f_min < f_max <= sample_rate / 2")
    edges = mel_to_hz(np.linspace(hz_to_mel(f_min, scale), hz_to_mel(f_max, scale), n_mels + 2), scale)
    freqs = np.arange(n_fft // 2 + 1) * (sample_rate / n_fft)
    lower = (freqs[None, :] - edges[:-2, None]) / (edges[1:-1] - edges[:-2])[:, None]
    upper = (edges[2:, None] - freqs[None, :]) / (edges[2:] - edges[1:-1])[:, None]
    fb = np.maximum(0.0, np.minimum(lower, upper))
    if area_norm:
        fb = fb * (2.0 / (edges[2:] - edges[:-2]))[:, None]
    return fb


def power_spectrogram(x: np.ndarray, n_fft: int, hop_length: int) -> np.ndarray:
    x = np.asarray(x)
    if n_fft < 2 or hop_length < 1:
        raise ValueError("need n_fft >= 2 and hop_length >= 1")
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n_fft) / n_fft)      # periodic Hann
    padded = np.pad(x, n_fft // 2)
    n_frames = 1 + (len(padded) - n_fft) // hop_length
    idx = np.arange(n_fft)[None, :] + hop_length * np.arange(n_frames)[:, None]
    spec = np.fft.rfft(padded[idx] * window, axis=1)
    return (np.abs(spec) ** 2).T


def log_mel_spectrogram(x: np.ndarray, sample_rate: float, n_fft: int, hop_length: int, n_mels: int,
                        f_min: float = 0.0, f_max: float | None = None, scale: str = "htk",
                        eps: float = 1e-10) -> np.ndarray:
    fb = mel_filterbank(n_mels, n_fft, sample_rate, f_min, f_max, scale)
    return np.log(fb @ power_spectrogram(x, n_fft, hop_length) + eps)
