"""Plausible wrong spectrogram and mel code that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from log_mel import MIN_LOG_HZ, MIN_LOG_MEL, hz_to_mel, mel_filterbank, mel_to_hz, power_spectrogram


@pitfall(replaces="hz_to_mel", why="natural log in the HTK formula (2595 goes with log10; 1127 with ln)")
def htk_natural_log(f: np.ndarray, scale: str = "htk") -> np.ndarray:
    f = np.asarray(f, dtype=np.float64)
    if scale == "htk":
        return 2595.0 * np.log(1.0 + f / 700.0)
    if scale == "slaney":
        return np.where(f >= MIN_LOG_HZ, MIN_LOG_MEL + np.log(np.maximum(f, MIN_LOG_HZ) / MIN_LOG_HZ) * 27 / np.log(6.4),
                        f * 3 / 200)
    raise ValueError("scale")


@pitfall(replaces="hz_to_mel", why="Slaney scale taken as HTK: one formula for both")
def slaney_is_htk(f: np.ndarray, scale: str = "htk") -> np.ndarray:
    if scale not in ("htk", "slaney"):
        raise ValueError("scale")
    return 2595.0 * np.log10(1.0 + np.asarray(f, dtype=np.float64) / 700.0)


@pitfall(replaces="mel_to_hz", why="inverts the Slaney log part with 10** instead of exp")
def slaney_inverse_base10(m: np.ndarray, scale: str = "htk") -> np.ndarray:
    m = np.asarray(m, dtype=np.float64)
    if scale == "htk":
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)
    if scale == "slaney":
        return np.where(m >= MIN_LOG_MEL, MIN_LOG_HZ * 10.0 ** (np.log(6.4) / 27 * (m - MIN_LOG_MEL)), m * 200 / 3)
    raise ValueError("scale")


@pitfall(replaces="mel_filterbank", why="edges equally spaced in Hz, not in mels")
def linear_edges(n_mels: int, n_fft: int, sample_rate: float, f_min: float = 0.0, f_max: float | None = None,
                 scale: str = "htk", area_norm: bool = False) -> np.ndarray:
    f_max = sample_rate / 2 if f_max is None else f_max
    if n_mels < 1 or n_fft < 2 or not 0 <= f_min < f_max <= sample_rate / 2:
        raise ValueError("bad arguments")
    hz_to_mel(0.0, scale)
    edges = np.linspace(f_min, f_max, n_mels + 2)
    freqs = np.arange(n_fft // 2 + 1) * sample_rate / n_fft
    fb = np.stack([np.interp(freqs, edges[i:i + 3], [0, 1, 0], left=0, right=0) for i in range(n_mels)])
    return fb * (2.0 / (edges[2:] - edges[:-2]))[:, None] if area_norm else fb


@pitfall(replaces="mel_filterbank", why="bin frequencies from linspace(0, sr/2, n_fft//2 + 1): wrong for odd n_fft")
def linspace_bins(n_mels: int, n_fft: int, sample_rate: float, f_min: float = 0.0, f_max: float | None = None,
                  scale: str = "htk", area_norm: bool = False) -> np.ndarray:
    f_max = sample_rate / 2 if f_max is None else f_max
    if n_mels < 1 or n_fft < 2 or not 0 <= f_min < f_max <= sample_rate / 2:
        raise ValueError("bad arguments")
    edges = mel_to_hz(np.linspace(hz_to_mel(f_min, scale), hz_to_mel(f_max, scale), n_mels + 2), scale)
    freqs = np.linspace(0.0, sample_rate / 2, n_fft // 2 + 1)
    fb = np.stack([np.interp(freqs, edges[i:i + 3], [0, 1, 0], left=0, right=0) for i in range(n_mels)])
    return fb * (2.0 / (edges[2:] - edges[:-2]))[:, None] if area_norm else fb


@pitfall(replaces="power_spectrogram", why="symmetric Hann window (np.hanning) instead of the periodic one")
def symmetric_window(x: np.ndarray, n_fft: int, hop_length: int) -> np.ndarray:
    if n_fft < 2 or hop_length < 1:
        raise ValueError("sizes")
    padded = np.pad(np.asarray(x, dtype=np.float64), n_fft // 2)
    n_frames = 1 + (len(padded) - n_fft) // hop_length
    idx = np.arange(n_fft)[None, :] + hop_length * np.arange(n_frames)[:, None]
    return (np.abs(np.fft.rfft(padded[idx] * np.hanning(n_fft), axis=1)) ** 2).T


@pitfall(replaces="power_spectrogram", why="no centre padding: frame t starts at sample t * hop")
def not_centred(x: np.ndarray, n_fft: int, hop_length: int) -> np.ndarray:
    if n_fft < 2 or hop_length < 1:
        raise ValueError("sizes")
    x = np.asarray(x, dtype=np.float64)
    padded = np.pad(x, (0, max(0, 2 * (n_fft // 2))))
    n_frames = 1 + (len(padded) - n_fft) // hop_length
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n_fft) / n_fft)
    idx = np.arange(n_fft)[None, :] + hop_length * np.arange(n_frames)[:, None]
    return (np.abs(np.fft.rfft(padded[idx] * window, axis=1)) ** 2).T


@pitfall(replaces="power_spectrogram", why="magnitude, not power (|X| instead of |X|^2)")
def magnitude(x: np.ndarray, n_fft: int, hop_length: int) -> np.ndarray:
    if n_fft < 2 or hop_length < 1:
        raise ValueError("sizes")
    padded = np.pad(np.asarray(x, dtype=np.float64), n_fft // 2)
    n_frames = 1 + (len(padded) - n_fft) // hop_length
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(n_fft) / n_fft)
    idx = np.arange(n_fft)[None, :] + hop_length * np.arange(n_frames)[:, None]
    return np.abs(np.fft.rfft(padded[idx] * window, axis=1)).T


@pitfall(replaces="log_mel_spectrogram", why="log10 instead of the natural log")
def log10_mel(x: np.ndarray, sample_rate: float, n_fft: int, hop_length: int, n_mels: int, f_min: float = 0.0,
              f_max: float | None = None, scale: str = "htk", eps: float = 1e-10) -> np.ndarray:
    fb = mel_filterbank(n_mels, n_fft, sample_rate, f_min, f_max, scale)
    return np.log10(fb @ power_spectrogram(x, n_fft, hop_length) + eps)


@pitfall(replaces="log_mel_spectrogram", why="uses the area-normalised filterbank")
def area_normalised(x: np.ndarray, sample_rate: float, n_fft: int, hop_length: int, n_mels: int, f_min: float = 0.0,
                    f_max: float | None = None, scale: str = "htk", eps: float = 1e-10) -> np.ndarray:
    fb = mel_filterbank(n_mels, n_fft, sample_rate, f_min, f_max, scale, area_norm=True)
    return np.log(fb @ power_spectrogram(x, n_fft, hop_length) + eps)
