"""arch-02-1: log-mel spectrogram. Edit this file; `grader check arch-02-1` tests it."""
from __future__ import annotations

import numpy as np

SCALES = ("htk", "slaney")
F_SP = 200.0 / 3            # Slaney: Hz per mel below 1 kHz
MIN_LOG_HZ = 1000.0
MIN_LOG_MEL = MIN_LOG_HZ / F_SP
LOGSTEP = np.log(6.4) / 27.0


def hz_to_mel(f: np.ndarray, scale: str = "htk") -> np.ndarray:
    """Frequency in Hz to mels, elementwise (float64).

    "htk":    2595 * log10(1 + f / 700)
    "slaney": f / F_SP below MIN_LOG_HZ = 1000 Hz; MIN_LOG_MEL + log(f / 1000) / LOGSTEP from 1000 Hz up.

    Raises:
        ValueError: for another scale.
    """
    raise NotImplementedError("hz_to_mel")


def mel_to_hz(m: np.ndarray, scale: str = "htk") -> np.ndarray:
    """The inverse of hz_to_mel, elementwise (float64).

    Raises:
        ValueError: for another scale.
    """
    raise NotImplementedError("mel_to_hz")


def mel_filterbank(n_mels: int, n_fft: int, sample_rate: float, f_min: float = 0.0, f_max: float | None = None,
                   scale: str = "htk", area_norm: bool = False) -> np.ndarray:
    """Triangular mel filters over the rfft bin frequencies k * sample_rate / n_fft, k = 0 .. n_fft // 2.

    Edges: n_mels + 2 points equally spaced in mels from hz_to_mel(f_min) to hz_to_mel(f_max)
    (f_max None means sample_rate / 2), mapped back to Hz: e_0 < e_1 < ... < e_{n_mels + 1}.
    Filter i rises linearly from 0 at e_i to 1 at e_{i+1} and falls back to 0 at e_{i+2}; 0 outside.
    With area_norm, filter i is multiplied by 2 / (e_{i+2} - e_i) (Slaney's equal-area norm).

    Shapes:
        returns: (n_mels, n_fft // 2 + 1) float64

    Raises:
        ValueError: if n_mels < 1, n_fft < 2, the scale is unknown, or not 0 <= f_min < f_max <= sample_rate / 2.
    """
    raise NotImplementedError("mel_filterbank")


def power_spectrogram(x: np.ndarray, n_fft: int, hop_length: int) -> np.ndarray:
    """|STFT|^2 with a periodic Hann window, frames centred by n_fft // 2 zeros on each side.

    Frame t covers padded[t * hop_length : t * hop_length + n_fft] for t = 0 .. 1 + (len(padded) - n_fft)
    // hop_length - 1; window w[n] = 0.5 - 0.5 cos(2 pi n / n_fft); no scaling. The input is left unchanged.

    Shapes:
        x: (T,)     returns: (n_fft // 2 + 1, n_frames) float64

    Raises:
        ValueError: if n_fft < 2 or hop_length < 1.
    """
    raise NotImplementedError("power_spectrogram")


def log_mel_spectrogram(x: np.ndarray, sample_rate: float, n_fft: int, hop_length: int, n_mels: int,
                        f_min: float = 0.0, f_max: float | None = None, scale: str = "htk",
                        eps: float = 1e-10) -> np.ndarray:
    """log(mel_filterbank(...) @ power_spectrogram(...) + eps), the filterbank without area_norm.

    Shapes:
        x: (T,)     returns: (n_mels, n_frames) float64
    """
    raise NotImplementedError("log_mel_spectrogram")
