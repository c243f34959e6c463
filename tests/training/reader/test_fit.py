from pipelines.jobs import read_jobs
from pipelines.records import Job
from tests.conftest import SAMPLE
from tests.training.test_boilerplate import POSTING
from training.reader.fit import fit_reader, held_out, labeled_parts, score


def test_labeled_parts_are_those_under_telling_headings():
    kinds = {part.text: part.heading_kind for part in labeled_parts(
        [Job(id="a", description=POSTING)])}
    assert kinds["Pick and pack orders."] == "job" and kinds["Paid time off."] == "other"
    assert "Warehouse Associate" not in kinds


def test_the_reader_learns_the_kinds_from_headed_postings():
    jobs = read_jobs(SAMPLE / "postings.jsonl")[0]
    learn = [job for job in jobs if not held_out(job)]
    reader, _ = fit_reader(labeled_parts(learn))
    report = score(reader, labeled_parts([job for job in jobs if held_out(job)]))
    assert report["accuracy"] >= 0.9
    duty, perk = reader.score(labeled_parts([Job(id="b", description=(
        "Responsibilities:\n- Reconcile bank accounts monthly\n\n"
        "Benefits:\n- We offer paid time off and tuition reimbursement."))]))
    assert duty.job > 0.5 > perk.job


def test_the_weights_are_kept_at_the_precision_they_are_saved_with():
    reader, _ = fit_reader(labeled_parts(read_jobs(SAMPLE / "postings.jsonl")[0]))
    assert (reader.kernel == reader.kernel.astype("float16")).all()
