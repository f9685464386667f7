"""The analyses' filters as command-line options, derived from
:class:`app.services.filters.AnalysisFilters` (the one declaration of the filters).

``@filter_options(names)`` adds one ``--level-pair``, ``--country``… option per filter to a
typer command, with the field's description as its help, and hands the command a
``filters`` mapping of what was given; :func:`filters_or_exit` validates it with the
parsers the API uses, and a wrong value is a usage error naming the option.
"""

from __future__ import annotations

import functools
import inspect
import typing
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Annotated, Any

import typer

from app.services.filters import AnalysisFilters, FilterError, parse_top, read_filters

if TYPE_CHECKING:
    import networkx as nx

CLI_MAX_TOP = 5000  # the command line may ask for more rows than one API page holds


def option_name(field: str) -> str:
    """``level_pair`` → ``--level-pair``."""
    return "--" + field.replace("_", "-")


def filter_options(
    names: tuple[str, ...], defaults: Mapping[str, Any] | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Add the options of the filters ``names`` to a command that takes ``filters``."""
    defaults = dict(defaults or {})

    def decorate(command: Callable[..., Any]) -> Callable[..., Any]:
        hints = typing.get_type_hints(command, include_extras=True)
        signature = inspect.signature(command)
        kept = [p.replace(annotation=hints.get(p.name, p.annotation))
                for p in signature.parameters.values() if p.name != "filters"]
        added = []
        for name in names:
            info = AnalysisFilters.model_fields[name]
            default = defaults.get(name)
            shown = f" [default: {default}]" if default is not None else ""
            option = typer.Option(option_name(name), help=f"{info.description}{shown}",
                                  show_default=False, metavar=name.upper())
            added.append(inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY,
                                           default=None,
                                           annotation=Annotated[str | None, option]))

        @functools.wraps(command)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            given = {name: kwargs.pop(name, None) for name in names}
            values = {name: given[name] if given[name] is not None else defaults.get(name)
                      for name in names}
            return command(*args, filters={k: v for k, v in values.items() if v is not None},
                           **kwargs)

        parameters = kept + added
        wrapper.__signature__ = signature.replace(parameters=parameters)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in parameters}
        del wrapper.__wrapped__  # typer must read the new signature, not the command's
        return wrapper

    return decorate


def filters_or_exit(values: Mapping[str, Any], names: tuple[str, ...],
                    graph: nx.MultiDiGraph) -> AnalysisFilters:
    """The validated filters, or a usage error (exit 2) naming the option at fault."""
    try:
        top = parse_top(values.get("top"), most=CLI_MAX_TOP) if "top" in values else None
        rest = {k: v for k, v in values.items() if k != "top"}
        filters = read_filters(rest, names, graph=graph)
    except FilterError as exc:
        raise typer.BadParameter(exc.message, param_hint=option_name(exc.parameter)) from exc
    if top is not None:
        filters = filters.model_copy(update={"top": top})
    return filters
