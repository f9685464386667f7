"""Every Cypher statement of the Neo4j store passes Neo4j's own Cypher front end.

No Neo4j server runs here, so the statements are checked by ``lintCypherQuery`` of the npm
package ``@neo4j-cypher/language-support`` (run with Node.js by tests/cypher_lint.mjs),
against a schema made of the ontology's labels and relationship types, the store's own
bookkeeping labels, the property keys the store writes and the signatures of the two
procedures it calls. Undefined parameters are the only diagnostics allowed: the linter
cannot know the values the driver sends. Statements known to be wrong go through the same
run, to prove that the linter reports what it should.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from graph.model import DocumentInfo, Entity, Mention, Passage, Relation
from graph.stores import cypher
from graph.stores.base import MergeCandidate, MergeRecord, PairVerdict
from graph.stores.support import SupportRecord
from graph.vocab import LABELS, RELATION_TYPES

ROOT = Path(__file__).resolve().parents[1]
LINTER = ROOT / "tests" / "cypher_lint.mjs"
PACKAGE = ROOT / "node_modules" / "@neo4j-cypher" / "language-support" / "package.json"

UNDEFINED_PARAMETER = re.compile(r"^Parameter \$\S+ is not defined\.$")

# Properties the store keeps besides the fields of the domain models.
STORE_PROPERTY_KEYS = {
    "label", "norm_names", "search_names", "sort_name",   # entities
    "ingested_at",                                      # documents
    "properties", "evidence", "evidence_count", "doc_ids",   # relations
    "snapshot",                                         # merge records
    "key",                                              # merge candidates, support
    "revision", "merge_seq",                            # the StoreMeta node
}

# Signatures of the procedures the store calls, as Neo4j 5 lists them (SHOW PROCEDURES).
PROCEDURES = {
    "db.index.fulltext.queryNodes": {
        "name": "db.index.fulltext.queryNodes",
        "description": "Query the given full-text index. Returns the matching nodes and score.",
        "mode": "READ",
        "worksOnSystem": False,
        "argumentDescription": [
            {"name": "indexName", "description": "indexName :: STRING", "type": "STRING",
             "isDeprecated": False},
            {"name": "queryString", "description": "queryString :: STRING", "type": "STRING",
             "isDeprecated": False},
            {"name": "options", "description": "options = {} :: MAP", "type": "MAP",
             "isDeprecated": False, "default": "DefaultParameterValue{value={}, type=MAP}"},
        ],
        "returnDescription": [
            {"name": "node", "description": "node :: NODE", "type": "NODE",
             "isDeprecated": False},
            {"name": "score", "description": "score :: FLOAT", "type": "FLOAT",
             "isDeprecated": False},
        ],
        "signature": "db.index.fulltext.queryNodes(indexName :: STRING, queryString :: STRING, "
                     "options = {} :: MAP) :: (node :: NODE, score :: FLOAT)",
        "admin": False,
        "option": {"deprecated": False},
    },
    "db.awaitIndexes": {
        "name": "db.awaitIndexes",
        "description": "Wait for all indexes to come online.",
        "mode": "READ",
        "worksOnSystem": True,
        "argumentDescription": [
            {"name": "timeOutSeconds", "description": "timeOutSeconds = 300 :: INTEGER",
             "type": "INTEGER", "isDeprecated": False,
             "default": "DefaultParameterValue{value=300, type=INTEGER}"},
        ],
        "returnDescription": [],
        "signature": "db.awaitIndexes(timeOutSeconds = 300 :: INTEGER)",
        "admin": False,
        "option": {"deprecated": False},
    },
}

# Statements the linter must reject, each with a fragment of the diagnostic it must give.
BROKEN = {
    "unclosed node pattern": ("MATCH (n RETURN n", "Invalid input"),
    "undefined variable": ("MATCH (n:Entity) RETURN m", "Variable `m` not defined"),
    "label outside the ontology": ("MATCH (n:Organisation) RETURN n", "Label Organisation"),
    "unknown relationship type": (
        "MATCH (:Entity)-[r:WORKS_WITH]->(:Entity) RETURN r", "WORKS_WITH"
    ),
    "misspelt property": ("MATCH (n:Entity) RETURN n.nmae", "nmae"),
    "unknown procedure output": (
        "CALL db.index.fulltext.queryNodes('entity_names', $q) YIELD hit RETURN hit",
        "Unknown procedure output",
    ),
    "Neo4j 4 constraint syntax": (
        "CREATE CONSTRAINT ON (n:Entity) ASSERT n.id IS UNIQUE", "",
    ),
}


def lint_schema() -> dict:
    """The DbSchema the statements are checked against."""
    structural_labels = [
        cypher.ENTITY, cypher.DOCUMENT, cypher.PASSAGE, cypher.MERGE_RECORD,
        cypher.MERGE_CANDIDATE, cypher.STORE_META, cypher.SUPPORT, cypher.VERDICT,
    ]
    property_keys = set(STORE_PROPERTY_KEYS)
    for model in (Entity, Relation, DocumentInfo, Passage, Mention, MergeRecord, MergeCandidate,
                  SupportRecord, PairVerdict):
        property_keys.update(model.model_fields)
    return {
        "labels": [*LABELS, *structural_labels],
        "relationshipTypes": [*RELATION_TYPES, "MENTIONS", "FROM_DOCUMENT"],
        "propertyKeys": sorted(property_keys),
        "procedures": {"CYPHER 5": PROCEDURES},
    }


def run_linter(statements: list[str]) -> list[list[dict]]:
    """Lint ``statements`` in one Node.js run; the diagnostics of each, in order."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed: the Cypher linter needs `node` on PATH")
    if not PACKAGE.exists():
        pytest.skip(
            "@neo4j-cypher/language-support is not installed: run `npm ci` in the project root"
        )
    payload = json.dumps({"statements": statements, "schema": lint_schema()})
    completed = subprocess.run(
        [node, str(LINTER)], input=payload, capture_output=True, text=True, cwd=ROOT,
        check=False,
    )
    assert completed.returncode == 0, f"cypher_lint.mjs failed: {completed.stderr}"
    report = json.loads(completed.stdout)
    assert [entry["index"] for entry in report] == list(range(len(statements)))
    return [entry["diagnostics"] for entry in report]


