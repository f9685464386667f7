"""CSV and TSV files: one table, its dialect sniffed, its encoding detected.

The delimiter of a .csv file is sniffed among comma, semicolon, tab and pipe (a .tsv file
is tab-separated); rows shorter than the widest are padded with empty cells.
"""

from __future__ import annotations

import csv
import io

from loaders.document import Document
from loaders.readers.decoding import decode_text
from loaders.readers.layout import TextBuilder, first_line, make_title
from loaders.readers.source import SourceFile

CANDIDATE_DELIMITERS = ",;\t|"
_SNIFF_CHARS = 65_536


def read_delimited(source: SourceFile) -> Document:
    """A .csv or .tsv file as one Table; the title is its first non-empty line."""
    decoded = decode_text(source)
    dialect = _dialect(decoded.text, source.format)
    _allow_fields_of_length(len(decoded.text))
    try:
        parsed = csv.reader(io.StringIO(decoded.text, newline=""), dialect)
        rows = list(source.limited_rows(parsed, f"the {source.format.upper()} table"))
    except csv.Error as exc:
        raise source.error(f"malformed {source.format.upper()}: {exc}") from exc
    builder = TextBuilder()
    builder.add_table(rows)
    text = builder.text()
    return source.document(
        text,
        title=make_title(first_line(text)),
        encoding=decoded.encoding,
        tables=builder.tables,
        metadata={"delimiter": dialect.delimiter},
    )


def _dialect(text: str, file_format: str) -> type[csv.Dialect] | csv.Dialect:
    """The sniffed dialect; tab for .tsv; the most frequent candidate if sniffing fails."""
    if file_format == "tsv":
        return csv.excel_tab
    sample = text[:_SNIFF_CHARS]
    if len(text) > _SNIFF_CHARS and "\n" in sample:
        sample = sample[: sample.rindex("\n")]
    try:
        return csv.Sniffer().sniff(sample, delimiters=CANDIDATE_DELIMITERS)
    except csv.Error:
        header = first_line(sample)
        delimiter = max(CANDIDATE_DELIMITERS, key=header.count)
        if not header.count(delimiter):
            delimiter = ","
        return type("FallbackDialect", (csv.excel,), {"delimiter": delimiter})


def _allow_fields_of_length(length: int) -> None:
    """Raise the csv module's field size limit so that one long field is not an error."""
    if csv.field_size_limit() < length:
        csv.field_size_limit(length)
