"""prod-03-2: ETL into a feature store with point-in-time-correct joins. Edit this file; `grader check prod-03-2` tests it."""
from __future__ import annotations

import numpy as np  # noqa: F401
import pandas as pd


def build_features(transactions: pd.DataFrame) -> pd.DataFrame:
    """ETL: one feature row per transaction, with the entity's history up to and including it.

    Sort by (entity, ts) with a stable sort (rows with equal ts keep their input order); for each row:
    txn_count = number of the entity's transactions so far (1, 2, ...), amount_mean = the mean of
    their amounts.

    Shapes:
        transactions: columns entity, ts, amount (others ignored);
        returns: columns exactly [entity, ts, txn_count, amount_mean], index 0..n-1

    Raises:
        ValueError: if a required column is missing.
    """
    raise NotImplementedError("build_features: stable sort, then per-entity running count and mean")


def point_in_time_join(events: pd.DataFrame, features: pd.DataFrame, tolerance: float | None = None) -> pd.DataFrame:
    """Attach to each event the entity's latest feature row as of the event's time.

    For an event (entity, ts): among the feature rows of the same entity with feature ts <= event ts
    (and >= ts - tolerance when tolerance is given), take those with the largest ts and of them the
    last in the features' row order. No match: NaN. Never a feature row from after the event.

    Shapes:
        events: columns entity, ts (+ any others, kept); features: entity, ts + value columns;
        returns: the events' columns in their order and row order, then feature_ts (float, the matched
        row's ts), then every feature value column (float)

    Raises:
        ValueError: if a frame lacks entity or ts, or tolerance < 0.
    """
    raise NotImplementedError("point_in_time_join: per event, the latest feature row at or before it")
