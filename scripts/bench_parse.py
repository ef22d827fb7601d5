"""Benchmark: parse throughput on synthetic reports (reports/s on one core) and peak memory.

    .venv/bin/python scripts/bench_parse.py [--n 3000] [--rounds 3] [--seed 0]

Decoding and parsing are timed; generating the texts is not. One process; the
figure is CPU time of this process, so it is per core even on a busy machine.
The corpus is parsed `--rounds` times: the median round is the figure to quote
(CPU speed on shared machines drifts by several per cent), the best is shown beside it.
"""

import argparse
import random
import resource
import statistics
import time

from ogi.extract.text import read_text_bytes
from ogi.parse import parse_document
from ogi.synth import LAYOUTS, make_report, render


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--rounds", type=int, default=3)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    corpus = []
    for i in range(args.n):
        report = make_report(rng, variant="single_other_handling_row" if rng.random() < 0.1 else None)
        corpus.append(render(report, LAYOUTS[i % len(LAYOUTS)], rng).encode("utf-8"))
    size = sum(len(b) for b in corpus)
    rounds = [parse_round(corpus) for _ in range(args.rounds)]
    cpus = sorted(r[0] for r in rounds)
    median_cpu = statistics.median(cpus)
    median_round = min(rounds, key=lambda r: abs(r[0] - median_cpu))
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"reports: {args.n} ({size / 1e6:.1f} MB of text, layouts: {', '.join(LAYOUTS)}), published (whole or with gaps): {median_round[2]}"
    )
    print(
        f"CPU time per round (median of {args.rounds}): {median_cpu:.2f} s  →  {args.n / median_cpu:.0f} reports/s per core "
        f"({1000 * median_cpu / args.n:.2f} ms per report); best round {args.n / cpus[0]:.0f} reports/s"
    )
    per = args.n / len(LAYOUTS)
    print(
        "per layout, median round (reports/s per core): " + ", ".join(f"{name} {per / secs:.0f}" for name, secs in median_round[1].items())
    )
    print(f"peak memory (max RSS of this process, corpus included): {peak_mib:.0f} MiB")


def parse_round(corpus: list[bytes]) -> tuple[float, dict[str, float], int]:
    """(CPU seconds, CPU seconds by layout, reports published (whole or with gaps)) for one pass over the corpus."""
    parsed = 0
    by_layout = dict.fromkeys(LAYOUTS, 0.0)
    cpu_start = time.process_time()
    for i, data in enumerate(corpus):
        t = time.process_time()
        record = parse_document(read_text_bytes(f"synthetic_{i}.txt", data))
        by_layout[LAYOUTS[i % len(LAYOUTS)]] += time.process_time() - t
        parsed += record["status"] != "rejected"
    return time.process_time() - cpu_start, by_layout, parsed


if __name__ == "__main__":
    main()
