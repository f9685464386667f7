"""Whole answers kept per store revision: a GET of a page or of the read API is computed
once per revision of the store and URL, then served from memory. Server processes started
together (``tejido serve --workers N``) share their answers through one SQLite file
(:class:`SharedAnswers`, named by ``TEJIDO_ANSWER_CACHE``), so an answer is computed once
for all of them.

Only successful (200) answers of the cacheable paths are kept, at most
:data:`MAX_BODY_BYTES` each and :data:`MAX_TOTAL_BYTES` in all (least recently used
dropped first). A request whose store cannot be reached, or that carries credentials or a
cookie, passes through untouched. When the store's revision changes, every answer of
older revisions is forgotten.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from starlette.types import ASGIApp, Message, Receive, Scope, Send

MAX_BODY_BYTES = 2_000_000
MAX_TOTAL_BYTES = 96_000_000
CACHEABLE_PREFIXES: tuple[str, ...] = (
    "/entities", "/graph/", "/documents", "/stats", "/analysis/", "/explore/", "/views/",
)
Answer = tuple[int, list[tuple[bytes, bytes]], bytes]


class AnswerStore:
    """Answers by (revision, key), least recently used dropped beyond the byte budget."""

    def __init__(self, max_total: int = MAX_TOTAL_BYTES) -> None:
        self.max_total = max_total
        self._entries: OrderedDict[tuple[int, str], Answer] = OrderedDict()
        self._size = 0
        self._revision: int | None = None
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    def get(self, revision: int, key: str) -> Answer | None:
        """The answer kept for ``key`` at ``revision``, if any."""
        with self._lock:
            if self._revision != revision:
                self._entries.clear()
                self._size = 0
                self._revision = revision
            found = self._entries.get((revision, key))
            if found is None:
                self.misses += 1
                return None
            self._entries.move_to_end((revision, key))
            self.hits += 1
            return found

    def put(self, revision: int, key: str, answer: Answer) -> None:
        """Keep ``answer`` (if the revision is still the current one)."""
        size = len(answer[2])
        with self._lock:
            if self._revision != revision or (revision, key) in self._entries:
                return
            self._entries[(revision, key)] = answer
            self._size += size
            while self._size > self.max_total and self._entries:
                _, (_, _, body) = self._entries.popitem(last=False)
                self._size -= len(body)


class SharedAnswers:
    """Answers in one SQLite file shared by the processes of a server (WAL mode, one
    connection per thread); only the latest revision is kept. Failures to read or write
    it are ignored: the answer is then computed, as without the file."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._local = threading.local()
        self._revision: int | None = None

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = sqlite3.connect(self.path, timeout=2.0, isolation_level=None)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=OFF")
            conn.execute("CREATE TABLE IF NOT EXISTS answers (revision INTEGER, key TEXT, "
                         "headers TEXT, body BLOB, PRIMARY KEY (revision, key))")
            self._local.conn = conn
        return conn

    def get(self, revision: int, key: str) -> Answer | None:
        """The answer another process kept for ``key`` at ``revision``, if any."""
        try:
            row = self._conn().execute(
                "SELECT headers, body FROM answers WHERE revision = ? AND key = ?",
                (revision, key)).fetchone()
        except sqlite3.Error:
            return None
        if row is None:
            return None
        headers = [(name.encode("latin-1"), value.encode("latin-1"))
                   for name, value in json.loads(row[0])]
        return 200, headers, bytes(row[1])

    def put(self, revision: int, key: str, answer: Answer) -> None:
        """Keep ``answer`` for the other processes; older revisions are dropped."""
        headers = json.dumps([(n.decode("latin-1"), v.decode("latin-1")) for n, v in answer[1]])
        try:
            conn = self._conn()
            if self._revision != revision:
                conn.execute("DELETE FROM answers WHERE revision < ?", (revision,))
                self._revision = revision
            conn.execute("INSERT OR IGNORE INTO answers VALUES (?, ?, ?, ?)",
                         (revision, key, headers, answer[2]))
        except sqlite3.Error:
            return


def cacheable(scope: Scope) -> bool:
    """Whether a request may be answered from the cache: a GET of a read path, without
    credentials or cookies."""
    if scope["type"] != "http" or scope["method"] != "GET":
        return False
    path = scope["path"]
    if path != "/" and not path.startswith(CACHEABLE_PREFIXES):
        return False
    return not any(name in (b"authorization", b"cookie") for name, _ in scope["headers"])


class RevisionCache:
    """ASGI middleware serving repeated GETs from an :class:`AnswerStore`; ``revision()``
    is the store's current revision (None when the store cannot be reached)."""

    def __init__(self, app: ASGIApp, revision: Callable[[], int | None],
                 answers: AnswerStore | None = None,
                 shared: SharedAnswers | None = None) -> None:
        self.app = app
        self.revision = revision
        self.answers = answers if answers is not None else AnswerStore()
        self.shared = shared

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not cacheable(scope):
            await self.app(scope, receive, send)
            return
        revision = self.revision()
        if revision is None:
            await self.app(scope, receive, send)
            return
        key = f"{scope.get('root_path', '')}{scope['path']}?{scope['query_string'].decode()}"
        found = self.answers.get(revision, key)
        if found is None and self.shared is not None:
            found = self.shared.get(revision, key)
            if found is not None:
                self.answers.put(revision, key, found)
        if found is not None:
            status, headers, body = found
            await send({"type": "http.response.start", "status": status, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        start: Message = {}
        parts: list[bytes] = []
        size = 0

        async def keep(message: Message) -> None:
            nonlocal size
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body" and size <= MAX_BODY_BYTES:
                body = message.get("body", b"")
                size += len(body)
                parts.append(body)
            await send(message)

        await self.app(scope, receive, keep)
        if start.get("status") == 200 and size <= MAX_BODY_BYTES:
            answer: Answer = (200, list(start.get("headers", [])), b"".join(parts))
            self.answers.put(revision, key, answer)
            if self.shared is not None:
                self.shared.put(revision, key, answer)
