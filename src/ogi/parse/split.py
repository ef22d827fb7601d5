"""Split a run of digits into cells, using only the template's rules.

Crawled pages can print a row's cells with no separator ("640020470" for
64, 0, 0, 2, 0, 4, 70). A split is accepted only when exactly one reading
satisfies every rule that lies inside the row; otherwise the row is flagged.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass

# (left cell indexes, right cell indexes): sum(left) must equal sum(right)
RowRule = tuple[tuple[int, ...], tuple[int, ...]]

MAX_STEPS = 200_000


@dataclass
class SplitResult:
    readings: list[list[str]]  # every reading that satisfies the rules
    exhausted: bool  # stopped at MAX_STEPS: readings may be incomplete


def split_digits(digits: str, ncells: int, rules: Sequence[RowRule]) -> SplitResult:
    """All ways to cut `digits` into `ncells` numbers (no leading zeros) that satisfy `rules`."""
    blocks = _total_blocks(ncells, rules)
    if not blocks:
        return _split_search(digits, ncells, rules)
    try:
        return _split_blocks(digits, blocks)
    finally:
        # the memos serve one search; kept, they would grow with every report
        _sum_splits_cached.cache_clear()
        _sum_bounds.cache_clear()


def _total_blocks(ncells: int, rules: Sequence[RowRule]) -> list[int] | None:
    """Block sizes, when the rules cut the row into blocks whose last cell is the sum of the others."""
    sizes, start = [], 0
    for left, right in sorted(rules, key=lambda r: r[0]):
        if len(left) != 1 or sorted(right) != list(range(start, left[0])) or left[0] <= start:
            return None
        sizes.append(left[0] - start + 1)
        start = left[0] + 1
    return sizes if start == ncells and sizes else None


def _split_blocks(digits: str, blocks: list[int]) -> SplitResult:
    """Total first, then the block's other cells with a running-sum bound: fast even for long runs."""
    readings: list[list[str]] = []
    steps = 0

    def block(pos: int, bi: int, acc: list[str]) -> bool:
        nonlocal steps
        if bi == len(blocks):
            if pos == len(digits):
                readings.append(acc)
            return True
        size, rest = blocks[bi], sum(blocks[bi + 1 :])
        ends = [len(digits)] if bi == len(blocks) - 1 else range(pos + size, len(digits) - rest + 1)
        for end in ends:
            seg = digits[pos:end]
            for t in range(1, len(seg) - size + 2):
                total_s = seg[-t:]
                if t > 1 and total_s[0] == "0":
                    continue
                for parts in _sum_splits(seg[:-t], size - 1, int(total_s), t):
                    steps += 1
                    if steps > MAX_STEPS or not block(end, bi + 1, acc + list(parts) + [total_s]):
                        return False
        return True

    finished = block(0, 0, [])
    return SplitResult(readings, exhausted=not finished)


def _sum_splits(s: str, k: int, target: int, maxlen: int) -> tuple[tuple[str, ...], ...]:
    """Cut s into k numbers of at most maxlen digits that add up to target."""
    return _sum_splits_cached(s, k, target, maxlen)


@functools.lru_cache(maxsize=65536)
def _sum_splits_cached(s: str, k: int, target: int, maxlen: int) -> tuple[tuple[str, ...], ...]:
    if k == 0:
        return ((),) if not s and target == 0 else ()
    if not k <= len(s) <= k * maxlen:
        return ()
    # however s is cut, its numbers add up to its digit sum modulo 9 (casting out nines)
    if (target - sum(map(int, s))) % 9:
        return ()
    bounds = _sum_bounds(s, k, maxlen)
    if bounds is None or not bounds[0] <= target <= bounds[1]:
        return ()
    if target == 0:
        return (("0",) * k,) if s == "0" * k else ()
    if k == 1:
        return ((s,),) if (len(s) == 1 or s[0] != "0") and int(s) == target else ()
    out: list[tuple[str, ...]] = []
    for n in range(1, min(maxlen, len(s) - k + 1) + 1):
        part = s[:n]
        if n > 1 and part[0] == "0":
            break
        v = int(part)
        if v > target:
            break
        rest = s[n:]
        # the other k-1 numbers together are below (k-1) * 10**(longest possible piece)
        if target - v >= (k - 1) * 10 ** min(maxlen, len(rest) - (k - 2)):
            continue
        out.extend((part,) + tail for tail in _sum_splits_cached(rest, k - 1, target - v, maxlen))
    return tuple(out)


