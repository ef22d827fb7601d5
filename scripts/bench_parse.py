"""Benchmark: parse throughput on synthetic reports (reports/s on one core) and peak memory.

    .venv/bin/python scripts/bench_parse.py [--n 3000] [--seed 0]

Decoding and parsing are timed; generating the texts is not. One process; the
figure is CPU time of this process, so it is per core even on a busy machine.
"""

import argparse
import random
import resource
import time

from ogi.extract.text import read_text_bytes
from ogi.parse import parse_document
from ogi.synth import LAYOUTS, make_report, render


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--n", type=int, default=3000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    corpus = []
    for i in range(args.n):
        report = make_report(rng, variant="single_other_handling_row" if rng.random() < 0.1 else None)
        corpus.append(render(report, LAYOUTS[i % len(LAYOUTS)], rng).encode("utf-8"))
    size = sum(len(b) for b in corpus)
    parsed = 0
    by_layout = dict.fromkeys(LAYOUTS, 0.0)
    start, cpu_start = time.perf_counter(), time.process_time()
    for i, data in enumerate(corpus):
        t = time.process_time()
        record = parse_document(read_text_bytes(f"synthetic_{i}.txt", data))
        by_layout[LAYOUTS[i % len(LAYOUTS)]] += time.process_time() - t
        parsed += record["status"] == "parsed"
    wall, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"reports: {args.n} ({size / 1e6:.1f} MB of text, layouts: {', '.join(LAYOUTS)}), parsed without error: {parsed}")
    print(
        f"CPU time: {cpu:.2f} s  →  {args.n / cpu:.0f} reports/s per core ({1000 * cpu / args.n:.2f} ms per report); wall time {wall:.2f} s"
    )
    per = args.n / len(LAYOUTS)
    print("per layout (reports/s per core): " + ", ".join(f"{name} {per / secs:.0f}" for name, secs in by_layout.items()))
    print(f"peak memory (max RSS of this process, corpus included): {peak_mib:.0f} MiB")


if __name__ == "__main__":
    main()
