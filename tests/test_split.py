"""The digit splitter against a brute-force enumeration of every cut.

The splitter prunes hard (lengths, casting out nines, suffix bounds, closed forms
for runs with one or two digits more than cells); the pruning must never lose a
reading or invent one.
"""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from ogi.parse.split import split_digits, split_runs

REQUEST_ROW = [((6,), (0, 1, 2, 3, 4, 5))]  # 总计 = the six applicant columns
APPEALS_ROW = [((4,), (0, 1, 2, 3)), ((9,), (5, 6, 7, 8)), ((14,), (10, 11, 12, 13))]  # three blocks with their totals


def every_cut(digits: str, ncells: int, rules) -> list[list[str]]:
    out = []
    for cuts in itertools.combinations(range(1, len(digits)), ncells - 1):
        bounds = (0, *cuts, len(digits))
        parts = [digits[a:b] for a, b in itertools.pairwise(bounds)]
        if any(len(p) > 1 and p[0] == "0" for p in parts):
            continue
        values = [int(p) for p in parts]
        if all(sum(values[i] for i in left) == sum(values[i] for i in right) for left, right in rules):
            out.append(parts)
    return sorted(out)


def row_digits(values: list[int]) -> str:
    return "".join(str(v) for v in values)


small = st.one_of(st.just(0), st.integers(1, 9), st.integers(10, 999), st.integers(1000, 99999))


@settings(max_examples=400, deadline=None)
@given(st.lists(small, min_size=6, max_size=6))
def test_request_rows_split_as_brute_force(parts):
    digits = row_digits(parts + [sum(parts)])
    result = split_digits(digits, 7, REQUEST_ROW)
    assert not result.exhausted
    assert [str(v) for v in parts + [sum(parts)]] in result.readings
    if len(digits) <= 18:  # brute force beyond that is too slow for a test
        assert sorted(result.readings) == every_cut(digits, 7, REQUEST_ROW)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.one_of(st.just(0), st.just(0), st.integers(1, 9), st.integers(10, 99)), min_size=12, max_size=12))
def test_appeals_rows_split_as_brute_force(parts):
    blocks = [parts[i : i + 4] for i in (0, 4, 8)]
    values = [v for b in blocks for v in b + [sum(b)]]
    digits = row_digits(values)
    result = split_digits(digits, 15, APPEALS_ROW)
    assert not result.exhausted
    assert [str(v) for v in values] in result.readings
    if len(digits) <= 19:  # brute force beyond that is too slow for a test
        assert sorted(result.readings) == every_cut(digits, 15, APPEALS_ROW)


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="0001123456789", min_size=7, max_size=16))
def test_any_digits_split_as_brute_force(digits):
    """Digit runs that need not come from a consistent row: most have no reading at all."""
    result = split_digits(digits, 7, REQUEST_ROW)
    assert sorted(result.readings) == every_cut(digits, 7, REQUEST_ROW)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789", min_size=1, max_size=9), st.integers(1, 3))
def test_rule_less_rows_list_every_cut(digits, ncells):
    result = split_digits(digits, ncells, [])
    assert sorted(result.readings) == every_cut(digits, ncells, [])


def every_cut_of_runs(runs: list[str], ncells: int, rules) -> list[list[str]]:
    """Brute force: every cut of the joined digits that cuts at each run's end."""
    ends, pos = set(), 0
    for run in runs[:-1]:
        pos += len(run)
        ends.add(pos)
    out = []
    for parts in every_cut("".join(runs), ncells, rules):
        cuts = set(itertools.accumulate(len(p) for p in parts[:-1]))
        if ends <= cuts:
            out.append(parts)
    return out


def as_runs(digits: str, spaces: list[int]) -> list[str]:
    """The digits with a separator printed at each of `spaces` (positions inside the string)."""
    cuts = sorted({s for s in spaces if 0 < s < len(digits)})
    return [digits[a:b] for a, b in itertools.pairwise([0, *cuts, len(digits)])]


@settings(max_examples=300, deadline=None)
@given(st.lists(small, min_size=6, max_size=6), st.lists(st.integers(1, 30), max_size=4))
def test_request_rows_printed_in_several_runs_split_as_brute_force(parts, spaces):
    """ "230 000023": stray separators inside a run-together row; a separator is always a cell boundary."""
    values = parts + [sum(parts)]
    digits = row_digits(values)
    # separators only where cells meet, as a real row prints them
    bounds = set(itertools.accumulate(len(str(v)) for v in values[:-1]))
    runs = as_runs(digits, [s for s in spaces if s in bounds])
    result = split_runs(runs, 7, REQUEST_ROW)
    assert not result.exhausted
    assert [str(v) for v in values] in result.readings
    if len(digits) <= 18:
        assert sorted(result.readings) == every_cut_of_runs(runs, 7, REQUEST_ROW)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0001123456789", min_size=7, max_size=14), st.lists(st.integers(1, 13), max_size=5))
def test_any_runs_split_as_brute_force(digits, spaces):
    runs = as_runs(digits, spaces)
    result = split_runs(runs, 7, REQUEST_ROW)
    assert sorted(result.readings) == every_cut_of_runs(runs, 7, REQUEST_ROW)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789", min_size=1, max_size=9), st.lists(st.integers(1, 8), max_size=3), st.integers(1, 4))
def test_rule_less_runs_list_every_cut(digits, spaces, ncells):
    runs = as_runs(digits, spaces)
    result = split_runs(runs, ncells, [])
    assert sorted(result.readings) == every_cut_of_runs(runs, ncells, [])


def test_more_runs_than_cells_have_no_reading():
    """Runs are never joined: "1 234" is two numbers, not 1234."""
    assert split_runs(["1", "2", "3"], 2, []).readings == []
    assert split_runs(["0", "0", "0", "0", "0", "0", "0", "0"], 7, REQUEST_ROW).readings == []
