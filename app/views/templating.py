"""The Jinja environment of the explorer pages and the report (autoescaped, local files).

Filters turn codes into Spanish words (``level``, ``entity_label``, ``facet``,
``component``, ``channel``, ``catalog_field``, ``category``, ``criterion``) and numbers
into text (``score``, ``percent``).
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from app.i18n import t
from app.views import assets
from app.views.labels import (
    FACET_LABELS,
    catalog_field_label,
    category_label,
    channel_label,
    component_label,
    criterion_label,
    entity_label,
    facet_value_label,
    level_label,
    percent_text,
    score_text,
    value_label,
)

SEARCH_FACET_FIELDS = {"type": "label", "level": "level", "theme": "themes"}


def search_facet_label(value: str, facet: str) -> str:
    """The Spanish label of a search facet value (type, level, theme); others as they are."""
    field = SEARCH_FACET_FIELDS.get(facet)
    return value_label(field, value) if field else value


@cache
def environment() -> Environment:
    """The shared environment over ``app/templates``."""
    env = Environment(
        loader=FileSystemLoader(str(assets.TEMPLATES_DIR)),
        autoescape=select_autoescape(default=True, default_for_string=True),
        trim_blocks=True,
        lstrip_blocks=True,
        undefined=StrictUndefined,
    )
    env.globals["t"] = t
    env.filters.update(
        level=level_label,
        entity_label=entity_label,
        facet=lambda value, facet: facet_value_label(facet, value),
        facet_name=lambda facet: FACET_LABELS.get(facet, facet),
        component=component_label,
        channel=channel_label,
        catalog_field=catalog_field_label,
        category=category_label,
        criterion=criterion_label,
        score=score_text,
        percent=percent_text,
        facet_value=search_facet_label,
        value=lambda value, field: value_label(field, value),
    )
    return env


def render(template: str, **context: Any) -> str:
    """Render one template of ``app/templates`` with ``context``."""
    return environment().get_template(template).render(**context)
