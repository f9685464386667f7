"""The command line as a user meets it (version, readable help, a mistyped store path) and
the files it and the API export: GraphML and GEXF of the corpus read back in networkx with
names as labels, CSV with names and territories, reports with filters and sections."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import networkx as nx
import pytest
from fastapi.testclient import TestClient

from app.i18n import t
from app.main import create_app
from tests.fixtures.settings import settings_for

ROOT = Path(__file__).resolve().parents[1]
CORPUS = (ROOT / ".." / "shared" / "corpus").resolve()
FIXTURE_CORPUS = ROOT / "tests" / "fixtures" / "explorer" / "corpus"


def tejido(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """``tejido ARGS`` as the console script runs it (its help made readable)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEJIDO_")}
    return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=cwd, env=env,
                          capture_output=True, text=True)


def test_version_and_readable_help() -> None:
    version = tejido("--version")
    assert version.returncode == 0 and version.stdout.startswith("tejido ")
    for command in ((), ("query",), ("report",), ("ingest",), ("serve",), ("export", "view")):
        shown = tejido(*command, "--help")
        assert shown.returncode == 0, shown.stderr
        assert "<bool>" not in shown.stdout and "<str>" not in shown.stdout, shown.stdout
        assert "<int" not in shown.stdout
    assert "--workers N" in tejido("serve", "--help").stdout
    assert "--territory TERRITORY" in tejido("report", "--help").stdout


@pytest.mark.parametrize("command", [("stats",), ("query", "overlap"), ("serve",),
                                     ("report", "--out", "informe.html")])
