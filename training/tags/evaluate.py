"""Tag model report: the model beside a linear baseline on the same held-out postings, per-tag
F1 bars and precision-recall curves."""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from pipelines.records import Job
from runtime import schemaorg
from runtime.bundles import read_manifest, resolve_bundle
from runtime.components import load_component
from runtime.loaded import LoadedBundle, load_bundle
from runtime.schemas import TagsRequest
from training.boilerplate import Noise, boilerplate_blocks
from training.charts import metric_table
from training.metrics import binary_f1, multilabel_metrics
from training.reader.fit import held_out
from training.sources import read_labeled, read_unlabeled
from training.tags.data import fold_of, held_out_split, label_matrix, postings, split_by_id


def _text(job: Job) -> str:
    return f"{job.title}\n{job.description}"


BASELINE_C = (0.03, 0.1, 0.3, 1.0)
BASELINE_MARGINS = np.round(np.arange(-1.0, 1.01, 0.1), 1)


def linear_baseline(train: Sequence[Job], test: Sequence[Job], tags: Sequence[str]) -> np.ndarray:
    """TF-IDF word and character n-grams with one linear SVM per tag (balanced class weights:
    the tags are imbalanced). Tuned as the tag model is, on out-of-fold margins for every
    training posting (the tag model's threshold folds) and never on the test postings: per
    tag, the C and the decision threshold with the best out-of-fold F1; then refitted on all
    training postings."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.model_selection import PredefinedSplit, cross_val_predict
    from sklearn.pipeline import make_union
    from sklearn.svm import LinearSVC

    from training.tags.config import TagTrainingConfig

    features = make_union(
        TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True, min_df=2),
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), sublinear_tf=True, min_df=2),
    )
    x_train = features.fit_transform([_text(j) for j in train]).tocsr()
    x_test = features.transform([_text(j) for j in test])
    truth = label_matrix(train, tags).astype(bool)
    k = max(2, TagTrainingConfig().threshold_folds)
    folds = np.array([fold_of(job.id, k, "thresholds") for job in train])
    splits = PredefinedSplit(folds)
    predicted = np.zeros((len(test), len(tags)), dtype=bool)
    for tag in range(len(tags)):
        y = truth[:, tag]
        if any(y[folds != fold].all() or not y[folds != fold].any() for fold in range(k)):
            predicted[:, tag] = y.mean() > 0.5
            continue
        tuned = []
        for c in BASELINE_C:
            margins = cross_val_predict(LinearSVC(C=c, class_weight="balanced"), x_train, y,
                                        cv=splits, method="decision_function")
            tuned += [(binary_f1(y, margins >= m), c, m) for m in BASELINE_MARGINS]
        _, c, margin = max(tuned, key=lambda t: t[0])
        svm = LinearSVC(C=c, class_weight="balanced").fit(x_train, y)
        predicted[:, tag] = svm.decision_function(x_test) >= margin
    return predicted


def evaluate_bundle(bundle: Path, jobs_source: str, out_dir: Path) -> Path:
    """`careerpath evaluate tags`: the bundle's model, each member of its blend and a linear
    baseline trained now, on the held-out postings the model was trained without; the model
    again with real boilerplate appended to each, and the same postings sent as schema.org
    JobPostings whose properties state their labeled schedule and pay."""
    bundle = resolve_bundle(bundle)
    model = load_component(bundle, "tags")
    labeled = read_labeled(jobs_source)
    train, test = split_by_id(labeled, *held_out_split(model.parameters))
    if not test:
        raise ValueError("the held-out split is empty: the bundle was trained on every posting")
    truth = label_matrix(test, model.tags)
    network, linear = model.members(*model.features(postings(test)))
    probabilities = model.blend(network, linear)
    main = "careerpath (autoencoder + DNN" + (", linear member" if linear is not None
                                               else "") + ")"
    systems = {main: model.decide(probabilities)}
    if linear is not None:  # what each member adds
        systems["its network alone, at the blend's thresholds"] = model.decide(network)
        systems["its linear member alone, at the blend's thresholds"] = model.decide(linear)
    noisy = with_appended_boilerplate(
        test, [*labeled, *read_unlabeled(_trained_unlabeled(bundle))])
    with_noise = f"{main}, 2-18k characters of boilerplate appended"
    if noisy is not None:
        systems[with_noise] = model.decide(model.predict_proba(postings(noisy)))
    systems["baseline: TF-IDF word+char n-grams, linear SVM"] = linear_baseline(
        train, test, model.tags)
    honoured, stated = stated_terms_honoured(load_bundle(bundle), test)
    notes = [f"Same tag set with the boilerplate appended: "
             f"{np.mean((systems[main] == systems[with_noise]).all(axis=1)):.3f} of the postings."
             if noisy is not None else "No boilerplate to append: these postings have no "
             "benefits, company or equal-opportunity section to cut it from.",
             f"Sent as JobPostings whose `employmentType` and `baseSalary` state their labeled "
             f"schedule and pay: {honoured:.3f} of the {stated} stated terms honoured."]
    report = write_report(systems, truth, probabilities, model.tags, out_dir,
                          f"Tag model {bundle.name} on {len(test)} held-out postings", notes)
    print(report.read_text())
    return report


def _trained_unlabeled(bundle: Path) -> list[str]:
    """The unlabeled postings the tag model was trained with, where they still are."""
    record = read_manifest(bundle).components["tags"]
    return [entry["path"] for entry in record.data.get("unlabeled", [])
            if Path(entry["path"]).exists()]


def with_appended_boilerplate(test: Sequence[Job], source: Sequence[Job],
                              seed: int = 1) -> list[Job] | None:
    """Each posting with 2,000-18,000 characters of other postings' benefits, company,
    equal-opportunity and application text after it, cut from the `source` postings that
    the posting reader never learned from (as `bench/robustness.py` does); None when they
    have no such text."""
    noise = Noise(boilerplate_blocks(job for job in source if held_out(job)))
    if not noise.blocks:
        return None
    rng = random.Random(seed)
    return [job.model_copy(update={"description": noise.add(job.description, "append", rng)})
            for job in test]


def stated_terms_honoured(bundle: LoadedBundle, test: Sequence[Job]) -> tuple[float, int]:
    """The share of the schedule and pay terms that a posting's JobPosting properties state
    (from its labels) which its answered tags carry, and how many terms were stated."""
    stated = honoured = 0
    for job in test:
        labels = set(job.tags or [])
        properties: dict[str, object] = {}
        schedule = [kind for tag, kind in schemaorg.EMPLOYMENT_TYPES.items() if tag in labels]
        pay = [unit for tag, unit in schemaorg.PAY_UNITS.items() if tag in labels]
        if schedule:
            properties["employmentType"] = schedule
        if pay:
            properties["baseSalary"] = {"@type": "MonetaryAmount", "value": {
                "@type": "QuantitativeValue", "unitText": pay[0]}}
        if not properties:
            continue
        answer = bundle.tags(TagsRequest.model_validate({
            "@type": "JobPosting", "title": job.title, "description": job.description,
            **properties}))
        found = {tag.tag for tag in answer.tags}
        wanted = labels & {*schemaorg.EMPLOYMENT_TYPES, *schemaorg.PAY_UNITS}
        stated += len(wanted)
        honoured += len(wanted & found)
    return honoured / max(stated, 1), stated


def write_report(systems: dict[str, np.ndarray], truth: np.ndarray, probabilities: np.ndarray,
                 tags: Sequence[str], out_dir: Path, title: str,
                 notes: Sequence[str] = ()) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    results = {name: multilabel_metrics(truth, predicted, tags)
               for name, predicted in systems.items()}
    columns = ["micro_f1", "macro_f1", "micro_precision", "micro_recall"]
    lines = [f"# {title}", "", *metric_table(results, columns)]
    lines += ["", *notes] if notes else []
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
