"""The GAO category of a pair of programmes, from the components of its duplication score.

The U.S. Government Accountability Office's framework (GAO-15-49SP) tells three things apart:

- ``duplication``: the same kind of support to the same beneficiaries, in territories that
  meet (or whose territory is not recorded);
- ``overlap``: similar goals, themes or beneficiaries, by different means;
- ``fragmentation``: one design run by several bodies, each for its own territory.

Each pair also carries the criteria that held, so that a reader sees why it was put where it
is; a pair whose programmes share a responsible body is a ``same_body`` pair (variants of one
programme inside one agency), whatever its category.
"""

from __future__ import annotations

from typing import Literal

Category = Literal["duplication", "overlap", "fragmentation"]
CATEGORIES: tuple[Category, ...] = ("duplication", "overlap", "fragmentation")

SIMILAR_TEXT = 0.3  # text cosine from which goals count as similar
SAME_FACET = 0.5  # facet similarity from which support, beneficiaries or themes count as shared
NEAR_COPY = 0.6  # text cosine of a near copy: a duplication when support and beneficiaries
# are not recorded on both sides (and do not differ)

CRITERIA: tuple[str, ...] = (
    "same_support", "same_beneficiaries", "same_themes", "similar_goals",
    "territory_overlaps", "separate_territories", "different_bodies", "same_body", "near_copy",
)


def classify(components: dict[str, float], same_body: bool) -> tuple[Category, list[str]]:
    """The category of a pair and the criteria that held, from its score components.

    ``components`` holds the component values and, under ``known:NAME``, whether each facet
    and the territory are recorded on both sides (as :mod:`queries.duplication` computes).
    """

    def known(name: str) -> bool:
        return components.get(f"known:{name}", 1.0) > 0

    criteria: list[str] = []
    if known("support_types") and components.get("support_types", 0.0) >= SAME_FACET:
        criteria.append("same_support")
    if known("target_groups") and components.get("target_groups", 0.0) >= SAME_FACET:
        criteria.append("same_beneficiaries")
    if known("themes") and components.get("themes", 0.0) >= SAME_FACET:
        criteria.append("same_themes")
    if components.get("text", 0.0) >= SIMILAR_TEXT:
        criteria.append("similar_goals")
    apart = known("territory") and components.get("territory", 0.0) <= 0
    if known("territory") and not apart:
        criteria.append("territory_overlaps")
    if apart:
        criteria.append("separate_territories")
    criteria.append("same_body" if same_body else "different_bodies")
    held = set(criteria)
    same_design = "similar_goals" in held or {"same_support", "same_beneficiaries"} <= held
    if apart and not same_body and same_design:
        return "fragmentation", criteria
    if not apart and {"same_support", "same_beneficiaries"} <= held:
        return "duplication", criteria
    support_open = "same_support" in held or not known("support_types")
    beneficiaries_open = "same_beneficiaries" in held or not known("target_groups")
    if not apart and support_open and beneficiaries_open and components.get(
        "text", 0.0
    ) >= NEAR_COPY:
        criteria.append("near_copy")
        return "duplication", criteria
    return "overlap", criteria
