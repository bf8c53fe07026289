"""Tests for arch-02-1, the log-mel spectrogram.

References: scipy.signal.stft (boundary="zeros", Hann window, unscaled by multiplying back the
window sum) and, for signals shorter than a window, torch.stft (center=True, zero padding) for the
power spectrogram; the HTK and Slaney (Auditory Toolbox) mel formulas and their
anchor values; triangles evaluated with np.interp for the filterbank; a pure tone landing in the
mel band whose centre is nearest to it.
"""
import numpy as np
import pytest
import scipy.signal
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, call_unmodified, describe_call

SCALES = st.sampled_from(["htk", "slaney"])


def mel_reference(f: np.ndarray, scale: str) -> np.ndarray:
    if scale == "htk":
        return 2595 * np.log10(1 + f / 700)
    return np.array([x * 3 / 200 if x < 1000 else 15 + np.log(x / 1000) * 27 / np.log(6.4) for x in f])


@given(f=st.lists(st.floats(0, 24000, allow_nan=False), min_size=1, max_size=8), scale=SCALES)
@example(f=[0.0, 999.0, 1000.0, 1001.0, 6400.0], scale="slaney")   # both sides of the 1 kHz knee
@example(f=[700.0, 1000.0], scale="htk")
def test_mel_scale_formulas_and_inverse(kata, f, scale):
    f = np.array(f)
    call = describe_call("hz_to_mel", f, scale)
    mel = call_unmodified(kata.hz_to_mel, f, scale, fn_name="hz_to_mel")
    assert_close(mel, mel_reference(f, scale), rtol=1e-12, atol=1e-9, name="mels", call=call)
    assert_close(kata.mel_to_hz(mel_reference(f, scale), scale), f, rtol=1e-10, atol=1e-7, name="mel_to_hz(hz_to_mel(f))",
                 call=describe_call("mel_to_hz", f, scale))


def test_mel_anchor_values(kata):
    assert_close(kata.hz_to_mel(np.array([700.0]), "htk"), [2595 * np.log10(2)], rtol=1e-12, atol=0,
                 call="hz_to_mel([700.0], 'htk')")
    assert_close(kata.hz_to_mel(np.array([1000.0, 6400.0]), "slaney"), [15.0, 42.0], rtol=1e-12, atol=0,
                 call="hz_to_mel([1000.0, 6400.0], 'slaney')")
    assert_close(kata.hz_to_mel(np.array([1000.0])), [2595 * np.log10(1 + 1000 / 700)], rtol=1e-12, atol=0,
                 name="mels with the default scale (htk)", call="hz_to_mel([1000.0])")
    assert_close(kata.mel_to_hz(np.array([2595 * np.log10(2)])), [700.0], rtol=1e-12, atol=0,
                 name="Hz with the default scale (htk)", call="mel_to_hz([781.17...])")


@given(fn=st.sampled_from(["hz_to_mel", "mel_to_hz"]), scale=st.sampled_from(["HTK", "mel", "log"]))
def test_mel_rejects_unknown_scale(kata, fn, scale):
    with pytest.raises(ValueError):
        getattr(kata, fn)(np.array([100.0]), scale)
        pytest.fail(f"{fn}(..., {scale!r}) returned instead of raising ValueError")


