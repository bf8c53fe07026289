"""Plausible leaky or wrong feature-store code that the tests must reject."""
from __future__ import annotations

import numpy as np
import pandas as pd

from grader.pitfalls import pitfall


def _join(events: pd.DataFrame, features: pd.DataFrame, tolerance: float | None, pick: str) -> pd.DataFrame:
    for frame in (events, features):
        if not {"entity", "ts"} <= set(frame.columns):
            raise ValueError("bad inputs")
    if tolerance is not None and tolerance < 0:
        raise ValueError("bad inputs")
    cols = [c for c in features.columns if c not in ("entity", "ts")]
    out = events.copy()
    out["feature_ts"] = np.nan
    for c in cols:
        out[c] = np.nan
    for i, (e, ts) in enumerate(zip(events["entity"], events["ts"], strict=True)):
        same = features[features["entity"] == e] if pick != "any_entity" else features
        if pick == "nearest":
            rows = same
        elif pick == "strict":
            rows = same[same["ts"] < ts]
        else:
            rows = same[same["ts"] <= ts]
        if tolerance is not None and pick != "no_tolerance":
            rows = rows[(rows["ts"] - ts).abs() <= tolerance]
        if len(rows) == 0:
            continue
        if pick == "nearest":
            best = (rows["ts"] - ts).abs().min()
            rows = rows[(rows["ts"] - ts).abs() == best]
            row = rows.iloc[-1]
        else:
            rows = rows[rows["ts"] == rows["ts"].max()]
            row = rows.iloc[0] if pick == "first_tie" else rows.iloc[-1]
        out.iloc[i, out.columns.get_loc("feature_ts")] = row["ts"]
        for c in cols:
            out.iloc[i, out.columns.get_loc(c)] = row[c]
    return out


@pitfall(replaces="point_in_time_join", why="joins the nearest feature row in time, which may be after the event: label leakage")
def nearest_in_time(events: pd.DataFrame, features: pd.DataFrame, tolerance: float | None = None) -> pd.DataFrame:
    return _join(events, features, tolerance, "nearest")


@pitfall(replaces="point_in_time_join", why="feature ts < event ts: drops a feature computed at the very time of the event")
def strictly_before(events: pd.DataFrame, features: pd.DataFrame, tolerance: float | None = None) -> pd.DataFrame:
    return _join(events, features, tolerance, "strict")


@pitfall(replaces="point_in_time_join", why="of several feature rows at the latest time, takes the first instead of the last")
def first_of_ties(events: pd.DataFrame, features: pd.DataFrame, tolerance: float | None = None) -> pd.DataFrame:
    return _join(events, features, tolerance, "first_tie")


@pitfall(replaces="point_in_time_join", why="forgets the entity key: the latest feature row of any entity")
def any_entity(events: pd.DataFrame, features: pd.DataFrame, tolerance: float | None = None) -> pd.DataFrame:
    return _join(events, features, tolerance, "any_entity")


@pitfall(replaces="point_in_time_join", why="ignores tolerance: serves stale features of any age")
def no_tolerance(events: pd.DataFrame, features: pd.DataFrame, tolerance: float | None = None) -> pd.DataFrame:
    return _join(events, features, tolerance, "no_tolerance")


@pitfall(replaces="build_features", why="an unstable sort: rows with equal (entity, ts) may be reordered")
def unstable_sort(transactions: pd.DataFrame) -> pd.DataFrame:
    if not {"entity", "ts", "amount"} <= set(transactions.columns):
        raise ValueError("bad inputs")
    t = transactions.iloc[::-1].sort_values(["entity", "ts"], kind="quicksort").reset_index(drop=True)
    g = t.groupby("entity", sort=False)["amount"]
    return pd.DataFrame({"entity": t["entity"], "ts": t["ts"], "txn_count": g.cumcount() + 1,
                         "amount_mean": g.cumsum() / (g.cumcount() + 1)})


@pitfall(replaces="build_features", why="the mean over the entity's whole history, including future transactions")
def whole_history_mean(transactions: pd.DataFrame) -> pd.DataFrame:
    if not {"entity", "ts", "amount"} <= set(transactions.columns):
        raise ValueError("bad inputs")
    t = transactions.sort_values(["entity", "ts"], kind="stable").reset_index(drop=True)
    g = t.groupby("entity", sort=False)["amount"]
    return pd.DataFrame({"entity": t["entity"], "ts": t["ts"], "txn_count": g.cumcount() + 1,
                         "amount_mean": g.transform("mean")})
