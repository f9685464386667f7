"""The server builds the saved duplication index in the background when it starts: through
HTTP on a real `tejido serve`, its answers equal those of the store queried directly."""

from __future__ import annotations

import fcntl
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from graph.stores.sqlite_store import SQLiteStore
from queries.duplication import find_duplicates
from queries.saved_indexes import build_lock_path
from tests.browser.chromium import wait_for
from tests.browser.server import free_port
from tests.test_saved_indexes import _another_document, _extraction, _folders

QUERY = "/analysis/duplication?top=40&institutions=any"
TIMEOUT = 300.0  # seconds; generous: the machine is shared


def _wait(condition: Callable[[], bool], what: str) -> None:
    wait_for(condition, TIMEOUT, what)


def _store_with(url: str, instruments: int) -> None:
    """A SQLite store at ``url`` holding one extraction of ``instruments`` instruments."""
    store = SQLiteStore(url)
    store.write(_extraction(instruments))
    store.close()


def _get(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=TIMEOUT) as response:
        return json.loads(response.read())


def _direct(url: str) -> list[dict]:
    """The duplication answer of the store at ``url``, queried in this process."""
    store = SQLiteStore(url)
    try:
        result = find_duplicates(store.view(), top=40, institutions="any")
        return [json.loads(pair.model_dump_json()) for pair in result.pairs]
    finally:
        store.close()


@contextmanager
def _serve(url: str, *, warm: bool = True, token: str = "") -> Iterator[tuple[str, Path]]:
    """`tejido serve` with one worker on ``url``; yields its base URL and its log file."""
    port = free_port()
    log = Path(url.removeprefix("sqlite:///")).with_name("serve.log")
    env = {**os.environ, "TEJIDO_LANGUAGE": "en", "TEJIDO_WARM_INDEXES": "1" if warm else "0",
           "TEJIDO_API_TOKEN": token}
    with log.open("w") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "app.cli", "serve", "--store", url, "--port", str(port),
             "--workers", "1"], stdout=sink, stderr=subprocess.STDOUT, env=env,
        )
    base = f"http://127.0.0.1:{port}"

    def answers() -> bool:
        assert process.poll() is None, log.read_text()
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=5):
                return True
        except OSError:
            return False

    try:
        _wait(answers, "the server to start")
        yield base, log
    finally:
        process.terminate()
        process.wait(timeout=30)


def test_the_server_saves_the_index_at_start_and_answers_as_the_store(
    sqlite_store_url: str,
) -> None:
    _store_with(sqlite_store_url, 60)
    assert _folders(sqlite_store_url) == []
    with _serve(sqlite_store_url) as (base, log):
        _wait(lambda: len(_folders(sqlite_store_url)) == 1, "the saved index")
        _wait(lambda: "ready" in log.read_text(), "the line saying the index is ready")
        served = _get(base + QUERY)["pairs"]
    assert served and served == _direct(sqlite_store_url)
    lines = [line for line in log.read_text().splitlines() if "duplication index" in line]
    assert len(lines) == 2 and "background" in lines[0] and " s" in lines[1], lines


def test_off_leaves_the_index_to_the_first_query(sqlite_store_url: str) -> None:
    _store_with(sqlite_store_url, 30)
    with _serve(sqlite_store_url, warm=False) as (base, log):
        served = _get(base + QUERY)["pairs"]
        assert len(_folders(sqlite_store_url)) == 1  # built by the request
    # a background build says so when it starts, before the graph a request needs is read
    assert "background" not in log.read_text()
    assert served == _direct(sqlite_store_url)


def test_a_request_during_the_build_gets_the_current_content(sqlite_store_url: str) -> None:
    """The background build is held at its lock (as by a build in another process) while
    the store changes: the request must answer for the new content, not the old."""
    store = SQLiteStore(sqlite_store_url)
    extraction = _extraction(40)
    store.write(extraction)
    saved = store.saved_indexes()
    assert saved is not None
    lock = build_lock_path(saved, "duplication")
    lock.parent.mkdir(parents=True, exist_ok=True)
    answer: dict = {}
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        with _serve(sqlite_store_url) as (base, log):
            _wait(lambda: "background" in log.read_text(), "the background build to start")
            store.write(_another_document(_extraction(40, seed=5)))  # the content moves on
            request = threading.Thread(target=lambda: answer.update(_get(base + QUERY)))
            request.start()
            time.sleep(0.5)
            assert not answer  # it waits for the build in progress
            fcntl.flock(handle, fcntl.LOCK_UN)
            request.join(TIMEOUT)
            _wait(lambda: "ready" in log.read_text(), "the background build to end")
    store.close()
    assert answer["pairs"] and answer["pairs"] == _direct(sqlite_store_url)
    assert answer["revision"] == SQLiteStore(sqlite_store_url).revision()
    assert len(_folders(sqlite_store_url)) == 1  # the older content's index is gone


def test_a_verdict_recorded_by_the_server_is_indexed_in_the_background(
    sqlite_store_url: str,
) -> None:
    _store_with(sqlite_store_url, 40)
    with _serve(sqlite_store_url, token="clave-de-prueba") as (base, log):
        _wait(lambda: log.read_text().count("ready") == 1, "the index of the start")
        [first] = _folders(sqlite_store_url)
        pair = _get(base + QUERY)["pairs"][0]
        body = json.dumps({"members": [pair["a"], pair["b"]], "verdict": "duplicate",
                           "note": "mismo programa"}).encode()
        post = urllib.request.Request(
            base + "/verdicts", data=body, method="POST",
            headers={"Authorization": "Bearer clave-de-prueba",
                     "Content-Type": "application/json"})
        with urllib.request.urlopen(post, timeout=TIMEOUT) as response:
            assert response.status == 200
        _wait(lambda: log.read_text().count("ready") == 2, "the index after the verdict")
        assert _folders(sqlite_store_url) not in ([], [first])
        served = _get(base + QUERY)
    assert served["pairs"] == _direct(sqlite_store_url)
    assert any(p["a"] == pair["a"] and p["b"] == pair["b"] and p["verdict"] == "duplicate"
               for p in served["pairs"]), "the verdict shows in the answer"
