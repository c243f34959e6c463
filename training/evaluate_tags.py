"""Tag model report: the model beside a linear baseline on the same held-out postings, per-tag
F1 bars and precision-recall curves."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from pipelines.records import Job
from training.metrics import multilabel_metrics
from training.tags import label_matrix


def _text(job: Job) -> str:
    return f"{job.title}\n{job.description}"


def linear_baseline(train: Sequence[Job], test: Sequence[Job], tags: Sequence[str]) -> np.ndarray:
    """TF-IDF word and character n-grams with a one-vs-rest linear SVM."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import make_pipeline, make_union
    from sklearn.svm import LinearSVC

    features = make_union(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
    )
    svm = LinearSVC(C=0.5, class_weight="balanced")  # imbalanced tags: a fair baseline
    model = make_pipeline(features, OneVsRestClassifier(svm))
    truth = label_matrix(train, tags)
    keep = truth.sum(axis=0) > 0
    model.fit([_text(j) for j in train], truth[:, keep])
    predicted = np.zeros((len(test), len(tags)), dtype=bool)
    predicted[:, keep] = model.predict([_text(j) for j in test]).astype(bool)
    return predicted


def write_report(systems: dict[str, np.ndarray], truth: np.ndarray, probabilities: np.ndarray,
                 tags: Sequence[str], out_dir: Path, title: str) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    results = {name: multilabel_metrics(truth, predicted, tags)
               for name, predicted in systems.items()}
    columns = ["micro_f1", "macro_f1", "micro_precision", "micro_recall"]
    lines = [f"# {title}", "", "| system | " + " | ".join(columns) + " |",
             "|---" * (len(columns) + 1) + "|"]
    for name, metrics in results.items():
        lines.append(f"| {name} | " + " | ".join(f"{metrics[c]:.3f}" for c in columns) + " |")
    names = list(results)
    lines += ["", "| tag | support | " + " | ".join(f"{n} P / R / F1" for n in names) + " |",
              "|---" * (len(names) + 2) + "|"]
    for tag in tags:
        cells = []
        for name in names:
            per = results[name]["per_label"][tag]  # type: ignore[index]
            cells.append(f"{per['precision']:.2f} / {per['recall']:.2f} / {per['f1']:.2f}")
        support = results[names[0]]["per_label"][tag]["support"]  # type: ignore[index]
        lines.append(f"| {tag} | {support} | " + " | ".join(cells) + " |")
    report = out_dir / "tags_report.md"
    report.write_text("\n".join(lines) + "\n")
    _plots(results, truth, probabilities, tags, out_dir)
    return report


def _plots(results: dict, truth: np.ndarray, probabilities: np.ndarray, tags: Sequence[str],
           out_dir: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import precision_recall_curve

    figure, axes = plt.subplots(figsize=(10, 6))
    width = 0.8 / len(results)
    positions = np.arange(len(tags))
    for i, (name, metrics) in enumerate(results.items()):
        axes.barh(positions + i * width, [metrics["per_label"][t]["f1"] for t in tags], width,
                  label=name)
    axes.set_yticks(positions + 0.4 - width / 2, tags)
    axes.invert_yaxis()
    axes.set_xlabel("F1")
    axes.legend(loc="lower right")
    figure.tight_layout()
    figure.savefig(out_dir / "tags_f1.png", dpi=110)
    plt.close(figure)

    figure, axes = plt.subplots(figsize=(8, 7))
    for i, tag in enumerate(tags):
        if truth[:, i].any():
            precision, recall, _ = precision_recall_curve(truth[:, i], probabilities[:, i])
            axes.plot(recall, precision, label=tag, linewidth=1)
    axes.set_xlabel("recall")
    axes.set_ylabel("precision")
    axes.set_title("Precision-recall per tag (careerpath)")
    axes.legend(fontsize=7, loc="lower left")
    figure.tight_layout()
    figure.savefig(out_dir / "tags_pr.png", dpi=110)
    plt.close(figure)
