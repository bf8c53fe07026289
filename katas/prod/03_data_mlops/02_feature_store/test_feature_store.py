"""Tests for prod-03-2, a feature store with point-in-time-correct joins.

References: pandas.merge_asof(by="entity", direction="backward", allow_exact_matches=True,
tolerance=...) on stably sorted copies; a brute-force running count and mean per entity for the
ETL; and the end-to-end leakage check: joined features equal statistics of only the transactions
at or before each event.
"""
import numpy as np
import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from grader.strategies import seeds
from grader.testing import assert_close, assert_equal, describe_call


@st.composite
def transactions(draw: st.DrawFn) -> pd.DataFrame:
    rng = np.random.default_rng(draw(seeds()))
    n = draw(st.integers(1, 25))
    return pd.DataFrame({"entity": rng.choice(["a", "b", "c"][: draw(st.integers(1, 3))], n),
                         "ts": rng.integers(0, 12, n).astype(np.float64),       # repeated times on purpose
                         "amount": np.round(rng.exponential(20.0, n), 2), "note": ["x"] * n})


@st.composite
def events(draw: st.DrawFn) -> pd.DataFrame:
    rng = np.random.default_rng(draw(seeds()))
    n = draw(st.integers(1, 10))
    return pd.DataFrame({"entity": rng.choice(["a", "b", "c", "d"], n), "ts": rng.integers(-1, 14, n).astype(np.float64),
                         "label": rng.integers(0, 2, n)})


def asof_reference(ev: pd.DataFrame, feats: pd.DataFrame, tolerance: float | None) -> pd.DataFrame:
    left = ev.reset_index(drop=True).assign(_row=np.arange(len(ev))).sort_values("ts", kind="stable")
    right = feats.assign(feature_ts=feats["ts"].astype(float)).sort_values("ts", kind="stable")
    merged = pd.merge_asof(left, right, on="ts", by="entity", direction="backward", allow_exact_matches=True,
                           tolerance=tolerance)
    merged = merged.sort_values("_row").drop(columns="_row").reset_index(drop=True)
    cols = list(ev.columns) + ["feature_ts"] + [c for c in feats.columns if c not in ("entity", "ts")]
    return merged[cols]


def check_frame(got: pd.DataFrame, want: pd.DataFrame, call: str) -> None:
    assert list(got.columns) == list(want.columns), f"{call}: columns {list(got.columns)}, expected {list(want.columns)}"
    assert len(got) == len(want), f"{call}: {len(got)} rows, expected {len(want)} (one per event)"
    for c in want.columns:
        g, w = got[c].to_numpy(), want[c].to_numpy()
        if w.dtype.kind in "fiu":
            assert_close(g.astype(np.float64), w.astype(np.float64), rtol=1e-12, atol=1e-12, name=f"column {c}", call=call)
        else:
            assert_equal(g.astype(str), w.astype(str), name=f"column {c}", call=call)


