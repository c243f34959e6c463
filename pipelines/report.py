"""What an import did to every row: counts per event plus a few examples of each."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

SAMPLES_PER_EVENT = 5


@dataclass
class ImportReport:
    source: str
    rows_read: int = 0
    records_written: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    samples: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))

    def note(self, event: str, example: str) -> None:
        """Record that a row was skipped or repaired (`event` starts with 'skipped' or names
        the repair)."""
        self.counts[event] += 1
        if len(self.samples[event]) < SAMPLES_PER_EVENT:
            self.samples[event].append(example[:160])

    @property
    def skipped(self) -> int:
        return sum(n for event, n in self.counts.items() if event.startswith("skipped"))

    def to_dict(self) -> dict[str, object]:
        return {
            "source": self.source,
            "rows_read": self.rows_read,
            "records_written": self.records_written,
            "skipped": self.skipped,
            "events": dict(self.counts),
            "samples": {event: list(rows) for event, rows in self.samples.items()},
        }

    def summary(self) -> str:
        lines = [
            f"{self.source}: read {self.rows_read} rows, wrote {self.records_written} records, "
            f"skipped {self.skipped}"
        ]
        for event, count in sorted(self.counts.items()):
            lines.append(f"  {event}: {count}  e.g. {self.samples[event][:2]}")
        return "\n".join(lines)
