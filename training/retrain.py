"""`careerpath retrain`: feedback since the live bundle's watermark -> a candidate bundle ->
evaluated on fixed validation sets -> promoted atomically, or rejected and kept for inspection.
One run at a time (a PostgreSQL advisory lock, or a file lock beside the bundles); a run killed
at any point leaves the live bundle and the watermark untouched, because both change only in
the final atomic pointer switch."""

from __future__ import annotations

import contextlib
import fcntl
import json
import random
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from careerpath.bundles import MANIFEST, BundleStore, read_manifest
from careerpath.settings import Settings
from pipelines.jobs import content_id
from pipelines.records import Job
from service.feedback import FeedbackRecord, FeedbackStore
from service.recommender import Recommender
from service.tagger import TagModel

LOCK_ID = 0x6361_7265_6572  # "career"
HISTORY = "HISTORY"


class RetrainBusyError(RuntimeError):
    """Another retrain holds the lock."""


@dataclass
class RetrainResult:
    status: str  # "nothing-to-do" | "promoted" | "rejected"
    feedback: int = 0
    candidate: str | None = None
    metrics: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@contextlib.contextmanager
def exclusive(settings: Settings, store: FeedbackStore) -> Iterator[None]:
    """Hold the single-retrain lock, or raise RetrainBusyError at once."""
    if store.engine.dialect.name == "postgresql":
        with store.engine.connect() as connection:
            got = connection.exec_driver_sql(f"select pg_try_advisory_lock({LOCK_ID})").scalar()
            if not got:
                raise RetrainBusyError("another retrain is running (advisory lock held)")
            try:
                yield
            finally:
                connection.exec_driver_sql(f"select pg_advisory_unlock({LOCK_ID})")
        return
    settings.model_dir.mkdir(parents=True, exist_ok=True)
    with (settings.model_dir / ".retrain.lock").open("w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            raise RetrainBusyError("another retrain is running (lock file held)") from error
        yield


class Retrainer:
    def __init__(self, settings: Settings, *, judgments: Path | None = None,
                 tolerance: float = 0.02, keep: int = 5, replay: int = 500,
                 tag_epochs: int = 5, seed: int = 13, catalog: Path | None = None,
                 rebuild_share: float = 0.2) -> None:
        self.settings = settings
        self.store = BundleStore(settings.model_dir)
        self.judgments = judgments
        self.tolerance = tolerance
        self.keep = keep
        self.replay = replay
        self.tag_epochs = tag_epochs
        self.seed = seed
        self.catalog = catalog
        self.rebuild_share = rebuild_share
        self.recorded_postings = 2000

    def run(self, feedback: FeedbackStore) -> RetrainResult:
        with exclusive(self.settings, feedback):
            return self._run(feedback)

    def _run(self, feedback_store: FeedbackStore) -> RetrainResult:
        live = self.store.live()
        if live is None:
            raise ValueError("no live bundle to retrain from; run `careerpath train` first")
        manifest = read_manifest(live)
        watermark = int(manifest.get("feedback_watermark") or 0)
        records = feedback_store.since(watermark)
        postings_mark = int(manifest.get("postings_watermark") or 0)
        recorded = (feedback_store.postings(after=postings_mark, limit=self.recorded_postings)
                    if self.settings.record_postings else [])
        if not records and not recorded and self.catalog is None:
            return RetrainResult("nothing-to-do", notes=[f"no feedback after #{watermark}"])
        result = RetrainResult("rejected", feedback=len(records))
        staging = self.store.begin()
        try:
            for component in manifest.get("components", []):
                shutil.copytree(live / component, staging / component)
            texts = [(title, description) for _, title, description in recorded]
            gate = self._update_tags(live, manifest, staging, records, texts, result)
            self._update_catalog(manifest, staging, result)
            self._update_recommender(staging, records, result)
            before = self._score(live, gate)
            after = self._score(staging, gate)
        except BaseException:
            shutil.rmtree(staging, ignore_errors=True)
            raise
        result.metrics = {"live": before, "candidate": after}
        dropped = {name: before[name] - after[name] for name in before
                   if name in after and before[name] - after[name] > self.tolerance}
        new_manifest = {**{k: v for k, v in manifest.items()
                           if k not in ("version", "created_at")},
                        "feedback_watermark": records[-1].seq if records else watermark,
                        "postings_watermark": max([postings_mark, *(r[0] for r in recorded)]),
                        "retrained_from": manifest["version"],
                        "retrain": {"feedback": len(records), "gate": result.metrics,
                                    "tolerance": self.tolerance}}
        candidate = self.store.commit(staging, new_manifest)
        result.candidate = candidate.name
        if dropped:
            result.notes.append(f"rejected: metrics dropped more than {self.tolerance}: "
                                f"{dropped}")
            (candidate / "REJECTED.json").write_text(json.dumps(result.to_dict(), indent=2))
            return result
        self.store.promote(candidate)
        with (self.store.root / HISTORY).open("a") as history:
            history.write(f"{manifest['version']} -> {candidate.name}\n")
        self.store.prune(self.keep)
        result.status = "promoted"
        return result

    def _update_tags(self, live: Path, manifest: dict, staging: Path,
                     records: list[FeedbackRecord], recorded: list[tuple[str, str]],
                     result: RetrainResult) -> list[Job]:
        """Corrected tag sets continue training the live tag model, mixed with a replay
        sample of the data it was trained on. Returns the fixed validation postings."""
        from training.tags import (
            VALIDATION_SALT,
            NewTagError,
            TagTrainer,
            TagTrainingConfig,
            split_by_id,
        )
        from training.tags_cli import read_labeled

        if not (live / "tags").is_dir():
            return []
        data = manifest["data"]["tags"]
        parameters = manifest["parameters"]["tags"]
        try:
            original = read_labeled(data["jobs"]["path"])
        except (OSError, ValueError) as error:
            result.notes.append(f"tags not updated: training data unavailable ({error})")
            return []
        earlier, gate = split_by_id(original, parameters["test_fraction"],
                                    parameters["test_salt"])
        new = [corrected_job(r.payload) for r in records if r.kind == "tags"]
        if not new and not recorded:
            return gate
        if not gate:
            result.notes.append("tags: the live model learned from every labeled posting, so "
                                "no held-out postings gate this update")
        model = TagModel.load(live / "tags")
        config = TagTrainingConfig.from_dict(model.parameters.get("training", {}))
        # Early stopping watches the training side's validation postings, never the gate's
        # held-out ones, which would let the gate grade its own homework.
        pool, validation = split_by_id(earlier, config.validation_fraction, VALIDATION_SALT)
        replay = random.Random(self.seed).sample(pool, min(self.replay, len(pool)))
        # Corrections are few next to the replay sample: repeat them so that they make up
        # about a tenth of what the update sees.
        copies = max(3, len(replay) // (10 * len(new))) if new else 0
        unlabeled = [Job(id=content_id(f"{t}\n{d}"), title=t, description=d)
                     for t, d in recorded]
        try:
            updated = TagTrainer(config, model.featurizer, progress=False).update(
                model, new * copies, replay, validation, epochs=self.tag_epochs,
                unlabeled=unlabeled, earlier=earlier)
        except NewTagError as error:
            result.notes.append(str(error))
            return gate
        shutil.rmtree(staging / "tags")
        updated.save(staging / "tags")
        result.notes.append(f"tag model updated with {len(new)} corrected postings"
                            + (f", autoencoder refreshed with {len(unlabeled)} recorded "
                               "postings" if unlabeled else ""))
        return gate

    def _update_catalog(self, manifest: dict, staging: Path, result: RetrainResult) -> None:
        """New and removed courses: added in place, or a full rebuild when the catalog changed
        more than `rebuild_share`."""
        from training.recommender import fit_recommender, update_catalog
        from training.recommender_cli import load_corpus, load_courses

        if self.catalog is None or not (staging / "recommender").is_dir():
            return
        catalog = load_courses(self.catalog)
        recommender = Recommender.load(staging / "recommender", mmap=None)
        before, after = {c.id for c in recommender.courses}, {c.id for c in catalog}
        share = len(before ^ after) / max(len(before), 1)
        if share > self.rebuild_share:
            corpus = [entry["path"] for entry in manifest["data"]["recommender"]["corpus"]]
            updated = fit_recommender(catalog, load_corpus(corpus), recommender.config,
                                      progress=False)
            result.notes.append(f"catalog changed by {share:.0%}: full rebuild")
        else:
            updated = update_catalog(recommender, catalog)
            result.notes.append(f"catalog: {len(after - before)} courses added, "
                                f"{len(before - after)} removed")
        shutil.rmtree(staging / "recommender")
        updated.save(staging / "recommender")

    def _update_recommender(self, staging: Path, records: list[FeedbackRecord],
                            result: RetrainResult) -> None:
        from training.recommender import learn_from_feedback

        judged = [(*feedback_posting(r.payload), r.payload["course_id"], bool(r.payload["helpful"]))
                  for r in records if r.kind == "course"]
        if not judged or not (staging / "recommender").is_dir():
            return
        recommender = Recommender.load(staging / "recommender", mmap=None)
        updated = learn_from_feedback(recommender, judged)
        shutil.rmtree(staging / "recommender")
        updated.save(staging / "recommender")
        result.notes.append(f"recommender learned from {len(judged)} course judgments")

    def _score(self, bundle: Path, gate: list[Job]) -> dict[str, float]:
        """The gate's metrics: tag F1 on the fixed held-out postings, ranking quality on the
        dev judgments (when given)."""
        from training.metrics import multilabel_metrics
        from training.tags import label_matrix, postings

        scores: dict[str, float] = {}
        if gate and (bundle / "tags").is_dir():
            model = TagModel.load(bundle / "tags")
            truth = label_matrix(gate, model.tags)
            found = multilabel_metrics(truth, model.decide(model.predict_proba(
                postings(gate))), model.tags)
            scores["tags_micro_f1"] = float(found["micro_f1"])
            scores["tags_macro_f1"] = float(found["macro_f1"])
        if self.judgments and (bundle / "recommender").is_dir():
            from training.recommender_cli import evaluate_on

            metrics = evaluate_on(Recommender.load(bundle / "recommender"), self.judgments)
            scores["recommend_ndcg@10"] = metrics["ndcg@10"]
            scores["recommend_p@5"] = metrics["p@5"]
        return scores


def feedback_posting(payload: dict[str, Any]) -> tuple[str, str]:
    """A feedback posting's title and description. Text acknowledged before the API refused
    half surrogate pairs may hold one, which no model can encode: it becomes "?"."""
    title, description = (payload["job"][field].encode("utf-8", "replace").decode()
                          for field in ("title", "description"))
    return title, description


def corrected_job(payload: dict[str, Any]) -> Job:
    """The posting of a tag correction, labeled with the tags the user gave."""
    title, description = feedback_posting(payload)
    return Job(id=content_id(f"{title}\n{description}"), title=title, description=description,
               tags=payload["tags"])


def rollback(store: BundleStore) -> Path:
    """Make the previously live bundle live again."""
    history = store.root / HISTORY
    lines = history.read_text().splitlines() if history.exists() else []
    if not lines:
        raise ValueError("no promotion to roll back")
    previous, current = (part.strip() for part in lines[-1].split("->"))
    live = store.live()
    if live is None or live.name != current:
        raise ValueError(f"the live bundle is not {current}; nothing to roll back safely")
    target = store.root / previous
    if not (target / MANIFEST).is_file():
        raise ValueError(f"bundle {previous} is gone (pruned); cannot roll back")
    store.promote(target)
    history.write_text("".join(f"{line}\n" for line in lines[:-1]))
    return target


def main(settings: Settings, judgments: Path | None, tolerance: float, keep: int,
         catalog: Path | None = None) -> int:
    feedback = FeedbackStore(settings.feedback_url)
    try:
        result = Retrainer(settings, judgments=judgments, tolerance=tolerance, keep=keep,
                           catalog=catalog).run(feedback)
    except RetrainBusyError as error:
        print(f"careerpath retrain: {error}; exiting", file=sys.stderr)
        return 0
    finally:
        feedback.close()
    print(json.dumps(result.to_dict(), indent=2))
    return 0