def filterbank_reference(n_mels: int, n_fft: int, sr: float, f_min: float, f_max: float, scale: str,
                         area_norm: bool) -> np.ndarray:
    m = np.linspace(mel_reference(np.array([f_min]), scale)[0], mel_reference(np.array([f_max]), scale)[0], n_mels + 2)
    if scale == "htk":
        edges = 700 * (10 ** (m / 2595) - 1)
    else:
        edges = np.where(m < 15, m * 200 / 3, 1000 * np.exp((m - 15) * np.log(6.4) / 27))
    freqs = np.arange(n_fft // 2 + 1) * sr / n_fft
    fb = np.stack([np.interp(freqs, edges[i:i + 3], [0.0, 1.0, 0.0], left=0.0, right=0.0) for i in range(n_mels)])
    if area_norm:
        fb *= (2 / (edges[2:] - edges[:-2]))[:, None]
    return fb


@given(n_mels=st.integers(1, 12), n_fft=st.sampled_from([16, 32, 64, 100, 127]), sr=st.sampled_from([8000.0, 16000.0]),
       lo=st.sampled_from([0.0, 0.05, 0.2]), hi=st.sampled_from([None, 0.6, 1.0]), scale=SCALES,
       area_norm=st.booleans())
@example(n_mels=4, n_fft=64, sr=16000.0, lo=0.0, hi=None, scale="slaney", area_norm=True)
@example(n_mels=1, n_fft=2, sr=8000.0, lo=0.0, hi=None, scale="htk", area_norm=False)   # the smallest FFT: 2 bins
def test_filterbank_is_the_triangles(kata, n_mels, n_fft, sr, lo, hi, scale, area_norm):
    f_min, f_max = lo * sr / 2, None if hi is None else hi * sr / 2
    call = describe_call("mel_filterbank", n_mels, n_fft, sr, f_min=f_min, f_max=f_max, scale=scale,
                         area_norm=area_norm)
    got = kata.mel_filterbank(n_mels, n_fft, sr, f_min=f_min, f_max=f_max, scale=scale, area_norm=area_norm)
    want = filterbank_reference(n_mels, n_fft, sr, f_min, sr / 2 if f_max is None else f_max, scale, area_norm)
    assert_close(got, want, rtol=1e-9, atol=1e-12, name="filterbank", call=call)


def test_filterbank_defaults(kata):
    want = filterbank_reference(6, 64, 16000.0, 0.0, 8000.0, "htk", False)
    assert_close(kata.mel_filterbank(6, 64, 16000.0), want, rtol=1e-9, atol=1e-12,
                 name="filterbank (defaults: 0 Hz to Nyquist, htk, no area norm)",
                 call="mel_filterbank(6, 64, 16000.0)")


@given(bad=st.sampled_from(["n_mels", "n_fft", "scale", "fmin_neg", "fmin_ge_fmax", "fmax_nyquist"]))
def test_filterbank_rejects_bad_arguments(kata, bad):
    kw = {"n_mels": 4, "n_fft": 32, "sample_rate": 8000.0, "f_min": 0.0, "f_max": None, "scale": "htk"}
    kw.update({"n_mels": {"n_mels": 0}, "n_fft": {"n_fft": 1}, "scale": {"scale": "bark"},
               "fmin_neg": {"f_min": -1.0}, "fmin_ge_fmax": {"f_min": 3000.0, "f_max": 3000.0},
               "fmax_nyquist": {"f_max": 4001.0}}[bad])
    with pytest.raises(ValueError):
        kata.mel_filterbank(**kw)
        pytest.fail(f"mel_filterbank with {bad} returned instead of raising ValueError")


def scipy_power(x: np.ndarray, n_fft: int, hop: int) -> np.ndarray:
    _, _, z = scipy.signal.stft(x, nperseg=n_fft, noverlap=n_fft - hop, window="hann", boundary="zeros", padded=False,
                                detrend=False, scaling="spectrum")
    return np.abs(z * scipy.signal.get_window("hann", n_fft).sum()) ** 2


@given(extra=st.integers(0, 250), n_fft=st.sampled_from([2, 8, 16, 31, 64]), hop=st.integers(1, 20), seed=seeds())
@example(extra=0, n_fft=64, hop=64, seed=1)      # hop = n_fft: no overlap
@example(extra=5, n_fft=2, hop=1, seed=2)        # the smallest FFT
def test_power_spectrogram_matches_scipy_stft(kata, extra, n_fft, hop, seed):
    hop = min(hop, n_fft)
    x = np.random.default_rng(seed).standard_normal(n_fft + extra)   # scipy shrinks the window for shorter input
    call = describe_call("power_spectrogram", x, n_fft, hop)
    got = call_unmodified(kata.power_spectrogram, x, n_fft, hop, fn_name="power_spectrogram")
    assert_close(got, scipy_power(x, n_fft, hop), rtol=1e-9, atol=1e-9, name="power spectrogram", call=call)


@given(n=st.integers(1, 15), n_fft=st.sampled_from([16, 17]), hop=st.integers(1, 8), seed=seeds())
@example(n=1, n_fft=16, hop=4, seed=0)    # one sample: one frame
def test_power_spectrogram_of_short_signals_matches_torch_stft(kata, n, n_fft, hop, seed):
    x = np.random.default_rng(seed).standard_normal(n)
    want = torch.stft(torch.from_numpy(x), n_fft, hop, window=torch.hann_window(n_fft, dtype=torch.float64),
                      center=True, pad_mode="constant", return_complex=True).abs() ** 2
    assert_close(kata.power_spectrogram(x, n_fft, hop), want, rtol=1e-9, atol=1e-9,
                 name="power spectrogram (vs torch.stft, center=True, zero padding)",
                 call=describe_call("power_spectrogram", x, n_fft, hop))


@given(bad=st.sampled_from([(1, 4), (0, 4), (16, 0), (16, -2)]))
def test_power_spectrogram_rejects_bad_sizes(kata, bad):
    with pytest.raises(ValueError):
        kata.power_spectrogram(np.zeros(32), *bad)
        pytest.fail(f"power_spectrogram(n_fft, hop_length = {bad}) returned instead of raising ValueError")


@settings(max_examples=20)
@given(n=st.integers(64, 400), n_fft=st.sampled_from([32, 64]), hop=st.sampled_from([8, 16]),
       n_mels=st.integers(2, 10), scale=SCALES, f_min=st.sampled_from([0.0, 300.0]),
       f_max=st.sampled_from([None, 3000.0]), eps=st.sampled_from([1e-10, 1e-3]), seed=seeds())
def test_log_mel_composes_the_pieces(kata, n, n_fft, hop, n_mels, scale, f_min, f_max, eps, seed):
    sr = 8000.0
    x = np.random.default_rng(seed).standard_normal(n)
    call = describe_call("log_mel_spectrogram", x, sr, n_fft, hop, n_mels, f_min=f_min, f_max=f_max, scale=scale,
                         eps=eps)
    got = call_unmodified(kata.log_mel_spectrogram, x, sr, n_fft, hop, n_mels, f_min=f_min, f_max=f_max, scale=scale,
                          eps=eps, fn_name="log_mel_spectrogram")
    fb = filterbank_reference(n_mels, n_fft, sr, f_min, sr / 2 if f_max is None else f_max, scale, False)
    assert_close(got, np.log(fb @ scipy_power(x, n_fft, hop) + eps), rtol=1e-9, atol=1e-9, name="log-mel", call=call)


def test_log_mel_defaults_and_silence(kata):
    x = np.zeros(100)
    got = kata.log_mel_spectrogram(x, 8000.0, 32, 16, 5)
    assert_close(got, np.full((5, 7), np.log(1e-10)), rtol=1e-12, atol=0, name="log-mel of silence (log eps, eps = 1e-10)",
                 call="log_mel_spectrogram(zeros(100), 8000.0, 32, 16, 5)")
    x = np.random.default_rng(0).standard_normal(100)
    fb = filterbank_reference(5, 32, 8000.0, 0.0, 4000.0, "htk", False)
    assert_close(kata.log_mel_spectrogram(x, 8000.0, 32, 16, 5), np.log(fb @ scipy_power(x, 32, 16) + 1e-10),
                 rtol=1e-9, atol=1e-9, name="log-mel with the defaults (0 Hz to Nyquist, htk)",
                 call="log_mel_spectrogram(x, 8000.0, 32, 16, 5)")


@settings(max_examples=10)
@given(f0=st.floats(300.0, 3500.0), scale=SCALES)
def test_a_tone_lands_in_its_band(kata, f0, scale):
    sr, n_mels = 8000.0, 12
    x = np.sin(2 * np.pi * f0 * np.arange(2048) / sr)
    lm = kata.log_mel_spectrogram(x, sr, 256, 128, n_mels, scale=scale)
    band = int(np.argmax(lm[:, 4:-4].mean(axis=1)))
    centres = mel_reference(np.array([0.0, sr / 2]), scale)
    m = np.linspace(centres[0], centres[1], n_mels + 2)[1:-1]
    nearest = int(np.argmin(np.abs(m - mel_reference(np.array([f0]), scale)[0])))
    assert abs(band - nearest) <= 1, (f"a {f0:.1f} Hz tone peaks in mel band {band}, but the band centred nearest "
                                      f"to it is {nearest} ({scale} scale)")
