"""Tests for nlp-02-5, a toy sequence being position-encoded, projected to 3-D and animated.

Reference: scikit-learn's PCA (svd_solver="full") up to the sign of each component, plus the sign
convention and structure of the projection; the animation is rendered frame by frame with Agg
(matplotlib's PillowWriter) and its trajectory, title, axes and frame count are checked per frame.
"""
import os
import tempfile

import matplotlib.pyplot as plt
import numpy as np
import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from matplotlib.animation import FuncAnimation, PillowWriter
from sklearn.decomposition import PCA

from grader.strategies import dims, even_dims, float_dtypes, seeds
from grader.testing import assert_close, assert_dtype, assert_shape, call_unmodified, describe_call

TOL = 1e-8   # float64 SVDs of well-separated spectra (gaps >= 1e-3 of the largest) agree to ~1e-12


def well_separated(x: np.ndarray) -> bool:
    """Top three principal directions well defined: distinct singular values, no near-tied top loading."""
    s = np.linalg.svd(x - x.mean(0), compute_uv=False)
    s = np.append(s, np.zeros(max(0, 4 - len(s))))
    if s[0] <= 0 or np.min(-np.diff(s[:4])) < 1e-3 * s[0]:
        return False
    top = np.sort(np.abs(PCA(3, svd_solver="full").fit(x).components_), axis=1)
    return bool(np.all(top[:, -1] - top[:, -2] > 1e-6))


def sign_aligned(got: np.ndarray, want: np.ndarray) -> np.ndarray:
    """got with each column's sign flipped to best match want (PCA is defined up to these signs)."""
    signs = np.where(np.sum(got * want, axis=0) < 0, -1.0, 1.0)
    return got * signs


def sinusoidal_table_reference(seq_len: int, d_model: int) -> np.ndarray:
    angles = np.arange(seq_len)[:, None] / 10000.0 ** (np.arange(0, d_model, 2) / d_model)
    return np.stack([np.sin(angles), np.cos(angles)], axis=-1).reshape(seq_len, d_model)


