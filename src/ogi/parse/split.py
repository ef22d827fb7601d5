"""Split a run of digits into cells, using only the template's rules.

Crawled pages can print a row's cells with no separator ("640020470" for
64, 0, 0, 2, 0, 4, 70). A split is accepted only when exactly one reading
satisfies every rule that lies inside the row; otherwise the row is flagged.
"""

from __future__ import annotations

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
    if len(digits) == ncells:
        # one digit a cell is the only cut (rows of zeros, mostly)
        values = [int(d) for d in digits]
        ok = all(sum(values[i] for i in left) == sum(values[i] for i in right) for left, right in rules)
        return SplitResult([list(digits)] if ok else [], exhausted=False)
    blocks = _total_blocks(ncells, rules)
    if not blocks:
        return _split_search(digits, ncells, rules)
    return _split_blocks(digits, blocks)


def _total_blocks(ncells: int, rules: Sequence[RowRule]) -> list[int] | None:
    """Block sizes, when the rules cut the row into blocks whose last cell is the sum of the others."""
    sizes, start = [], 0
    for left, right in sorted(rules, key=lambda r: r[0]):
        if len(left) != 1 or sorted(right) != list(range(start, left[0])) or left[0] <= start:
            return None
        sizes.append(left[0] - start + 1)
        start = left[0] + 1
    return sizes if start == ncells and sizes else None


class _Exhausted(Exception):
    pass


def _split_blocks(digits: str, blocks: list[int]) -> SplitResult:
    """Each block's total first, then the numbers before it that add up to it."""
    readings: list[list[str]] = []
    budget = [MAX_STEPS]

    def block(pos: int, bi: int, acc: list[str]) -> None:
        if bi == len(blocks):
            if pos == len(digits):
                readings.append(acc)
            return
        size, rest = blocks[bi], sum(blocks[bi + 1 :])
        ends = [len(digits)] if bi == len(blocks) - 1 else range(pos + size, len(digits) - rest + 1)
        for end in ends:
            seg = digits[pos:end]
            for t in range(1, len(seg) - size + 2):
                total_s = seg[-t:]
                if t > 1 and total_s[0] == "0":
                    continue
                for parts in _sum_splits(seg[:-t], size - 1, int(total_s), t, budget):
                    block(end, bi + 1, acc + list(parts) + [total_s])

    try:
        block(0, 0, [])
    except _Exhausted:
        return SplitResult(readings, exhausted=True)
    return SplitResult(readings, exhausted=False)


