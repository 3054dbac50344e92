"""The response contract's rules beyond the per-disagreement cases (issues 23 and 28), each against a
real server on loopback, sync and async: runs confirmed or unknown (never assumed started), the
token redacted from every text a server sent (2xx batch errors included) and those texts capped,
errors that pickle and are each caller's own, datetime views that never raise, and `{}` / null
read as absent."""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import pickle
import traceback
from collections.abc import Callable
from typing import Any

import pytest

from tests.support import fault_server as fs
from upstash_workflow.rest import (
    AsyncClient,
    AuthenticationError,
    Client,
    PartialTriggerError,
    ServerError,
    TriggerRejectedError,
    TriggerRequest,
    TriggerUnconfirmedError,
    WorkflowError,
    _errors,
    _results,
)
from upstash_workflow.rest._errors import error_from_response

TOKEN = "rules-test-token-0123456789abcdef"
URL = "https://workflow-endpoint.com/api"
MODES = ["sync", "async"]


def call(mode: str, behave: fs.Behaviour, op: Callable[[Any], Any], **kw: Any) -> tuple[Any, fs.FaultServer]:
    """(the result or the raised WorkflowError, the server) of ``op(client)`` against ``behave``."""
    kw.setdefault("token", TOKEN)
    kw.setdefault("max_retries", 0)
    with fs.FaultServer(behave) as server:
        try:
            if mode == "sync":
                with Client(base_url=server.url, **kw) as client:
                    return op(client), server

            async def main() -> Any:
                async with AsyncClient(base_url=server.url, **kw) as client:
                    result = op(client)
                    return await result if asyncio.iscoroutine(result) else [o async for o in result]

            return asyncio.run(main()), server
        except WorkflowError as exc:
            return exc, server


def requests(*ids: str) -> list[TriggerRequest]:
    return [TriggerRequest(url=URL, workflow_run_id=i) for i in ids]


def stream(ids: str) -> Callable[[Any], Any]:
    def op(client: Any) -> Any:
        outcomes = client.trigger_stream(requests(*ids))
        return list(outcomes) if isinstance(client, Client) else outcomes

    return op


def answer(body: Any, status: int = 200) -> fs.Behaviour:
    return fs.answer(status, b"" if body is None else json.dumps(body).encode())


# ----------------------------------------------------------------------- confirmed or unknown


