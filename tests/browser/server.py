"""Run an ASGI application with uvicorn on a free 127.0.0.1 port, in a thread."""

from __future__ import annotations

import socket
import threading

import uvicorn
from fastapi import FastAPI

from tests.browser.chromium import wait_for

HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class LiveServer:
    """uvicorn serving ``app`` in a background thread; use as a context manager."""

    def __init__(self, app: FastAPI, startup_timeout: float = 20.0) -> None:
        self.port = free_port()
        self.base_url = f"http://{HOST}:{self.port}"
        self.startup_timeout = startup_timeout
        config = uvicorn.Config(app, host=HOST, port=self.port, log_level="warning",
                                lifespan="on")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(target=self._server.run, name="live-server",
                                        daemon=True)

    def __enter__(self) -> LiveServer:
        self._thread.start()
        wait_for(lambda: self._server.started or not self._thread.is_alive(),
                 self.startup_timeout, "the server to start")
        if not self._server.started:
            raise RuntimeError(f"the server on {self.base_url} did not start")
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)

    def url(self, path: str) -> str:
        """Absolute URL of ``path`` on this server."""
        return f"{self.base_url}{path}"
