"""The files a view page needs, all local: vis-network from the pyvis package, our own CSS/JS.

Served pages link them under ``/static``; standalone exports inline them. Nothing is ever
fetched from outside the server: :func:`external_references` finds any ``src``, ``href``,
``url()`` or ``@import`` that points elsewhere, for tests and for callers that want to check.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pyvis

VIS_VERSION = "9.1.2"
VIS_SCRIPT = "vis-network.min.js"
VIS_STYLESHEET = "vis-network.css"
STATIC_DIR = Path(__file__).resolve().parents[1] / "static"
TEMPLATES_DIR = Path(__file__).resolve().parents[1] / "templates"

_SOURCE_MAP = re.compile(r"^\s*//[#@]\s*sourceMappingURL=.*$|/\*[#@]\s*sourceMappingURL=[^*]*\*/",
                         re.MULTILINE)
_EXTERNAL = re.compile(
    r"""(?:\b(?:src|href|action|formaction|poster)\s*=\s*["']?\s*"""
    r"""|url\(\s*["']?\s*|@import\s+["']\s*)"""
    r"""((?:[a-z][a-z0-9+.\-]*:)?//[^"'\s)>]*)""",
    re.IGNORECASE,
)


class AssetError(RuntimeError):
    """A bundled asset is missing or cannot be inlined safely."""


def vis_directory() -> Path:
    """The folder of the vis-network build that pyvis ships."""
    folder = Path(pyvis.__file__).resolve().parent / "templates" / "lib" / f"vis-{VIS_VERSION}"
    if not (folder / VIS_SCRIPT).is_file():
        raise AssetError(
            f"{folder}: vis-network {VIS_VERSION} is not where pyvis keeps it; "
            "reinstall pyvis (>=0.3.2)"
        )
    return folder


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        raise AssetError(f"{path}: cannot read the asset ({exc.strerror or exc})") from exc


def _without_source_maps(text: str) -> str:
    """Drop ``sourceMappingURL`` comments: the maps are not shipped."""
    return _SOURCE_MAP.sub("", text)


def _check_inlinable(name: str, text: str, closing: str) -> str:
    """Refuse text that would end its own inline element early."""
    if closing in text.lower():
        raise AssetError(f"{name}: contains {closing!r} and cannot be inlined")
    return text


@cache
def vis_script() -> str:
    """vis-network's JavaScript, without its source-map comment."""
    text = _without_source_maps(_read(vis_directory() / VIS_SCRIPT))
    return _check_inlinable(VIS_SCRIPT, text, "</script")


@cache
def vis_stylesheet() -> str:
    """vis-network's CSS (its images are data: URLs)."""
    text = _without_source_maps(_read(vis_directory() / VIS_STYLESHEET))
    return _check_inlinable(VIS_STYLESHEET, text, "</style")


@cache
def static_text(name: str) -> str:
    """One of our own files under ``app/static`` (for inlining in standalone exports)."""
    path = (STATIC_DIR / name).resolve()
    if path.parent != STATIC_DIR:
        raise AssetError(f"{name}: not a file of {STATIC_DIR}")
    text = _read(path)
    closing = "</style" if name.endswith(".css") else "</script"
    return _check_inlinable(name, text, closing)


def external_references(html: str) -> list[str]:
    """Every ``src``/``href``/``url()``/``@import`` target in ``html`` that leaves the server.

    Absolute (``https://...``) and protocol-relative (``//host/...``) targets count;
    root-relative paths, ``data:`` URLs and fragments do not.
    """
    return [match.group(1) for match in _EXTERNAL.finditer(html)]
