"""sys-04-4: RWKV's WKV recurrence equals its parallel form; Hyena's long convolution via FFT.
Edit this file; `grader check sys-04-4` tests it."""
from __future__ import annotations

import torch


def wkv_parallel(w: torch.Tensor, u: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """RWKV-4's WKV operator for all steps at once (the "transformer" form used for training):

        wkv_t = (sum_{i<t} e^{-(t-1-i) w + k_i} v_i + e^{u + k_t} v_t) / (sum_{i<t} e^{-(t-1-i) w + k_i} + e^{u + k_t})

    per channel: a softmax over i <= t of the scores s_ti = -(t-1-i) w + k_i (i < t), u + k_t (i = t),
    applied to v. Same dtype as k; inputs are not modified.

    Shapes:
        w, u: (C,) (w >= 0: the decay per step is e^{-w}); k, v: (T, C); returns (T, C)
    """
    raise NotImplementedError("wkv_parallel: a (T, T, C) score tensor, a causal softmax, a weighted sum")


def wkv_recurrent(w: torch.Tensor, u: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                  state: tuple[torch.Tensor, torch.Tensor, torch.Tensor] | None = None
                  ) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor, torch.Tensor]]:
    """The same outputs as wkv_parallel, one step at a time with O(C) state (the "RNN" form used for
    inference), numerically stable for any key size: the state (a, b, p) stands for the sums
    a e^p = sum_{i<t} e^{-(t-1-i) w + k_i} v_i and b e^p = sum_{i<t} e^{-(t-1-i) w + k_i}, with the
    running exponent p kept out of the exponentials. The initial state (None) is a = b = 0,
    p = -inf. Returns the outputs and the state after the last step; passing that state to a call
    on the following steps continues the sequence. Same dtype as k; inputs are not modified.

    Shapes:
        w, u: (C,); k, v: (T, C); state: three (C,) tensors; returns (T, C) and the new state
    """
    raise NotImplementedError("wkv_recurrent: a loop over t with a running max")


def fft_long_conv(u: torch.Tensor, h: torch.Tensor, d: torch.Tensor | None = None) -> torch.Tensor:
    """Hyena's long convolution: the causal convolution of each channel of u with a filter as long as
    the sequence, y_t = sum_{s=0..t} h_s u_{t-s}, plus the skip term d * u when d is given, computed
    with the FFT in O(T log T) (torch.fft.rfft / irfft, zero-padded so nothing wraps around). Same
    dtype as u; inputs are not modified.

    Shapes:
        u, h: (T, C); d: (C,) or None; returns (T, C)
    """
    raise NotImplementedError("fft_long_conv: pad to 2T, multiply spectra, keep the first T")
