"""The evaluation report as tables that read in an 80-column terminal.

Three tables: every measure with micro and macro F1, precision and recall and the summed
counts; then per document, the F1 of entities, level accuracy and pair recall; then per
document, the F1 of each relation type. Column headers are short and explained in captions.
"""

from __future__ import annotations

from rich import box
from rich.table import Table

from evaluation.gold import GOLD_RELATION_TYPES, STRENGTHS
from evaluation.scores import (
    LENIENT_TYPES,
    PROGRAM_INSTRUMENT,
    STRICT_TYPES,
    Counts,
    DocumentScores,
    EvaluationReport,
    MacroCounts,
    MacroRatio,
    PairScore,
)

# Short column names of the per-document tables.
ENTITY_ABBREVIATIONS: dict[str, str] = {
    "Institution": "Inst",
    PROGRAM_INSTRUMENT: "P+I",
    "Territory": "Terr",
    "Person": "Pers",
}
RELATION_ABBREVIATIONS: dict[str, str] = {
    "RESPONSIBLE_FOR": "RESP",
    "CO_RESPONSIBLE_FOR": "CORE",
    "PART_OF": "PART",
    "PARTICIPATES_IN": "PTCP",
    "COORDINATES_WITH": "COOR",
    "AFFILIATED_WITH": "AFFL",
    "OPERATES_IN": "OPER",
    "FUNDS": "FUND",
}


def _fmt(value: float | None) -> str:
    return "–" if value is None else f"{value:.2f}"


def _f1(counts: Counts) -> str:
    """F1 of one document's counts; "–" when there was nothing to find and nothing found."""
    return _fmt(counts.f1) if counts.tp + counts.fp + counts.fn else "–"


def _table(title: str, caption: str) -> Table:
    return Table(title=title, caption=caption, box=box.SIMPLE_HEAD, padding=(0, 1),
                 pad_edge=False, caption_justify="left")


def _measure_row(label: str, micro: Counts, macro: MacroCounts) -> list[str]:
    return [label, _fmt(micro.f1), _fmt(micro.precision), _fmt(micro.recall),
            _fmt(macro.f1), _fmt(macro.precision), _fmt(macro.recall),
            str(micro.tp), str(micro.fp), str(micro.fn)]


def _ratio_row(label: str, micro: float | None, macro: MacroRatio,
               counts: tuple[str, str, str]) -> list[str]:
    return [label, _fmt(micro), "", "", _fmt(macro.value), "", "", *counts]


def _pair(pair: PairScore) -> str:
    """Recall at k of one document's pairs; "–" when it has no gold pairs or no ranking."""
    return _fmt(pair.recall_at_k) if pair.gold and pair.found is not None else "–"


def _pair_counts(pair: PairScore) -> tuple[str, str, str]:
    if pair.found is None:
        return "–", "", "–"
    return str(pair.found), "", str(pair.gold - pair.found)


def summary_table(report: EvaluationReport) -> Table:
    """Every measure: micro F1/P/R, macro F1/P/R, and the summed tp/fp/fn."""
    micro, macro = report.overall, report.macro
    n = len(report.documents)
    caption = (
        f"{n} document{'s' if n != 1 else ''}. F1 P R: micro-averaged (counts summed over "
        "documents); mF1 mP mR: macro-averaged (mean over the documents where the measure "
        "counts something). levels: accuracy, tp = right, fp = wrong; pairs: recall within "
        "the top 3 × gold pairs, tp = found, fn = missed."
    )
    if report.missing:
        caption += "\nmissing documents: " + ", ".join(
            f"{m.document} ({m.gold})" for m in report.missing)
    table = _table("Extraction evaluation", caption)
    table.add_column("measure", no_wrap=True)
    for column in ("F1", "P", "R", "mF1", "mP", "mR", "tp", "fp", "fn"):
        table.add_column(column, justify="right", no_wrap=True)
    for t in LENIENT_TYPES:
        table.add_row(*_measure_row(t, micro.entities[t], macro.entities[t]))
    for t in STRICT_TYPES:
        if t in ("Instrument", "Program"):
            table.add_row(*_measure_row(f"{t} (strict)", micro.entities_strict[t],
                                        macro.entities_strict[t]))
    levels = micro.levels
    table.add_row(*_ratio_row("levels", levels.accuracy, macro.levels,
                              (str(levels.correct), str(levels.matched - levels.correct), "")),
                  end_section=True)
    for t in GOLD_RELATION_TYPES:
        table.add_row(*_measure_row(t, micro.relations[t], macro.relations[t]),
                      end_section=t == GOLD_RELATION_TYPES[-1])
    table.add_row(*_ratio_row("duplicates", micro.duplicates.recall_at_k, macro.duplicates,
                              _pair_counts(micro.duplicates)))
    for s in STRENGTHS:
        pair = micro.duplicates_by_strength[s]
        table.add_row(f"  {s}", _fmt(pair.recall_at_k), "", "", "", "", "", *_pair_counts(pair))
    table.add_row(*_ratio_row("overlaps", micro.overlaps.recall_at_k, macro.overlaps,
                              _pair_counts(micro.overlaps)))
    return table


def _document_table(title: str, caption: str, columns: list[str]) -> Table:
    table = _table(title, caption)
    table.add_column("document", overflow="fold", min_width=12)
    for column in columns:
        table.add_column(column, justify="right", no_wrap=True)
    return table


def entities_by_document(documents: list[DocumentScores]) -> Table:
    """Per document: F1 of each entity type, level accuracy, duplicate and overlap recall."""
    legend = ", ".join(f"{short} {name}" for name, short in ENTITY_ABBREVIATIONS.items())
    table = _document_table(
        "Entities per document (F1)",
        f"{legend}; lvl level accuracy; dup, ovl recall@k of duplicates and overlaps; "
        "– nothing to find and nothing found.",
        [*ENTITY_ABBREVIATIONS.values(), "lvl", "dup", "ovl"],
    )
    for d in documents:
        table.add_row(d.document, *[_f1(d.entities[t]) for t in ENTITY_ABBREVIATIONS],
                      _fmt(d.levels.accuracy) if d.levels.matched else "–",
                      _pair(d.duplicates), _pair(d.overlaps))
    return table


def relations_by_document(documents: list[DocumentScores]) -> Table:
    """Per document: F1 of each relation type."""
    legend = ", ".join(f"{short} {name}" for name, short in RELATION_ABBREVIATIONS.items())
    table = _document_table("Relations per document (F1)",
                            legend + "; – nothing to find and nothing found.",
                            list(RELATION_ABBREVIATIONS.values()))
    for d in documents:
        table.add_row(d.document, *[_f1(d.relations[t]) for t in RELATION_ABBREVIATIONS])
    return table


def render_tables(report: EvaluationReport) -> list[Table]:
    """The summary table, then the per-document tables (none when no document was scored)."""
    documents = list(report.documents.values())
    tables = [summary_table(report)]
    if documents:
        tables += [entities_by_document(documents), relations_by_document(documents)]
    return tables
