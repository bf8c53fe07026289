"""Fixtures for the grader's own tests."""
from pathlib import Path

import pytest
from workbook_copy import EXEMPLAR, Workbook, make_workbook


@pytest.fixture
def workbook(tmp_path: Path) -> Workbook:
    """A copy of the workbook holding only the exemplar kata, with its own progress file."""
    return make_workbook(tmp_path / "wb", [EXEMPLAR])


# The frozen exemplar under fixtures/ is copied into throwaway workbooks, never collected here.
collect_ignore = ["fixtures"]
