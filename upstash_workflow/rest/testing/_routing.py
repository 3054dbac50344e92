"""The mechanism behind LocalQStash's route table (`_routes.ROUTES`): a `Route` row per endpoint,
compiled once into a `Router` that finds a request's row, or else the methods its path allows (405
and its ``Allow``; none: 404). What each endpoint does is in `_handlers`."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

import attrs

if TYPE_CHECKING:
    from ._state import QStashState
    from ._workflow import WorkflowEngine


@attrs.frozen
class Incoming:
    """One request, as a handler sees it: the request and what it may act on (the state, and the
    engine with ``deliver=True``), never the server itself, so routes sit below the HTTP layer."""

    state: QStashState
    engine: WorkflowEngine | None
    method: str
    path: str  # as sent: percent-encoded, no query
    raw_params: Mapping[str, str]  # the path parameters as sent
    query: Mapping[str, list[str]]
    headers: Mapping[str, str]  # lower-case names
    body: bytes
    client_ip: str

    def param(self, name: str) -> str:
        """A path parameter, percent-decoded."""
        return unquote(self.raw_params[name])


Handler = Callable[[Incoming], Any]  # the JSON answer; None: no content


@attrs.frozen
class Route:
    """One endpoint. ``path`` is written as in openapi.yaml: ``{name}`` is one non-empty segment."""

    method: str
    path: str
    handler: Handler
    operation: str | None = None  # its operationId in openapi.yaml; None: LocalQStash only, see ``local``
    local: str = ""  # why LocalQStash answers a route the spec does not have
    status: int = 200
    rest: bool = False  # the last parameter takes the rest of the path, slashes too (a URL sent raw)


class Router:
    """Literal paths are found in a dict; only parameterised ones are tried as regexes, in table
    order, after the literal path (so ``POST /v2/workflows/dlq/resume`` is not ``{dlqId}``)."""

    def __init__(self, routes: Iterable[Route]) -> None:
        by_path: dict[str, dict[str, Route]] = {}
        for route in routes:
            methods = by_path.setdefault(route.path, {})
            if route.method in methods:
                raise ValueError(f"{route.method} {route.path} is declared twice")
            methods[route.method] = route
        self._literal = {path: methods for path, methods in by_path.items() if "{" not in path}
        self._templates = [
            (_compile(path, any(r.rest for r in methods.values())), methods)
            for path, methods in by_path.items()
            if "{" in path
        ]

    def find(self, method: str, path: str) -> tuple[Route, dict[str, str]] | None:
        """The route for a request and its raw path parameters; None when there is none."""
        methods = self._literal.get(path)
        if methods is not None and method in methods:
            return methods[method], {}
        for pattern, methods in self._templates:
            if method in methods and (match := pattern.fullmatch(path)) is not None:
                return methods[method], match.groupdict()
        return None

    def allowed(self, path: str) -> list[str]:
        """The methods some route answers on this path, sorted; empty when no route has the path."""
        found = set(self._literal.get(path, ()))
        for pattern, methods in self._templates:
            if pattern.fullmatch(path):
                found.update(methods)
        return sorted(found)


def _compile(template: str, rest: bool) -> re.Pattern[str]:
    parts = re.split(r"\{(\w+)\}", template)  # literal, name, literal, name, ..., literal
    last = len(parts) - 2
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>{'.+' if rest and i == last else '[^/]+'})"
        for i, part in enumerate(parts)
    )
    return re.compile(regex)
