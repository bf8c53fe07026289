"""Reference solution for found-03-10."""
from __future__ import annotations

import itertools
import string

import numpy as np

Parents = dict[str, list[str]]
CPTs = dict[str, np.ndarray]


def check_query(parents: Parents, query: str, evidence: dict[str, int]) -> None:
    """ValueError if query or an evidence variable is not a node, or the query is also evidence."""
    if query not in parents or any(v not in parents for v in evidence) or query in evidence:
        raise ValueError(f"bad query {query!r} with evidence {evidence!r}")


def multiply_factors(f: tuple[list[str], np.ndarray], g: tuple[list[str], np.ndarray]) -> tuple[list[str], np.ndarray]:
    """The product of two factors (variable names, table with one axis of size 2 per name), over the union."""
    names = list(dict.fromkeys(f[0] + g[0]))
    letter = {n: string.ascii_letters[i] for i, n in enumerate(names)}
    spec = f"{''.join(letter[n] for n in f[0])},{''.join(letter[n] for n in g[0])}->{''.join(letter[n] for n in names)}"
    return names, np.einsum(spec, f[1], g[1])


def joint_probability(parents: Parents, cpts: CPTs, assignment: dict[str, int]) -> float:
    p = 1.0
    for node, pa in parents.items():
        p *= float(cpts[node][tuple(assignment[q] for q in pa) + (assignment[node],)])
    return p


def query_enumeration(parents: Parents, cpts: CPTs, query: str, evidence: dict[str, int]) -> np.ndarray:
    check_query(parents, query, evidence)
    hidden = [n for n in parents if n != query and n not in evidence]
    out = np.zeros(2)
    for q in (0, 1):
        for values in itertools.product((0, 1), repeat=len(hidden)):
            assignment = {**evidence, query: q, **dict(zip(hidden, values, strict=True))}
            out[q] += joint_probability(parents, cpts, assignment)
    return out / out.sum()


def query_variable_elimination(parents: Parents, cpts: CPTs, query: str, evidence: dict[str, int]) -> np.ndarray:
    check_query(parents, query, evidence)
    factors = []
    for node, pa in parents.items():
        names, table = [*pa, node], np.asarray(cpts[node])
        for var, val in evidence.items():
            if var in names:
                axis = names.index(var)
                table = np.take(table, val, axis=axis)
                names = names[:axis] + names[axis + 1:]
        factors.append((names, table))
    for var in sorted(n for n in parents if n != query and n not in evidence):
        touching = [f for f in factors if var in f[0]]
        factors = [f for f in factors if var not in f[0]]
        if not touching:
            continue
        prod = touching[0]
        for f in touching[1:]:
            prod = multiply_factors(prod, f)
        axis = prod[0].index(var)
        factors.append((prod[0][:axis] + prod[0][axis + 1:], prod[1].sum(axis=axis)))
    result: tuple[list[str], np.ndarray] = ([], np.array(1.0))
    for f in factors:
        result = multiply_factors(result, f)
    return result[1] / result[1].sum()  # only factors over [query] (or constants) are left


def d_separated(parents: Parents, xs: set[str], ys: set[str], zs: set[str]) -> bool:
    xs, ys, zs = set(xs), set(ys), set(zs)
    if not xs or not ys or xs & ys or xs & zs or ys & zs or not (xs | ys | zs) <= set(parents):
        raise ValueError("xs, ys, zs must be non-empty (xs, ys), disjoint sets of nodes")
    keep, stack = set(), list(xs | ys | zs)
    while stack:  # the ancestral set
        n = stack.pop()
        if n not in keep:
            keep.add(n)
            stack.extend(parents[n])
    adj: dict[str, set[str]] = {n: set() for n in keep}
    for n in keep:  # moralise: link each node to its parents, and the parents to each other
        pa = parents[n]
        for p in pa:
            adj[n].add(p)
            adj[p].add(n)
        for p, q in itertools.combinations(pa, 2):
            adj[p].add(q)
            adj[q].add(p)
    seen, stack = set(xs), list(xs)
    while stack:
        n = stack.pop()
        for m in adj[n] - zs:
            if m in ys:
                return False
            if m not in seen:
                seen.add(m)
                stack.append(m)
    return True
