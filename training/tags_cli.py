"""The tag model's subcommands: train (as a bundle component), predict, evaluate."""

from __future__ import annotations

import dataclasses
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from careerpath.bundles import read_manifest, resolve_bundle
from pipelines.jobs import read_jobs
from pipelines.records import Job
from service.tagger import TagModel
from training.bundle import Component, data_hashes

TAGS_DIR = "tags"
TEST_FRACTION = 0.2
TEST_SALT = "test"


def read_labeled(source: str | Path) -> list[Job]:
    jobs, report = read_jobs(source)
    labeled = [job for job in jobs if job.tags is not None]
    print(f"{report.source}: {len(labeled)} labeled postings", file=sys.stderr)
    if not labeled:
        raise ValueError(f"{source} has no labeled postings (a 'tags' field or column)")
    return labeled


def read_unlabeled(sources: Sequence[str | Path]) -> list[Job]:
    unlabeled: list[Job] = []
    for source in sources:
        unlabeled += read_jobs(source)[0]
    return unlabeled


def tags_component(jobs_source: str, unlabeled_sources: Sequence[str], seed: int | None = None,
                   test_fraction: float = TEST_FRACTION,
                   config_path: Path | None = None) -> Component:
    """Train on all but a stable held-out share of the labeled postings, which scores it. With
    no share held out the model learns from every posting, and its expected quality is the
    cross-validated one (`bench.tags_cv`)."""
    from training.metrics import multilabel_metrics
    from training.tags import TagTrainer, TagTrainingConfig, label_matrix, postings, split_by_id

    labeled = read_labeled(jobs_source)
    train, test = split_by_id(labeled, test_fraction, TEST_SALT)
    values = json.loads(config_path.read_text()) if config_path else {}
    if seed is not None:
        values["seed"] = seed
    config = TagTrainingConfig.from_dict(values)
    unlabeled = read_unlabeled(unlabeled_sources)
    started = time.perf_counter()
    model, report = TagTrainer(config).fit(train, unlabeled)
    metrics: dict[str, object] = {"training_seconds": round(time.perf_counter() - started, 1),
                                  "autoencoder": report.autoencoder,
                                  "validation": _summary(report.validation),
                                  "epochs_run": report.epochs_run,
                                  "best_epoch": report.best_epoch}
    if test:
        truth = label_matrix(test, model.tags)
        held_out = multilabel_metrics(truth, model.decide(model.predict_proba(postings(test))),
                                      model.tags)
        metrics["held_out"] = held_out
    parameters = {**dataclasses.asdict(config), "test_fraction": test_fraction,
                  "test_salt": TEST_SALT, "thresholds": dict(zip(
                      model.tags, map(float, model.thresholds), strict=True))}
    data = {"jobs": data_hashes([jobs_source])[0], "unlabeled": data_hashes(unlabeled_sources),
            "labeled_train": len(train), "labeled_test": len(test)}
    return Component(TAGS_DIR, model.save, parameters, metrics, data)


def _summary(metrics: dict) -> dict:
    return {k: v for k, v in metrics.items() if k != "per_label"}


def load_tag_model(bundle: Path) -> TagModel:
    return TagModel.load(resolve_bundle(bundle) / TAGS_DIR)


def predict_tags(bundle: Path, input_path: Path, out) -> int:
    from training.batch import predict_jsonl

    model = load_tag_model(bundle)

    def tags(title: str, description: str) -> dict:
        chosen, scores = model.predict(title, description)
        return {"tags": [s.tag for s in chosen], "scores": scores}

    return predict_jsonl(input_path, out, tags, {"tags": []})


def evaluate_tags(bundle: Path, jobs_source: str, out_dir: Path) -> Path:
    """Score the bundle's model and a linear baseline trained now, on the same held-out split
    the model was trained without."""
    from training import evaluate_tags as ev
    from training.tags import label_matrix, postings, split_by_id

    bundle = resolve_bundle(bundle)
    model = load_tag_model(bundle)
    parameters = read_manifest(bundle)["parameters"][TAGS_DIR]
    train, test = split_by_id(read_labeled(jobs_source), parameters["test_fraction"],
                              parameters["test_salt"])
    if not test:
        raise ValueError("the held-out split is empty: the bundle was trained on every posting")
    truth = label_matrix(test, model.tags)
    network, linear = model.members(*model.features(postings(test)))
    probabilities = model.blend(network, linear)
    systems = {"careerpath (autoencoder + DNN" + (", linear member" if linear is not None
                                                  else "") + ")": model.decide(probabilities)}
    if linear is not None:  # what each member adds
        systems["its network alone, at the blend's thresholds"] = model.decide(network)
        systems["its linear member alone, at the blend's thresholds"] = model.decide(linear)
    systems["baseline: TF-IDF word+char n-grams, linear SVM"] = ev.linear_baseline(
        train, test, model.tags)
    report = ev.write_report(systems, truth, probabilities, model.tags, out_dir,
                             f"Tag model {bundle.name} on {len(test)} held-out postings")
    print(report.read_text())
    return report


