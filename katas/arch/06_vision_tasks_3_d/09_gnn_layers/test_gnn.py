"""Tests for arch-06-9, GCN, GraphSAGE and GAT layers.

References: random graphs from networkx (G(n, p), stars, paths, graphs with isolated nodes,
directed graphs for GAT and SAGE), turned into adjacency matrices with nx.to_numpy_array; each
layer's equation evaluated node by node with loops over networkx neighbourhoods in float64 numpy.
"""
import math

import networkx as nx
import numpy as np
import torch
from hypothesis import example, given, settings
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, call_unmodified, describe_call


@st.composite
def graphs(draw: st.DrawFn, directed: bool = False) -> nx.Graph:
    n = draw(st.integers(1, 8))
    kind = draw(st.sampled_from(["gnp", "star", "path", "empty"]))
    seed = draw(seeds())
    if kind == "gnp":
        g = nx.gnp_random_graph(n, draw(st.sampled_from([0.2, 0.5, 0.9])), seed=seed, directed=directed)
    elif kind == "star":
        g = nx.star_graph(n - 1) if n > 1 else nx.empty_graph(1)
    elif kind == "path":
        g = nx.path_graph(n)
    else:
        g = nx.empty_graph(n)                # every node isolated
    return g.to_directed() if directed and not g.is_directed() else g


ADJ_DTYPES = [torch.float64, torch.float32, torch.bool, torch.int64]


def tensors(g: nx.Graph, f_in: int, f_out: int, seed: int, n_weights: int = 1) -> tuple:
    gen = torch.Generator().manual_seed(seed)
    n = g.number_of_nodes()
    adj = torch.from_numpy(nx.to_numpy_array(g, nodelist=range(n))).to(ADJ_DTYPES[seed % 4])   # any 0/1 dtype
    x = torch.randn(n, f_in, generator=gen, dtype=torch.float64)
    ws = [torch.randn(f_in, f_out, generator=gen, dtype=torch.float64) for _ in range(n_weights)]
    return adj, x, ws, gen


@given(g=graphs(), f_in=st.integers(1, 4), f_out=st.integers(1, 4), seed=seeds())
@example(g=nx.empty_graph(3), f_in=2, f_out=2, seed=0)     # no edges: each node keeps itself, degree 1
def test_gcn_matches_node_by_node(kata, g, f_in, f_out, seed):
    adj, x, (w,), _ = tensors(g, f_in, f_out, seed)
    call = describe_call("gcn_layer", x, adj, w)
    got = call_unmodified(kata.gcn_layer, x, adj, w, fn_name="gcn_layer")
    xw = (x @ w).numpy()
    deg = {i: g.degree(i) + 1 for i in g.nodes}
    want = np.stack([sum(xw[j] / math.sqrt(deg[i] * deg[j]) for j in [i, *g.neighbors(i)]) for i in range(len(xw))])
    assert_close(got, want, rtol=1e-10, atol=1e-12, name="GCN output", call=call)


@given(g=graphs(directed=True), f_in=st.integers(1, 4), f_out=st.integers(1, 4), seed=seeds())
@example(g=nx.DiGraph([(0, 1), (0, 2), (1, 1)]), f_in=2, f_out=3, seed=0)   # out-neighbours, a self-loop, a sink
def test_sage_matches_node_by_node(kata, g, f_in, f_out, seed):
    adj, x, (w_self, w_neigh), _ = tensors(g, f_in, f_out, seed, n_weights=2)
    call = describe_call("sage_layer", x, adj, w_self, w_neigh)
    got = call_unmodified(kata.sage_layer, x, adj, w_self, w_neigh, fn_name="sage_layer")
    xs, xn = (x @ w_self).numpy(), (x @ w_neigh).numpy()
    want = []
    for i in range(len(xs)):
        nbrs = list(g.successors(i)) if g.is_directed() else list(g.neighbors(i))
        want.append(xs[i] + (np.mean([xn[j] for j in nbrs], axis=0) if nbrs else 0.0))
    assert_close(got, np.stack(want), rtol=1e-10, atol=1e-12, name="GraphSAGE-mean output", call=call)


