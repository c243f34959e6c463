"""careerpath: course recommendations and tags for job postings.

Import catalogs and postings, train the models into a bundle, predict and evaluate with a
bundle, retrain from feedback, and serve the REST API. `careerpath COMMAND --help` explains
each command; the environment variables of the README's Configuration section set the
defaults that the options below do not."""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the settings module is imported by the commands that need it
    from runtime.settings import Settings

Handler = Callable[[argparse.Namespace], int]
TRAINABLE = ("all", "recommend", "tags", "skills", "path")
# other names: "recommender", as earlier releases spelled it (kept for one more), and "paths"
ALIASES = {"recommend": ["recommender"], "path": ["paths"]}
STORE_HELP = "default: the store named by CAREERPATH_MODEL_DIR (models)"
RATE_LIMIT_FILE = "CAREERPATH_RATE_LIMIT_FILE"
RELOAD_LOCK_FILE = "CAREERPATH_RELOAD_LOCK_FILE"
WORKER_HEALTHCHECK_SECONDS = 2


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Each option's default at the end of its help, where it has one worth showing."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help or ""
        if ("%(default)" in text or action.default in (None, False, [], argparse.SUPPRESS)
                or not action.option_strings):
            return text
        return f"{text} (default: %(default)s)"


def _store(path: Path | None) -> Path:
    from runtime.settings import Settings

    return path if path is not None else Settings().model_dir


def _import_courses(args: argparse.Namespace) -> int:
    from pipelines.courses import read_courses, write_jsonl

    courses, report = read_courses(args.file, args.format)
    write_jsonl(courses, args.out)
    _print_report(report, args.report)
    return 0


def _import_jobs(args: argparse.Namespace) -> int:
    from pipelines.jobs import read_jobs, write_jobs

    jobs, report = read_jobs(args.source)
    write_jobs(jobs, args.out)
    _print_report(report, args.report)
    return 0


def _print_report(report: object, path: Path | None) -> None:
    print(report.summary(), file=sys.stderr)  # type: ignore[attr-defined]
    if path:
        path.write_text(json.dumps(report.to_dict(), indent=2, ensure_ascii=False))  # type: ignore[attr-defined]


def _fetch_courses(args: argparse.Namespace) -> int:
    from pipelines.coursera_api import CatalogAPIError, CourseraCatalogClient

    client = CourseraCatalogClient(page_size=args.page_size, min_interval_seconds=args.interval)
    try:
        result = client.fetch(args.out, resume=not args.restart)
    except CatalogAPIError as error:
        print(f"careerpath fetch: {error}; run again to resume where it stopped", file=sys.stderr)
        return 1
    print(f"wrote {result.written} courses from {result.pages} pages ({result.retries} retries)")
    print(result.report.summary(), file=sys.stderr)
    return 0


def _train(args: argparse.Namespace) -> int:
    from training.train import MODELS, TrainingInputs, train

    inputs = TrainingInputs(
        courses=getattr(args, "courses", None), corpus=getattr(args, "corpus", []),
        jobs=getattr(args, "jobs", None), unlabeled=getattr(args, "unlabeled", []),
        recommender_config=getattr(args, "recommend_config", None),
        tags_config=getattr(args, "tags_config", None),
        hold_out=getattr(args, "hold_out", 0.2), judgments=getattr(args, "judgments", None),
        taxonomy=getattr(args, "taxonomy", None), encoder=getattr(args, "encoder", "auto"),
        path_floor=getattr(args, "path_floor", 0.6),
        seed=args.seed, models=MODELS if args.model == "all" else (args.model,))
    bundle = train(_store(args.out), inputs)
    print(f"bundle {bundle} is live")
    return 0


def _predict(args: argparse.Namespace) -> int:
    from careerpath import predict
    from runtime.bundles import resolve_bundle
    from runtime.loaded import load_bundle

    bundle = load_bundle(resolve_bundle(_store(args.bundle)))
    answer = predict.answer_for(bundle, args.model, getattr(args, "k", 10))
    out = args.out.open("w", encoding="utf-8") if args.out else sys.stdout
    try:
        failures = predict.predict_jsonl(args.input, out, answer)
    finally:
        if args.out:
            out.close()
    if failures:
        print(f"{failures} postings could not be answered (see their 'error')", file=sys.stderr)
    return 0


