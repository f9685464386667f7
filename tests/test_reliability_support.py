"""Helpers of the reliability tests (no tests here): the ``tejido`` command in a subprocess,
free loopback ports, a live API server, and a generated corpus of policy documents."""

from __future__ import annotations

import os
import re
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

import httpx

from app.i18n import LANGUAGES, MESSAGES

PROJECT = Path(__file__).resolve().parents[1]
QUIET_ENV = {"COLUMNS": "400", "NO_COLOR": "1", "TERM": "dumb", "PYTHONUNBUFFERED": "1"}

REGIONS = (
    "Arica y Parinacota", "Tarapacá", "Antofagasta", "Atacama", "Coquimbo", "Valparaíso",
    "O'Higgins", "Maule", "Ñuble", "Biobío", "La Araucanía", "Los Ríos", "Los Lagos", "Aysén",
    "Magallanes",
)
COMMUNES = (
    "Chillán", "Talca", "Temuco", "Valdivia", "Osorno", "Puerto Montt", "Coyhaique",
    "Punta Arenas", "Iquique", "Calama", "Copiapó", "La Serena", "Rancagua", "Curicó",
    "Linares", "Los Ángeles", "Angol", "Castro",
)
AGENCIES = (
    "Corporación de Fomento de la Producción (CORFO)",
    "Servicio de Cooperación Técnica (SERCOTEC)",
    "Instituto de Desarrollo Agropecuario (INDAP)",
    "Subsecretaría de Desarrollo Regional y Administrativo (SUBDERE)",
    "Fondo de Solidaridad e Inversión Social (FOSIS)",
)
SENTENCES = (
    "El Gobierno Regional de {region} coordina con la Municipalidad de {commune} el "
    "Programa de Desarrollo Local {doc}-{n}.",
    "La {agency} ejecuta el Fondo de Innovación Territorial {doc}-{n} en conjunto con el "
    "Gobierno Regional de {region}.",
    "La Municipalidad de {commune} participa en la Mesa Regional de Fomento {doc}-{n} con "
    "la {agency}.",
    "El Programa de Apoyo a Emprendedores {doc}-{n} es financiado por el Gobierno Regional "
    "de {region} y administrado por la Municipalidad de {commune}.",
)


def tejido_command(*args: str) -> list[str]:
    """The ``tejido`` console script of this environment with ``args``."""
    script = Path(sys.executable).with_name("tejido")
    if script.exists():
        return [str(script), *args]
    return [sys.executable, "-m", "app.cli", *args]


def child_env(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment of a child process: this one, without TEJIDO_/NEO4J_ settings that
    could leak in from the caller, plus plain-text console settings and ``extra``."""
    env = {
        key: value for key, value in os.environ.items()
        if not key.startswith(("TEJIDO_", "NEO4J_"))
    }
    env.update(QUIET_ENV)
    env.update(extra or {})
    return env


def run_tejido(
    *args: str, env: Mapping[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``tejido args`` to completion (however long a busy machine makes it take),
    capturing its output as text."""
    return subprocess.run(
        tejido_command(*args), cwd=PROJECT, env=child_env(env), capture_output=True,
        text=True, check=False,
    )


def summary_count(output: str, row: str) -> int:
    """The number in row ``row`` (its English words) of the ingestion summary table printed by
    ``tejido ingest``, in whichever language the command spoke."""
    labels = [row, *(words[lang] for words in MESSAGES.values() if words.get("en") == row
                     for lang in LANGUAGES)]
    alternatives = "|".join(re.escape(label) for label in labels)
    found = re.search(f"(?:{alternatives})" + r"[\s│|]*(\d+)", output)
    if found is None:
        raise AssertionError(f"no {row!r} row in the ingestion summary:\n{output}")
    return int(found.group(1))


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on (closed once found)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def sqlite_url(path: Path) -> str:
    """The store URL of the SQLite file at ``path`` (absolute)."""
    return f"sqlite:///{path.resolve()}"


def stored_document_count(path: Path) -> int:
    """Documents committed in the store file at ``path``, read without writing to it."""
    if not path.exists():
        return 0
    try:
        with sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=5) as conn:
            return conn.execute("SELECT count(*) FROM documents").fetchone()[0]
    except sqlite3.OperationalError:
        return 0  # the schema is still being created


@contextmanager
def live_server(
    store_url: str, log_path: Path, env: Mapping[str, str] | None = None,
    log_level: str = "info",
) -> Iterator[str]:
    """A uvicorn server of the application on 127.0.0.1 in a subprocess; yields its base URL.

    Its standard output and error go to ``log_path``. The server is stopped (and waited
    for) on exit.
    """
    port = free_port()
    command = [
        sys.executable, "-m", "uvicorn", "app.main:create_app", "--factory",
        "--host", "127.0.0.1", "--port", str(port), "--log-level", log_level,
    ]
    settings = {"TEJIDO_STORE": store_url, **(env or {})}
    with log_path.open("w") as log:
        process = subprocess.Popen(
            command, cwd=PROJECT, env=child_env(settings), stdout=log, stderr=subprocess.STDOUT
        )
        base = f"http://127.0.0.1:{port}"
        try:
            wait_until_listening(base, process, log_path)
            yield base
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)


def wait_until_listening(base: str, process: subprocess.Popen, log_path: Path) -> None:
    """Wait until the server at ``base`` answers HTTP at all (any status), or exits; however
    long a busy machine makes its start take (no deadline: a server either listens or ends)."""
    while True:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited early:\n{log_path.read_text()}")
        try:
            httpx.get(f"{base}/openapi.json", timeout=2)
            return
        except httpx.TransportError:
            time.sleep(0.1)


def document_text(doc: int, sentences: int) -> str:
    """The text of generated document ``doc``: a title and ``sentences`` sentences naming
    regional governments, municipalities, national agencies and numbered instruments."""
    lines = [f"Informe de coordinación territorial N° {doc}", ""]
    for n in range(sentences):
        template = SENTENCES[(doc + n) % len(SENTENCES)]
        lines.append(template.format(
            region=REGIONS[(doc * 7 + n) % len(REGIONS)],
            commune=COMMUNES[(doc * 5 + n * 3) % len(COMMUNES)],
            agency=AGENCIES[(doc + n * 2) % len(AGENCIES)],
            doc=doc, n=n % 7,
        ))
        if n % 5 == 4:
            lines.append("")
    return "\n".join(lines) + "\n"


def write_corpus(folder: Path, documents: int, sentences: int) -> list[Path]:
    """Write ``documents`` generated text documents into ``folder``; their paths, sorted."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for doc in range(documents):
        path = folder / f"informe_{doc:03d}.txt"
        path.write_text(document_text(doc, sentences), encoding="utf-8")
        paths.append(path)
    return paths
