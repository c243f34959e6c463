"""Client for Coursera's public Catalog API (`courses.v1`), as the original recommender used to
collect the whole catalog: pages through `start`/`limit` to the end, retries 429/5xx/timeouts
with backoff, keeps a polite request rate, and resumes an interrupted run."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from pipelines.records import Course
from pipelines.report import ImportReport
from pipelines.text import clean

API_URL = "https://api.coursera.org/api/courses.v1"
FIELDS = (
    "slug,name,description,workload,primaryLanguages,partnerIds,instructorIds,domainTypes"
)
INCLUDES = "partnerIds,instructorIds"
RETRY_STATUSES = {429, 500, 502, 503, 504}


class CatalogAPIError(RuntimeError):
    """The API kept failing after every retry."""


@dataclass
class Page:
    start: int
    courses: list[Course]
    next_start: int | None
    total: int | None


@dataclass
class FetchResult:
    written: int = 0
    pages: int = 0
    retries: int = 0
    report: ImportReport = field(default_factory=lambda: ImportReport(source=API_URL))


class CourseraCatalogClient:
    def __init__(
        self,
        client: httpx.Client | None = None,
        *,
        url: str = API_URL,
        page_size: int = 100,
        max_retries: int = 5,
        backoff_seconds: float = 1.0,
        min_interval_seconds: float = 0.5,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client or httpx.Client(timeout=30.0, headers={"User-Agent": "careerpath"})
        self.url = url
        self.page_size = page_size
        self.max_retries = max_retries
        self.backoff_seconds = backoff_seconds
        self.min_interval_seconds = min_interval_seconds
        self._sleep = sleep
        self._clock = clock
        self._last_request = -float("inf")
        self.retries = 0

    def pages(self, start: int = 0, report: ImportReport | None = None) -> Iterator[Page]:
        """Every page from `start` to the end of the catalog."""
        report = report or ImportReport(source=self.url)
        next_start: int | None = start
        while next_start is not None:
            page = self._page(next_start, report)
            yield page
            next_start = page.next_start

    def fetch(self, out: Path, *, resume: bool = True) -> FetchResult:
        """Write the whole catalog to `out` (canonical JSONL). With `resume`, an interrupted run
        continues after the last page it completed (kept in `<out>.state`)."""
        state_path = out.with_name(out.name + ".state")
        start, seen = 0, set()
        if resume and state_path.exists() and out.exists():
            start = json.loads(state_path.read_text())["next_start"]
            seen = {json.loads(line)["id"] for line in out.open(encoding="utf-8") if line.strip()}
        elif out.exists():
            out.unlink()
        result = FetchResult()
        out.parent.mkdir(parents=True, exist_ok=True)
        with out.open("a", encoding="utf-8") as handle:
            for page in self.pages(start, result.report):
                for course in page.courses:
                    if course.id in seen:
                        result.report.note("merged_duplicate_id", course.id)
                        continue
                    seen.add(course.id)
                    handle.write(course.model_dump_json() + "\n")
                    result.written += 1
                handle.flush()
                result.pages += 1
                state_path.write_text(json.dumps({"next_start": page.next_start}))
        state_path.unlink(missing_ok=True)
        result.retries = self.retries
        result.report.records_written = len(seen)
        return result

    def _page(self, start: int, report: ImportReport) -> Page:
        params: dict[str, str | int] = {
            "start": start,
            "limit": self.page_size,
            "fields": FIELDS,
            "includes": INCLUDES,
        }
        for attempt in range(self.max_retries + 1):
            response = self._get(params, attempt)
            if response is None:
                continue
            try:
                return self._parse(start, response.json(), report)
            except (ValueError, KeyError, TypeError) as error:
                if attempt == self.max_retries:
                    report.note("skipped_malformed_page", f"start={start}: {error}")
                    return Page(start, [], start + self.page_size, None)
                self._wait(attempt)
        raise CatalogAPIError(f"page start={start} failed after {self.max_retries} retries")

    def _get(self, params: dict[str, str | int], attempt: int) -> httpx.Response | None:
        """One polite request; None when it should be retried."""
        wait = self.min_interval_seconds - (self._clock() - self._last_request)
        if wait > 0:
            self._sleep(wait)
        self._last_request = self._clock()
        try:
            response = self.client.get(self.url, params=params)
        except (httpx.TimeoutException, httpx.TransportError) as error:
            self._retry_or_raise(attempt, str(error))
            return None
        if response.status_code in RETRY_STATUSES:
            retry_after = response.headers.get("Retry-After", "")
            delay = float(retry_after) if retry_after.isdigit() else None
            self._retry_or_raise(attempt, f"HTTP {response.status_code}", delay)
            return None
        response.raise_for_status()
        return response

    def _retry_or_raise(self, attempt: int, why: str, delay: float | None = None) -> None:
        if attempt >= self.max_retries:
            raise CatalogAPIError(f"giving up after {attempt + 1} attempts: {why}")
        self.retries += 1
        self._wait(attempt, delay)
        return None

    def _wait(self, attempt: int, delay: float | None = None) -> None:
        self._sleep(delay if delay is not None else self.backoff_seconds * 2**attempt)

    def _parse(self, start: int, body: dict, report: ImportReport) -> Page:
        elements = body["elements"]
        if not isinstance(elements, list):
            raise TypeError("'elements' is not a list")
        linked = body.get("linked") or {}
        partners = {p["id"]: p.get("name", "") for p in linked.get("partners.v1", [])}
        courses = []
        for element in elements:
            report.rows_read += 1
            course = self._course(element, partners, report)
            if course is not None:
                courses.append(course)
        paging = body.get("paging") or {}
        next_start = int(paging["next"]) if paging.get("next") not in (None, "") else None
        return Page(start, courses, next_start, paging.get("total"))

    @staticmethod
    def _course(element: dict, partners: dict[str, str], report: ImportReport) -> Course | None:
        slug = element.get("slug")
        if not slug or not element.get("name"):
            report.note("skipped_invalid", json.dumps(element)[:160])
            return None
        provider = ", ".join(partners.get(p, "") for p in element.get("partnerIds", []))
        return Course(
            id=slug,
            title=element["name"],
            description=clean(element.get("description") or ""),
            provider=provider.strip(", "),
            url=f"https://www.coursera.org/learn/{slug}",
            language=(element.get("primaryLanguages") or ["en"])[0][:2],
        )
