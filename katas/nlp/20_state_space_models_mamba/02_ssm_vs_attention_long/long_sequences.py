"""nlp-20-2: an SSM and attention decoding the same long sequence. Edit this file;
`grader check nlp-20-2` tests it."""
from __future__ import annotations

import math  # noqa: F401  (you will need it for attention_decode_step)

import torch


def ssm_decode_step(h: torch.Tensor, x_t: torch.Tensor, delta_t: torch.Tensor, A: torch.Tensor, B_t: torch.Tensor,
                    C_t: torch.Tensor, D: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """One token through the selective SSM of nlp-20-1 (zero-order hold):

        h_new = exp(delta_t A) h + (exp(delta_t A) - 1) / A * B_t x_t,    y_t = sum_s C_t[s] h_new[..., s] + D x_t

    Same dtype as h; inputs not modified.

    Shapes:
        h: (batch, d, n)   x_t, delta_t: (batch, d)   A: (d, n)   B_t, C_t: (batch, n)   D: (d,)
        returns: h_new (batch, d, n), y_t (batch, d)
    """
    raise NotImplementedError("ssm_decode_step: update the fixed-size state, read the output")


def attention_decode_step(k_cache: torch.Tensor, v_cache: torch.Tensor, q_t: torch.Tensor, k_t: torch.Tensor,
                          v_t: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    """One token through single-head attention with a KV cache: append k_t, v_t to the caches (new tensors;
    the inputs are not modified), then attend with q_t over every cached position, scale 1/sqrt(d).

    Shapes:
        k_cache, v_cache: (batch, t, d)   q_t, k_t, v_t: (batch, d)
        returns: new k_cache (batch, t + 1, d), new v_cache (batch, t + 1, d), y_t (batch, d), dtype of q_t
    """
    raise NotImplementedError("attention_decode_step: grow the cache, softmax over all cached keys")


def ssm_stream(x: torch.Tensor, delta: torch.Tensor, A: torch.Tensor, B: torch.Tensor, C: torch.Tensor,
               D: torch.Tensor) -> tuple[torch.Tensor, list[int]]:
    """Decode a whole sequence token by token with ssm_decode_step, from a zero state.

    Returns the outputs (batch, L, d) and, after every step, the bytes of the state carried to the next
    step (nelement * element_size of the tensors kept).
    """
    raise NotImplementedError("ssm_stream: loop over positions, record the state's size")


def attention_stream(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> tuple[torch.Tensor, list[int]]:
    """Decode a whole sequence token by token with attention_decode_step, from empty caches (causal).

    Returns the outputs (batch, L, d) and, after every step, the bytes of the key and value caches.
    """
    raise NotImplementedError("attention_stream: loop over positions, record the caches' size")
