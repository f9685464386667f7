"""Values of inventory cells: governance levels, amounts, periods and kinds of agency.

Shared by the catalogue loader (which reads each row) and the layout guess (which looks at a
column's values to tell what it holds).
"""

from __future__ import annotations

import re

from graph.normalize import normalize_name
from graph.vocab import Level

_YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
_NUMBER = re.compile(r"[-+]?\d[\d.,' ]*")
# Institution kinds by the head of the normalised name; longer heads first where they nest.
INSTITUTION_HEADS: tuple[tuple[str, str], ...] = (
    ("secretaria ejecutiva", "agency"),
    ("subsecretaria", "division"),
    ("secretaria", "ministry"),
    ("ministerio", "ministry"),
    ("gobierno del estado", "regional_government"),
    ("gobierno estatal", "regional_government"),
    ("gobierno regional", "regional_government"),
    ("gobierno provincial", "regional_government"),
    ("gobernacion", "regional_government"),
    ("gobierno municipal", "municipality"),
    ("municipalidad", "municipality"),
    ("municipio", "municipality"),
    ("ayuntamiento", "municipality"),
    ("alcaldia", "municipality"),
    ("direccion", "division"),
    ("subdireccion", "division"),
    ("coordinacion", "division"),
    ("departamento", "division"),
    ("oficina", "division"),
    ("unidad", "division"),
    ("instituto", "agency"),
    ("agencia", "agency"),
    ("servicio", "agency"),
    ("servicios", "agency"),
    ("comision", "agency"),
    ("procuraduria", "agency"),
    ("sistema", "agency"),
    ("junta", "agency"),
    ("corporacion", "agency"),
    ("universidad", "university"),
    ("comite", "committee"),
    ("grupo de trabajo", "working_group"),
    ("red", "network"),
)


def institution_kind(name: str) -> str | None:
    """The kind an agency's head noun suggests (Secretaría → ministry), or None if unsure."""
    normalized = normalize_name(name)
    for head, kind in INSTITUTION_HEADS:
        if normalized == head or normalized.startswith(head + " "):
            return kind
    return None


def parse_level(text: str) -> Level | None:
    """The governance level a catalogue cell names ("Estatal" → regional), or None."""
    words = set(normalize_name(text).split())
    if words & {"supranacional", "internacional", "supranational", "international"}:
        return "supranational"
    if words & {"municipal", "local", "comunal", "municipio", "municipality", "cantonal",
                 "alcaldia", "ayuntamiento"}:
        return "local"
    if words & {"estatal", "regional", "provincial", "departamental", "state", "estado"}:
        return "regional"
    if words & {"nacional", "federal", "national", "central"}:
        return "national"
    return None


def period(text: str | None) -> str | None:
    """A year ("2018"), a span of years ("2018-2022"), or the cell text if it has none."""
    if text is None:
        return None
    years = _YEAR.findall(text)
    if not years:
        return text
    first, last = min(years), max(years)
    return first if first == last else f"{first}-{last}"


def parse_amount(text: str) -> float | None:
    """An amount from a catalogue cell: "$1,234.50", "1.234,50", "MXN 2 500", "3,5 millones".

    The last of "." and "," is the decimal separator when both occur; a lone separator
    followed by exactly three digits (once or more) groups thousands. Returns None when the
    cell holds no number.
    """
    lowered = text.casefold()
    match = _NUMBER.search(lowered)
    if match is None:
        return None
    number = match.group(0).strip().replace(" ", "").replace("'", "")
    if "," in number and "." in number:
        decimal = "," if number.rfind(",") > number.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        number = number.replace(thousands, "").replace(decimal, ".")
    elif "," in number or "." in number:
        separator = "," if "," in number else "."
        if re.fullmatch(rf"[-+]?\d{{1,3}}(?:{re.escape(separator)}\d{{3}})+", number):
            number = number.replace(separator, "")
        elif number.count(separator) == 1:
            number = number.replace(separator, ".")
        else:
            return None
    try:
        amount = float(number.rstrip(".,"))
    except ValueError:
        return None
    rest = lowered[match.end():]
    if re.match(r"\s*(?:mil\s+millones|billion|bn)\b", rest):
        amount *= 1e9
    elif re.match(r"\s*(?:millones|mill[oó]n|millions?|mm|mill)\b", rest):
        amount *= 1e6
    elif re.match(r"\s*(?:mil|miles|thousands?|k)\b", rest):
        amount *= 1e3
    return amount
