"""Reading the sheet document at scale: 11 sheets (the Charente's) vs the largest document
the importer accepts (`MAX_DOCUMENT_CHARS`, about 500 sheets).

    .venv/bin/python bench/sheet_parser.py [--repeat 3]

The baseline is the seed document itself (11 sheets), parsed in the same run; the large
document is the seed repeated with distinct references. The ratio of times should stay near
the ratio of sizes (linear parsing); a quadratic slip shows as a ratio far above it.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from maillage.plan.sheet_parser import MAX_DOCUMENT_CHARS, parse_document

SEED = (
    Path(__file__).resolve().parent.parent / "tests/plan/documents/charente_numerique_2017.txt"
).read_text(encoding="utf-8")


def timed(text: str, repeat: int) -> tuple[float, int]:
    """Median seconds of `repeat` parses of `text`, and the number of sheets read."""
    times, count = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        count = len(parse_document(text))
        times.append(time.perf_counter() - started)
    return statistics.median(times), count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    large = "\n".join(
        re.sub(r"Réf : Num(\d\d)", lambda m, n=n: f"Réf : C{n:03d}x{m[1]}", SEED)
        for n in range(MAX_DOCUMENT_CHARS // (len(SEED) + 1))
    )
    small_seconds, small_count = timed(SEED, args.repeat)
    large_seconds, large_count = timed(large, args.repeat)
    print(f"baseline, {small_count} sheets: {small_seconds * 1000:.1f} ms")
    print(f"{large_count} sheets: {large_seconds * 1000:.1f} ms")
    size_ratio = large_count / small_count
    print(f"ratio: {large_seconds / small_seconds:.1f} for {size_ratio:.0f}x the sheets")


if __name__ == "__main__":
    main()
