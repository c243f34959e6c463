"""Postings as boards send them: boilerplate around the job, a few cases of
`bench/robustness.py` on the sample models."""

from __future__ import annotations

import random

import pytest

from runtime.bundles import resolve_bundle
from runtime.loaded import load_bundle
from runtime.schemas import RecommendRequest, TagsRequest
from training.boilerplate import MODES, Noise

BOILERPLATE = [
    "About Northwind Logistics:\nNorthwind Logistics has moved freight across the Midwest "
    "since 1982. We are a family company proud of our drivers, our dispatchers and our "
    "customers.",
    "Benefits:\nMedical, dental and vision insurance. 401(k) with company match. Paid time off "
    "and paid holidays. Employee discounts and tuition reimbursement.",
    "Equal Opportunity Employer:\nAll qualified applicants will receive consideration for "
    "employment without regard to race, color, religion, sex, sexual orientation, gender "
    "identity, national origin, disability or veteran status.",
    "How to apply:\nClick apply now and upload your resume. Applicants must pass a background "
    "check and a drug screening before their first day.",
]


@pytest.fixture(scope="module")
def bundle(sample_store):
    return load_bundle(resolve_bundle(sample_store))


def _answers(bundle, title, description):
    courses = bundle.recommend(RecommendRequest(title=title, description=description, k=5))
    tags = bundle.tags(TagsRequest(title=title, description=description))
    return [c.id for c in courses.courses], {t.tag for t in tags.tags}, courses


@pytest.mark.parametrize("mode", MODES)
def test_boilerplate_moves_neither_courses_nor_tags(bundle, sample_jobs, mode):
    noise = Noise(BOILERPLATE, min_chars=2_000, max_chars=6_000)
    rng = random.Random(mode)
    for job in sample_jobs[::60]:
        courses, tags, _ = _answers(bundle, job.title, job.description)
        noisy_courses, noisy_tags, answer = _answers(
            bundle, job.title, noise.add(job.description, mode, rng))
        assert len(set(courses) & set(noisy_courses)) >= 4, job.id
        assert noisy_tags == tags, job.id
        reasons = " ".join(course.reason for course in answer.courses).lower()
        assert not {"dental", "401", "veteran", "discrimination", "freight"} & set(
            reasons.replace(",", " ").split())