def _evaluate(args: argparse.Namespace) -> int:
    if args.model == "recommend":
        from training.recommend.evaluate import evaluate_bundle

        evaluate_bundle(_store(args.bundle), args.judgments, args.seed_labels, args.report_dir)
    elif args.model == "tags":
        from training.tags.evaluate import evaluate_bundle as evaluate_tags

        evaluate_tags(_store(args.bundle), args.jobs, args.report_dir)
    elif args.model == "skills":
        from training.skills.evaluate import evaluate_bundle as evaluate_skills

        evaluate_skills(_store(args.bundle), args.benchmark, args.taxonomy, args.report_dir)
    else:
        from training.paths.evaluate import evaluate_bundle as evaluate_path

        evaluate_path(_store(args.bundle), args.judgments, args.report_dir)
    return 0


def _tune(args: argparse.Namespace) -> int:
    from training.recommend.tune import tune

    best = tune(args.courses, args.corpus, args.judgments, args.out)
    print(json.dumps(best, indent=2))
    return 0


def _retrain(args: argparse.Namespace) -> int:
    import time

    from runtime.settings import Settings
    from training import retrain

    overrides = {"model_dir": args.model_dir, "feedback_url": args.feedback_url}
    settings = Settings(**{k: v for k, v in overrides.items() if v is not None})
    while True:
        code = retrain.main(settings, args.judgments, args.tolerance, args.keep, args.courses)
        if not args.every:
            return code
        time.sleep(parse_interval(args.every))


