"""Tag-model quality by k-fold cross-validation, beside the fixed held-out split that
`careerpath train` reports: each fold is scored by a model trained (autoencoder pre-training
included) on the other folds and by the linear baseline trained on the same folds. Shows how
far one 756-posting split can be trusted.

    python -m bench.tags_cv [--folds 5] [--out bench/results/tags_cv]
"""

from __future__ import annotations

import argparse
import statistics
from pathlib import Path

from bench.common import SHARED, save
from runtime.bundles import resolve_bundle
from runtime.components import load_components
from training.metrics import multilabel_metrics
from training.sources import read_labeled, read_unlabeled
from training.tags.config import TagTrainingConfig
from training.tags.data import fold_of, label_matrix, postings
from training.tags.evaluate import linear_baseline
from training.tags.trainer import TagTrainer


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--store", type=Path, default=Path("models"),
                        help="the bundle (or store) whose posting reader the models read with")
    parser.add_argument("--out", type=Path, default=Path("reports/bench/tags_cv"))
    args = parser.parse_args()
    reader = load_components(resolve_bundle(args.store), ["reader"])["reader"]
    jobs = SHARED / "jobs"
    labeled = read_labeled(jobs / "indeed_tags_dev.tsv")
    unlabeled = read_unlabeled([jobs / "indeed_unlabeled.tsv",
                                *sorted((jobs / "glassdoor").glob("*.csv"))])
    rows = []
    for fold in range(args.folds):
        train = [job for job in labeled if fold_of(job.id, args.folds, "cv") != fold]
        test = [job for job in labeled if fold_of(job.id, args.folds, "cv") == fold]
        model, _ = TagTrainer(TagTrainingConfig(), reader, progress=False).fit(train, unlabeled)
        truth = label_matrix(test, model.tags)
        ours = multilabel_metrics(truth, model.decide(model.predict_proba(postings(test))),
                                  model.tags)
        baseline = multilabel_metrics(truth, linear_baseline(train, test, model.tags),
                                      model.tags)
        rows.append({"fold": str(fold), "postings": len(test),
                     "micro_f1": ours["micro_f1"], "macro_f1": ours["macro_f1"],
                     "svm_micro_f1": baseline["micro_f1"], "svm_macro_f1": baseline["macro_f1"]})
        print(rows[-1], flush=True)
    summary: dict[str, object] = {"fold": "mean ± sd", "postings": len(labeled)}
    for key in ("micro_f1", "macro_f1", "svm_micro_f1", "svm_macro_f1"):
        values = [float(row[key]) for row in rows]
        summary[key] = f"{statistics.mean(values):.3f} ± {statistics.stdev(values):.3f}"
    save([*rows, summary], f"Tag model, {args.folds}-fold cross-validation (F1)", args.out,
         "fold", ["micro_f1", "macro_f1"], ylabel="F1", digits=3)


if __name__ == "__main__":
    main()
