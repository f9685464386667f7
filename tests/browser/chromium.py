"""Drive Debian's headless Chromium through the DevTools protocol, with websocket-client.

No browser is downloaded: the tests use ``/usr/bin/chromium`` (``apt-get install chromium``).
:class:`Chromium` starts the browser on a free debugging port with a throw-away profile;
:meth:`Chromium.new_page` opens a tab and returns a :class:`Page`, which sends protocol
commands and keeps every event it receives (network requests, console messages, log
entries, exceptions) for the test to inspect.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import websocket

CHROMIUM = Path(os.environ.get("TEJIDO_CHROMIUM", "/usr/bin/chromium"))
# The marks of every browser test module: ``pytestmark = NEEDS_CHROMIUM``.
NEEDS_CHROMIUM: list[pytest.MarkDecorator] = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason=f"{CHROMIUM} is absent: install Debian's chromium (apt-get install -y chromium)",
    ),
]
FLAGS: tuple[str, ...] = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-sync",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--no-default-browser-check",
    "--mute-audio",
    "--window-size=1280,900",
)


class BrowserError(RuntimeError):
    """The browser did not start, or a protocol command failed or timed out."""


class Page:
    """One tab under DevTools control: commands, recorded events, small conveniences."""

    def __init__(self, ws_url: str, target_id: str = "", timeout: float = 30.0) -> None:
        self.target_id = target_id
        self._ws = websocket.create_connection(ws_url, timeout=timeout, suppress_origin=True)
        self._next_id = 0
        self.timeout = timeout
        self.events: list[dict[str, Any]] = []

    def close(self) -> None:
        """Close the protocol connection."""
        self._ws.close()

    def _receive(self, deadline: float) -> dict[str, Any]:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise BrowserError("timed out waiting for the browser")
        self._ws.settimeout(remaining)
        try:
            return json.loads(self._ws.recv())
        except websocket.WebSocketTimeoutException as exc:
            raise BrowserError("timed out waiting for the browser") from exc

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        """Run one protocol command and return its result (events meanwhile are kept)."""
        self._next_id += 1
        command_id = self._next_id
        self._ws.send(json.dumps({"id": command_id, "method": method, "params": params}))
        deadline = time.monotonic() + self.timeout
        while True:
            message = self._receive(deadline)
            if message.get("id") == command_id:
                if "error" in message:
                    raise BrowserError(f"{method}: {message['error']}")
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def pump(self, seconds: float) -> None:
        """Collect events for ``seconds``."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                message = self._receive(deadline)
            except BrowserError:
                return
            if "method" in message:
                self.events.append(message)

    def wait_for_event(self, method: str, timeout: float | None = None) -> dict[str, Any]:
        """The first recorded or incoming event named ``method``."""
        deadline = time.monotonic() + (timeout or self.timeout)
        seen = 0
        while True:
            for event in self.events[seen:]:
                if event["method"] == method:
                    return event
            seen = len(self.events)
            message = self._receive(deadline)
            if "method" in message:
                self.events.append(message)

    def evaluate(self, expression: str) -> Any:
        """The value of a JavaScript expression in the page (exceptions raise)."""
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True,
                           awaitPromise=True)
        if "exceptionDetails" in result:
            raise BrowserError(f"{expression}: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_until(self, expression: str, timeout: float | None = None) -> Any:
        """Poll ``expression`` until it is truthy; return its value."""
        deadline = time.monotonic() + (timeout or self.timeout)
        while True:
            value = self.evaluate(expression)
            if value:
                return value
            if time.monotonic() > deadline:
                raise BrowserError(f"timed out waiting for {expression}")
            self.pump(0.1)

    def open(self, url: str) -> None:
        """Navigate to ``url`` and wait for its load event."""
        self.events = [e for e in self.events if e["method"] != "Page.loadEventFired"]
        self.send("Page.navigate", url=url)
        self.wait_for_event("Page.loadEventFired")

    def screenshot(self, path: Path) -> Path:
        """Save a PNG of the viewport to ``path``."""
        data = self.send("Page.captureScreenshot", format="png")["data"]
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(base64.b64decode(data))
        return path

    def requested_urls(self) -> list[str]:
        """Every URL the page requested (Network domain)."""
        return [e["params"]["request"]["url"] for e in self.events
                if e["method"] == "Network.requestWillBeSent"]

    def errors(self) -> list[str]:
        """Console errors, uncaught exceptions and error log entries (CSP, failed loads)."""
        found: list[str] = []
        for event in self.events:
            params = event.get("params", {})
            if event["method"] == "Runtime.exceptionThrown":
                details = params.get("exceptionDetails", {})
                found.append(details.get("exception", {}).get("description")
                             or details.get("text", "exception"))
            elif event["method"] == "Runtime.consoleAPICalled" and params.get("type") in (
                "error", "assert"
            ):
                found.append(" ".join(str(a.get("value", a.get("description", "")))
                                      for a in params.get("args", [])))
            elif event["method"] == "Log.entryAdded" and params["entry"]["level"] == "error":
                found.append(f"{params['entry'].get('source')}: {params['entry']['text']} "
                             f"{params['entry'].get('url', '')}".strip())
        return found

    def events_named(self, method: str) -> list[dict[str, Any]]:
        """Recorded events named ``method``."""
        return [e for e in self.events if e["method"] == method]


class Chromium:
    """A headless Chromium process with a throw-away profile; use as a context manager."""

    def __init__(self, executable: Path = CHROMIUM, startup_timeout: float = 30.0) -> None:
        self.executable = executable
        self.startup_timeout = startup_timeout
        self._profile = Path(tempfile.mkdtemp(prefix="tejido-chromium-"))
        self._process: subprocess.Popen[bytes] | None = None
        self.port: int | None = None

    def __enter__(self) -> Chromium:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def start(self) -> None:
        """Launch the browser and wait until its DevTools endpoint answers."""
        if not self.executable.exists():
            raise BrowserError(f"{self.executable}: no Chromium here (apt-get install chromium)")
        command = [str(self.executable), *FLAGS, "--remote-debugging-port=0",
                   f"--user-data-dir={self._profile}", "about:blank"]
        self._process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        active_port = self._profile / "DevToolsActivePort"
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise BrowserError(f"Chromium exited with status {self._process.returncode}")
            if active_port.exists():
                lines = active_port.read_text().split()
                if lines:
                    self.port = int(lines[0])
                    return
            time.sleep(0.05)
        self.stop()
        raise BrowserError("Chromium did not open its DevTools port in time")

    def stop(self) -> None:
        """End the browser process (and its children, which share its session)."""
        process, self._process = self._process, None
        if process is not None and process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=10)
        shutil.rmtree(self._profile, ignore_errors=True)

    def new_page(self, enable: tuple[str, ...] = ("Page", "Network", "Runtime", "Log")) -> Page:
        """Open a blank tab, connect to it and enable the given protocol domains."""
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/json/new?about:blank", method="PUT"
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            target = json.load(response)
        page = Page(target["webSocketDebuggerUrl"], target_id=target["id"])
        for domain in enable:
            page.send(f"{domain}.enable")
        return page

    def close_page(self, page: Page) -> None:
        """Disconnect from a tab and close it."""
        page.close()
        with urllib.request.urlopen(
            f"http://127.0.0.1:{self.port}/json/close/{page.target_id}", timeout=10
        ):
            pass


def wait_for(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Poll ``condition`` until it holds, else fail saying ``what`` was awaited."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise BrowserError(f"timed out waiting for {what}")
        time.sleep(0.05)
