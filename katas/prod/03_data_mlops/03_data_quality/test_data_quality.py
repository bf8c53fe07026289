"""Tests for prod-03-3, data-quality checks for transforms.

References: a row-by-row brute force that walks the frame in plain Python (missing and wrong-kind
columns, nulls, inclusive bounds, allowed sets, strict mode) on randomly broken frames and schemas;
hand-built transforms for the three quality gates (bad input, a transform that mutates its input,
bad output).
"""
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import seeds


def frame(seed: int, n: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    age = rng.integers(-5, 120, n)
    score = np.round(rng.uniform(-0.2, 1.2, n), 2)
    score[rng.random(n) < 0.2] = np.nan
    country = np.array(rng.choice(["FR", "DE", "US", "XX"], n), dtype=object)
    country[rng.random(n) < 0.15] = None
    return pd.DataFrame({"age": age, "score": score, "country": country, "flag": rng.random(n) < 0.5},
                        index=rng.permutation(np.arange(100, 100 + n)))


def is_null(v: object) -> bool:
    return v is None or (isinstance(v, float) and math.isnan(v))


def brute_force(kata, df: pd.DataFrame, schema: list, strict: bool) -> list:
    out = []
    for col in schema:
        if col.name not in df.columns:
            out.append(kata.Violation(col.name, "missing_column"))
            continue
        if kata.dtype_kind(df[col.name]) != col.kind:
            out.append(kata.Violation(col.name, "kind"))
            continue
        cells = list(zip(df.index, df[col.name].tolist(), strict=True))
        checks = [("null", lambda v, c=col: is_null(v), not col.nullable),
                  ("min", lambda v, c=col: not is_null(v) and v < c.min, col.min is not None),
                  ("max", lambda v, c=col: not is_null(v) and v > c.max, col.max is not None),
                  ("allowed", lambda v, c=col: not is_null(v) and v not in c.allowed, col.allowed is not None)]
        for name, failing, active in checks:
            rows = tuple(i for i, v in cells if active and failing(v))
            if rows:
                out.append(kata.Violation(col.name, name, rows))
    if strict:
        out += [kata.Violation(c, "unexpected_column") for c in df.columns if c not in {s.name for s in schema}]
    return out


@st.composite
def schemas(draw: st.DrawFn, kata) -> list:
    options = {
        "age": [kata.Column("age", "int", min=draw(st.sampled_from([None, 0, 18])), max=draw(st.sampled_from([None, 99, 119]))),
                kata.Column("age", "float", min=0.0)],       # the wrong kind: no value checks
        "score": [kata.Column("score", "float", nullable=draw(st.booleans()), min=draw(st.sampled_from([None, 0.0])),
                              max=draw(st.sampled_from([None, 1.0])))],
        "country": [kata.Column("country", "str", nullable=draw(st.booleans()),
                                allowed=draw(st.sampled_from([None, frozenset({"FR", "DE", "US"})])))],
        "flag": [kata.Column("flag", "bool")],
        "missing": [kata.Column("user_id", "int")],
    }
    names = draw(st.lists(st.sampled_from(list(options)), min_size=1, max_size=5, unique=True))
    return [draw(st.sampled_from(options[n])) for n in names]


@given(data=st.data(), seed=seeds(), n=st.integers(0, 15), strict=st.booleans())
def test_validate_matches_brute_force(kata, data, seed, n, strict):
    df = frame(seed, n)
    if data.draw(st.booleans()):
        df = df.drop(columns=data.draw(st.sampled_from(["flag", "country"])))
    schema = data.draw(schemas(kata))
    before = df.copy(deep=True)
    got = kata.validate(df, schema, strict=strict)
    want = brute_force(kata, df, schema, strict)
    assert list(got) == want, f"validate(<{n} rows, columns {list(df.columns)}>, {schema}, strict={strict}):\n  got  {got}\n  want {want}"
    assert df.equals(before), "validate modified its input frame"


def test_validate_bounds_are_inclusive_and_nulls_are_not_range_errors(kata):
    df = pd.DataFrame({"x": [0.0, 1.0, np.nan, 0.5], "c": ["a", None, "b", "a"]}, index=[10, 11, 12, 13])
    schema = [kata.Column("x", "float", nullable=True, min=0.0, max=1.0), kata.Column("c", "str", nullable=True, allowed=frozenset({"a", "b"}))]
    got = kata.validate(df, schema)
    assert list(got) == [], f"values equal to min or max, and nulls in nullable columns, are valid; got {got}"
    got = kata.validate(df, [kata.Column("x", "float", min=0.0, max=1.0)])
    assert list(got) == [kata.Violation("x", "null", (12,))], f"a null in a non-nullable column: only a null violation, got {got}"


def test_validate_default_is_not_strict(kata):
    df = pd.DataFrame({"x": [1, 2], "extra": [3, 4]})
    assert list(kata.validate(df, [kata.Column("x", "int")])) == [], "strict defaults to False: extra columns are fine"
    got = kata.validate(df, [kata.Column("x", "int")], strict=True)
    assert list(got) == [kata.Violation("extra", "unexpected_column")], f"strict=True: got {got}"


def add_ratio(df: pd.DataFrame) -> pd.DataFrame:
    return df.assign(ratio=df["score"] / 2)


IN = lambda kata: [kata.Column("age", "int", min=0), kata.Column("score", "float", nullable=True)]  # noqa: E731
OUT = lambda kata: [kata.Column("age", "int", min=0), kata.Column("score", "float", nullable=True),  # noqa: E731
                    kata.Column("ratio", "float", nullable=True, max=0.5)]


@given(seed=seeds(), n=st.integers(1, 10))
@example(seed=0, n=1)
def test_checked_transform_passes_good_data(kata, seed, n):
    df = frame(seed, n)[["age", "score"]].assign(age=lambda d: d["age"].abs(), score=lambda d: d["score"].clip(0, 1))
    got = kata.checked_transform(add_ratio, df, IN(kata), OUT(kata))
    pd.testing.assert_frame_equal(got, add_ratio(df))


def test_checked_transform_input_gate(kata):
    calls = []
    df = pd.DataFrame({"age": [3, -1], "score": [0.5, 0.1]})
    with pytest.raises(kata.DataQualityError) as err:
        kata.checked_transform(lambda d: calls.append(1) or add_ratio(d), df, IN(kata), OUT(kata))
    assert err.value.stage == "input" and list(err.value.violations) == [kata.Violation("age", "min", (1,))], (
        f"bad input: expected stage 'input' with [age min (1,)], got {err.value.stage!r} {err.value.violations}")
    assert not calls, "the transform ran on invalid input"
    assert isinstance(err.value, ValueError), "DataQualityError should stay a ValueError"


def test_checked_transform_mutation_gate(kata):
    def sneaky(d: pd.DataFrame) -> pd.DataFrame:
        d["score"] = d["score"].fillna(0.0)          # in place: the caller's frame changes
        return add_ratio(d)

    df = pd.DataFrame({"age": [3, 4], "score": [0.5, np.nan]})
    with pytest.raises(kata.DataQualityError) as err:
        kata.checked_transform(sneaky, df, IN(kata), OUT(kata))
    assert err.value.stage == "mutation" and list(err.value.violations) == [kata.Violation("*", "input_modified")], (
        f"a transform that edits its input: expected stage 'mutation', got {err.value.stage!r} {err.value.violations}")


def test_checked_transform_output_gate(kata):
    df = pd.DataFrame({"age": [3, 4], "score": [0.5, 1.0]})
    with pytest.raises(kata.DataQualityError) as err:
        kata.checked_transform(lambda d: add_ratio(d).assign(debug=1), df, IN(kata), OUT(kata))
    assert err.value.stage == "output" and list(err.value.violations) == [kata.Violation("debug", "unexpected_column")], (
        f"output with an extra column: expected stage 'output' [debug unexpected_column], got {err.value.stage!r} {err.value.violations}")
    with pytest.raises(kata.DataQualityError) as err:
        kata.checked_transform(lambda d: d.assign(ratio=d["score"]), df, IN(kata), OUT(kata))
    assert err.value.stage == "output" and list(err.value.violations) == [kata.Violation("ratio", "max", (1,))], (
        f"output out of range: expected stage 'output' [ratio max (1,)], got {err.value.stage!r} {err.value.violations}")


def test_wrong_kind_skips_value_checks(kata):
    df = pd.DataFrame({"age": [-3, 40, None]}, dtype=object)
    got = kata.validate(df, [kata.Column("age", "int", min=0)])
    assert list(got) == [kata.Violation("age", "kind")], f"an object column declared int: only a kind violation, got {got}"
