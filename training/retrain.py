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
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines.feedback import FeedbackRecord, FeedbackStore
from pipelines.jobs import content_id
from pipelines.records import Job
from runtime.bundles import BundleStore, Manifest, read_manifest
from runtime.components import directory_of, load_components
from runtime.recommend import Recommender, load_recommender
from runtime.settings import Settings
from runtime.tags import TagModel
from training.bundle import Component, write_bundle
from training.train import refit_dependents

LOCK_ID = 0x6361_7265_6572  # "career"


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
        watermark = manifest.feedback_watermark
        records = feedback_store.since(watermark)
        postings_mark = manifest.postings_watermark
        recorded = (feedback_store.postings(after=postings_mark, limit=self.recorded_postings)
                    if self.settings.record_postings else [])
        if not records and not recorded and self.catalog is None:
            return RetrainResult("nothing-to-do", notes=[f"no feedback after #{watermark}"])
        result = RetrainResult("rejected", feedback=len(records))
        before = Models.load(live)
        texts = [(title, description) for _, title, description in recorded]
        tagger, gate = self._update_tags(before.tagger, manifest, records, texts, result)
        recommender = self._update_recommender(live, manifest, records, result)
        after = Models(recommender or before.recommender, tagger or before.tagger)
        result.metrics = {"live": self._score(before, gate), "candidate": self._score(after, gate)}
        dropped = {name: value - result.metrics["candidate"][name]
                   for name, value in result.metrics["live"].items()
                   if value - result.metrics["candidate"].get(name, value) > self.tolerance}
        updated = []
        if tagger is not None:
            updated.append(Component.updated("tags", tagger, manifest.components["tags"]))
        if recommender is not None:
            updated.append(Component.updated("recommend", recommender,
                                             manifest.components["recommend"]))
        if self.catalog is not None and recommender is not None:
            updated += self._course_skills(live, manifest, recommender, result)
        refit_failed = self._refit(live, updated, result)
        dropped = dropped or refit_failed
        candidate = write_bundle(
            self.store, updated, base=live, promote=not dropped,
            feedback_watermark=records[-1].seq if records else watermark,
            postings_watermark=max([postings_mark, *(r[0] for r in recorded)]),
            retrained_from=manifest.version,
            retrain={"feedback": len(records), "gate": result.metrics,
                     "tolerance": self.tolerance})
        result.candidate = candidate.name
        if dropped:
            if not refit_failed:
                result.notes.append(f"rejected: metrics dropped more than {self.tolerance}: "
                                    f"{dropped}")
            (candidate / "REJECTED.json").write_text(json.dumps(result.to_dict(), indent=2))
            return result
        self.store.prune(self.keep)
        result.status = "promoted"
        return result

    @staticmethod
    def _refit(live: Path, updated: list[Component], result: RetrainResult) -> dict[str, str]:
        """Refit what is built on the updated components (the path planner's confidence on
        the recommender, say), so that none describes a model no longer beside it; what
        cannot be refitted rejects the candidate."""
        try:
            refitted = refit_dependents(live, {c.name: c.model for c in updated})
        except ValueError as error:
            result.notes.append(f"rejected: {error}")
            return {"refit": str(error)}
        updated += refitted
        if refitted:
            result.notes.append("refitted on the updated models: "
                                + ", ".join(c.name for c in refitted))
        return {}

    def _update_tags(self, model: TagModel | None, manifest: Manifest,
                     records: list[FeedbackRecord],
                     recorded: list[tuple[str, str]],
                     result: RetrainResult) -> tuple[TagModel | None, list[Job]]:
        """Corrected tag sets continue training the live tag model, mixed with a replay
        sample of the data it was trained on. Returns the updated model (None when there was
        nothing to learn) and the fixed validation postings that gate it."""
        from training.sources import read_labeled
        from training.tags.config import TagTrainingConfig
        from training.tags.data import VALIDATION_SALT, held_out_split, split_by_id
        from training.tags.trainer import NewTagError, TagTrainer

        if model is None:
            return None, []
        try:
            original = read_labeled(manifest.components["tags"].data["jobs"]["path"])
        except (OSError, ValueError) as error:
            result.notes.append(f"tags not updated: training data unavailable ({error})")
            return None, []
        earlier, gate = split_by_id(original, *held_out_split(model.parameters))
        new = [corrected_job(r.payload) for r in records if r.kind == "tags"]
        if not new and not recorded:
            return None, gate
        if not gate:
            result.notes.append("tags: the live model learned from every labeled posting, so "
                                "no held-out postings gate this update")
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
            updated = TagTrainer(config, model.featurizer.reader, model.featurizer,
                                 progress=False).update(
                model, new * copies, replay, validation, epochs=self.tag_epochs,
                unlabeled=unlabeled, earlier=earlier)
        except NewTagError as error:
            result.notes.append(str(error))
            return None, gate
        result.notes.append(f"tag model updated with {len(new)} corrected postings"
                            + (f", autoencoder refreshed with {len(unlabeled)} recorded "
                               "postings" if unlabeled else ""))
        return updated, gate


    def _update_recommender(self, live: Path, manifest: Manifest,
                            records: list[FeedbackRecord],
                            result: RetrainResult) -> Recommender | None:
        """The recommender over an updated catalog and taught by course judgments; None when
        neither was given or the bundle has no recommender."""
        judged = [(*feedback_posting(r.payload), r.payload["course_id"],
                   bool(r.payload["helpful"])) for r in records if r.kind == "course"]
        directory = directory_of(live, "recommend")
        if (self.catalog is None and not judged) or directory is None:
            return None
        reader = load_components(live, ["reader"])["reader"]
        recommender = load_recommender(directory, reader, mmap=None)
        if self.catalog is not None:
            recommender = self._update_catalog(recommender, manifest, result)
        if judged:
            from training.recommend.fit import learn_from_feedback

            recommender = learn_from_feedback(recommender, judged)
            result.notes.append(f"recommender learned from {len(judged)} course judgments")
        return recommender

    def _update_catalog(self, recommender: Recommender, manifest: Manifest,
                        result: RetrainResult) -> Recommender:
        """New and removed courses: added in place, or a full rebuild when the catalog changed
        more than `rebuild_share`."""
        from training.recommend.fit import fit_recommender, update_catalog
        from training.sources import load_corpus, load_courses

        assert self.catalog is not None
        catalog = load_courses(self.catalog)
        before, after = {c.id for c in recommender.courses}, {c.id for c in catalog}
        share = len(before ^ after) / max(len(before), 1)
        if share > self.rebuild_share:
            record = manifest.components["recommend"]
            corpus = [entry["path"] for entry in record.data["corpus"]]
            result.notes.append(f"catalog changed by {share:.0%}: full rebuild")
            return fit_recommender(catalog, load_corpus(corpus), recommender.config,
                                   recommender.reader, progress=False)
        result.notes.append(f"catalog: {len(after - before)} courses added, "
                            f"{len(before - after)} removed")
        return update_catalog(recommender, catalog)

    def _course_skills(self, live: Path, manifest: Manifest, recommender: Recommender,
                       result: RetrainResult) -> list[Component]:
        """The skill extractor with the updated catalog's courses' skills (none without one)."""
        from training.skills.fit import course_skills

        if "skills" not in manifest.components:
            return []
        extractor = load_components(live, ["skills"])["skills"]
        extractor = extractor.with_course_skills(course_skills(extractor, recommender.courses))
        result.notes.append(f"skills of the {len(recommender.courses)} courses found again")
        return [Component.updated("skills", extractor, manifest.components["skills"])]

    def _score(self, models: Models, gate: list[Job]) -> dict[str, float]:
        """The gate's metrics: tag F1 on the fixed held-out postings, ranking quality on the
        dev judgments (when given)."""
        from training.metrics import multilabel_metrics
        from training.tags.data import label_matrix, postings

        scores: dict[str, float] = {}
        if gate and models.tagger is not None:
            model = models.tagger
            found = multilabel_metrics(label_matrix(gate, model.tags), model.decide(
                model.predict_proba(postings(gate))), model.tags)
            scores["tags_micro_f1"] = float(found["micro_f1"])
            scores["tags_macro_f1"] = float(found["macro_f1"])
        if self.judgments and models.recommender is not None:
            from training.recommend.evaluate import evaluate_on

            metrics = evaluate_on(models.recommender, self.judgments)
            scores["recommend_ndcg@10"] = metrics["ndcg@10"]
            scores["recommend_p@5"] = metrics["p@5"]
        return scores


@dataclass(frozen=True)
class Models:
    """The models of a bundle that a retrain updates and scores."""

    recommender: Recommender | None
    tagger: TagModel | None

    @classmethod
    def load(cls, bundle: Path) -> Models:
        models = load_components(bundle, ["recommend", "tags"])
        return cls(models.get("recommend"), models.get("tags"))


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
