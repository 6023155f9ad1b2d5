"""Rendering aftercare handouts to PDF, body figure included.

Targets (issue 5 §4): one handout (two pages with the figure) in under 50 ms median, and
100 handouts in a batch in under 5 s. Each render is the whole public path,
``render_handout(data)``: the figure drawn from the data with Pillow, the story laid out
by reportlab and the PDF bytes written. The first render of the process (font loading,
body-map geometry) is timed and reported on its own, not counted in the median.
Run: .venv/bin/python -m benchmarks.bench_handout  (``--record``: into results.md)
"""

from __future__ import annotations

import statistics
import time

from benchmarks import use_bench_home
from benchmarks.machine import describe_machine, record, save_figures
from clinic_app.domain.enums import Language
from clinic_app.reports.handout import render_handout
from tests.reports.factories import low_back_dry_needling, neck_steroid_diabetic

SINGLE_RUNS = 30
BATCH = 100
SINGLE_TARGET_MS = 50.0
BATCH_TARGET_S = 5.0


def _pages(pdf: bytes) -> int:
    return pdf.count(b"/Type /Page\n") or pdf.count(b"/Type /Page ")


def main() -> int:
    use_bench_home()
    data = neck_steroid_diabetic(Language.ENGLISH)

    start = time.perf_counter()
    pdf = render_handout(data)
    first_ms = (time.perf_counter() - start) * 1000
    assert pdf.startswith(b"%PDF"), "not a PDF"

    samples = []
    for _ in range(SINGLE_RUNS):
        start = time.perf_counter()
        pdf = render_handout(data)
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    median = statistics.median(samples)
    p95 = samples[int(0.95 * len(samples)) - 1]
    single_verdict = "PASS" if median < SINGLE_TARGET_MS else "FAIL"
    single = (
        f"one handout (neck/upper-back, English, {_pages(pdf)} pages with figure, "
        f"{len(pdf) // 1024} KiB), {SINGLE_RUNS} runs: median {median:.1f} ms, "
        f"p95 {p95:.1f} ms, max {samples[-1]:.1f} ms, first in process {first_ms:.1f} ms "
        f"(target median < {SINGLE_TARGET_MS:.0f} ms: {single_verdict})"
    )

    samples_data = [
        factory(language)
        for factory in (neck_steroid_diabetic, low_back_dry_needling)
        for language in (Language.ENGLISH, Language.SPANISH)
    ]
    start = time.perf_counter()
    total_bytes = 0
    for i in range(BATCH):
        total_bytes += len(render_handout(samples_data[i % len(samples_data)]))
    batch_s = time.perf_counter() - start
    batch_verdict = "PASS" if batch_s < BATCH_TARGET_S else "FAIL"
    batch = (
        f"{BATCH} handouts in a batch (2 samples × en/es, alternating, "
        f"{total_bytes // 1024} KiB in all): {batch_s:.2f} s, "
        f"{batch_s / BATCH * 1000:.1f} ms each "
        f"(target < {BATCH_TARGET_S:.0f} s: {batch_verdict})"
    )

    print(single)
    print(batch)
    print(describe_machine())
    record("handout-single", single)
    record("handout-batch", batch)
    save_figures(
        "handout",
        {
            "single": {
                "runs": SINGLE_RUNS,
                "median_ms": round(median, 1),
                "p95_ms": round(p95, 1),
                "first_in_process_ms": round(first_ms, 1),
                "target_median_ms": SINGLE_TARGET_MS,
            },
            "batch": {
                "handouts": BATCH,
                "seconds": round(batch_s, 2),
                "target_s": BATCH_TARGET_S,
            },
        },
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
