"""Tests for prod-02-8, random and evolutionary architecture search over a cell space.

References: the documented random stream (random search and the initial population are replays of
sample_arch); chi-square uniformity (scipy.stats.chisquare) of the mutated slot and value; the
invariants of aging evolution (the population is the last population_size evaluations, each child
is a one-slot mutation of a current member, of the best member when the tournament is the whole
population); and evolution beating random search with the same budget on an additive benchmark.
"""
import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from scipy import stats

from grader.strategies import seeds
from grader.testing import assert_seeded

SPACES = st.lists(st.integers(1, 5), min_size=1, max_size=6)


def score_fn(seed: int, space: list[int]):
    table = [np.random.default_rng(seed + i).permutation(k * 10)[:k] / 10 for i, k in enumerate(space)]
    # additive in the slots, plus a tiny architecture-specific term so no two architectures tie
    return lambda arch: float(sum(t[a] for t, a in zip(table, arch, strict=True)) + 1e-9 * sum(a * 6 ** i for i, a in enumerate(arch)))


@given(space=SPACES, seed=seeds())
@example(space=[1, 2], seed=0)            # only one slot can change
def test_mutate_changes_one_slot(kata, space, seed):
    rng = np.random.default_rng(seed)
    if max(space) < 2:
        with pytest.raises(ValueError):
            kata.mutate(tuple(0 for _ in space), space, rng)
            pytest.fail(f"mutate over space {space} (no slot with two choices) returned instead of raising ValueError")
        return
    arch = kata.sample_arch(space, rng)
    child = tuple(kata.mutate(arch, space, rng))
    changed = [i for i in range(len(space)) if child[i] != arch[i]]
    assert len(changed) == 1, f"mutate({arch}, {space}) -> {child}: {len(changed)} slots changed, expected exactly 1"
    assert all(0 <= c < k for c, k in zip(child, space, strict=True)), f"mutate({arch}, {space}) -> {child}: a choice out of range"


@settings(max_examples=3)
@given(seed=seeds())
def test_mutate_is_uniform(kata, seed):
    rng = np.random.default_rng(seed)
    space, arch = [4, 1, 3], (2, 0, 0)
    slot_counts, value_counts = np.zeros(3), np.zeros(4)
    for _ in range(1500):
        child = kata.mutate(arch, space, rng)
        i = [j for j in range(3) if child[j] != arch[j]][0]
        slot_counts[i] += 1
        if i == 0:
            value_counts[child[0]] += 1
    p_slot = stats.chisquare(slot_counts[[0, 2]]).pvalue
    p_value = stats.chisquare(value_counts[[0, 1, 3]]).pvalue
    assert slot_counts[1] == 0, "mutate changed a slot with a single choice"
    assert value_counts[2] == 0, "mutate 'changed' slot 0 to the value it already had"
    assert p_slot > 1e-6 and p_value > 1e-6, (f"mutate((2, 0, 0), [4, 1, 3]) over 1500 draws: slots {slot_counts.tolist()}, "
                                              f"new values of slot 0 {value_counts.tolist()}: not uniform")


@given(space=SPACES, seed=seeds(), n=st.integers(1, 20))
def test_random_search_replays_the_stream(kata, space, seed, n):
    f = score_fn(seed, space)
    best, history = kata.random_search(space, f, n, seed=seed)
    rng = np.random.default_rng(seed)
    want = [(a, f(a)) for a in (kata.sample_arch(space, rng) for _ in range(n))]
    assert [(tuple(a), s) for a, s in history] == want, f"random_search({space}, f, {n}, seed={seed}): history differs from sample_arch's stream"
    first_best = max(want, key=lambda h: h[1])[0]
    assert tuple(best) == first_best, f"random_search returned {best}, the best evaluated is {first_best}"
    if n == 1:
        d_best, d_hist = kata.random_search(space, f, 1)
        assert [tuple(a) for a, _ in d_hist] == [kata.sample_arch(space, np.random.default_rng(0))], "seed defaults to 0"