UNCONFIRMING = [
    pytest.param(None, id="empty body"),
    pytest.param({"error": "quota exceeded"}, id="an object with an error"),
    pytest.param({"results": [{"messageId": "m"}] * 3}, id="an object holding a list"),
    pytest.param([{"messageId": "m1"}], id="fewer entries"),
    pytest.param([{"messageId": "m"}] * 4, id="more entries"),
    pytest.param([{"workflowRunId": "wfr_x"}, {"workflowRunId": "wfr_y"}, {"workflowRunId": "wfr_z"}], id="unmatched"),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("body", UNCONFIRMING)
def test_an_answer_that_confirms_nothing_gives_unknown_runs(mode: str, body: Any) -> None:
    outcomes, _ = call(mode, answer(body), stream("abc"))
    assert [o.status for o in outcomes] == ["unknown"] * 3, outcomes
    assert all(isinstance(o.error, TriggerUnconfirmedError) and not o.ok for o in outcomes)
    assert [o.workflow_run_id for o in outcomes] == ["wfr_a", "wfr_b", "wfr_c"]
    if isinstance(body, dict) and "error" in body:
        assert "quota exceeded" in outcomes[0].error.reason

    error, _ = call(mode, answer(body), lambda c: c.trigger_many(requests(*"abc")))
    assert isinstance(error, PartialTriggerError), error
    assert error.started == [] and error.failed == [] and len(error.unconfirmed) == 3
    assert "3 unconfirmed" in str(error)


@pytest.mark.parametrize("mode", MODES)
def test_entries_name_their_runs_and_the_rest_are_unknown(mode: str) -> None:
    body = [{"workflowRunId": "wfr_c", "messageId": "m_c"}, {"workflowRunId": "wfr_a", "messageId": "m_a"}]
    outcomes, _ = call(mode, answer(body), stream("abc"))
    assert [o.status for o in outcomes] == ["started", "unknown", "started"]
    assert [o.result.message_id if o.result else None for o in outcomes] == ["m_a", None, "m_c"]
    error, _ = call(mode, answer(body), lambda c: c.trigger_many(requests(*"abc")))
    assert isinstance(error, PartialTriggerError)
    assert [r.workflow_run_id for r in error.started] == ["wfr_a", "wfr_c"]
    assert [e.workflow_run_id for _, e in error.unconfirmed] == ["wfr_b"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("body", [None, [], "text"])
def test_a_trigger_answered_with_nothing_is_unconfirmed(mode: str, body: Any) -> None:
    error, _ = call(mode, answer(body), lambda c: c.trigger(url=URL, workflow_run_id="a"))
    assert isinstance(error, TriggerUnconfirmedError), error
    assert error.workflow_run_id == "wfr_a"


# ------------------------------------------------------------------------- whole-request errors


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("status", "cls"), [(401, AuthenticationError), (500, ServerError)])
def test_every_batch_failing_alike_raises_that_error(mode: str, status: int, cls: type[Exception]) -> None:
    # Issue 28.10: three batches, each 401, raised PartialTriggerError instead of AuthenticationError.
    behave = fs.answer(status, b'{"error":"no"}')
    error, server = call(mode, behave, lambda c: c.trigger_many(requests(*"abcde"), batch_size=2))
    assert type(error) is cls, error
    assert len(server.requests) == 3


@pytest.mark.parametrize("coalesce", [True, False])
def test_concurrent_callers_each_get_their_own_error(coalesce: bool) -> None:
    async def main(url: str) -> list[BaseException]:
        async with AsyncClient(token=TOKEN, base_url=url, max_retries=0, coalesce_triggers=coalesce) as client:
            calls = [client.trigger(url=URL, workflow_run_id=str(i)) for i in range(30)]
            return [e for e in await asyncio.gather(*calls, return_exceptions=True) if isinstance(e, BaseException)]

    with fs.FaultServer(fs.answer(500, b'{"error":"down"}')) as server:
        errors = asyncio.run(main(server.url))
    assert len(errors) == 30 and all(isinstance(e, ServerError) for e in errors)
    assert len({id(e) for e in errors}) == 30  # one instance each
    frames = [len(traceback.extract_tb(e.__traceback__)) for e in errors]
    assert max(frames) < 30, frames  # a shared instance grew with every raise (188 frames)


# -------------------------------------------------------------------------------------- redaction


def _texts(error: BaseException) -> str:
    parts = [str(error), repr(error)]
    for attribute in ("message", "answer", "reason", "failed", "unconfirmed", "outcomes"):
        parts.append(repr(getattr(error, attribute, "")))
    return "\n".join(parts)


@pytest.mark.parametrize("mode", MODES)
def test_the_token_is_redacted_from_2xx_batch_errors(mode: str) -> None:
    echo = f"invalid header Authorization: Bearer {TOKEN}"
    body = [{"error": echo, "echo": TOKEN}, {"messageId": "m"}]
    error, _ = call(mode, answer(body), lambda c: c.trigger_many(requests("a", "b")))
    assert isinstance(error, PartialTriggerError)
    rejected = error.failed[0][1]
    assert isinstance(rejected, TriggerRejectedError)
    assert TOKEN not in _texts(error) + _texts(rejected) + "".join(traceback.format_exception(error))
    assert "[REDACTED]" in rejected.message and rejected.answer["echo"] == "[REDACTED]"

    one, _ = call(mode, answer([{"error": echo}]), lambda c: c.trigger(url=URL))
    assert isinstance(one, TriggerRejectedError) and TOKEN not in _texts(one)
    outcomes, _ = call(mode, answer(body), stream("ab"))
    assert TOKEN not in repr(outcomes)
    unknown, _ = call(mode, answer({"error": echo}), stream("abc"))
    assert TOKEN not in repr(unknown) and "[REDACTED]" in unknown[0].error.reason


@pytest.mark.parametrize("mode", MODES)
def test_a_short_token_is_redacted_only_as_a_whole_word(mode: str) -> None:
    body = b'{"error": "workflowCreatedAt must be an integer; token t rejected"}'
    error, _ = call(mode, fs.answer(400, body), lambda c: c.logs(), token="t")
    assert "workflowCreatedAt must be an integer; token [REDACTED] rejected" in str(error)
    echoed, _ = call(mode, answer([{"error": "bad t"}, {}]), lambda c: c.trigger_many(requests("a", "b")), token="t")
    assert echoed.failed[0][1].message == "bad [REDACTED]"


def test_redaction_keeps_today_s_guarantee_for_real_tokens() -> None:
    assert _errors.redact(f"x{TOKEN}y", TOKEN) == "x[REDACTED]y"  # anywhere, even inside a word
    assert _errors.redact("a t, at, t.", "t") == "a [REDACTED], at, [REDACTED]."


@pytest.mark.parametrize("mode", MODES)
def test_2xx_batch_error_strings_are_capped(mode: str) -> None:
    huge = "x" * 2_000_000
    error, _ = call(mode, answer([{"error": huge}, {}]), lambda c: c.trigger_many(requests("a", "b")))
    assert isinstance(error, PartialTriggerError)
    rejected = error.failed[0][1]
    assert isinstance(rejected, TriggerRejectedError)
    assert len(str(error)) < 5_000 and len(rejected.message) < 2_100
    unknown, _ = call(mode, answer({"error": huge}), stream("abc"))
    assert len(str(unknown[0].error)) < 2_500


# ----------------------------------------------------------------------------------------- pickle


def _instances() -> list[BaseException]:
    outcome_error = TriggerRejectedError("no", workflow_run_id="wfr_a", answer={"error": "no"})
    unconfirmed = TriggerUnconfirmedError("no entry", workflow_run_id="wfr_b", answer=[])
    from upstash_workflow.rest import TriggerOutcome, TriggerResult

    outcomes = [
        TriggerOutcome(0, TriggerRequest(url=URL), "wfr_a", error=outcome_error),
        TriggerOutcome(1, TriggerRequest(url=URL), "wfr_b", error=unconfirmed),
        TriggerOutcome(2, TriggerRequest(url=URL), "wfr_c", result=TriggerResult("wfr_c")),
    ]
    located = _errors.InvalidArgumentError("requests[3]: m")
    located.index = 3  # as trigger_many sets it
    made: list[BaseException] = [
        _errors.WorkflowError("m"),
        _errors.InvalidArgumentError("m"),
        _errors.InvalidArgumentTypeError("m"),
        _errors.ConfigurationError("m"),
        _errors.ClientStateError("m"),
        _errors.ClientClosedError("m"),
        _errors.APIConnectionError("m", method="GET", url="u", request_sent=False),
        _errors.APITimeoutError("m", method="GET", url="u"),
        _errors.APIResponseValidationError("m", status=200, body="b"),
        _errors.ResponseTooLargeError("m", status=200, body=""),
        _errors.APIStatusError("m", status=418, body="b", headers={"a": "b"}),
        _errors.RateLimitError("m", status=429, body="", headers={}, retry_after=float("inf")),
        _errors.ResponseShapeWarning("m", operation="POST /v2/x", field="a", raw=[1]),
        _errors.RunIdPrefixWarning("m", run_id="a", suggestion="wfr_a", run_ids=("a", "b")),
        located,
        outcome_error,
        unconfirmed,
        PartialTriggerError(
            "1 of 3",
            started=[TriggerResult("wfr_c")],
            failed=[(outcomes[0].request, outcome_error)],
            outcomes=outcomes,
            unconfirmed=[(outcomes[1].request, unconfirmed)],
        ),
    ]
    made += [error_from_response(s, {}, '{"error":"e"}') for s in (400, 401, 403, 404, 500)]
    made += [
        error_from_response(429, headers, "slow")
        for headers in (
            {"retry-after": "2"},
            {"burst-ratelimit-limit": "5", "burst-ratelimit-reset": "3"},
            {"ratelimit-limit": "5", "ratelimit-remaining": "0"},
            {"x-ratelimit-limit-requests": "5", "x-ratelimit-reset-requests": "1e400"},
        )
    ]
    return made


def test_every_error_class_pickles_with_its_fields() -> None:
    made = _instances()
    exported = {getattr(_errors, name) for name in _errors.__all__}
    exported = {cls for cls in exported if isinstance(cls, type) and issubclass(cls, BaseException)}
    assert exported | {PartialTriggerError} <= {type(e) for e in made}
    for error in made:
        copy = pickle.loads(pickle.dumps(error))
        assert type(copy) is type(error) and str(copy) == str(error) and copy.args == error.args
        assert set(vars(copy)) == set(vars(error))
        for name, value in vars(error).items():
            if name != "outcomes" and name not in ("failed", "unconfirmed"):
                assert getattr(copy, name) == value, name
    partial = pickle.loads(pickle.dumps(next(e for e in made if isinstance(e, PartialTriggerError))))
    assert [o.status for o in partial.outcomes] == ["failed", "unknown", "started"]
    assert partial.failed[0][1].answer == {"error": "no"} and partial.unconfirmed[0][1].reason == "no entry"


def test_the_shape_warning_pickles_too() -> None:
    warning = _errors.ResponseShapeWarning("m", operation="POST /v2/x", field="a", raw=[1])
    copy = pickle.loads(pickle.dumps(warning))
    assert (copy.operation, copy.field, copy.raw, str(copy)) == ("POST /v2/x", "a", [1], "m")


# -------------------------------------------------------------------------------- datetime views


@pytest.mark.parametrize("value", [10**18, -(10**18), 10**30, 253402300800000])
def test_datetime_views_of_out_of_range_values_are_none(value: int) -> None:
    assert _results.StepLog(created_at=value).created_at_datetime is None
    assert _results.DLQMessage(created_at=value).created_at_datetime is None
    assert _results.WorkflowRunLog(workflow_run_created_at=value).workflow_run_created_at_datetime is None
    assert _results.WorkflowRunLog(workflow_run_completed_at=value).workflow_run_completed_at_datetime is None
    assert _results.Waiter(deadline=value).deadline_datetime is None
    assert _results.Waiter(deadline=1714000600).deadline_datetime == dt.datetime(
        2024, 4, 24, 23, 16, 40, tzinfo=dt.timezone.utc
    )


@pytest.mark.parametrize("mode", MODES)
def test_datetime_views_over_a_server_answer(mode: str) -> None:
    body = {"runs": [{"workflowRunId": "wfr_a", "workflowRunCreatedAt": 10**18, "steps": []}]}
    page, _ = call(mode, answer(body), lambda c: c.logs())
    assert page.runs[0].workflow_run_created_at == 10**18
    assert page.runs[0].workflow_run_created_at_datetime is None


# ------------------------------------------------------------------------------ `{}` and nulls


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("body", "op"),
    [
        ({}, lambda c: c.signing_keys.get()),
        ({"current": None, "next": None}, lambda c: c.signing_keys.rotate()),
        ({"flowControlKey": None, "waitListSize": None}, lambda c: c.flow_control.get("k")),
        ([{"flowControlKey": None}], lambda c: c.flow_control.list()),
    ],
)
def test_empty_objects_and_nulls_read_as_absent(mode: str, body: Any, op: Callable[[Any], Any]) -> None:
    result, _ = call(mode, answer(body), op)
    assert not isinstance(result, Exception), result
    first = result[0] if isinstance(result, list) else result
    if hasattr(first, "current"):
        assert first.current is None and first.next is None
    else:
        assert first.flow_control_key is None and first.wait_list_size == 0