@pytest.fixture(scope="module")
def lint_results() -> dict[str, list[dict]]:
    """Diagnostics by statement name: the store's statements and the broken controls."""
    named = dict(cypher.all_statements())
    named.update({f"broken: {name}": text for name, (text, _) in BROKEN.items()})
    named["control: parameter"] = "MATCH (n:Entity {id: $id}) RETURN n.name AS name"
    results = run_linter(list(named.values()))
    return dict(zip(named, results, strict=True))


def test_every_store_statement_passes_the_linter(lint_results):
    failures = [
        f"{name}: {diagnostic['message']}"
        for name, diagnostics in lint_results.items()
        if not name.startswith(("broken: ", "control: "))
        for diagnostic in diagnostics
        if not UNDEFINED_PARAMETER.match(diagnostic["message"])
    ]
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_linter_reports_broken_statements(lint_results, name):
    expected = BROKEN[name][1]
    messages = [d["message"] for d in lint_results[f"broken: {name}"]]
    relevant = [m for m in messages if not UNDEFINED_PARAMETER.match(m)]
    assert relevant, f"no diagnostic for {BROKEN[name][0]!r}"
    assert any(expected in m for m in relevant), relevant


def test_undefined_parameter_is_the_only_diagnostic_of_a_valid_statement(lint_results):
    messages = [d["message"] for d in lint_results["control: parameter"]]
    assert messages == ["Parameter $id is not defined."]


def test_parameters_reported_by_the_linter_are_those_in_the_text(lint_results):
    for name, text in cypher.all_statements().items():
        reported = {
            d["message"].split()[1].lstrip("$") for d in lint_results[name]
            if UNDEFINED_PARAMETER.match(d["message"])
        }
        assert reported == set(re.findall(r"\$(\w+)", text)), name
