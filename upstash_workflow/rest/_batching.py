"""Pure batching for starting runs (no I/O): requests become `Batch`es, each one ``POST /v2/batch``
with its run ids chosen up front, and a batch's answer (or the error of its request) becomes one
`TriggerOutcome` per run. The builders plan with it (`plan`, `Batcher`); `_sending` sends batches.

Limits: QStash documents no maximum message count per batch request, and a maximum message size of
1 MB on its smallest plan (10 MB and more on paid plans). A batch holds at most ``batch_size`` runs
(``trigger_many``: 1,000; ``trigger_stream``: 500, which keeps its memory small) and at most
`MAX_BATCH_BYTES` of JSON; a single message larger than that goes alone, and the server decides.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterable, AsyncIterator, Iterable, Iterator, Mapping
from typing import Any

import attrs

from . import _inputs, _trigger
from . import _validate as v
from ._errors import (
    InvalidArgumentError,
    InvalidArgumentTypeError,
    TriggerRejectedError,
    TriggerUnconfirmedError,
    WorkflowError,
    redact_json,
)
from ._models import TriggerRequest, TriggerRequestDict
from ._outcomes import TriggerOutcome
from ._results import TriggerResult, _json_type, convert, current_reading
from ._trigger import Options

AnyRequest = TriggerRequest | TriggerRequestDict  # a dict becomes a TriggerRequest in make_entry
MANY_BATCH_SIZE = 1_000  # trigger_many holds every run anyway: large batches save round trips
STREAM_BATCH_SIZE = 500  # 16 batches of 500 in flight: a million-run stream grew RSS by ~4 MB
MAX_BATCH_BYTES = 1_000_000  # QStash's smallest documented maximum message size (free plan: 1 MB)


@attrs.frozen
class _Entry:
    """One run of a batch: its message as JSON bytes, or why it could not be made."""

    index: int
    request: TriggerRequest
    run_id: str | None
    message: bytes | None
    error: WorkflowError | None = None


# The encoding httpx uses for ``json=``, so a batch we serialise is byte for byte what it would send.
# One encoder: json.dumps with these options builds a new one per call, which cost more than encoding.
_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def _json(value: Any) -> bytes:
    return _encode(value).encode("utf-8")


def _message(options: Options, request: TriggerRequest, run_id: str, body: str | None) -> bytes:
    from upstash_workflow_api.models import BatchMessage, BatchMessageHeaders
    from upstash_workflow_api.types import UNSET

    headers = _trigger.message_headers(
        request,
        run_id,
        global_headers=options.global_headers,
        message_telemetry=options.message_telemetry,
        client_telemetry=options.client_telemetry,
    )
    header_model = BatchMessageHeaders()
    header_model.additional_properties = headers
    # No body leaves the key out (UNSET), as JSON.stringify drops an undefined body.
    message = BatchMessage(destination=request.url, headers=header_model, body=UNSET if body is None else body)
    return _json(message.to_dict())


def _shape(r: TriggerRequest) -> tuple[Any, ...] | None:
    """What decides a message besides its run id and body, as a hashable key (None when a value is
    not hashable). Each value comes with its type: ``retries=True`` or ``disable_telemetry=0`` must
    not pass for an equal value of the right type, which was checked when the shape was built."""
    try:
        key = tuple(
            (
                type(value),
                tuple(value.items()) if isinstance(value, dict) else tuple(value) if isinstance(value, list) else value,
            )
            for value in (
                r.url,
                r.headers,
                r.retries,
                r.retry_delay,
                r.flow_control,
                r.delay,
                r.not_before,
                r.label,
                r.disable_telemetry,
                r.failure_url,
                r.redact,
            )
        )
        hash(key)
    except (TypeError, AttributeError):
        return None
    return key


class _Template:
    """The JSON of the last message shape seen (for the same client options), with a placeholder
    where the run id goes. The runs of a fan-out, and a program's repeated ``trigger`` calls, usually
    differ only in id and body; building and encoding their ~30 headers once instead of once per run
    made batching several times faster. Thread-safe: the cache is one tuple, replaced whole."""

    def __init__(self) -> None:
        self._cached: tuple[Options | None, tuple[Any, ...] | None, bytes] = (None, None, b"")
        self._placeholder = _trigger.random_run_id()
        self._encoded_placeholder = self._placeholder.encode()

    def message(self, options: Options, request: TriggerRequest, run_id: str, body: str | None) -> bytes:
        key = _shape(request)
        if key is None:
            return _message(options, request, run_id, body)
        cached_options, cached_key, head = self._cached
        if cached_options is not options or cached_key != key:
            # The message without its body, and without the closing brace. Holding ``options``
            # keeps it alive, so ``is`` can never match another client's options.
            head = _message(options, request, self._placeholder, None)[:-1]
            self._cached = (options, key, head)
        head = head.replace(self._encoded_placeholder, _json(run_id)[1:-1])
        return head + (b',"body":' + _json(body) + b"}" if body is not None else b"}")


LONE_TRIGGERS = _Template()  # shared by every client's ``trigger`` calls


def make_entry(options: Options, index: int, given: object, template: _Template) -> _Entry:
    """The message of one run, given as a `TriggerRequest` or a dict of its fields (raises
    InvalidArgumentError for bad input)."""
    if not isinstance(given, TriggerRequest | Mapping):
        raise InvalidArgumentTypeError(f"expected TriggerRequest (or a dict of its fields), got {type(given).__name__}")
    request = _inputs.trigger_request(given)
    # Chosen once, here: a retried request carries the same ids, so it cannot start a second run.
    run_id = _trigger.run_id_for(request.workflow_run_id)
    body = v.body_text(request.body)
    return _Entry(index, request, run_id, template.message(options, request, run_id, body))


def _entry_or_failure(options: Options, index: int, position: int, request: Any, template: _Template) -> _Entry:
    try:
        return make_entry(options, index, request, template)
    except InvalidArgumentError as exc:
        return _Entry(index, request, None, None, at_position(exc, position))


def at_position(error: InvalidArgumentError, position: int) -> InvalidArgumentError:
    """``error`` about the request at ``position`` of the input (0-based, as Python counts): the same
    class, its message led by ``requests[<position>]:``, its ``index`` set."""
    located = type(error)(f"requests[{position}]: {error}")
    located.__dict__.update(vars(error))
    located.index = position
    located.__cause__ = error.__cause__
    located.__suppress_context__ = error.__suppress_context__
    return located


def _secret() -> str | None:
    """The token to redact from the texts of the answer being read (`read_body` says which)."""
    reading = current_reading()
    return reading.secret if reading is not None else None


def _unconfirmed(reason: str, run_id: str, answer: Any) -> TriggerUnconfirmedError:
    return TriggerUnconfirmedError(reason, workflow_run_id=run_id, answer=answer, secret=_secret())


def _whole_answer_reason(data: Any, count: int) -> str:
    """Why an answer that is not a list of entries confirms no run of a ``count``-message batch."""
    if data is None:
        reading = current_reading()
        unread = [problem for field, _, problem in (reading.problems if reading else []) if field == "(body)"]
        if unread:  # the body was there but could not be decoded (`read_body`)
            return f"the server answered 2xx with a body that {unread[0]}, which confirms nothing"
        return "the server answered 2xx with an empty body, which confirms nothing"
    what = f"the server answered 2xx with {_json_type(data)} where a list of {count} entries belongs"
    if isinstance(data, dict) and isinstance(data.get("error"), str):
        return f"{what} (its error: {data['error']})"
    return what


def _item_result(item: Any, run_id: str, position: int, answer: Any) -> TriggerResult | WorkflowError:
    from upstash_workflow_api.models import BatchResult

    if not isinstance(item, dict):
        return _unconfirmed(f"its answer entry [{position}] is {_json_type(item)}, not an object", run_id, answer)
    # The response contract: a trigger is a call that changed something, so it is read leniently
    # (a field that cannot be read is None, kept raw, and warned about); no field is required.
    fields = convert(BatchResult, item, f"[{position}]")
    if fields.get("error"):  # a null or empty error is no error (as in notify answers)
        # QStash did not accept this message; the others of the batch are unaffected.
        return TriggerRejectedError(str(fields["error"]), workflow_run_id=run_id, answer=fields, secret=_secret())
    message_id, deduplicated = fields.get("messageId"), fields.get("deduplicated")
    created = fields.get("workflowCreatedAt")  # coerced losslessly; an unreadable one was warned about
    return TriggerResult(
        workflow_run_id=run_id,
        message_id=message_id if isinstance(message_id, str) else None,
        deduplicated=deduplicated is True,
        workflow_created_at=created if isinstance(created, int) and not isinstance(created, bool) else None,
    )


def _names_no_run(item: Any) -> bool:
    """An entry that does not name a run (the TS client's shape): matched by its position. One
    naming a run not in the batch cannot be matched to any message."""
    return not (isinstance(item, dict) and item.get("workflowRunId") not in (None, ""))


def _match(run_ids: list[str], data: Any) -> list[TriggerResult | WorkflowError]:
    """The result (or error) of each sent run from the decoded answer of its batch.

    Confirmed or unknown, never assumed: an entry names its run by ``workflowRunId``; one that names
    no run is matched by its position when the answer has one entry per message (as the TS client
    reads it). A run with no
    matching entry, and every run of an answer that is not a list (an empty body, an object where a
    list belongs) is unconfirmed; QStash answers a one-message batch with a list too, but an object
    is accepted for it.
    """
    count = len(run_ids)
    answer = redact_json(data, _secret())  # once: the unconfirmed runs share it
    if isinstance(data, dict) and count == 1:
        items: list[Any] = [data]
    elif isinstance(data, list):
        items = data
    else:
        reason = _whole_answer_reason(data, count)
        return [_unconfirmed(reason, run_id, answer) for run_id in run_ids]
    sent = set(run_ids)
    by_id: dict[str, int] = {}
    for position, item in enumerate(items):
        named = item.get("workflowRunId") if isinstance(item, dict) else None
        if isinstance(named, str) and named in sent:
            by_id.setdefault(named, position)
    claimed = set(by_id.values())
    out: list[TriggerResult | WorkflowError] = []
    for position, run_id in enumerate(run_ids):
        if run_id in by_id:
            at: int | None = by_id[run_id]
        elif len(items) == count and position not in claimed and _names_no_run(items[position]):
            at = position
        else:
            at = None
        if at is None:
            reason = f"the answer has {len(items)} entries for {count} messages, and none of them names this run"
            out.append(_unconfirmed(reason, run_id, answer))
        else:
            out.append(_item_result(items[at], run_id, at, answer))
    return out


def _outcomes(entries: tuple[_Entry, ...], data: Any) -> list[TriggerOutcome]:
    sent = [e for e in entries if e.message is not None]
    results = iter(_match([e.run_id for e in sent if e.run_id is not None], data) if sent else [])
    out = []
    for entry in entries:
        if entry.message is None:
            out.append(TriggerOutcome(entry.index, entry.request, entry.run_id, error=entry.error))
            continue
        result = next(results)
        if isinstance(result, TriggerResult):
            out.append(TriggerOutcome(entry.index, entry.request, entry.run_id, result=result))
        else:
            out.append(TriggerOutcome(entry.index, entry.request, entry.run_id, error=result))
    return out


@attrs.frozen
class Batch:
    """The runs of one ``POST /v2/batch`` (entries that failed validation ride along, unsent, so
    outcomes keep input order)."""

    entries: tuple[_Entry, ...]

    def request(self) -> dict[str, Any] | None:
        """httpx.request() keyword arguments for the runs that have a message (None: no such run)."""
        messages = [e.message for e in self.entries if e.message is not None]
        if not messages:
            return None
        from upstash_workflow_api.api.runs import trigger_batch

        request = trigger_batch._get_kwargs(body=[])
        del request["json"]
        request["content"] = b"[" + b",".join(messages) + b"]"
        return request

    def outcomes(self, data: Any) -> list[TriggerOutcome]:
        """One outcome per run from the decoded answer to `request` (None when nothing was sent)."""
        return _outcomes(self.entries, data)

    @property
    def size(self) -> int:
        """Bytes of the request body: ``[``, then each message and a comma or the closing ``]``."""
        return 1 + sum(len(e.message) + 1 for e in self.entries if e.message is not None)

    def fail(self, error: WorkflowError) -> list[TriggerOutcome]:
        """Every run of the batch failed with its request's ``error`` (invalid entries keep theirs)."""
        return [TriggerOutcome(e.index, e.request, e.run_id, error=e.error or error) for e in self.entries]


class Batcher:
    """Groups requests into batches of at most ``batch_size`` runs and `MAX_BATCH_BYTES` bytes.

    ``add`` returns the batches that adding one request completed (usually none), ``flush`` the
    last one. ``batches`` / ``abatches`` drive it over an iterable lazily.
    """

    def __init__(self, options: Options, batch_size: int, start_index: int = 0, max_bytes: int = MAX_BATCH_BYTES):
        self._options = options
        self._batch_size = batch_size
        self._max_bytes = max_bytes
        self._index = start_index
        self._start_index = start_index
        self._entries: list[_Entry] = []
        self._sent_count = 0
        self._bytes = 1  # counted as in Batch.size
        self._template = _Template()

    def add(self, request: AnyRequest) -> list[Batch]:
        position = self._index - self._start_index  # in the input given (index counts from start_index)
        entry = _entry_or_failure(self._options, self._index, position, request, self._template)
        self._index += 1
        done: list[Batch] = []
        if entry.message is not None:
            size = len(entry.message) + 1
            if self._sent_count and self._bytes + size > self._max_bytes:
                done += self.flush()
            self._sent_count += 1
            self._bytes += size
        self._entries.append(entry)
        if self._sent_count >= self._batch_size:
            done += self.flush()
        return done

    def flush(self) -> list[Batch]:
        if not self._entries:
            return []
        batch = Batch(tuple(self._entries))
        self._entries, self._sent_count, self._bytes = [], 0, 1
        return [batch]

    def batches(self, requests: Iterable[AnyRequest]) -> Iterator[Batch]:
        """Lazily. When ``requests`` raises, the runs read before are still sent (their batch is
        yielded), then the error propagates."""
        try:
            for request in requests:
                yield from self.add(request)
        except Exception:
            yield from self.flush()
            raise
        yield from self.flush()

    async def abatches(
        self,
        requests: Iterable[AnyRequest] | AsyncIterable[AnyRequest],
    ) -> AsyncIterator[Batch]:
        """`batches` over a sync or an async iterable."""
        if not isinstance(requests, AsyncIterable):
            for batch in self.batches(requests):
                yield batch
            return
        try:
            async for request in requests:
                for batch in self.add(request):
                    yield batch
        except Exception:
            for batch in self.flush():
                yield batch
            raise
        for batch in self.flush():
            yield batch


def plan(options: Options, requests: Iterable[AnyRequest], batch_size: int) -> list[Batch]:
    """Every batch of a ``trigger_many``, built before anything is sent: bad input raises here."""
    batcher = Batcher(options, batch_size)
    batches = [batch for request in requests for batch in batcher.add(request)] + batcher.flush()
    for batch in batches:
        for entry in batch.entries:
            if entry.error is not None:
                raise entry.error
    if not batches:
        raise InvalidArgumentError("trigger_many needs at least one TriggerRequest")
    return batches


def check_several(requests: object, method: str) -> None:
    """One TriggerRequest or a URL where an iterable of requests belongs: say which method fits."""
    if isinstance(requests, TriggerRequest | str | Mapping):
        raise InvalidArgumentTypeError(
            f"{method} takes a list of TriggerRequest, got one {type(requests).__name__}; "
            "pass [TriggerRequest(...)], or use trigger(url, ...) for one run"
        )
    if not isinstance(requests, Iterable | AsyncIterable):
        raise InvalidArgumentTypeError(f"requests must be a list of TriggerRequest, got {type(requests).__name__}")


@attrs.frozen
class TriggerStream:
    """A planned ``trigger_stream``: the requests (not read yet) and how to batch them."""

    requests: Iterable[AnyRequest] | AsyncIterable[AnyRequest]
    batcher: Batcher
