"""The evaluation reports' tables and charts: one look for every model's report."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np


def metric_table(results: Mapping[str, Mapping[str, float]], columns: Sequence[str]
                 ) -> list[str]:
    """A Markdown table, a row per system (`results` name → metric → value)."""
    return ["| system | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|",
            *(f"| {name} | " + " | ".join(f"{metrics[c]:.3f}" for c in columns) + " |"
              for name, metrics in results.items())]


def metric_bars(results: Mapping[str, Mapping[str, float]], metrics: Sequence[str], title: str,
                path: Path) -> None:
    """Horizontal bars, a group per system (`results` name → metric → value in [0, 1])."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    names = list(results)
    width = 0.8 / len(metrics)
    figure, axes = plt.subplots(figsize=(10, 0.6 * len(names) + 2))
    positions = np.arange(len(names))
    for i, metric in enumerate(metrics):
        axes.barh(positions + i * width, [results[n][metric] for n in names], width,
                  label=metric)
    axes.set_yticks(positions + 0.4 - width / 2, names)
    axes.invert_yaxis()
    axes.set_xlim(0, 1)
    axes.legend(loc="lower right")
    axes.set_title(title)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    plt.close(figure)