def test_a_mistyped_store_path_is_refused_naming_it(tmp_path: Path, command: tuple) -> None:
    missing = tmp_path / "tejdio.db"
    result = tejido(*command, "--store", f"sqlite:///{missing}", cwd=tmp_path)
    assert result.returncode != 0
    assert str(missing) in "".join(result.stderr.split())  # named, however the line wraps
    said = " ".join(result.stderr.split())
    assert " ".join(t("cli.no_store", "es", where=missing).split()) in said  # in Spanish
    assert not missing.exists()  # no empty store was created


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The shared corpus ingested by ``tejido ingest`` (the fixture documents without it)."""
    source = CORPUS if CORPUS.is_dir() else FIXTURE_CORPUS
    url = f"sqlite:///{tmp_path_factory.mktemp('corpus') / 'tejido.db'}"
    result = tejido("ingest", str(source), "--store", url)
    assert result.returncode == 0, result.stderr[-2000:]
    return url


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graph_files_of_the_corpus_read_back_with_names_as_labels(
    corpus_store: str, tmp_path: Path, fmt: str
) -> None:
    target = tmp_path / f"tejido.{fmt}"
    result = tejido("export", "--format", fmt, "--out", str(target), "--store", corpus_store)
    assert result.returncode == 0, result.stderr
    graph = nx.read_graphml(target) if fmt == "graphml" else nx.read_gexf(target)
    assert graph.number_of_nodes() > 50
    labels = [data["label"] for _, data in graph.nodes(data=True)]
    assert not {"Institution", "Instrument", "Program", "Territory"} & set(labels)
    assert all(data["label"] == data["name"] for _, data in graph.nodes(data=True))
    kinds = {data["type"] for _, data in graph.nodes(data=True)}
    assert {"Institution", "Instrument"} <= kinds
    for _, data in graph.nodes(data=True):
        assert {"level", "country", "territory"} <= set(data)
    if fmt == "graphml":
        assert all({"r", "g", "b", "x", "y"} <= set(d) for _, d in graph.nodes(data=True))
        assert "generated" in graph.graph and "source_documents" in graph.graph
    else:
        assert all("viz" in d and "position" in d["viz"] and "color" in d["viz"]
                   for _, d in graph.nodes(data=True))
        assert "<description>" in target.read_text(encoding="utf-8")
    positions = {(d["x"], d["y"]) if fmt == "graphml" else
                 (d["viz"]["position"]["x"], d["viz"]["position"]["y"])
                 for _, d in graph.nodes(data=True)}
    assert len(positions) > graph.number_of_nodes() // 2  # laid out, not piled up


def test_duplication_csv_names_the_agencies_and_their_territories(corpus_store: str) -> None:
    with TestClient(create_app(settings=settings_for(corpus_store))) as client:
        response = client.get("/analysis/duplication", params={"format": "csv", "top": 20})
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert rows, "the corpus has duplicate candidates"
    assert {"responsible_a_names", "responsible_b_names", "territory_a", "territory_b",
            "name_a", "a"} <= set(rows[0])
    for row in rows:
        ids = [v for v in row["responsible_a"].split("; ") if v]
        names = [v for v in row["responsible_a_names"].split("; ") if v]
        assert len(ids) == len(names)
        assert not any(name.startswith("inst:") for name in names)


def test_the_report_takes_filters_and_sections(corpus_store: str, tmp_path: Path) -> None:
    out = tmp_path / "informe.html"
    result = tejido("report", "--out", str(out), "--store", corpus_store, "--country", "CL",
                    "--section", "summary", "--section", "duplication")
    assert result.returncode == 0, result.stderr
    html = out.read_text(encoding="utf-8")
    assert 'id="tj-provenance"' in html and "country=CL" in html
    assert 'id="tj-duplicates"' in html and 'id="tj-coordination"' not in html
    bad = tejido("report", "--out", str(out), "--store", corpus_store, "--section", "astros")
    assert bad.returncode == 2 and "astros" in bad.stderr


def test_one_setting_chooses_the_language_of_the_pages_and_the_command_line(
    corpus_store: str, tmp_path: Path
) -> None:
    with TestClient(create_app(settings=settings_for(corpus_store, language="en"))) as client:
        english = client.get("/explore/entity/CORFO", follow_redirects=True).text
    with TestClient(create_app(settings=settings_for(corpus_store))) as client:
        spanish = client.get("/explore/entity/CORFO", follow_redirects=True).text
    assert '<html lang="en">' in english and ">Properties<" in english and ">Kind<" in english
    assert '<html lang="es">' in spanish and ">Propiedades<" in spanish and ">Tipo<" in spanish
    assert "<td>agency</td>" in english and "<td>agencia</td>" in spanish
    for lang, word in (("en", "wrote"), ("es", "escrito")):
        env = {**os.environ, "TEJIDO_LANGUAGE": lang}
        done = subprocess.run(
            [sys.executable, "-m", "app.cli", "report", "--out", str(tmp_path / f"{lang}.html"),
             "--store", corpus_store, "--section", "summary"],
            cwd=ROOT, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        assert done.stderr.split()[0] == word


@pytest.mark.parametrize("analysis", ["duplication", "overlap", "coordination", "gaps"])
def test_query_tables_keep_words_whole_and_show_names_in_the_language_chosen(
    corpus_store: str, analysis: str
) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TEJIDO_")}
    env |= {"COLUMNS": "200", "TEJIDO_LANGUAGE": "es"}

    def run(*extra: str) -> str:
        done = subprocess.run([sys.executable, "-m", "app.cli", "query", analysis, "--top", "8",
                               "--store", corpus_store, *extra], cwd=ROOT, env=env,
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        return done.stdout

    items = json.loads(run("--format", "json"))
    assert items, f"the corpus has {analysis} rows"
    table = run()
    assert max(len(line) for line in table.splitlines()) <= 200
    shown = set(re.findall(r"[^\s│┃]+", table))
    for item in items:  # every word of every name is printed whole (never folded mid-way)
        for word in f"{item['name_a']} {item['name_b']}".split():
            assert word in shown or f"{word};" in shown or f"{word}," in shown, word
    assert "inst:" not in table and "instr:" not in table  # names, not ids
    assert t("col.score", "es") in table or t("col.level_a", "es") in table
    for raw in ("True", "False", "national", "same_support", "themes=", "target_groups"):
        assert not re.search(rf"\b{raw}\b", table), raw  # the pages' words, not raw values