def test_random_search_rejects_bad_inputs(kata):
    for args, why in [(([3, 2], 0), "n = 0"), (([], 3), "an empty space"), (([3, 0], 3), "a slot with no choice")]:
        with pytest.raises(ValueError):
            kata.random_search(args[0], lambda a: 0.0, args[1])
            pytest.fail(f"random_search with {why} returned instead of raising ValueError")


@given(space=SPACES.filter(lambda s: max(s) >= 2), seed=seeds(), pop=st.integers(1, 6), cycles=st.integers(0, 15),
       whole=st.booleans())
def test_evolution_invariants(kata, space, seed, pop, cycles, whole):
    f = score_fn(seed, space)
    sample_size = pop if whole else int(np.random.default_rng(seed).integers(1, pop + 1))
    call = f"regularized_evolution({space}, f, population_size={pop}, sample_size={sample_size}, cycles={cycles}, seed={seed})"
    best, history = kata.regularized_evolution(space, f, pop, sample_size, cycles, seed=seed)
    history = [(tuple(a), s) for a, s in history]
    assert len(history) == pop + cycles, f"{call}: {len(history)} evaluations, expected {pop + cycles}"
    rng = np.random.default_rng(seed)
    assert [a for a, _ in history[:pop]] == [kata.sample_arch(space, rng) for _ in range(pop)], f"{call}: the initial population is not sample_arch's stream"
    assert all(s == f(a) for a, s in history), f"{call}: a recorded score is not evaluate(arch)"
    for t in range(cycles):
        population = history[t: t + pop]                  # the oldest were removed: the last pop evaluations
        child = history[pop + t][0]
        parents = [a for a, _ in population if sum(x != y for x, y in zip(a, child, strict=True)) == 1]
        assert parents, f"{call}: child {child} of cycle {t} is not a one-slot mutation of the current population {population}"
        if whole:                                          # tournament = everyone: the parent is the best member
            top = max(population, key=lambda m: m[1])[0]
            assert top in parents, f"{call}: cycle {t}: with sample_size = population_size the parent must be the best {top}"
    assert tuple(best) == max(history, key=lambda h: h[1])[0], f"{call}: returned {best}, not the best ever evaluated"


@settings(max_examples=2)
@given(seed=seeds())
def test_evolution_beats_random_search(kata, seed):
    space = [5] * 10
    f = score_fn(seed, space)
    evo = [max(s for _, s in kata.regularized_evolution(space, f, 20, 5, 130, seed=seed + r)[1]) for r in range(6)]
    rand = [max(s for _, s in kata.random_search(space, f, 150, seed=seed + r)[1]) for r in range(6)]
    assert np.mean(evo) > np.mean(rand), f"150 evaluations on an additive benchmark: evolution {np.mean(evo):.3f}, random {np.mean(rand):.3f}"


@given(seed=seeds())
def test_evolution_is_seeded_and_defaults(kata, seed):
    space = [3, 3, 3]
    f = score_fn(1, space)
    assert_seeded(lambda s: [a for a, _ in kata.regularized_evolution(space, f, 4, 2, 6, seed=s)[1]], seed, name="history")
    _, h = kata.regularized_evolution(space, f, 3, 2, 0)
    rng = np.random.default_rng(0)
    assert [tuple(a) for a, _ in h] == [kata.sample_arch(space, rng) for _ in range(3)], "seed defaults to 0"


def test_evolution_rejects_bad_inputs(kata):
    for args, why in [((0, 1, 3), "population_size = 0"), ((3, 0, 3), "sample_size = 0"), ((3, 0, 0), "sample_size = 0 and no cycles"), ((3, 4, 3), "sample_size > population_size"),
                      ((3, 2, -1), "cycles = -1")]:
        with pytest.raises(ValueError):
            kata.regularized_evolution([3, 3], lambda a: 0.0, *args)
            pytest.fail(f"regularized_evolution with {why} returned instead of raising ValueError")
