"""``tejido query`` as a table, in the words of the pages: names instead of ids, levels,
categories, criteria and channels in words, shared facets summed up with the names of the
institutions and places, and every word whole on its line (a column is never narrower
than its longest word)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import networkx as nx
from pydantic import BaseModel

from app.i18n import t
from app.views.analysis_graphs import shared_summary
from app.views.labels import (
    category_label,
    channel_label,
    criterion_label,
    level_label,
    percent_text,
    score_text,
)

SHARED_VALUES = 4        # values shown per shared facet (then how many more)
CHANNELS = 4             # channels shown per tie
WIDEST_WORD = 30         # a longer word may be folded


def _yes(value: bool) -> str:
    return t("cli.yes") if value else t("cli.no")


def _shared(item: Any, name_of: Callable[[str], str]) -> str:
    return "; ".join(f"{label}: {values}" for label, values in
                     shared_summary(item.shared, SHARED_VALUES, name_of))


def _channels(item: Any) -> str:
    shown = [channel_label(c.kind) + (f" ({c.via_name or c.via})" if c.via else "")
             for c in item.channels[:CHANNELS]]
    more = len(item.channels) - len(shown)
    return "; ".join(shown) + (f" (+{more})" if more > 0 else "")


def _pair(item: Any) -> list[str]:
    return [item.name_a or item.a, level_label(item.level_a),
            item.name_b or item.b, level_label(item.level_b)]


PAIR = ["col.a", "col.level_a", "col.b", "col.level_b"]
Layout = tuple[list[str], Callable[[Any, Callable[[str], str]], list[str]]]
LAYOUTS: dict[str, Layout] = {
    "coordination": ([*PAIR, "col.channels"], lambda i, n: [*_pair(i), _channels(i)]),
    "matrix": (["col.level_a", "col.level_b", "col.institution_pairs", "col.tied_pairs",
                "col.sharing_field", "col.tied_and_sharing", "col.coordination_rate"],
               lambda i, n: [level_label(i.level_a), level_label(i.level_b),
                             str(i.institution_pairs), str(i.tied_pairs), str(i.sharing_field),
                             str(i.tied_and_sharing), percent_text(i.coordination_rate)]),
    "gaps": ([*PAIR, "col.overlap", "col.shared"],
             lambda i, n: [*_pair(i), score_text(i.overlap), _shared(i, n)]),
    "brokers": (["col.name", "col.level", "col.score", "col.degree"],
                lambda i, n: [i.name or i.id, level_label(i.level),
                              f"{i.score:.4f}".replace(".", ","), str(i.degree)]),
    "overlap": ([*PAIR, "col.score", "col.explicit", "col.shared"],
                lambda i, n: [*_pair(i), score_text(i.score), _yes(i.explicit),
                              _shared(i, n)]),
    "duplication": (["col.a", "col.b", "col.score", "col.category", "col.criteria",
                     "col.same_institution", "col.shared"],
                    lambda i, n: [i.name_a or i.a, i.name_b or i.b, score_text(i.score),
                                  category_label(i.category),
                                  "; ".join(criterion_label(c) for c in i.criteria),
                                  _yes(i.same_institution), _shared(i, n)]),
}


def table_cells(analysis: str, items: Sequence[BaseModel], graph: nx.MultiDiGraph
                ) -> tuple[list[str], list[list[str]]]:
    """The headers (in the language of the command line) and the rows of ``analysis``."""
    def name_of(node: str) -> str:
        return str(graph.nodes[node].get("name") or node) if node in graph else node

    keys, row = LAYOUTS[analysis]
    return [t(key) for key in keys], [row(item, name_of) for item in items]


def print_table(title: str, headers: list[str], rows: list[list[str]]) -> None:
    """Print a rich table whose columns are at least as wide as their longest word."""
    from rich.console import Console
    from rich.table import Table

    table = Table(title=title)
    for index, header in enumerate(headers):
        words = [w for row in rows for w in row[index].split()] + header.split()
        widest = min(WIDEST_WORD, max((len(w) for w in words), default=1))
        table.add_column(header, overflow="fold", min_width=widest)
    for row in rows:
        table.add_row(*row)
    Console().print(table)
