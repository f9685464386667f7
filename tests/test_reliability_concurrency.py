"""Concurrent use: API reads while ``tejido ingest`` writes the same SQLite store (WAL).

A live uvicorn server on 127.0.0.1 and an ingestion run, both subprocesses, share one
store file. Reader threads keep asking the API while documents are committed; every
answer must be a 200, and the answers must agree with each other: counts never go back,
a document list lies between the counts asked just before and just after it, and what an
entity's evidence cites is a stored document.
"""

from __future__ import annotations

import subprocess
import threading
from collections.abc import Callable
from dataclasses import dataclass, field

import httpx
import pytest

from graph.stores.sqlite_store import SQLiteStore
from tests.test_reliability_support import (
    PROJECT,
    child_env,
    live_server,
    sqlite_url,
    tejido_command,
    write_corpus,
)

pytestmark = pytest.mark.slow

DOCUMENTS = 30
SENTENCES = 120
READERS = 4
SEARCHES = ("gobierno regional", "municipalidad", "corporacion de fomento", "programa")


@dataclass
class ReaderLog:
    """What one reader thread saw."""

    rounds: int = 0
    document_counts: list[int] = field(default_factory=list)
    revisions: list[int] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def read_round(http: httpx.Client, log: ReaderLog, search: str) -> None:
    """One round of reads, checking each answer and their agreement."""

    def get(path: str, **params: object) -> httpx.Response:
        response = http.get(path, params=params)
        if response.status_code != 200:
            log.problems.append(f"GET {path} {params}: {response.status_code} {response.text}")
        return response

    before = get("/stats").json()
    documents = get("/documents").json()
    after = get("/stats").json()
    if not before["documents"] <= len(documents) <= after["documents"]:
        log.problems.append(
            f"document list of {len(documents)} outside the counts {before['documents']} and "
            f"{after['documents']} asked around it"
        )
    log.document_counts += [before["documents"], after["documents"]]
    log.revisions += [before["revision"], after["revision"]]

    found = get("/entities", q=search, limit=20).json()["items"]
    if not found:
        return
    entity_id = found[log.rounds % len(found)]["id"]
    detail = get(f"/entities/{entity_id}").json()
    cited = {ev["document_id"] for rel in detail.get("relations", []) for ev in rel["evidence"]}
    for document_id in sorted(cited)[:3]:
        get(f"/documents/{document_id}")
    get("/graph/neighbourhood", id=entity_id, depth=2, limit=300)
    get("/analysis/coordination", top=20)
    get("/analysis/overlap", top=20)


def reader(base: str, log: ReaderLog, keep_going: Callable[[], bool], offset: int) -> None:
    """Read until ``keep_going()`` is false, then one last round."""
    with httpx.Client(base_url=base, timeout=60) as http:
        while True:
            last = not keep_going()
            try:
                read_round(http, log, SEARCHES[(offset + log.rounds) % len(SEARCHES)])
            except (httpx.HTTPError, ValueError, KeyError) as exc:
                log.problems.append(f"{type(exc).__name__}: {exc}")
            log.rounds += 1
            if last:
                return


@pytest.fixture(scope="module")
def concurrent_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """Readers against a live server while an ingestion writes; their logs and the outcome."""
    root = tmp_path_factory.mktemp("concurrency")
    folder = root / "corpus"
    write_corpus(folder, DOCUMENTS, SENTENCES)
    db = root / "store.db"
    url = sqlite_url(db)
    SQLiteStore(url).close()  # the schema exists before either process starts

    server_log = root / "server.log"
    logs = [ReaderLog() for _ in range(READERS)]
    with live_server(url, server_log) as base:
        ingestion = subprocess.Popen(
            tejido_command("ingest", str(folder), "--store", url),
            cwd=PROJECT, env=child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
            text=True,
        )
        threads = [
            threading.Thread(target=reader, args=(base, log, lambda: ingestion.poll() is None,
                                                  index))
            for index, log in enumerate(logs)
        ]
        for thread in threads:
            thread.start()
        try:
            _, ingest_errors = ingestion.communicate()
        finally:
            for thread in threads:
                thread.join()
        final = httpx.get(f"{base}/stats", timeout=60).json()
    return {"logs": logs, "ingestion": ingestion, "ingest_errors": ingest_errors,
            "final": final, "server_log": server_log.read_text(), "db": db}


def test_ingestion_finishes_while_the_api_is_read(concurrent_run: dict) -> None:
    assert concurrent_run["ingestion"].returncode == 0, concurrent_run["ingest_errors"]
    assert concurrent_run["final"]["documents"] == DOCUMENTS


def test_reads_during_ingestion_give_no_errors(concurrent_run: dict) -> None:
    problems = [p for log in concurrent_run["logs"] for p in log.problems]
    assert problems == []
    assert "Traceback" not in concurrent_run["server_log"]
    assert '" 500' not in concurrent_run["server_log"]


def test_reads_overlapped_the_writes(concurrent_run: dict) -> None:
    seen = {n for log in concurrent_run["logs"] for n in log.document_counts}
    assert all(log.rounds >= 2 for log in concurrent_run["logs"])
    # Readers saw the store part-way through, not only before or after the ingestion.
    assert any(0 < n < DOCUMENTS for n in seen), sorted(seen)
    assert DOCUMENTS in seen


def test_counts_and_revisions_never_go_back(concurrent_run: dict) -> None:
    for log in concurrent_run["logs"]:
        assert log.document_counts == sorted(log.document_counts)
        assert log.revisions == sorted(log.revisions)


def test_the_store_is_sound_after_concurrent_use(concurrent_run: dict) -> None:
    with SQLiteStore(sqlite_url(concurrent_run["db"])) as store:
        assert store.integrity_check() == ["ok"]
        assert len(store.documents()) == DOCUMENTS


def test_the_readers_saw_the_final_state(concurrent_run: dict) -> None:
    for log in concurrent_run["logs"]:
        assert log.document_counts[-1] == DOCUMENTS
