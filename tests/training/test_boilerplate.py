import random

from pipelines.records import Job
from training.boilerplate import MODES, Noise, boilerplate_blocks
from training.tags.data import with_boilerplate

POSTING = ("Warehouse Associate\n\nResponsibilities:\nPick and pack orders.\nLoad trucks.\n\n"
           "Benefits:\nMedical and dental insurance. Paid time off. A 401(k) match. "
           "Employee discounts.\n\nAbout Acme:\nAcme has shipped parcels across the state since "
           "1950.")


def test_boilerplate_blocks_are_the_sentences_non_job_headings_open():
    blocks = boilerplate_blocks([Job(id="a", description=POSTING)])
    assert blocks == ["Benefits:\nMedical and dental insurance. Paid time off. A 401(k) match.",
                      "About Acme:\nAcme has shipped parcels across the state since 1950."]


def test_noise_is_added_in_every_mode_and_the_posting_stays_whole():
    noise = Noise(["Benefits:\nDental."], min_chars=30, max_chars=60)
    for mode in MODES:
        noisy = noise.add("Line one.\nLine two.", mode, random.Random(1))
        assert "Line one." in noisy and "Line two." in noisy and noisy.count("Dental.") >= 2
        assert 30 <= len(noisy) - len("Line one.\nLine two.") <= 120


def test_boilerplate_copies_keep_the_original_labels_and_id():
    job = Job(id="a", description="Pick and pack orders.", tags=["part-time-job"])
    jobs = with_boilerplate([job], Noise(["Benefits:\nDental."], 20, 40), copies=2, seed=3)
    assert len(jobs) == 3 and {j.id for j in jobs} == {"a"}
    assert all(j.tags == ["part-time-job"] for j in jobs)
    assert all("Dental." in j.description for j in jobs[1:])
    assert with_boilerplate([job], Noise([]), copies=2, seed=3) == [job]


def test_a_block_stating_a_jobs_terms_is_not_boilerplate():
    """Another job's pay or schedule, appended to a posting, would rightly change its tags."""
    posting = ("Driver\n\nWhat we offer:\nImmediate work. $55/hour salaried position plus per "
               "diem.\n\nAbout us:\nWe have moved freight across the state since 1950.")
    assert boilerplate_blocks([Job(id="a", description=posting)]) == [
        "About us:\nWe have moved freight across the state since 1950."]
