"""Crash safety: ``tejido ingest`` killed with SIGKILL half-way leaves a sound store.

A folder of 60 generated documents is ingested three times: once without interruption
(the reference), once killed after a few documents are committed, and once more on the
killed run's store. The killed store must open, pass SQLite's integrity check, hold the
documents that finished exactly as the reference holds them and nothing of the one being
written; the second run must finish the job to the reference's state, with no duplicates.
"""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

import pytest

from app.i18n import t
from graph.stores.sqlite_store import SQLiteStore
from tests.test_reliability_support import (
    PROJECT,
    child_env,
    run_tejido,
    sqlite_url,
    stored_document_count,
    summary_count,
    tejido_command,
    write_corpus,
)

pytestmark = pytest.mark.slow

DOCUMENTS = 60
SENTENCES = 120
KILL_AFTER = 5
POLL_SECONDS = 0.02


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def per_document_counts(db: Path) -> dict[str, tuple[int, int, int]]:
    """Passages, mentions and evidence entries of every stored document, by document id."""
    with sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True) as conn:
        documents = [row[0] for row in conn.execute("SELECT id FROM documents")]
        passages = dict(conn.execute(
            "SELECT document_id, count(*) FROM passages GROUP BY document_id").fetchall())
        mentions = dict(conn.execute(
            "SELECT p.document_id, count(*) FROM mentions m JOIN passages p "
            "ON p.id = m.passage_id GROUP BY p.document_id").fetchall())
        evidence = dict(conn.execute(
            "SELECT document_id, count(*) FROM evidence GROUP BY document_id").fetchall())
    return {
        doc: (passages.get(doc, 0), mentions.get(doc, 0), evidence.get(doc, 0))
        for doc in documents
    }


def orphans(db: Path) -> dict[str, int]:
    """Rows that belong to no stored document (there must be none)."""
    with sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True) as conn:
        return {
            "passages": conn.execute(
                "SELECT count(*) FROM passages WHERE document_id NOT IN "
                "(SELECT id FROM documents)").fetchone()[0],
            "evidence": conn.execute(
                "SELECT count(*) FROM evidence WHERE document_id NOT IN "
                "(SELECT id FROM documents)").fetchone()[0],
            "mentions": conn.execute(
                "SELECT count(*) FROM mentions WHERE passage_id NOT IN "
                "(SELECT id FROM passages)").fetchone()[0],
        }


def store_totals(db: Path) -> dict:
    """The store's counts (without its revision, which counts writes, not content)."""
    with SQLiteStore(sqlite_url(db)) as store:
        return store.stats().model_dump(exclude={"revision"})


def ingest_and_kill(folder: Path, db: Path) -> int:
    """Start ``tejido ingest``, SIGKILL it once :data:`KILL_AFTER` documents are committed;
    return how many were committed when it was killed."""
    process = subprocess.Popen(
        tejido_command("ingest", str(folder), "--store", sqlite_url(db)),
        cwd=PROJECT, env=child_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    try:
        # no deadline: the ingestion ends by itself, so a slow machine only makes this wait
        while stored_document_count(db) < KILL_AFTER:
            if process.poll() is not None:
                pytest.fail(f"ingestion ended before it could be killed: {process.stderr.read()}")
            time.sleep(POLL_SECONDS)
        os.kill(process.pid, signal.SIGKILL)
        process.wait(timeout=30)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait(timeout=30)
        process.stderr.close()
    assert process.returncode == -signal.SIGKILL
    return stored_document_count(db)


@pytest.fixture(scope="module")
def crash_run(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """The corpus, the reference store, and the killed store before and after the re-run."""
    root = tmp_path_factory.mktemp("crash")
    files = write_corpus(root / "corpus", DOCUMENTS, SENTENCES)
    reference = root / "reference.db"
    done = run_tejido("ingest", str(root / "corpus"), "--store", sqlite_url(reference))
    assert done.returncode == 0, done.stderr

    killed = root / "killed.db"
    committed = ingest_and_kill(root / "corpus", killed)
    assert committed < DOCUMENTS, "ingestion finished before the kill: make the corpus larger"
    after_kill = {
        "committed": committed,
        "counts": per_document_counts(killed),
        "orphans": orphans(killed),
    }
    with SQLiteStore(sqlite_url(killed)) as store:
        after_kill["integrity"] = store.integrity_check()
        after_kill["document_ids"] = [doc.id for doc in store.documents()]

    rerun = run_tejido("ingest", str(root / "corpus"), "--store", sqlite_url(killed))
    return {
        "files": files, "reference": reference, "killed": killed, "after_kill": after_kill,
        "rerun": rerun,
    }


def test_the_killed_store_opens_and_passes_the_integrity_check(crash_run: dict) -> None:
    assert crash_run["after_kill"]["integrity"] == ["ok"]
    assert crash_run["after_kill"]["orphans"] == {"passages": 0, "evidence": 0, "mentions": 0}


def test_the_killed_store_holds_exactly_the_documents_that_finished(crash_run: dict) -> None:
    after = crash_run["after_kill"]
    ids_in_order = [sha256(path) for path in crash_run["files"]]
    finished = ids_in_order[: after["committed"]]
    assert after["committed"] >= 5
    # Files are ingested in sorted order: the committed ones are the first k, and the one
    # being written when the process died left nothing behind.
    assert sorted(after["document_ids"]) == sorted(finished)
    assert ids_in_order[after["committed"]] not in after["counts"]


def test_each_finished_document_is_complete(crash_run: dict) -> None:
    reference = per_document_counts(crash_run["reference"])
    after = crash_run["after_kill"]["counts"]
    assert after, "no document survived the kill"
    for doc, counts in after.items():
        assert counts == reference[doc], f"document {doc} differs from the reference"
        assert counts[0] > 0 and counts[2] > 0


def test_running_the_same_command_again_finishes_the_job_without_duplicates(
    crash_run: dict,
) -> None:
    rerun = crash_run["rerun"]
    assert rerun.returncode == 0, rerun.stderr
    committed = crash_run["after_kill"]["committed"]
    assert summary_count(rerun.stderr, "unchanged (already stored)") == committed
    assert summary_count(rerun.stderr, t("cli.documents")) == DOCUMENTS - committed
    assert per_document_counts(crash_run["killed"]) == per_document_counts(
        crash_run["reference"])
    assert store_totals(crash_run["killed"]) == store_totals(crash_run["reference"])
    with SQLiteStore(sqlite_url(crash_run["killed"])) as store:
        assert store.integrity_check() == ["ok"]
        assert len(store.documents()) == DOCUMENTS
