"""Turning what a learner types into one kata, or one clear line."""
import pytest

from grader.discovery import catalog
from grader.discovery.select import SelectionError, resolve


@pytest.fixture(scope="module")
def katas():
    return catalog.discover()


def test_by_id_folder_file_and_name(katas):
    k = resolve("nlp-02-1", katas)
    assert k.id == "nlp-02-1"
    assert resolve(k.rel and f"katas/{k.rel}", katas) is k
    assert resolve(f"katas/{k.rel}/{k.module_name}", katas) is k
    assert resolve(f"solutions/{k.rel}", katas) is k
    assert resolve("sinusoidal", katas) is k
    assert resolve("SINUSOIDAL positional", katas) is k


def test_unknown_kata_suggests_close_matches(katas):
    with pytest.raises(SelectionError) as e:
        resolve("sinusodial", katas)
    msg = str(e.value)
    assert "\n" not in msg
    assert "no kata matches 'sinusodial'" in msg and "nlp-02-1" in msg


def test_nothing_close_points_to_list(katas):
    with pytest.raises(SelectionError, match="grader list"):
        resolve("zzzzqqqq", katas)


def test_checkbox_without_kata_says_so(katas):
    # Resolve against the workbook minus one kata, so the test holds however many katas exist.
    with pytest.raises(SelectionError, match="has no kata yet"):
        resolve("nlp-02-1", [k for k in katas if k.id != "nlp-02-1"])


def test_ambiguous_part_lists_candidates(katas):
    if len(katas) < 2:
        pytest.skip("needs two katas")
    with pytest.raises(SelectionError, match="matches .* katas"):
        resolve("nlp", katas)