def feature_table(draw_seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(draw_seed)
    n = 15
    return pd.DataFrame({"entity": rng.choice(["a", "b", "c"], n), "ts": rng.integers(0, 12, n).astype(np.float64),
                         "f1": rng.standard_normal(n), "f2": rng.integers(0, 100, n).astype(np.float64)})


@given(ev=events(), seed=seeds(), tolerance=st.sampled_from([None, 0.0, 2.0]))
@example(ev=pd.DataFrame({"entity": ["a", "a"], "ts": [5.0, 4.0], "label": [1, 0]}), seed=0, tolerance=None)
def test_join_matches_merge_asof(kata, ev, seed, tolerance):
    feats = feature_table(seed)
    feats.loc[0, ["entity", "ts"]] = ["a", 5.0]            # an event exactly at a feature's time: it counts
    feats.loc[1, ["entity", "ts"]] = ["a", 5.0]            # and a tie at that time: the later row wins
    ev_before, feats_before = ev.copy(), feats.copy()
    call = describe_call("point_in_time_join", ev, feats, tolerance=tolerance)
    got = kata.point_in_time_join(ev, feats, tolerance=tolerance)
    check_frame(got, asof_reference(ev, feats, tolerance), call)
    assert ev.equals(ev_before) and feats.equals(feats_before), f"{call} modified its input frames"
    ft = got["feature_ts"].to_numpy(dtype=np.float64)
    ok = np.isnan(ft) | (ft <= ev["ts"].to_numpy())
    assert ok.all(), f"{call}: feature rows from the future joined at events {np.flatnonzero(~ok).tolist()}"


@given(ev=events(), seed=seeds())
def test_join_default_has_no_tolerance(kata, ev, seed):
    feats = feature_table(seed)
    check_frame(kata.point_in_time_join(ev, feats), asof_reference(ev, feats, None),
                describe_call("point_in_time_join", ev, feats))


def running_reference(t: pd.DataFrame) -> pd.DataFrame:
    rows = []
    order = t.sort_values(["entity", "ts"], kind="stable")
    seen: dict[str, list[float]] = {}
    for e, ts, amount in zip(order["entity"], order["ts"], order["amount"], strict=True):
        seen.setdefault(e, []).append(amount)
        rows.append((e, ts, len(seen[e]), float(np.mean(seen[e]))))
    return pd.DataFrame(rows, columns=["entity", "ts", "txn_count", "amount_mean"])


@given(t=transactions())
@example(t=pd.DataFrame({"entity": ["b", "a", "a"], "ts": [1.0, 2.0, 2.0], "amount": [5.0, 1.0, 3.0]}))
def test_build_features(kata, t):
    before = t.copy()
    call = describe_call("build_features", t)
    got = kata.build_features(t)
    check_frame(got.reset_index(drop=True), running_reference(t), call)
    assert list(got.index) == list(range(len(t))), f"{call}: index {list(got.index)[:5]}..., expected 0..n-1"
    assert t.equals(before), f"{call} modified its input frame"


@given(t=transactions(), ev=events())
def test_pipeline_uses_no_future_transactions(kata, t, ev):
    joined = kata.point_in_time_join(ev, kata.build_features(t))
    for i, (e, ts) in enumerate(zip(ev["entity"], ev["ts"], strict=True)):
        past = t[(t["entity"] == e) & (t["ts"] <= ts)]["amount"]
        want_count = float(len(past)) if len(past) else np.nan
        want_mean = float(past.mean()) if len(past) else np.nan
        call = f"point_in_time_join(events, build_features(transactions)) at event {i} (entity {e!r}, ts {ts})"
        assert_close(np.array([joined["txn_count"].iloc[i], joined["amount_mean"].iloc[i]], dtype=np.float64),
                     np.array([want_count, want_mean]), rtol=1e-9, atol=1e-9, name="(txn_count, amount_mean)", call=call)


def test_rejects_bad_inputs(kata):
    t = pd.DataFrame({"entity": ["a"], "ts": [1.0], "amount": [2.0]})
    with pytest.raises(ValueError):
        kata.build_features(t.drop(columns="amount"))
        pytest.fail("build_features without an amount column returned instead of raising ValueError")
    for ev, feats, kwargs, why in [(t.drop(columns="ts"), t, {}, "events without ts"), (t, t.drop(columns="entity"), {}, "features without entity"),
                                   (t.drop(columns="entity"), t, {}, "events without entity"), (t, t.drop(columns="ts"), {}, "features without ts"),
                                   (t, t, {"tolerance": -1.0}, "tolerance < 0")]:
        with pytest.raises(ValueError):
            kata.point_in_time_join(ev, feats, **kwargs)
            pytest.fail(f"point_in_time_join with {why} returned instead of raising ValueError")


def test_join_with_only_key_columns(kata):
    ev = pd.DataFrame({"entity": ["a", "b", "a"], "ts": [3.0, 9.0, 11.0]})     # nothing but the keys: allowed
    feats = feature_table(1)
    check_frame(kata.point_in_time_join(ev, feats), asof_reference(ev, feats, None), describe_call("point_in_time_join", ev, feats))
