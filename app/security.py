"""Security pieces of the service: the write token, request body limits, safe upload files.

- :func:`require_write_token` guards the endpoints that change the graph. With no
  ``TEJIDO_API_TOKEN`` they are off (403); with one, a request must carry it as
  ``Authorization: Bearer <token>`` (401 otherwise), compared in constant time. It also
  declares the bearer scheme in the OpenAPI schema.
- :class:`RequestBodyLimit` refuses a request body over a byte limit with 413, from its
  ``Content-Length`` before reading anything, or as soon as a streamed body passes it.
- :func:`save_upload` writes an uploaded file under a folder of the server's choosing with a
  generated name: the client's file name only ever contributes its (supported) suffix.

The Content-Security-Policy and ``nosniff`` headers, and CORS (off unless
``TEJIDO_CORS_ORIGINS`` lists origins), are set up in :func:`app.main.create_app`.
"""

from __future__ import annotations

import hmac
import json
import re
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import BinaryIO

from fastapi import HTTPException, Request, Security
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.deps import get_settings
from loaders.read import SUPPORTED_SUFFIXES

MULTIPART_OVERHEAD_BYTES = 1_048_576
"""Room for multipart boundaries and part headers on top of the upload limit."""
COPY_CHUNK_BYTES = 1_048_576
MAX_CLIENT_NAME_CHARS = 200
_UNSAFE_NAME_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]+")

bearer_scheme = HTTPBearer(
    auto_error=False,
    scheme_name="WriteToken",
    description="the value of TEJIDO_API_TOKEN; write endpoints are off when it is not set",
)


def require_write_token(
    request: Request,
    credentials: HTTPAuthorizationCredentials | None = Security(bearer_scheme),
) -> None:
    """Dependency of every endpoint that changes the graph.

    403 when the API is read-only (no ``TEJIDO_API_TOKEN``), 401 when the request has no
    ``Authorization: Bearer`` header or another token (compared in constant time).
    """
    expected = get_settings(request).api_token
    if expected is None:
        raise HTTPException(
            status_code=403,
            detail="the API is read-only: set TEJIDO_API_TOKEN to enable the write endpoints",
        )
    given = bearer_token(request.headers.get("authorization", ""))
    if given is None or not token_matches(given, expected.get_secret_value()):
        raise HTTPException(
            status_code=401,
            detail="a valid 'Authorization: Bearer <token>' header is required",
            headers={"WWW-Authenticate": "Bearer"},
        )


_BEARER = re.compile(r"Bearer ([A-Za-z0-9\-._~+/]+=*)")


def bearer_token(header: str) -> str | None:
    """The token of an ``Authorization`` header written exactly as RFC 6750 says
    (``Bearer``, one space, a token of its characters), else None: extra spaces or other
    characters are refused, never trimmed into a match."""
    match = _BEARER.fullmatch(header)
    return match.group(1) if match else None


def token_matches(given: str, expected: str) -> bool:
    """Whether ``given`` is ``expected``, in time that does not depend on where they differ."""
    return hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))


def request_body_limit(max_upload_bytes: int) -> int:
    """The largest request body accepted when uploads may carry ``max_upload_bytes``."""
    return max_upload_bytes + MULTIPART_OVERHEAD_BYTES


class BodyTooLarge(Exception):
    """Raised inside :class:`RequestBodyLimit` when a streamed body passes the limit."""


class RequestBodyLimit:
    """ASGI middleware: a request body over ``max_bytes`` is answered with 413.

    A declared ``Content-Length`` over the limit is refused before the body is read; a
    body without one (chunked) is counted as it arrives and refused when it passes the
    limit, whatever the application was doing with it. A malformed ``Content-Length`` is
    a 400.
    """

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        if max_bytes <= 0:
            raise ValueError(f"max_bytes must be positive, not {max_bytes}")
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = _header(scope, b"content-length")
        if declared is not None:
            if not declared.isdigit():
                await _send_json(send, 400, "the Content-Length header is not a number")
                return
            if int(declared) > self.max_bytes:
                await _send_json(send, 413, self._too_large())
                return

        received = 0
        exceeded = False
        started = False

        async def counting_receive() -> Message:
            nonlocal received, exceeded
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    exceeded = True
                    raise BodyTooLarge
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if exceeded and not started:
                return  # the application's answer to a cut body is replaced by the 413
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, counting_receive, guarded_send)
        except BodyTooLarge:
            pass
        except Exception:
            if not exceeded:
                raise
        if exceeded and not started:
            await _send_json(send, 413, self._too_large())

    def _too_large(self) -> str:
        return (
            f"the request body is over the limit of {self.max_bytes:,} bytes "
            "(TEJIDO_MAX_UPLOAD_BYTES sets the upload limit)"
        )


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key.lower() == name:
            return value.decode("latin-1").strip()
    return None


async def _send_json(send: Send, status: int, message: str) -> None:
    body = json.dumps({"detail": message}).encode()
    await send({
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ],
    })
    await send({"type": "http.response.body", "body": body})


# --------------------------------------------------------------------------- upload files


@dataclass(frozen=True)
class SavedUpload:
    """An uploaded file as saved: where it is on the server and what the client called it."""

    path: Path
    client_name: str
    size: int


def client_file_name(raw: str | None) -> str:
    """A display name from a client's file name: its last component, without control
    characters, at most :data:`MAX_CLIENT_NAME_CHARS` long (``upload`` when nothing is left).

    The result is a label only: it never becomes a path on the server.
    """
    text = unicodedata.normalize("NFC", raw or "").replace("\\", "/")
    name = _UNSAFE_NAME_CHARACTERS.sub("", text.rsplit("/", 1)[-1]).strip()
    if name in {"", ".", ".."}:
        return "upload"
    return name[-MAX_CLIENT_NAME_CHARS:]


def upload_suffix(client_name: str) -> str:
    """The lowercase suffix of ``client_name`` if Tejido reads it; 415 otherwise."""
    suffix = PurePosixPath(client_name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        supported = ", ".join(sorted(SUPPORTED_SUFFIXES))
        raise HTTPException(
            status_code=415,
            detail=f"{client_name}: unsupported format {suffix or '(no suffix)'!r}; "
            f"supported: {supported}",
        )
    return suffix


def save_upload(
    source: BinaryIO, client_name: str | None, folder: Path, max_bytes: int
) -> SavedUpload:
    """Copy an uploaded file's bytes into ``folder`` under a generated name.

    The name is a random hex string plus the suffix of the client's file name (checked by
    :func:`upload_suffix`); the file is created exclusively, never overwriting anything.
    More than ``max_bytes`` bytes is a 413 and leaves no file behind.
    """
    name = client_file_name(client_name)
    target = folder / f"{uuid.uuid4().hex}{upload_suffix(name)}"
    size = 0
    try:
        with target.open("xb") as out:
            while chunk := source.read(COPY_CHUNK_BYTES):
                size += len(chunk)
                if size > max_bytes:
                    raise HTTPException(
                        status_code=413,
                        detail=f"{name}: the file is over the limit of {max_bytes:,} bytes",
                    )
                out.write(chunk)
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return SavedUpload(path=target, client_name=name, size=size)