# ------------------------------------------------------------------------- the shape warning


@pytest.mark.parametrize("mode", MODES)
def test_a_mutation_warns_through_warnings_and_the_logger_without_the_token(
    mode: str, caplog: pytest.LogCaptureFixture
) -> None:
    import warnings

    from upstash_workflow.rest import ResponseShapeWarning

    body = {"cancelled": f"Bearer {TOKEN}", "other": 1}
    with warnings.catch_warnings(record=True) as caught, caplog.at_level("WARNING", "upstash_workflow.rest"):
        warnings.simplefilter("always")
        result, _ = call(mode, answer(body), lambda c: c.cancel(all=True))
    assert result.cancelled is None and result.extra["cancelled"] == f"Bearer {TOKEN}"  # raw kept, as sent
    (record,) = [w for w in caught if isinstance(w.message, ResponseShapeWarning)]
    assert record.filename == __file__  # it points at the user's call, not into the package
    warning = record.message
    assert isinstance(warning, ResponseShapeWarning)
    assert warning.operation == "DELETE /v2/workflows/runs" and warning.field == "cancelled"
    assert TOKEN not in str(warning) + repr(warning.raw) and "[REDACTED]" in warning.raw
    assert [r.getMessage() for r in caplog.records if "cancelled" in r.getMessage()] == [str(warning)]
    assert TOKEN not in caplog.text