def gat_reference(g: nx.Graph, x: torch.Tensor, w: torch.Tensor, a_src: torch.Tensor, a_dst: torch.Tensor,
                  slope: float) -> np.ndarray:
    h = (x @ w).numpy()
    out = []
    for i in range(len(h)):
        nbrs = list(g.successors(i)) if g.is_directed() else list(g.neighbors(i))
        js = sorted({i, *nbrs})
        e = np.array([float(a_dst @ torch.from_numpy(h[i]) + a_src @ torch.from_numpy(h[j])) for j in js])
        e = np.where(e > 0, e, slope * e)
        a = np.exp(e - e.max())
        a /= a.sum()
        out.append(sum(a[k] * h[j] for k, j in enumerate(js)))
    return np.stack(out)


@given(g=graphs(directed=True), f_in=st.integers(1, 4), f_out=st.integers(1, 4), seed=seeds(),
       slope=st.sampled_from([0.2, 0.01, 0.5]))
@example(g=nx.DiGraph([(0, 1)]), f_in=2, f_out=2, seed=3, slope=0.2)   # node 1 attends only to itself
def test_gat_matches_node_by_node(kata, g, f_in, f_out, seed, slope):
    adj, x, (w,), gen = tensors(g, f_in, f_out, seed)
    a_src = torch.randn(f_out, generator=gen, dtype=torch.float64) * 2
    a_dst = torch.randn(f_out, generator=gen, dtype=torch.float64) * 2
    call = describe_call("gat_layer", x, adj, w, a_src, a_dst, negative_slope=slope)
    got = call_unmodified(kata.gat_layer, x, adj, w, a_src, a_dst, negative_slope=slope, fn_name="gat_layer")
    assert_close(got, gat_reference(g, x, w, a_src, a_dst, slope), rtol=1e-10, atol=1e-12, name="GAT output",
                 call=call)


@settings(max_examples=10)
@given(g=graphs(), seed=seeds())
def test_gat_default_slope_is_one_fifth(kata, g, seed):
    adj, x, (w,), gen = tensors(g, 3, 3, seed)
    a_src = torch.randn(3, generator=gen, dtype=torch.float64) * 3
    a_dst = torch.randn(3, generator=gen, dtype=torch.float64) * 3
    assert_close(kata.gat_layer(x, adj, w, a_src, a_dst), gat_reference(g, x, w, a_src, a_dst, 0.2), rtol=1e-10,
                 atol=1e-12, name="GAT output with the default negative_slope 0.2",
                 call=describe_call("gat_layer", x, adj, w, a_src, a_dst))


@settings(max_examples=10)
@given(g=graphs(), seed=seeds(), layer=st.sampled_from(["gcn", "sage", "gat"]))
def test_layers_are_permutation_equivariant(kata, g, seed, layer):
    adj, x, (w, w2), gen = tensors(g, 3, 2, seed, n_weights=2)
    a = torch.randn(2, generator=gen, dtype=torch.float64)
    perm = torch.randperm(len(x), generator=gen)

    def run(xx: torch.Tensor, aa: torch.Tensor) -> torch.Tensor:
        if layer == "gcn":
            return kata.gcn_layer(xx, aa, w)
        if layer == "sage":
            return kata.sage_layer(xx, aa, w, w2)
        return kata.gat_layer(xx, aa, w, a, -a)

    assert_close(run(x[perm], adj[perm][:, perm]), run(x, adj)[perm], rtol=1e-10, atol=1e-12,
                 name=f"{layer} output on the relabelled graph (expected the relabelled output)",
                 call=f"{layer}_layer(x[perm], adj[perm][:, perm], ...)")
