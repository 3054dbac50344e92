"""Bulk commands and listings: repeating a request until the server has nothing left (with a
progress bar and a bound), following pages, and the options they share."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

import attrs
import typer

from .._calls import DEFAULT_BULK_COUNT
from ._output import progress, say, state

BULK_PAGE = DEFAULT_BULK_COUNT  # items a bulk command asks the server to act on per request
# Upstash's limits (its OpenAPI spec, tests/data/upstash-workflow-openapi.yaml): the logs serve at most
# 10 runs per page, the DLQ list 100 messages, and a bulk DLQ restart acts on at most 50 per request.
LOGS_PAGE = 10
DLQ_PAGE = 20
RESTART_PAGE = 50
MAX_REQUESTS = 1_000_000  # a bound on every request loop, far above any real use


@attrs.frozen
class Step:
    """One step of a bulk command: how many items it acted on, what it returned for them, the
    server's cursor (None: the server says nothing is left) and how many requests it took."""

    done: int
    items: list[Any]
    cursor: str | None
    requests: int = 1


@attrs.frozen
class BulkTotal:
    done: int
    items: list[Any]
    requests: int
    limit_reached: bool


def run_bulk(
    step: Callable[[int, str | None], Step], limit: int | None, description: str, page: int = BULK_PAGE
) -> BulkTotal:
    """Repeat ``step(count, cursor)`` until the server says done or ``limit`` items were acted on,
    asking for at most ``page`` items per request."""
    done, cursor, requests = 0, None, 0
    items: list[Any] = []
    seen: set[str] = set()
    with progress(description, limit) as bar:
        for _ in range(MAX_REQUESTS):
            count = page if limit is None else min(page, limit - done)
            result = step(count, cursor)
            requests += result.requests
            done += result.done
            items.extend(result.items)
            bar.advance(bar.task_ids[0], result.done)
            # Acting removes items, so a server may hand back the same cursor; only one that acted
            # on nothing and repeats itself means it would go on forever.
            stuck = result.done == 0 and result.cursor in seen
            if result.cursor is None or stuck or (limit is not None and done >= limit):
                break
            seen.add(cursor := result.cursor)
    return BulkTotal(done, items, requests, limit is not None and done >= limit)


def bulk_message(verb: str, noun: str, total: BulkTotal) -> str:
    text = f"{verb} {total.done} {noun} in {total.requests} request(s)"
    return text + ("; stopped at --limit, more may remain" if total.limit_reached else "")


def follow_pages(
    page: Callable[[str | None], tuple[list[Any], str | None]], cursor: str | None, every: bool
) -> tuple[list[Any], str | None]:
    """One page from ``cursor``, or (``every``) every page from there; returns items and next cursor."""
    items: list[Any] = []
    seen: set[str] = set()
    for _ in range(MAX_REQUESTS):
        found, cursor = page(cursor)
        items += found
        if not every or cursor is None or cursor in seen:
            break
        seen.add(cursor)
    return items, cursor


def next_page_hint(cursor: str | None) -> None:
    if cursor is not None and not state.json:
        say(f"more: add --cursor {cursor} for the next page, or --all-pages", to_err=True)


LimitOpt = Annotated[
    int | None,
    typer.Option(
        "--limit",
        "--count",
        min=1,
        help="Act on at most this many (default: all). Without it the command repeats until the server has none left.",
    ),
]
PageSizeOpt = Annotated[int, typer.Option("--limit", min=1, help="At most this many per page.")]
CursorOpt = Annotated[str | None, typer.Option("--cursor", help="Continue from this cursor (printed after a page).")]
AllPagesOpt = Annotated[bool, typer.Option("--all-pages", help="Follow every page, not just one.")]
