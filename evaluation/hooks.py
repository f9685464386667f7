"""The callables ``tejido evaluate`` scores with: the extraction pipeline and the two pair
queries (duplication and overlap) run on the graph projected from one extraction."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import networkx as nx

from graph.model import Extraction
from loaders.extract.lexicon import default_lexicon
from loaders.ingest import extract_file
from loaders.read import read
from queries.duplication import find_duplicates
from queries.overlap import find_overlaps

PairRanking = Callable[[nx.MultiDiGraph, int], list[tuple[str, str]]]


def duplicates(graph: nx.MultiDiGraph, k: int) -> list[tuple[str, str]]:
    """The top ``k`` instrument pairs of the duplication query, as id pairs."""
    return [(p.a, p.b) for p in find_duplicates(graph, top=k).pairs]


def overlaps(graph: nx.MultiDiGraph, k: int) -> list[tuple[str, str]]:
    """The top ``k`` institution pairs of the overlap query, as id pairs."""
    return [(p.a, p.b) for p in find_overlaps(graph, top=k).pairs]


def evaluation_hooks() -> tuple[Callable[[Path], Extraction], PairRanking, PairRanking]:
    """``extract(path)``, ``duplicates(graph, k)`` and ``overlaps(graph, k)`` for evaluation."""
    lexicon = default_lexicon()

    def extract(path: Path) -> Extraction:
        return extract_file(read(path), lexicon)[0]

    return extract, duplicates, overlaps