def toy_sequence(seed: int, vocab: int, d_model: int, seq_len: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    return rng.integers(0, vocab, seq_len), rng.standard_normal((vocab, d_model))


@given(n=dims(4, 24), d=dims(3, 16), seed=seeds(), dtype=float_dtypes())
@example(n=4, d=16, seed=0, dtype=np.float64)   # fewer points than dimensions: rank 3 after centring
@example(n=24, d=3, seed=1, dtype=np.float32)   # three dimensions: a rotation of the centred data
def test_pca_matches_sklearn_up_to_sign(kata, n, d, seed, dtype):
    x = (np.random.default_rng(seed).standard_normal((n, d)) * np.linspace(2.0, 0.5, d)).astype(dtype)
    assume(well_separated(x.astype(np.float64)))
    call = describe_call("pca_3d", x)
    coords, components, mean = call_unmodified(kata.pca_3d, x, fn_name="pca_3d")
    for name, part in (("coords", coords), ("components", components), ("mean", mean)):
        assert_dtype(part, np.float64, name=name, call=call)
    x = x.astype(np.float64)
    ref = PCA(n_components=3, svd_solver="full").fit(x)
    assert_shape(coords, (n, 3), name="coords", call=call)
    assert_shape(components, (3, d), name="components", call=call)
    assert_close(mean, ref.mean_, rtol=0, atol=TOL, name="mean", call=call)
    assert_close(sign_aligned(components.T, ref.components_.T).T, ref.components_, rtol=0, atol=TOL,
                 name="components (each up to sign)", call=call)
    assert_close(sign_aligned(coords, ref.transform(x)), ref.transform(x), rtol=0, atol=TOL,
                 name="coords (each column up to sign)", call=call)


@given(n=dims(4, 24), d=dims(3, 16), seed=seeds())
def test_pca_sign_convention_and_consistency(kata, n, d, seed):
    """Largest-|loading| positive per component, orthonormal rows, coords = (x - mean) @ components.T."""
    x = np.random.default_rng(seed).standard_normal((n, d)) * np.linspace(2.0, 0.5, d)
    assume(well_separated(x))
    call = describe_call("pca_3d", x)
    coords, components, mean = kata.pca_3d(x)
    components = np.asarray(components)
    biggest = components[np.arange(3), np.argmax(np.abs(components), axis=1)]
    if not np.all(biggest > 0):
        raise AssertionError(f"{call}: each component's entry of largest |value| should be positive (scikit-learn's "
                             f"sign convention, so the animation does not flip at random); got those entries {biggest}")
    assert_close(components @ components.T, np.eye(3), rtol=0, atol=1e-10, name="components @ components.T",
                 call=call)
    assert_close(coords, (x - mean) @ components.T, rtol=0, atol=1e-10, name="coords vs (x - mean) @ components.T",
                 call=call)


@given(d=dims(3, 6), seed=seeds())
@example(d=3, seed=0)
def test_pca_accepts_exactly_three_rows_and_columns(kata, d, seed):
    """n = 3 and d = 3 are allowed (n >= 3, d >= 3): three orthonormal components, consistent coords."""
    x = np.random.default_rng(seed).standard_normal((3, d))
    call = describe_call("pca_3d", x)
    coords, components, mean = kata.pca_3d(x)
    assert_shape(coords, (3, 3), name="coords", call=call)
    assert_shape(components, (3, d), name="components", call=call)
    assert_close(components @ components.T, np.eye(3), rtol=0, atol=1e-10, name="components @ components.T", call=call)
    assert_close(coords, (x - mean) @ components.T, rtol=0, atol=1e-10, name="coords", call=call)
    y = np.random.default_rng(seed).standard_normal((d + 2, 3))
    coords, components, _ = kata.pca_3d(y)
    assert_shape(components, (3, 3), name="components of a 3-column input", call=describe_call("pca_3d", y))


@given(shape=st.one_of(st.tuples(dims(0, 2), dims(3, 6)),            # fewer than three rows
                       st.tuples(dims(3, 6), dims(0, 2)),            # fewer than three columns
                       st.tuples(dims(3, 6)),                        # not 2-D
                       st.tuples(dims(3, 4), dims(3, 4), dims(1, 2))))
@example(shape=(2, 5))
@example(shape=(5, 2))
@example(shape=(6,))
def test_pca_rejects_too_small_or_not_2d(kata, shape):
    x = np.random.default_rng(0).standard_normal(shape)
    with pytest.raises(ValueError):
        kata.pca_3d(x)
        pytest.fail(f"pca_3d on an array of shape {x.shape} did not raise ValueError")


@given(vocab=dims(2, 6), d_model=even_dims(4, 12), seq_len=dims(2, 10), seed=seeds(), dtype=float_dtypes())
@example(vocab=2, d_model=4, seq_len=6, seed=0, dtype=np.float64)
@example(vocab=3, d_model=4, seq_len=5, seed=1, dtype=np.float32)   # float32 tables: the coordinates are float64
def test_encode_3d_shares_one_pca_frame(kata, vocab, d_model, seq_len, seed, dtype):
    token_ids, embedding = toy_sequence(seed, vocab, d_model, seq_len)
    pe = sinusoidal_table_reference(seq_len + 3, d_model)          # longer than needed: use the first T rows
    embedding, pe = embedding.astype(dtype).astype(np.float64), pe.astype(dtype).astype(np.float64)
    given_embedding, given_pe = embedding.astype(dtype), pe.astype(dtype)
    tokens = embedding[token_ids]
    stacked = np.vstack([tokens, tokens + pe[:seq_len]])
    assume(well_separated(stacked))
    call = describe_call("encode_3d", token_ids, embedding, pe)
    before, after = kata.encode_3d(token_ids, given_embedding, given_pe)
    assert_dtype(before, np.float64, name="before", call=call)
    assert_dtype(after, np.float64, name="after", call=call)
    assert_shape(before, (seq_len, 3), name="before", call=call)
    assert_shape(after, (seq_len, 3), name="after", call=call)
    want = PCA(n_components=3, svd_solver="full").fit_transform(stacked)
    got = sign_aligned(np.vstack([before, after]), want)   # one sign per axis, shared by both halves
    assert_close(got[:seq_len], want[:seq_len], rtol=0, atol=TOL, name="before (PCA of tokens and encoded together)",
                 call=call)
    assert_close(got[seq_len:], want[seq_len:], rtol=0, atol=TOL, name="after (PCA of tokens and encoded together)",
                 call=call)


@given(seq_len=dims(3, 10), seed=seeds())
def test_positions_separate_repeated_tokens(kata, seq_len, seed):
    """The same token at two positions: one point before encoding, two distinct points after."""
    rng = np.random.default_rng(seed)
    embedding = rng.standard_normal((2, 8))
    token_ids = np.zeros(seq_len, dtype=int)
    token_ids[rng.integers(0, seq_len)] = 1                        # one odd token out, so the PCA is not degenerate
    before, after = kata.encode_3d(token_ids, embedding, sinusoidal_table_reference(seq_len, 8))
    same = np.flatnonzero(token_ids == 0)
    call = describe_call("encode_3d", token_ids, embedding, "sinusoidal_table")
    assert_close(before[same], np.broadcast_to(before[same[0]], (len(same), 3)), rtol=0, atol=1e-10,
                 name="before-points of the repeated token", call=call)
    spread = np.max(np.linalg.norm(after[same] - after[same].mean(0), axis=1))
    if not spread > 1e-3:
        raise AssertionError(f"{call}: the repeated token's after-points should spread out (each gets its own position "
                             f"vector pe[t]); got spread {spread:.3g}")


def render_frames(anim: FuncAnimation) -> list[dict]:
    """Render every frame with Agg (PillowWriter) and record what the axes showed after each."""
    writer = PillowWriter(fps=5)
    seen: list[dict] = []

    def record(frame: int, total: int) -> None:
        axes = writer.fig.axes
        lines = [ln for ax in axes for ln in ax.get_lines() if ln.get_label() == "trajectory"]
        seen.append({"frame": frame, "total": total, "axes": axes, "titles": [ax.get_title() for ax in axes],
                     "trajectory": [np.array(ln.get_data_3d(), dtype=float).T for ln in lines]})

    try:
        with tempfile.TemporaryDirectory() as folder:
            anim.save(os.path.join(folder, "frames.gif"), writer=writer, dpi=20, progress_callback=record)
    finally:
        if getattr(writer, "fig", None) is not None:
            plt.close(writer.fig)
    return seen


@settings(max_examples=3)   # every frame is rendered (~25 ms each): keep the budget
@given(seq_len=dims(1, 5), seed=seeds(), flip=st.booleans())
@example(seq_len=1, seed=0, flip=False)
@example(seq_len=3, seed=1, flip=True)
def test_animation_adds_one_position_per_frame(kata, seq_len, seed, flip):
    rng = np.random.default_rng(seed)
    # Very different ranges per axis, so limits computed from the wrong axis cannot contain the points.
    # Disjoint ranges per axis (and, with flip, in the other order), so a limit taken from another axis
    # leaves points out whichever axis it is.
    scale, shift = np.array([1.0, 5.0, 25.0]), np.array([0.0, 1000.0, -1000.0]) * (-1 if flip else 1)
    before = rng.standard_normal((seq_len, 3)) * scale + shift
    after = rng.standard_normal((seq_len, 3)) * 3 * scale + shift
    call = describe_call("animate_positions", before, after)
    anim = kata.animate_positions(before, after, interval=250)
    assert isinstance(anim, FuncAnimation), f"{call} returned {type(anim).__name__}, expected a FuncAnimation"
    assert anim._interval == 250, f"{call}, interval=250 gave frames {anim._interval} ms apart, expected 250"
    frames = render_frames(anim)
    assert len(frames) == seq_len, f"{call} rendered {len(frames)} frames, expected one per position: {seq_len}"
    axes = frames[0]["axes"]
    assert len(axes) == 1 and axes[0].name == "3d", (
        f"{call}: expected exactly one 3-D axes, got {[ax.name for ax in axes]}")
    ax = axes[0]
    assert [ax.get_xlabel(), ax.get_ylabel(), ax.get_zlabel()] == ["PC1", "PC2", "PC3"], (
        f"{call}: axis labels {[ax.get_xlabel(), ax.get_ylabel(), ax.get_zlabel()]}, expected PC1, PC2, PC3")
    everything = np.vstack([before, after])
    for name, (low, high), column in zip("xyz", [ax.get_xlim(), ax.get_ylim(), ax.get_zlim()], everything.T,
                                         strict=True):
        assert low <= column.min() and column.max() <= high, (
            f"{call}: {name}-limits ({low:.3g}, {high:.3g}) do not contain every point "
            f"({column.min():.3g} .. {column.max():.3g})")
    for t, seen in enumerate(frames):
        assert len(seen["trajectory"]) == 1, (
            f"{call}, frame {t}: expected one line labelled 'trajectory', found {len(seen['trajectory'])}")
        assert_close(seen["trajectory"][0], after[: t + 1], rtol=0, atol=1e-12,
                     name=f"trajectory data at frame {t} (after[:{t + 1}])", call=call)
        assert f"position {t}" in seen["titles"][0], (
            f"{call}, frame {t}: title {seen['titles'][0]!r} should say 'position {t}'")
