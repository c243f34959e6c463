"""The feedback store: durable (committed before the API answers), idempotent, and kept after
use, because feedback is training data. SQLite (WAL) by default, PostgreSQL in production; one
interface over SQLAlchemy Core."""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    DateTime,
    Integer,
    MetaData,
    String,
    Table,
    create_engine,
    event,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError

metadata = MetaData()
feedback_table = Table(
    "careerpath_feedback",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=True),
    Column("id", String(36), nullable=False, unique=True),
    Column("kind", String(16), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("payload_hash", String(64), nullable=False),
    Column("idempotency_key", String(200), unique=True),
    Column("model_version", String(100)),
    Column("created_at", DateTime(timezone=True), nullable=False),
)
postings_table = Table(
    "careerpath_postings",
    metadata,
    Column("seq", BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
           autoincrement=True),
    Column("title", String(300), nullable=False),
    Column("description", String, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)


class IdempotencyConflict(Exception):
    """The idempotency key was used before with a different payload."""


class StoreUnavailableError(RuntimeError):
    """The store cannot be reached or written now (database down, disk full, read-only):
    nothing was stored, and the same call can be retried later."""


@dataclass(frozen=True)
class FeedbackRecord:
    seq: int
    id: str
    kind: str
    payload: dict[str, Any]
    model_version: str | None
    created_at: datetime


def _hash(payload: dict[str, Any]) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()


CONNECT_TIMEOUT_SECONDS = 3
STATEMENT_TIMEOUT_MS = 5_000


def _create_tables(engine: Engine, attempts: int = 5) -> None:
    """Create the tables that are missing. Workers and replicas starting together race to
    create them; a loser fails with "already exists" (or a duplicate key in PostgreSQL's
    catalog) and finds the tables there on its next attempt."""
    for attempt in range(1, attempts + 1):
        try:
            metadata.create_all(engine)
            return
        except DBAPIError as error:
            lost_race = "already exists" in str(error) or "duplicate key" in str(error)
            if not lost_race or attempt == attempts:
                raise
            time.sleep(0.05 * attempt)


class FeedbackStore:
    """Connects lazily: a store that cannot be reached does not stop its owner from starting,
    and every call fails fast with `StoreUnavailableError` until it can be reached again
    (SQLAlchemy's pool checks each connection before use, so recovery needs no restart)."""

    def __init__(self, url: str) -> None:
        self.url = url
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database:
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        connect_args: dict[str, object] = {}
        if parsed.get_backend_name() == "postgresql":
            if parsed.drivername == "postgresql":
                parsed = parsed.set(drivername="postgresql+psycopg")
            # the URL's own options (a search_path, say) are kept, the timeout added to them
            options = f"{parsed.query.get('options', '')} -c statement_timeout="
            connect_args = {"connect_timeout": CONNECT_TIMEOUT_SECONDS,
                            "options": f"{options}{STATEMENT_TIMEOUT_MS}".strip()}
            parsed = parsed.difference_update_query(["options"])
        self.engine: Engine = create_engine(parsed, pool_pre_ping=True,
                                            connect_args=connect_args)
        if parsed.get_backend_name() == "sqlite":
            event.listen(self.engine, "connect", _sqlite_durability)
        self._tables_ready = False
        self._tables_lock = threading.Lock()

    @contextmanager
    def _connection(self, *, write: bool = False) -> Iterator[Connection]:
        """A connection (in a transaction committed on exit when `write`), the tables created
        on first use; a store that cannot be reached raises `StoreUnavailableError`."""
        try:
            if not self._tables_ready:
                with self._tables_lock:
                    if not self._tables_ready:
                        _create_tables(self.engine)
                        self._tables_ready = True
            with self.engine.begin() if write else self.engine.connect() as connection:
                yield connection
        except IntegrityError:
            raise
        except (OperationalError, InterfaceError) as error:
            raise StoreUnavailableError(f"the feedback store is unavailable: "
                                        f"{str(error.orig or error).splitlines()[0]}") from error

    def add(self, kind: str, payload: dict[str, Any], *, model_version: str | None = None,
            idempotency_key: str | None = None) -> tuple[str, bool]:
        """Store feedback; returns (id, created). A retry with the same idempotency key and
        payload returns the first id; the same key with another payload is a conflict."""
        digest = _hash({"kind": kind, **payload})
        row: dict[str, Any] = {
            "id": str(uuid.uuid4()), "kind": kind, "payload": payload, "payload_hash": digest,
            "idempotency_key": idempotency_key, "model_version": model_version,
            "created_at": datetime.now(UTC)}
        try:
            with self._connection(write=True) as connection:
                connection.execute(insert(feedback_table), row)
            return row["id"], True
        except IntegrityError:
            if idempotency_key is None:
                raise
        with self._connection() as connection:
            existing = connection.execute(
                select(feedback_table.c.id, feedback_table.c.payload_hash)
                .where(feedback_table.c.idempotency_key == idempotency_key)).one()
        if existing.payload_hash != digest:
            raise IdempotencyConflict(idempotency_key)
        return existing.id, False

    def since(self, watermark: int = 0, kind: str | None = None,
              until: int | None = None) -> list[FeedbackRecord]:
        """Feedback with seq > watermark (and <= until), oldest first."""
        query = select(feedback_table).where(feedback_table.c.seq > watermark)
        if until is not None:
            query = query.where(feedback_table.c.seq <= until)
        if kind:
            query = query.where(feedback_table.c.kind == kind)
        with self._connection() as connection:
            rows = connection.execute(query.order_by(feedback_table.c.seq)).all()
        return [FeedbackRecord(r.seq, r.id, r.kind, r.payload, r.model_version, r.created_at)
                for r in rows]

    def count_since(self, watermark: int = 0) -> int:
        query = select(func.count()).where(feedback_table.c.seq > watermark)
        with self._connection() as connection:
            return int(connection.execute(query).scalar_one())

    def last_seq(self) -> int:
        with self._connection() as connection:
            return int(connection.execute(select(func.max(feedback_table.c.seq))).scalar() or 0)

    def record_posting(self, title: str, description: str) -> None:
        with self._connection(write=True) as connection:
            connection.execute(insert(postings_table), {
                "title": title, "description": description, "created_at": datetime.now(UTC)})

    def postings(self, after: int = 0, limit: int | None = None) -> list[tuple[int, str, str]]:
        """Recorded postings (seq, title, description) with seq > after, newest first."""
        query = (select(postings_table.c.seq, postings_table.c.title,
                        postings_table.c.description)
                 .where(postings_table.c.seq > after)
                 .order_by(postings_table.c.seq.desc()).limit(limit))
        with self._connection() as connection:
            return [(r.seq, r.title, r.description) for r in connection.execute(query)]

    def reachable(self) -> bool:
        try:
            with self._connection() as connection:
                connection.execute(text("select 1"))
            return True
        except StoreUnavailableError:
            return False

    def close(self) -> None:
        self.engine.dispose()


def _sqlite_durability(connection, _record, attempts: int = 50) -> None:
    cursor = connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout={STATEMENT_TIMEOUT_MS}")
    # Switching a fresh file to WAL takes an exclusive lock, and SQLite answers "database is
    # locked" at once, without waiting out the busy timeout, to the workers that lose the
    # race: they try again until one has switched it (the mode is kept in the file).
    for attempt in range(1, attempts + 1):
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) or attempt == attempts:
                raise
            time.sleep(0.01 * attempt)
    cursor.execute("PRAGMA synchronous=FULL")  # fsync on every commit: acknowledged = on disk
    cursor.close()