def _sum_splits(s: str, k: int, target: int, maxlen: int, budget: list[int]) -> list[tuple[str, ...]]:
    """Cut s into k numbers of at most maxlen digits that add up to target.

    Cheap tests first (lengths, casting out nines), then the smallest and largest
    total of every suffix, which bound a depth-first walk over the cuts.
    """
    n = len(s)
    if not k <= n <= k * maxlen:
        return []
    digit_sum = sum(map(int, s))
    if n == k:  # one digit each: the only cut
        return [tuple(s)] if digit_sum == target else []
    if n <= k + 2:
        return _few_long_numbers(s, k, target - digit_sum, maxlen)
    # the longest number has at most n - k + 1 digits, and at least ceil(n / k)
    shortest_longest = -(-n // k)
    if target >= k * 10 ** min(maxlen, n - k + 1) or (shortest_longest > 1 and target < 10 ** (shortest_longest - 1)):
        return []
    # however s is cut, its numbers add up to its digit sum modulo 9
    if (target - digit_sum) % 9:
        return []
    pieces = _pieces(s, maxlen)
    lo, hi = _suffix_bounds(pieces, n, k, maxlen)
    if not lo[k][0] <= target <= hi[k][0]:
        return []
    out: list[tuple[str, ...]] = []
    acc: list[str] = []

    def walk(i: int, j: int, left: int) -> None:
        budget[0] -= 1
        if budget[0] < 0:
            raise _Exhausted
        if j == 0:
            out.append(tuple(acc))
            return
        lj, hj = lo[j - 1], hi[j - 1]
        for e, v in pieces[i]:
            if v > left:
                break
            if lj[e] <= left - v <= hj[e]:
                acc.append(s[i:e])
                walk(e, j - 1, left - v)
                acc.pop()

    walk(0, k, target)
    return out


def _few_long_numbers(s: str, k: int, excess: int, maxlen: int) -> list[tuple[str, ...]]:
    """Cuts of s (k + 1 or k + 2 digits) into k numbers, when their total exceeds the digit sum by `excess`.

    A number ab adds 9a to its digit sum, abc adds 99a + 9b: with one or two
    digits more than numbers, the cuts can be listed directly.
    """
    x, r = divmod(excess, 9)
    if r or x <= 0 or maxlen < 2:
        return []
    d = [int(c) for c in s]
    extra = len(s) - k
    if extra == 1:  # one two-digit number, at i
        return [(*s[:i], s[i : i + 2], *s[i + 2 :]) for i in range(k) if d[i] and d[i] == x]
    out = []
    if maxlen >= 3:  # one three-digit number, at i
        out += [(*s[:i], s[i : i + 3], *s[i + 3 :]) for i in range(k) if d[i] and 11 * d[i] + d[i + 1] == x]
    for i in range(k - 1):  # two two-digit numbers, at i and j
        for j in range(i + 2, k + 1):
            if d[i] and d[j] and d[i] + d[j] == x:
                out.append((*s[:i], s[i : i + 2], *s[i + 2 : j], s[j : j + 2], *s[j + 2 :]))
    return out


def _pieces(s: str, maxlen: int) -> list[tuple[tuple[int, int], ...]]:
    """For each position, (end, value) of every number that can start there, shortest first."""
    n = len(s)
    return [((i + 1, 0),) if s[i] == "0" else tuple((e, int(s[i:e])) for e in range(i + 1, min(n, i + maxlen) + 1)) for i in range(n)]


def _suffix_bounds(pieces, n: int, k: int, maxlen: int) -> tuple[list[list[float]], list[list[float]]]:
    """lo[j][i], hi[j][i]: the smallest and largest total of s[i:] cut into j numbers (inf, -1: no cut)."""
    inf = float("inf")
    lo = [[inf] * (n + 1) for _ in range(k + 1)]
    hi = [[-1.0] * (n + 1) for _ in range(k + 1)]
    lo[0][n] = hi[0][n] = 0
    for j in range(1, k + 1):
        lj, hj, lp, hp = lo[j], hi[j], lo[j - 1], hi[j - 1]
        for i in range(max(0, n - j * maxlen), n - j + 1):
            a, b = inf, -1.0
            for e, v in pieces[i]:
                if hp[e] >= 0:
                    if v + lp[e] < a:
                        a = v + lp[e]
                    if v + hp[e] > b:
                        b = v + hp[e]
            lj[i], hj[i] = a, b
    return lo, hi


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


def split_runs(runs: Sequence[str], ncells: int, rules: Sequence[RowRule]) -> SplitResult:
    """All ways to cut several runs of digits into `ncells` numbers, never across a run's end.

    A row printed with stray spaces ("230 000023") is several runs: a printed
    separator is always a cell boundary, so each run holds one cell or more.
    """
    if len(runs) == 1:
        return split_digits(runs[0], ncells, rules)
    if len(runs) > ncells:
        return SplitResult([], exhausted=False)
    if not rules:
        return SplitResult(_cut_runs(runs, ncells), exhausted=False)
    # the rules prune the joined digits hard; the runs' ends then filter what is left
    res = split_digits("".join(runs), ncells, rules)
    boundaries, pos = set(), 0
    for run in runs[:-1]:
        pos += len(run)
        boundaries.add(pos)
    return SplitResult([r for r in res.readings if respects_boundaries(r, boundaries)], res.exhausted)


def _cut_runs(runs: Sequence[str], ncells: int) -> list[list[str]]:
    """Every cut of the runs into ncells numbers in all, each run into one number or more (no rules to check)."""
    if not runs:
        return [[]] if ncells == 0 else []
    first, rest = runs[0], runs[1:]
    out = []
    for k in range(1, min(len(first), ncells - len(rest)) + 1):
        heads = split_digits(first, k, []).readings
        if heads:
            tails = _cut_runs(rest, ncells - k)
            out += [h + t for h in heads for t in tails]
    return out


def respects_boundaries(reading: list[str], boundaries: set[int]) -> bool:
    """Does the reading cut the digits at every place the text had a space?"""
    cuts, pos = set(), 0
    for part in reading[:-1]:
        pos += len(part)
        cuts.add(pos)
    return boundaries <= cuts