@functools.lru_cache(maxsize=65536)
def _sum_bounds(s: str, k: int, maxlen: int) -> tuple[int, int] | None:
    """The smallest and largest total of any cut of s into k numbers (None: no cut exists)."""
    if k == 1:
        ok = len(s) <= maxlen and (len(s) == 1 or s[0] != "0")
        return (int(s), int(s)) if ok else None
    best: tuple[int, int] | None = None
    for n in range(1, min(maxlen, len(s) - k + 1) + 1):
        if n > 1 and s[0] == "0":
            break
        rest = _sum_bounds(s[n:], k - 1, maxlen)
        if rest is None:
            continue
        v = int(s[:n])
        best = (v + rest[0], v + rest[1]) if best is None else (min(best[0], v + rest[0]), max(best[1], v + rest[1]))
    return best


def _split_search(digits: str, ncells: int, rules: Sequence[RowRule]) -> SplitResult:
    determined = _determined_cells(ncells, rules)
    checks_at = _checks_by_last_index(rules)
    readings: list[list[str]] = []
    steps = 0
    parts: list[str] = []
    values: list[int] = []

    def visit(pos: int) -> bool:
        nonlocal steps
        steps += 1
        if steps > MAX_STEPS:
            return False
        k = len(parts)
        left_cells = ncells - k
        if k == ncells:
            if pos == len(digits):
                readings.append(list(parts))
            return True
        remaining = len(digits) - pos
        if remaining < left_cells:
            return True
        if k in determined:
            lefts, rights = determined[k]
            want = sum(values[i] for i in rights) - sum(values[i] for i in lefts if i != k)
            if want < 0:
                return True
            candidates = [str(want)] if digits.startswith(str(want), pos) else []
        else:
            longest = remaining - (left_cells - 1)
            candidates = [digits[pos : pos + n] for n in range(1, longest + 1)]
        for part in candidates:
            if len(part) > 1 and part[0] == "0":
                continue
            parts.append(part)
            values.append(int(part))
            ok = all(_holds(values, r) for r in checks_at.get(k, ()))
            if ok and not visit(pos + len(part)):
                return False
            parts.pop()
            values.pop()
        return True

    finished = visit(0)
    return SplitResult(readings, exhausted=not finished)


def _holds(values: list[int], rule: RowRule) -> bool:
    left, right = rule
    return sum(values[i] for i in left) == sum(values[i] for i in right)


def _checks_by_last_index(rules: Sequence[RowRule]) -> dict[int, list[RowRule]]:
    out: dict[int, list[RowRule]] = {}
    for rule in rules:
        out.setdefault(max(rule[0] + rule[1]), []).append(rule)
    return out


def _determined_cells(ncells: int, rules: Sequence[RowRule]) -> dict[int, RowRule]:
    """Cells whose value follows from earlier cells: a rule's one left cell that comes after all its right cells."""
    out: dict[int, RowRule] = {}
    for left, right in rules:
        if len(left) == 1 and right and left[0] > max(right):
            out[left[0]] = (left, right)
    return out


def respects_boundaries(reading: list[str], boundaries: set[int]) -> bool:
    """Does the reading cut the digits at every place the text had a space?"""
    cuts, pos = set(), 0
    for part in reading[:-1]:
        pos += len(part)
        cuts.add(pos)
    return boundaries <= cuts
