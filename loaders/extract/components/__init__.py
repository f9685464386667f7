"""The extraction components, one module each; importing the package registers them all.

Their order is :data:`loaders.extract.pipeline.COMPONENTS`.
"""

from loaders.extract.components import (  # noqa: F401  (imported to register)
    acronyms,
    bare_acronyms,
    bare_bodies,
    countries,
    coverage,
    divisions,
    duties,
    entities,
    finish,
    gazetteer,
    headings,
    law_titles,
    layout,
    levels,
    memberships,
    name_parents,
    named_levels,
    office_titles,
    overlaps,
    patterns,
    places,
    referents,
    segmentation,
    sentences,
    short_forms,
    speakers,
    tables,
    territories,
    unit_parents,
)
