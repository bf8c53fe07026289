"""Plausible wrong versions of WKV and the FFT convolution that the tests must reject."""
from __future__ import annotations

import torch

from grader.pitfalls import pitfall


@pitfall(replaces="wkv_parallel", why="decay exponent (t - i) w instead of (t - 1 - i) w: the newest past token is decayed once too often")
def decay_off_by_one(w: torch.Tensor, u: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    T = k.shape[0]
    t = torch.arange(T, dtype=k.dtype)
    scores = -(t[:, None] - t[None, :])[:, :, None] * w + k[None]
    scores = torch.where(torch.eye(T, dtype=torch.bool)[:, :, None], u + k[None], scores)
    scores = scores.masked_fill((t[None, :] > t[:, None])[:, :, None], float("-inf"))
    return torch.einsum("tic,ic->tc", torch.softmax(scores, dim=1), v)


@pitfall(replaces="wkv_parallel", why="no bonus u on the current token")
def no_bonus(w: torch.Tensor, u: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    T = k.shape[0]
    t = torch.arange(T, dtype=k.dtype)
    scores = -(t[:, None] - 1 - t[None, :])[:, :, None] * w + k[None]
    scores = torch.where(torch.eye(T, dtype=torch.bool)[:, :, None], k[None], scores)
    scores = scores.masked_fill((t[None, :] > t[:, None])[:, :, None], float("-inf"))
    return torch.einsum("tic,ic->tc", torch.softmax(scores, dim=1), v)


@pitfall(replaces="wkv_recurrent", why="naive recurrence with e^k: overflows for large keys")
def naive_recurrence(w: torch.Tensor, u: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                     state: tuple[torch.Tensor, torch.Tensor, torch.Tensor] | None = None
                     ) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor, torch.Tensor]]:
    C = k.shape[1]
    if state is None:
        a, b = torch.zeros(C, dtype=k.dtype), torch.zeros(C, dtype=k.dtype)
    else:
        a, b = state[0] * torch.exp(state[2]), state[1] * torch.exp(state[2])
    out = torch.empty_like(v)
    for t in range(k.shape[0]):
        out[t] = (a + torch.exp(u + k[t]) * v[t]) / (b + torch.exp(u + k[t]))
        a = torch.exp(-w) * a + torch.exp(k[t]) * v[t]
        b = torch.exp(-w) * b + torch.exp(k[t])
    return out, (a, b, torch.zeros(C, dtype=k.dtype))


@pitfall(replaces="wkv_recurrent", why="updates the state before computing the output: the current token is counted twice")
def update_first(w: torch.Tensor, u: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                 state: tuple[torch.Tensor, torch.Tensor, torch.Tensor] | None = None
                 ) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor, torch.Tensor]]:
    C = k.shape[1]
    if state is None:
        a, b, p = torch.zeros(C, dtype=k.dtype), torch.zeros(C, dtype=k.dtype), torch.full((C,), float("-inf"), dtype=k.dtype)
    else:
        a, b, p = state
    out = torch.empty_like(v)
    for t in range(k.shape[0]):
        q = torch.maximum(p - w, k[t])
        e1, e2 = torch.exp(p - w - q), torch.exp(k[t] - q)
        a, b, p = e1 * a + e2 * v[t], e1 * b + e2, q
        q = torch.maximum(p, u + k[t])
        e1, e2 = torch.exp(p - q), torch.exp(u + k[t] - q)
        out[t] = (e1 * a + e2 * v[t]) / (e1 * b + e2)
    return out, (a, b, p)


@pitfall(replaces="wkv_recurrent", why="ignores the state passed in and starts from zero every call")
def ignores_state(w: torch.Tensor, u: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                  state: tuple[torch.Tensor, torch.Tensor, torch.Tensor] | None = None
                  ) -> tuple[torch.Tensor, tuple[torch.Tensor, torch.Tensor, torch.Tensor]]:
    C = k.shape[1]
    a, b, p = torch.zeros(C, dtype=k.dtype), torch.zeros(C, dtype=k.dtype), torch.full((C,), float("-inf"), dtype=k.dtype)
    out = torch.empty_like(v)
    for t in range(k.shape[0]):
        q = torch.maximum(p, u + k[t])
        e1, e2 = torch.exp(p - q), torch.exp(u + k[t] - q)
        out[t] = (e1 * a + e2 * v[t]) / (e1 * b + e2)
        q = torch.maximum(p - w, k[t])
        e1, e2 = torch.exp(p - w - q), torch.exp(k[t] - q)
        a, b, p = e1 * a + e2 * v[t], e1 * b + e2, q
    return out, (a, b, p)


@pitfall(replaces="fft_long_conv", why="no zero padding: circular convolution, the tail wraps around")
def circular(u: torch.Tensor, h: torch.Tensor, d: torch.Tensor | None = None) -> torch.Tensor:
    T = u.shape[0]
    y = torch.fft.irfft(torch.fft.rfft(u, dim=0) * torch.fft.rfft(h, dim=0), n=T, dim=0)
    return (y if d is None else y + d * u).to(u.dtype)


@pitfall(replaces="fft_long_conv", why="a direct O(T^2) convolution with conv1d: right values, not the FFT")
def direct_conv(u: torch.Tensor, h: torch.Tensor, d: torch.Tensor | None = None) -> torch.Tensor:
    T, C = u.shape
    x = torch.nn.functional.pad(u.T[None], (T - 1, 0))
    y = torch.nn.functional.conv1d(x, h.T.flip(-1)[:, None], groups=C)[0].T
    return y if d is None else y + d * u