def parse_interval(text: str) -> float:
    """'90s', '15m', '1h', '1d' -> seconds."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    if not text or text[-1] not in units or not text[:-1].replace(".", "", 1).isdigit():
        raise ValueError(f"interval {text!r}: use a number with s, m, h or d (e.g. 1h)")
    return float(text[:-1]) * units[text[-1]]


def _rollback(args: argparse.Namespace) -> int:
    from runtime.bundles import BundleStore

    print(f"bundle {BundleStore(_store(args.model_dir)).rollback().name} is live again")
    return 0


def _serve(args: argparse.Namespace) -> int:
    import uvicorn

    from runtime.settings import Settings

    if args.bundle is not None:
        os.environ["CAREERPATH_MODEL_DIR"] = str(args.bundle)  # workers read the environment
    # Parallelism comes from worker processes; threaded BLAS inside each would oversubscribe.
    for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(variable, "1")
    settings = Settings()
    workers = args.workers or settings.workers
    with shared_metrics(workers), instance_files(settings, workers):
        uvicorn.run("service.app:create_app", factory=True, host=args.host, port=args.port,
                    workers=workers, log_config=json_log_config(),
                    timeout_keep_alive=int(math.ceil(settings.keep_alive_seconds)),
                    # a worker killed while the supervisor pings it is replaced after this
                    # timeout: uvicorn's 5 s would leave the capacity short for longer
                    timeout_worker_healthcheck=WORKER_HEALTHCHECK_SECONDS)
    return 0


@contextmanager
def instance_files(settings: Settings, workers: int) -> Iterator[None]:
    """The files the workers of this instance share, in a fresh directory they learn of
    through the environment and removed on exit: the token buckets (with a rate limit) and
    the lock by which they take turns loading a new bundle (with several workers). A file
    configured in the environment is used as it is."""
    wanted = {RATE_LIMIT_FILE: ("buckets.db", settings.rate_limit is not None),
              RELOAD_LOCK_FILE: ("reload.lock", workers > 1)}
    made = [variable for variable, (_, needed) in wanted.items()
            if needed and not os.environ.get(variable)]
    if not made:
        yield
        return
    directory = Path(tempfile.mkdtemp(prefix="careerpath-instance-"))
    for variable in made:
        os.environ[variable] = str(directory / wanted[variable][0])
    try:
        yield
    finally:
        for variable in made:
            del os.environ[variable]
        shutil.rmtree(directory, ignore_errors=True)


@contextmanager
def shared_metrics(workers: int) -> Iterator[None]:
    """With several workers, one set of metrics: each worker writes its values to files in
    PROMETHEUS_MULTIPROC_DIR and a scrape adds them up (service/metrics.py). The directory
    must start empty; one made here is removed on exit."""
    from service.metrics import MULTIPROCESS_DIR

    configured = os.environ.get(MULTIPROCESS_DIR)
    if configured:
        directory = Path(configured)
        directory.mkdir(parents=True, exist_ok=True)
        for stale in directory.glob("*.db"):
            stale.unlink()
    if configured or workers < 2:
        yield
        return
    directory = Path(tempfile.mkdtemp(prefix="careerpath-metrics-"))
    os.environ[MULTIPROCESS_DIR] = str(directory)  # before the workers start: they inherit it
    try:
        yield
    finally:
        del os.environ[MULTIPROCESS_DIR]
        shutil.rmtree(directory, ignore_errors=True)


def json_log_config() -> dict:
    """Structured logs: one JSON object per line, for uvicorn and the service alike."""
    formatter = {"()": "pythonjsonlogger.json.JsonFormatter",
                 "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s"}
    handler = {"class": "logging.StreamHandler", "formatter": "json",
               "stream": "ext://sys.stderr"}
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": formatter},
        "handlers": {"default": handler},
        "loggers": {
            "uvicorn": {"handlers": ["default"], "level": "INFO", "propagate": False},
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
            "careerpath": {"handlers": ["default"], "level": "INFO", "propagate": False},
        },
    }


def _command(commands: argparse._SubParsersAction, name: str, summary: str,
             handler: Handler | None = None, **kwargs: object) -> argparse.ArgumentParser:
    parser = commands.add_parser(name, help=summary, description=summary,
                                 formatter_class=HelpFormatter,
                                 aliases=ALIASES.get(name, []), **kwargs)  # type: ignore[arg-type]
    if handler is not None:
        parser.set_defaults(handler=handler, model=name)
    return parser


def _models(parser: argparse.ArgumentParser, what: str) -> argparse._SubParsersAction:
    return parser.add_subparsers(dest="model", required=True, metavar="MODEL",
                                 title=f"models ({what})")


def _recommend_training_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("the recommender")
    group.add_argument("--courses", type=Path,
                       help="course catalog: canonical JSONL or a file `import courses` reads")
    group.add_argument("--corpus", nargs="*", default=[], metavar="FILE",
                       help="in-domain text for Doc2Vec: job files, ESCO occupation profiles, "
                            "O*NET task statements")
    group.add_argument("--recommend-config", "--config", type=Path, dest="recommend_config",
                       metavar="JSON", help="recommender parameters (e.g. from `tune`)")
    group.add_argument("--judgments", type=Path,
                       help="dev judgments: their metrics are recorded in the manifest")


def _tags_training_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("the tag model")
    group.add_argument("--jobs", help="labeled postings: a file or a SQL URL")
    group.add_argument("--unlabeled", nargs="*", default=[], metavar="SOURCE",
                       help="unlabeled postings for the autoencoder's pre-training")
    group.add_argument("--tags-config", type=Path, metavar="JSON", help="tag model parameters")
    group.add_argument("--hold-out", type=float, default=0.2, metavar="FRACTION",
                       help="share of the labeled postings held out to score the tag model "
                            "(0: train on every posting, for production)")


def _skills_training_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("the skill extractor")
    group.add_argument("--taxonomy", type=Path,
                       help="ESCO skills, JSONL {uri, label, text}; rows it cannot use are "
                            "reported and skipped")
    group.add_argument("--encoder", choices=("auto", "all-MiniLM-L6-v2", "word2vec"),
                       default="auto",
                       help="what makes the word and skill vectors: the sentence encoder of the "
                            "`embed` extra, or word2vec trained here (auto: the encoder when "
                            "installed)")
    if not any(action.dest == "courses" for action in parser._actions):
        group.add_argument("--courses", type=Path, help="course catalog: its courses' skills")
    if not any(action.dest == "corpus" for action in parser._actions):
        group.add_argument("--corpus", nargs="*", default=[], metavar="FILE",
                           help="job text for the word vectors' vocabulary")


def _path_training_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("the path planner (fitted when --judgments is given)")
    if not any(action.dest == "judgments" for action in parser._actions):
        group.add_argument("--judgments", type=Path,
                           help="graded judgments the confidence is calibrated on")
    group.add_argument("--path-floor", type=float, default=0.6, metavar="CONFIDENCE",
                       help="the confidence a course needs to enter a learning path")


def _add_train(commands: argparse._SubParsersAction) -> None:
    train = _command(commands, "train", "train models into a new bundle, which goes live")
    models = _models(train, "the others are carried over from the live bundle")
    for name, summary, options in (
            ("all", "every model: the skill extractor too when --taxonomy is given, the path "
                    "planner when --judgments is too",
             (_recommend_training_options, _tags_training_options, _skills_training_options,
              _path_training_options)),
            ("recommend", "the course recommender", (_recommend_training_options,)),
            ("tags", "the job tag model", (_tags_training_options,)),
            ("skills", "the ESCO skill extractor", (_skills_training_options,)),
            ("path", "the path planner: calibrated confidence on the live recommender",
             (_path_training_options,))):
        parser = _command(models, name, f"train {summary}", _train)
        for add in options:
            add(parser)
        parser.add_argument("--seed", type=int, help="random seed of every model trained")
        parser.add_argument("--out", type=Path, help=f"the bundle store; {STORE_HELP}")


def _add_predict(commands: argparse._SubParsersAction) -> None:
    predict = _command(commands, "predict",
                       "answer JSONL postings {id, title, description} with a bundle, one JSON "
                       "line each, in the API's answer shape")
    models = _models(predict, "what to answer")
    recommend = _command(models, "recommend", "the courses worth taking for each posting",
                         _predict)
    recommend.add_argument("--k", type=int, default=10, help="courses per posting")
    _command(models, "tags", "the tags of each posting, with every tag's score", _predict)
    skills = _command(models, "skills",
                      "the ESCO skills each posting asks for, with evidence (a line may hold "
                      "one sentence)", _predict)
    skills.add_argument("--k", type=int, default=10, help="skills per posting")
    path = _command(models, "path",
                    "the few courses that together cover each posting's skills (lines may "
                    "carry a profile and max_courses, as the API's body)", _predict)
    for parser in (recommend, models.choices["tags"], skills, path):
        parser.add_argument("--input", type=Path, required=True, help="postings, JSONL")
        parser.add_argument("--bundle", type=Path, help=f"a bundle or a store; {STORE_HELP}")
        parser.add_argument("--out", type=Path, help="where to write (default: standard output)")


def _add_evaluate(commands: argparse._SubParsersAction) -> None:
    evaluate = _command(commands, "evaluate",
                        "score a bundle beside baselines; a Markdown report and charts")
    models = _models(evaluate, "what to score")
    recommend = _command(models, "recommend",
                         "the recommender on graded judgments, with ablations and baselines",
                         _evaluate)
    recommend.add_argument("--judgments", type=Path, default=Path("../shared/data/judgments"),
                           help="directory of queries_dev.jsonl and qrels_dev.jsonl")
    recommend.add_argument("--seed-labels", type=Path,
                           default=Path("../shared/data/seed_labels"),
                           help="the original project's labeled sample, for its own metric")
    tags = _command(models, "tags",
                    "the tag model on the postings it was trained without, beside a linear "
                    "baseline", _evaluate)
    tags.add_argument("--jobs", required=True, help="the labeled postings it was trained on")
    skills = _command(models, "skills",
                      "the skill extractor on the benchmark's validation sentences (RP@5, "
                      "RP@10), beside TF-IDF", _evaluate)
    skills.add_argument("--benchmark", type=Path, default=Path("../shared/data/skills"),
                        help="directory of tech_validation.csv and house_validation.csv")
    skills.add_argument("--taxonomy", type=Path,
                        default=Path("../shared/data/taxonomies/esco_skills.jsonl"),
                        help="the taxonomy's skill texts, for the TF-IDF baseline")
    path = _command(models, "path",
                    "learning paths on the dev judgments beside the plain top 5 and TF-IDF",
                    _evaluate)
    path.add_argument("--judgments", type=Path, default=Path("../shared/data/judgments"),
                      help="directory of queries_dev.jsonl and qrels_dev.jsonl")
    for parser in (recommend, tags, skills, path):
        parser.add_argument("--bundle", type=Path, help=f"a bundle or a store; {STORE_HELP}")
        parser.add_argument("--report-dir", type=Path, default=Path("reports"),
                            help="where the report and charts go")


def _add_tune(commands: argparse._SubParsersAction) -> None:
    tune = _command(commands, "tune", "search a model's parameters on the dev judgments")
    models = _models(tune, "what to tune")
    recommend = _command(models, "recommend", "the recommender's training and scoring grid",
                         _tune)
    recommend.add_argument("--courses", type=Path, required=True, help="course catalog")
    recommend.add_argument("--corpus", nargs="*", default=[], metavar="FILE",
                           help="in-domain text for Doc2Vec")
    recommend.add_argument("--judgments", type=Path, default=Path("../shared/data/judgments"),
                           help="directory of queries_dev.jsonl and qrels_dev.jsonl")
    recommend.add_argument("--out", type=Path, default=Path("recommender_config.json"),
                           help="the best parameters, for `train --recommend-config`")


def _add_operations(commands: argparse._SubParsersAction) -> None:
    retrain = _command(commands, "retrain",
                       "learn from the feedback stored since the live bundle; promote the "
                       "candidate only if no gate metric drops", _retrain)
    retrain.add_argument("--every", help="run periodically, e.g. 90s, 15m, 1h, 1d "
                                         "(default: once)")
    retrain.add_argument("--judgments", type=Path,
                         help="dev judgments the recommender must not get worse on")
    retrain.add_argument("--tolerance", type=float, default=0.02,
                         help="largest allowed drop of any gate metric")
    retrain.add_argument("--keep", type=int, default=5, help="bundles to keep")
    retrain.add_argument("--courses", type=Path,
                         help="an updated catalog: new courses are added, removed ones go "
                              "(a full rebuild when more than 20%% changed)")
    retrain.add_argument("--model-dir", type=Path, help=f"the bundle store; {STORE_HELP}")
    retrain.add_argument("--feedback-url",
                         help="default: CAREERPATH_FEEDBACK_URL (sqlite:///var/feedback.db)")

    rollback = _command(commands, "rollback",
                        "make the bundle that was live before the last promotion live again",
                        _rollback)
    rollback.add_argument("--model-dir", type=Path, help=f"the bundle store; {STORE_HELP}")

    serve = _command(commands, "serve", "serve the REST API under uvicorn", _serve)
    serve.add_argument("--bundle", type=Path,
                       help=f"a bundle, or a store with a LIVE pointer; {STORE_HELP}")
    serve.add_argument("--host", default="127.0.0.1", help="interface to listen on")
    serve.add_argument("--port", type=int, default=8000, help="port to listen on")
    serve.add_argument("--workers", type=int,
                       help="worker processes (default: CAREERPATH_WORKERS, 1)")


def _add_data(commands: argparse._SubParsersAction) -> None:
    importer = _command(commands, "import", "convert a course catalog or a job source to JSONL")
    kinds = importer.add_subparsers(dest="kind", required=True, metavar="KIND")
    courses = _command(kinds, "courses", "a course catalog file -> canonical courses",
                       _import_courses)
    courses.add_argument("file", type=Path, help="Coursera 2021, edX, coureco, CSV or JSONL")
    courses.add_argument("--format", choices=("coursera2021", "edx", "coureco", "csv", "jsonl"),
                         help="default: told by the file's name and header")
    jobs = _command(kinds, "jobs", "a job source (file or SQL URL) -> canonical jobs",
                    _import_jobs)
    jobs.add_argument("source", help="a TSV, CSV, JSONL or O*NET file, or a SQL URL")
    for parser in (courses, jobs):
        parser.add_argument("--out", type=Path, required=True, help="JSONL to write")
        parser.add_argument("--report", type=Path, help="also write the import report as JSON")

    fetch = _command(commands, "fetch", "download a catalog through its public API")
    sources = fetch.add_subparsers(dest="kind", required=True, metavar="KIND")
    coursera = _command(sources, "courses", "the Coursera catalog (needs internet)",
                        _fetch_courses)
    coursera.add_argument("--out", type=Path, required=True, help="JSONL to write")
    coursera.add_argument("--page-size", type=int, default=100, help="courses per request")
    coursera.add_argument("--interval", type=float, default=0.5,
                          help="seconds between requests")
    coursera.add_argument("--restart", action="store_true",
                          help="ignore a previous partial run instead of resuming it")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="careerpath", description=__doc__,
                                     formatter_class=HelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    _add_data(commands)
    _add_train(commands)
    _add_predict(commands)
    _add_evaluate(commands)
    _add_tune(commands)
    _add_operations(commands)
    return parser


def _with_default_model(argv: Sequence[str]) -> list[str]:
    """`careerpath train --courses …` (no model named) trains every model, as it always has."""
    argv = list(argv)
    names = {*TRAINABLE, *(alias for aliases in ALIASES.values() for alias in aliases)}
    if argv[:1] == ["train"] and not (set(argv[1:2]) & {*names, "-h", "--help"}):
        argv.insert(1, "all")
    return argv


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(_with_default_model(sys.argv[1:] if argv is None
                                                         else argv))
    handler: Handler = args.handler
    try:
        return handler(args)
    except (ValueError, FileNotFoundError) as error:
        print(f"careerpath: error: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
