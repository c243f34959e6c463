"""`careerpath evaluate reader`: the bundle's posting reader on the held-out fifth of the
postings' headed parts (read without their headings' help), beside the heading words alone
and beside reading every part as the job's."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from runtime.components import load_component
from training.charts import metric_bars, metric_table
from training.reader.fit import held_out, labeled_parts, score
from training.sources import load_corpus

COLUMNS = ("accuracy", "job precision", "job recall", "other precision", "other recall")


def evaluate_bundle(bundle: Path, postings: Sequence[str | Path], out_dir: Path) -> Path:
    reader = load_component(bundle, "reader")
    parts = labeled_parts([job for job in load_corpus(postings) if held_out(job)])
    if not parts:
        raise ValueError("the held-out postings have no headed parts to score the reader on")
    everything_is_the_job = sum(part.heading_kind == "job" for part in parts) / len(parts)
    results = {"careerpath reader": _flat(score(reader, parts)),
               "baseline: every part the job's": {
                   "accuracy": everything_is_the_job, "job precision": everything_is_the_job,
                   "job recall": 1.0, "other precision": 0.0, "other recall": 0.0}}
    out_dir.mkdir(parents=True, exist_ok=True)
    lines = [f"# Posting reader, bundle {bundle.name}", "",
             f"{len(parts)} headed parts of held-out postings, each read without its heading.",
             "", *metric_table(results, COLUMNS)]
    report = out_dir / "reader_report.md"
    report.write_text("\n".join(lines) + "\n")
    metric_bars(results, list(COLUMNS), "Posting reader on held-out headed parts",
                out_dir / "reader_report.png")
    print(report.read_text())
    return report


def _flat(report: dict) -> dict[str, float]:
    return {"accuracy": report["accuracy"],
            **{f"{kind} {measure}": report[kind][measure] for kind in ("job", "other")
               for measure in ("precision", "recall")}}
