"""Flat rows of analysis results, for CSV downloads, the CLI's tables and reports.

One function per result kind turns pydantic results into dictionaries of scalars, so the
API's ``?format=csv``, ``tejido query --format csv|table`` and reports share one layout.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import BaseModel

from queries.results import Broker, DuplicatePair, Gap, LevelCell, OverlapPair, Tie

Row = dict[str, str | int | float | bool | None]


def _join(values: Iterable[Any]) -> str:
    return "; ".join(str(v) for v in values)


def _quote(evidence: Sequence[Any]) -> str:
    return evidence[0].quote[:300] if evidence else ""


def tie_row(tie: Tie) -> Row:
    """A coordination tie: the two institutions, their levels, channels and a quote."""
    return {
        "a": tie.a,
        "name_a": tie.name_a,
        "level_a": tie.level_a,
        "b": tie.b,
        "name_b": tie.name_b,
        "level_b": tie.level_b,
        "cross_level": tie.cross_level,
        "channels": _join(
            f"{c.kind}{':' + (c.via_name or c.via) if c.via else ''}" for c in tie.channels
        ),
        "evidence": len(tie.evidence),
        "quote": _quote(tie.evidence),
    }


def gap_row(gap: Gap) -> Row:
    """A coordination gap: the pair, how much they overlap, what they share and why."""
    return {
        "a": gap.a,
        "name_a": gap.name_a,
        "level_a": gap.level_a,
        "b": gap.b,
        "name_b": gap.name_b,
        "level_b": gap.level_b,
        "cross_level": gap.cross_level,
        "overlap": round(gap.overlap, 4),
        "shared": _join(f"{k}={_join(v)}" for k, v in gap.shared.items() if v),
        "reasons": _join(gap.reasons),
    }


def broker_row(broker: Broker) -> Row:
    """A broker institution and its cross-level betweenness."""
    data = broker.model_dump()
    return {k: v for k, v in data.items() if not isinstance(v, (list, dict))}


def overlap_row(pair: OverlapPair) -> Row:
    """An overlapping institution pair with its score breakdown and what it shares."""
    row: Row = {
        "a": pair.a,
        "name_a": pair.name_a,
        "level_a": pair.level_a,
        "b": pair.b,
        "name_b": pair.name_b,
        "level_b": pair.level_b,
        "score": round(pair.score, 4),
        "explicit": pair.explicit,
        "shared": _join(f"{k}={_join(v)}" for k, v in pair.shared.items() if v),
    }
    row.update({f"s_{k}": round(v, 4) for k, v in pair.breakdown.items()})
    return row


def duplicate_row(pair: DuplicatePair) -> Row:
    """A duplicate candidate pair with its score breakdown and flags."""
    row: Row = {
        "a": pair.a,
        "name_a": pair.name_a,
        "b": pair.b,
        "name_b": pair.name_b,
        "score": round(pair.score, 4),
        "category": pair.category,
        "criteria": _join(pair.criteria),
        "cluster": pair.cluster,
        "cross_level": pair.cross_level,
        "same_institution": pair.same_institution,
        "responsible_a": _join(pair.responsible_a),
        "responsible_b": _join(pair.responsible_b),
        "shared": _join(f"{k}={_join(v)}" for k, v in pair.shared.items() if v),
        "verdict": pair.verdict or "",
        "verdict_note": pair.verdict_note,
    }
    row.update({f"s_{k}": round(v, 4) for k, v in pair.breakdown.items()})
    return row


def level_cell_row(cell: LevelCell) -> Row:
    """A cell of the multilevel matrix."""
    return dict(cell.model_dump())


_ROWS = {
    Tie: tie_row,
    Gap: gap_row,
    Broker: broker_row,
    OverlapPair: overlap_row,
    DuplicatePair: duplicate_row,
    LevelCell: level_cell_row,
}


def to_rows(items: Iterable[BaseModel]) -> list[Row]:
    """Rows for a list of results of one kind (ties, gaps, brokers, pairs, matrix cells)."""
    out: list[Row] = []
    for item in items:
        builder = _ROWS.get(type(item))
        if builder is None:
            raise TypeError(f"no row layout for {type(item).__name__}")
        out.append(builder(item))
    return out


def to_csv(rows: Sequence[Row]) -> str:
    """CSV text (header from the first row's keys, then every key seen)."""
    fields: list[str] = []
    for row in rows:
        fields += [k for k in row if k not in fields]
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()
