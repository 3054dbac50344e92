"""``dev`` (a local QStash-compatible server in the foreground) and ``seed`` (add runs, waiters and
DLQ entries to it while it runs). LocalQStash is imported when a command runs, not with the CLI."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from .. import ConfigurationError
from ._output import EXIT_API, EXIT_UNREACHABLE, emit, fail, print_json, say, state, usage
from ._runner import cli_words

if TYPE_CHECKING:
    from ..testing import Delivery, LocalQStash


def dev(
    port: Annotated[int, typer.Option(min=0, max=65535, help="Port on 127.0.0.1 (0: any free port).")] = 8080,
    token: Annotated[str | None, typer.Option("--dev-token", help="Token to accept (random by default).")] = None,
    deliver: Annotated[
        bool,
        typer.Option(help="POST runs to their (loopback) URLs, as QStash would (LocalQStash's delivery engine)."),
    ] = False,
    seed: Annotated[
        Path | None,
        typer.Option(
            help="JSON file of runs, waiters and DLQ entries to start with (format: the docs, local development).",
            dir_okay=False,
        ),
    ] = None,
    ui: Annotated[
        bool, typer.Option(help="Serve the dashboard at /ui/ (runs, timelines, DLQ, waiters, flow control).")
    ] = True,
    signing_key: Annotated[
        str | None,
        typer.Option(
            help="Current signing key: every delivery is signed with it (random by default).", show_default=False
        ),
    ] = None,
    next_signing_key: Annotated[
        str | None, typer.Option(help="Next signing key (random by default).", show_default=False)
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print no line per delivery.")] = False,
) -> None:
    """Run a local QStash-compatible server in the foreground (Ctrl-C stops it).

    It signs every delivery as QStash does: set QSTASH_CURRENT_SIGNING_KEY and QSTASH_NEXT_SIGNING_KEY
    to the keys it prints and the official SDKs verify them. With --deliver it prints one line per
    delivery (run, step, status, time; failures marked). Add runs, waiters and DLQ entries while it
    runs with `upstash-workflow seed`."""
    from ..testing import LocalQStash, SeedError

    for flag, key in (("--signing-key", signing_key), ("--next-signing-key", next_signing_key)):
        if key is not None and (not key.strip() or key != key.strip()):
            usage(f"{flag} must be a non-empty key without surrounding spaces")
    try:
        server = LocalQStash(
            token=token,
            port=port,
            deliver=deliver,
            seed=seed,
            ui=ui,
            signing_key=signing_key,
            next_signing_key=next_signing_key,
            on_delivery=None if quiet else show_delivery,
        )
    except OSError as exc:
        usage(f"cannot listen on 127.0.0.1:{port}: {exc.strerror}")
    except SeedError as exc:
        usage(f"--seed: {exc}")
    with server:
        _announce(server, seeded=seed is not None)
        try:
            server.wait()
        except KeyboardInterrupt:
            say("stopped")


def _announce(server: LocalQStash, *, seeded: bool) -> None:
    """Where the server listens and how to use it: one JSON line with --json (scripts read it before
    the server stops), else a few lines for a person."""
    stored = {"runs": len(server.state.runs), "waiters": len(server.state.waiters), "dlq": len(server.state.dlq)}
    keys = server.signing_keys.to_json()
    if state.json:
        shown: dict[str, Any] = {"url": server.url, "token": server.token, "signing_keys": keys, "seeded": stored}
        if server.ui is not None:
            shown["ui"] = f"{server.url}/ui/"
        print(json.dumps(shown), flush=True)  # noqa: T201
        return
    say(f"Local QStash listening on {server.url}", style="bold")
    say(f"export QSTASH_URL={server.url}")
    say(f"export QSTASH_TOKEN={server.token}", mask_token=False)  # the dev server's, shown on purpose
    say(f"export QSTASH_CURRENT_SIGNING_KEY={keys['current']}")  # deliveries are signed with it
    say(f"export QSTASH_NEXT_SIGNING_KEY={keys['next']}")
    if server.ui is not None:
        say(f"Dashboard: {server.url}/ui/", style="bold")
    if seeded:
        say(f"seeded {stored['runs']} run(s), {stored['waiters']} waiter(s), {stored['dlq']} DLQ entries")
    say("add more while it runs: upstash-workflow seed FILE | --waiter EVENT_ID=RUN_ID | --dlq RUN_ID")
    sys.stdout.flush()


def show_delivery(delivery: Delivery) -> None:
    """One line per delivery: time, run, what ran, status, duration; a failure in red with what
    follows (the next try, or none left) and the start of the endpoint's answer. With --json, one
    JSON object per line. Flushed at once: a pipe (``dev | tee``) sees each as it happens."""
    try:
        _show_delivery(delivery)
    finally:
        sys.stdout.flush()


def _show_delivery(delivery: Delivery) -> None:
    if state.json:
        shown = {
            "delivery": {
                "workflowRunId": delivery.workflow_run_id,
                "step": delivery.step,
                "kind": delivery.kind,
                "url": delivery.url,
                "status": delivery.status,
                "ok": delivery.ok,
                "seconds": round(delivery.seconds, 4),
                "retried": delivery.retried,
                "maxRetries": delivery.max_retries,
                "retryIn": delivery.retry_in,
                "error": delivery.error,
            }
        }
        print_json(shown, indent=None)
        return
    took = f"{delivery.seconds * 1000:.0f} ms"
    status = str(delivery.status) if delivery.status is not None else "-"
    line = (
        f"{time.strftime('%H:%M:%S')}  {delivery.workflow_run_id}  {delivery.step or delivery.kind}  {status}  {took}"
    )
    if delivery.ok:
        say(line)
        return
    if delivery.error is not None and delivery.error.startswith("not delivered"):
        say(f"{line}  {delivery.error}", style="yellow")
        return
    if delivery.retry_in is not None:
        then = f"retry {delivery.retried + 1} of {delivery.max_retries} in {delivery.retry_in:.0f} s"
    else:
        then = "no retries left" if delivery.max_retries else "no retries"
    answer = delivery.error or " ".join(delivery.response.split())[:200]
    say(f"{line}  FAILED ({then}): {answer}".rstrip(), style="red")


def _seed_body(file: Path | None, waiter: list[str], dlq: list[str]) -> dict[str, Any]:
    from ..testing._seed import SeedError, check_keys, load_seed

    body: dict[str, Any] = {}
    if file is not None:
        try:
            body = dict(load_seed(file))
            check_keys(body, str(file))
        except SeedError as exc:
            usage(str(exc))
    for item in waiter:
        event_id, sep, run_id = item.partition("=")
        if not sep or not event_id or not run_id:
            usage(f"--waiter must look like EVENT_ID=RUN_ID, got {item!r}")
        body.setdefault("waiters", []).append({"event_id": event_id, "workflow_run_id": run_id})
    body.setdefault("dlq", []).extend({"workflow_run_id": run_id} for run_id in dlq)
    if not any(body.get(key) for key in ("runs", "waiters", "dlq")):
        given = f"{file} has no runs, waiters or dlq entries; " if file is not None else ""
        usage(f"nothing to add: {given}give a seed FILE, --waiter EVENT_ID=RUN_ID or --dlq RUN_ID")
    return body


def _seed_error(response: Any, file: Path | None, options: list[str]) -> str:
    """The dev server's refusal of a seed: its message (``{"error": ...}``), naming the file when
    the seed is the file alone (not extended by --waiter/--dlq ``options``)."""
    try:
        message = str(response.json()["error"])
    except (ValueError, TypeError, KeyError):  # not `dev`'s JSON error: shown as text, cut short
        return str(response.text)[:2000]
    return f"{file}: {message}" if file is not None and not options else message


def seed(
    file: Annotated[Path | None, typer.Argument(help="Seed file (the format of dev --seed).", dir_okay=False)] = None,
    waiter: Annotated[list[str], typer.Option(help="EVENT_ID=RUN_ID: make a run wait for an event.")] = [],  # noqa: B006
    dlq: Annotated[list[str], typer.Option(help="RUN_ID: fail a run into the DLQ.")] = [],  # noqa: B006
) -> None:
    """Add runs, waiters and DLQ entries to a running `upstash-workflow dev` server (loopback only)."""
    import httpx

    from .._config import is_loopback_host, resolve_credentials

    body = _seed_body(file, waiter, dlq)
    try:
        credentials = resolve_credentials(state.token, state.url)
    except ConfigurationError as exc:
        usage(cli_words(str(exc)))
    if not is_loopback_host(httpx.URL(credentials.base_url).host):
        usage(f"seed only talks to a local dev server (127.0.0.1 / localhost), not {credentials.base_url}")
    try:
        response = httpx.post(
            f"{credentials.base_url}/_local/seed",
            json=body,
            headers={"Authorization": f"Bearer {credentials.token}"},
            timeout=10,
        )
    except httpx.HTTPError as exc:
        fail(EXIT_UNREACHABLE, "cannot reach the dev server:", f"{type(exc).__name__}: {exc}")
    if response.status_code != 200:
        fail(EXIT_API, f"dev server error {response.status_code}:", _seed_error(response, file, waiter or dlq))
    try:
        added = response.json()
        message = f"added {added['runs']} run(s), {added['waiters']} waiter(s), {added['dlq']} DLQ entries"
    except (ValueError, TypeError, KeyError, IndexError):  # the answer of something else than `dev`
        fail(EXIT_API, "dev server error:", f"not an answer of `upstash-workflow dev`: {response.text[:200]}")
    emit(added, message=message)


def register(app: typer.Typer) -> None:
    app.command()(dev)
    app.command()(seed)
