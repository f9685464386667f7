"""Named extraction components, registered by name and composed in order.

A component is a function of :class:`loaders.extract.state.ExtractionState` with one job; it
reads what earlier components filled and fills its own fields. Register one with
``@component("name")`` (the way spaCy registers ``@Language.factory`` components) and compose
a pipeline from names with :func:`compose`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from loaders.extract.state import ExtractionState

ComponentFunction = Callable[[ExtractionState], None]


@dataclass(frozen=True)
class Component:
    """A registered component: its name, its function and what it does (its docstring)."""

    name: str
    run: ComponentFunction

    @property
    def description(self) -> str:
        """First line of the function's docstring."""
        return (self.run.__doc__ or "").strip().split("\n")[0]


_REGISTRY: dict[str, Component] = {}


class UnknownComponent(KeyError):
    """A pipeline names a component nobody registered."""


def component(name: str) -> Callable[[ComponentFunction], ComponentFunction]:
    """Register the decorated function as the component ``name`` (names are unique)."""

    def register(func: ComponentFunction) -> ComponentFunction:
        if name in _REGISTRY and _REGISTRY[name].run is not func:
            raise ValueError(f"extraction component {name!r} is already registered")
        _REGISTRY[name] = Component(name, func)
        return func

    return register


def registered() -> dict[str, Component]:
    """Every registered component by name."""
    return dict(_REGISTRY)


def compose(names: Iterable[str]) -> list[Component]:
    """The components of ``names``, in that order; unknown names are an error naming them."""
    names = list(names)
    unknown = [n for n in names if n not in _REGISTRY]
    if unknown:
        raise UnknownComponent(
            f"unknown extraction component(s): {', '.join(unknown)}; "
            f"registered: {', '.join(sorted(_REGISTRY))}"
        )
    return [_REGISTRY[n] for n in names]
