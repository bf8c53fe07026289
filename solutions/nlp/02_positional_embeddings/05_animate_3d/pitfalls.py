"""Plausible wrong versions of the 3-D projection and animation that the tests must reject."""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from matplotlib.animation import FuncAnimation

from grader.pitfalls import pitfall

if TYPE_CHECKING:  # names borrowed from the solution this file runs inside
    from animate_3d import animate_positions, pca_3d


def _signs(components: np.ndarray) -> np.ndarray:
    biggest = np.argmax(np.abs(components), axis=1)
    return components * np.sign(components[np.arange(len(components)), biggest])[:, None]


@pitfall(replaces="pca_3d", why="forgets to centre: the first component points at the mean")
def uncentred(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or min(x.shape) < 3:
        raise ValueError("shape")
    components = _signs(np.linalg.svd(x, full_matrices=False)[2][:3])
    return x @ components.T, components, np.zeros(x.shape[1])


@pitfall(replaces="pca_3d", why="uses U[:, :3] as the coordinates: whitened, the singular values are missing")
def coords_without_singular_values(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or min(x.shape) < 3:
        raise ValueError("shape")
    mean = x.mean(0)
    u, _, vt = np.linalg.svd(x - mean, full_matrices=False)
    signs = np.sign(vt[np.arange(3), np.argmax(np.abs(vt[:3]), axis=1)])
    return u[:, :3] * signs, vt[:3] * signs[:, None], mean


@pitfall(replaces="pca_3d", why="reads numpy's third SVD output as V, not V^T: projects on columns of Vt")
def columns_of_vt(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or min(x.shape) < 3:
        raise ValueError("shape")
    mean = x.mean(0)
    v = np.linalg.svd(x - mean, full_matrices=True)[2]       # (d, d), but this is V^T, not V
    components = _signs(v[:, :3].T)
    return (x - mean) @ components.T, components, mean


@pitfall(replaces="pca_3d", why="keeps LAPACK's arbitrary signs: the picture can mirror from one run to the next")
def no_sign_convention(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=np.float64)
    if x.ndim != 2 or min(x.shape) < 3:
        raise ValueError("shape")
    mean = x.mean(0)
    components = np.linalg.svd(x - mean, full_matrices=False)[2][:3]
    return (x - mean) @ components.T, components, mean


@pitfall(replaces="encode_3d", why="fits one PCA for the tokens and another for the encoded tokens: two unrelated frames")
def separate_fits(token_ids: np.ndarray, embedding: np.ndarray, pe: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    tokens = np.asarray(embedding, dtype=np.float64)[np.asarray(token_ids)]
    encoded = tokens + np.asarray(pe, dtype=np.float64)[: len(token_ids)]
    return pca_3d(tokens)[0], pca_3d(encoded)[0]


@pitfall(replaces="encode_3d", why="indexes the position table with the token ids: pe[token_ids] instead of pe[:T]")
def pe_indexed_by_token(token_ids: np.ndarray, embedding: np.ndarray, pe: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    token_ids = np.asarray(token_ids)
    tokens = np.asarray(embedding, dtype=np.float64)[token_ids]
    coords = pca_3d(np.vstack([tokens, tokens + np.asarray(pe, dtype=np.float64)[token_ids]]))[0]
    return coords[: len(token_ids)], coords[len(token_ids):]


_solution_animate = animate_positions


@pitfall(replaces="animate_positions", why="frame t shows after[:t] (off by one): the first frame is empty, the last point never appears")
def trajectory_off_by_one(before: np.ndarray, after: np.ndarray, labels: object = None,
                          interval: int = 600) -> FuncAnimation:
    after = np.asarray(after, dtype=np.float64)
    anim = _solution_animate(before, after, labels, interval)
    update = anim._func

    def shifted(t: int) -> list:
        artists = update(t)
        artists[0].set_data_3d(after[:t, 0], after[:t, 1], after[:t, 2])
        return artists

    anim._func = shifted
    return anim


@pitfall(replaces="animate_positions", why="frames=range(1, T): one frame short, position 0 is never shown on its own")
def one_frame_short(before: np.ndarray, after: np.ndarray, labels: object = None,
                    interval: int = 600) -> FuncAnimation:
    anim = _solution_animate(before, after, labels, interval)
    update = anim._func
    return FuncAnimation(anim._fig, update, frames=range(1, len(after)), interval=interval)


@pitfall(replaces="pca_3d", why="centres the caller's array in place (x -= mean)")
def centres_in_place(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if x.ndim != 2 or x.shape[0] < 3 or x.shape[1] < 3:
        raise ValueError("need an (n, d) array with n, d >= 3")
    mean = x.mean(axis=0)
    x -= mean
    _, _, vt = np.linalg.svd(x.astype(np.float64), full_matrices=False)
    components = vt[:3] * np.sign(vt[np.arange(3), np.argmax(np.abs(vt[:3]), axis=1)])[:, None]
    return x.astype(np.float64) @ components.T, components, mean.astype(np.float64)


@pitfall(replaces="pca_3d", why="checks only the number of rows: 2 columns give 2 components instead of a ValueError")
def checks_rows_only(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = np.asarray(x, dtype=np.float64)
    if x.shape[0] < 3:
        raise ValueError("need at least 3 rows")
    mean = x.mean(axis=0)
    _, _, vt = np.linalg.svd(x - mean, full_matrices=False)
    k = min(3, vt.shape[0])
    components = vt[:k] * np.sign(vt[np.arange(k), np.argmax(np.abs(vt[:k]), axis=1)])[:, None]
    return (x - mean) @ components.T, components, mean


@pitfall(replaces="pca_3d", why="keeps the input dtype: float32 data gives float32 coords and components")
def keeps_float32(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    if x.ndim != 2 or x.shape[0] < 3 or x.shape[1] < 3:
        raise ValueError("need an (n, d) array with n, d >= 3")
    mean = x.mean(axis=0)
    _, _, vt = np.linalg.svd(x - mean, full_matrices=False)
    components = vt[:3] * np.sign(vt[np.arange(3), np.argmax(np.abs(vt[:3]), axis=1)])[:, None]
    return (x - mean) @ components.T, components, mean
