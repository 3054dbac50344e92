"""Issue 30, library side: run ids without ``wfr_`` are sent as given (as the TS client sends them)
and warned about once per call; ``cancel(until_done=True)`` and ``more_may_remain``; an error about
one request of a ``trigger_many`` / ``trigger_stream`` input names its position."""

from __future__ import annotations

import asyncio
import pickle
import warnings
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qsl, unquote, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.support.recorder import Recorded, Recorder
from tests.test_cli import run_cli
from upstash_workflow.rest import (
    AsyncClient,
    Client,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    RunIdPrefixWarning,
    TriggerRequest,
    WaitTimeoutError,
    _calls,
)
from upstash_workflow.rest._trigger import Options
from upstash_workflow.rest.testing import LocalQStash

URL = "https://my-app.com/api/workflow"
PROPS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
OPTIONS = Options()

# Sendable ids (no control characters, no lone surrogates, no ',' which workflowRuns cannot carry).
ids = st.text(st.characters(exclude_categories=("Cc", "Cs"), exclude_characters=","), min_size=1, max_size=30)
any_id = ids | ids.map(lambda i: "wfr_" + i)


@pytest.fixture(scope="module")
def recorder() -> Iterator[Recorder]:
    with Recorder().running() as running:
        yield running


@pytest.fixture(scope="module")
def recording(recorder: Recorder) -> Iterator[Client]:
    with Client(token="token", base_url=recorder.url, max_retries=0) as client:
        yield client


def sent(recorder: Recorder, call: Callable[[], object]) -> tuple[Recorded, list[RunIdPrefixWarning]]:
    """The one request ``call`` made, as the server saw it, and the prefix warnings it gave."""
    before = sum(len(entries) for entries in recorder.scenarios.values())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    entries = [entry for entries in recorder.scenarios.values() for entry in entries][before:]
    assert len(entries) == 1
    return entries[0], [w.message for w in caught if isinstance(w.message, RunIdPrefixWarning)]


def query(entry: Recorded) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(entry.target).query, keep_blank_values=True)


def expect_warning(run_id: str, found: list[RunIdPrefixWarning]) -> None:
    if run_id.startswith("wfr_"):
        assert found == []
    else:
        assert len(found) == 1
        assert (found[0].run_id, found[0].suggestion) == (run_id, "wfr_" + run_id)
        assert str(found[0]).startswith(f"run id {run_id!r} does not start with 'wfr_': Upstash run ids do;")
        assert str(found[0]).endswith(f"did you mean {'wfr_' + run_id!r}?")


# ------------------------------------------------------------------------------------- the prefix


@PROPS
@given(run_id=any_id)
def test_run_ids_are_sent_as_given_and_warned_about_without_the_prefix(
    run_id: str, recorder: Recorder, recording: Client
) -> None:
    entry, found = sent(recorder, lambda: recording.cancel(run_id))
    assert (entry.method, query(entry), entry.body) == ("DELETE", [("workflowRunIds", run_id)], b"")
    expect_warning(run_id, found)

    entry, found = sent(recorder, lambda: recording.logs(workflow_run_id=run_id))
    assert ("workflowRunId", run_id) in query(entry)
    expect_warning(run_id, found)

    entry, found = sent(recorder, lambda: recording.logs(workflow_runs=[(run_id, 5)]))
    assert query(entry) == [("workflowRuns", f"{run_id}@5")]
    expect_warning(run_id, found)

    entry, found = sent(recorder, lambda: recording.notify("ev", "x", workflow_run_id=run_id))
    assert [unquote(s) for s in entry.target.split("?")[0].split("/")[3:]] == [run_id, "ev"]
    assert entry.body == b"x"
    expect_warning(run_id, found)

    entry, found = sent(recorder, lambda: recording.dlq.list(filter={"workflow_run_id": run_id}))
    assert ("workflowRunId", run_id) in query(entry)
    expect_warning(run_id, found)


@PROPS
@given(run_id=any_id)
def test_waits_warn_as_they_plan_and_poll_for_the_id_as_given(run_id: str) -> None:
    for plan_it in (lambda: _calls.wait(OPTIONS, run_id), lambda: _calls.wait_all(OPTIONS, [run_id, run_id])):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            plan = plan_it()
        expect_warning(run_id, [w.message for w in caught if isinstance(w.message, RunIdPrefixWarning)])
        assert {run for run, _ in plan.runs} == {run_id}


def test_the_warning_points_at_the_users_line_once_per_call(qstash: LocalQStash, client: Client) -> None:
    with pytest.warns(RunIdPrefixWarning) as caught:
        client.cancel(["pay-1", "pay-2", "wfr_ok", "pay-1"])
    assert len(caught) == 1 and caught[0].filename == __file__
    assert caught[0].message.run_ids == ("pay-1", "pay-2")  # type: ignore[union-attr]
    assert "(1 more run id(s) of this call lack it too)" in str(caught[0].message)
    with pytest.warns(RunIdPrefixWarning) as caught:
        assert list(client.iter_logs(workflow_run_id="pay-1")) == []
    assert len(caught) == 1 and caught[0].filename == __file__


def test_a_wait_warns_once_however_often_it_polls(qstash: LocalQStash, client: Client) -> None:
    with pytest.warns(RunIdPrefixWarning) as caught, pytest.raises(WaitTimeoutError):
        client.wait("pay-1", timeout=0.5, poll_interval=0.05)
    assert len(caught) == 1 and caught[0].filename == __file__
    assert sum("workflowRunId=pay-1&" in path for _, path in qstash.requests) >= 2  # it did poll again


def test_async_calls_warn_at_the_users_line(make_async: type[AsyncClient]) -> None:
    async def main() -> list[warnings.WarningMessage]:
        async with make_async() as client:
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                await client.cancel("pay-1")
                with pytest.raises(WaitTimeoutError):
                    await client.wait("pay-2", timeout=0.3, poll_interval=0.05)
            return caught

    caught = [w for w in asyncio.run(main()) if w.category is RunIdPrefixWarning]
    assert [w.message.run_id for w in caught] == ["pay-1", "pay-2"]  # type: ignore[union-attr]
    assert {w.filename for w in caught} == {__file__}


def test_ids_the_server_gave_and_triggers_never_warn(client: Client) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", RunIdPrefixWarning)
        run = client.trigger(URL, workflow_run_id="pay-1")  # trigger prefixes it, as TS does
        assert run.workflow_run_id == "wfr_pay-1"
        assert client.cancel(run).cancelled == 1
        assert client.logs(workflow_run_id=run).runs[0].workflow_run_id == "wfr_pay-1"


def test_the_warning_pickles_and_is_exported() -> None:
    warning = RunIdPrefixWarning("m", run_id="a", suggestion="wfr_a", run_ids=("a",))
    copy = pickle.loads(pickle.dumps(warning))
    assert (str(copy), copy.run_id, copy.suggestion, copy.run_ids) == ("m", "a", "wfr_a", ("a",))
    assert issubclass(RunIdPrefixWarning, UserWarning)


# ---------------------------------------------------------------------------- cancel until done


def seed(qstash: LocalQStash, count: int, url: str = URL, name: str = "r") -> None:
    qstash.seed({"runs": [{"url": url, "workflow_run_id": f"wfr_{name}{i}"} for i in range(count)]})


def test_one_cancel_says_when_more_may_remain(qstash: LocalQStash, client: Client) -> None:
    seed(qstash, 250)
    first = client.cancel(url_starting_with="https://my-app.com/")
    assert (first.cancelled, first.more_may_remain, first.requests) == (100, True, 1)
    rest = client.cancel(url_starting_with="https://my-app.com/", count=200)
    assert (rest.cancelled, rest.more_may_remain) == (150, False)
    assert client.cancel(["wfr_r1"]).more_may_remain is False  # by id: nothing is left unsaid


def test_until_done_repeats_until_a_request_cancels_none(qstash: LocalQStash, client: Client) -> None:
    seed(qstash, 250)
    seed(qstash, 3, url="https://other.com/wf", name="other")
    result = client.cancel(url_starting_with="https://my-app.com/", until_done=True)
    assert (result.cancelled, result.more_may_remain, result.requests) == (250, False, 4)  # 100+100+50+0
    cancels = [path for _, path in qstash.requests if path.startswith("/v2/workflows/runs")]
    assert cancels == ["/v2/workflows/runs?workflowUrl=https%3A%2F%2Fmy-app.com%2F&count=100"] * 4
    assert sorted(r.state for r in qstash.state.runs.values()).count("RUN_STARTED") == 3


def test_until_done_stops_at_its_bound_and_says_more_may_remain(
    qstash: LocalQStash, client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_calls, "MAX_CANCEL_ROUNDS", 2)
    seed(qstash, 120)
    result = client.cancel(all=True, count=50, until_done=True)
    assert (result.cancelled, result.more_may_remain, result.requests) == (100, True, 2)
    again = client.cancel(all=True, count=50, until_done=True)
    assert (again.cancelled, again.more_may_remain, again.requests) == (20, False, 2)


@pytest.mark.parametrize("flavour", ["sync", "async"])
def test_until_done_starts_no_round_the_deadline_would_cut_short(qstash: LocalQStash, flavour: str) -> None:
    seed(qstash, 300)
    qstash.inject("slow", delay=0.6, times=10, path_prefix="/v2/workflows/runs")
    if flavour == "sync":
        with Client(token=qstash.token, base_url=qstash.url, deadline=1.0, max_retries=0) as client:
            result = client.cancel(all=True, until_done=True)
    else:

        async def main() -> Any:
            async with AsyncClient(token=qstash.token, base_url=qstash.url, deadline=1.0, max_retries=0) as client:
                return await client.cancel(all=True, until_done=True)

        result = asyncio.run(main())
    # The first round took 0.6 s of the call's 1 s: a second would not end in time, so none starts.
    assert (result.cancelled, result.more_may_remain, result.requests) == (100, True, 1)


def test_until_done_async(qstash: LocalQStash, make_async: type[AsyncClient]) -> None:
    seed(qstash, 230)

    async def main() -> Any:
        async with make_async() as client:
            return await client.cancel(filter={"workflow_url_starting_with": URL}, until_done=True)

    result = asyncio.run(main())
    assert (result.cancelled, result.more_may_remain, result.requests) == (230, False, 4)


def test_until_done_is_refused_with_ids(client: Client) -> None:
    with pytest.raises(InvalidArgumentError, match="until_done applies to url_starting_with"):
        client.cancel(["wfr_a"], until_done=True)
    with pytest.raises(InvalidArgumentTypeError, match="until_done must be True or False"):
        client.cancel(all=True, until_done="yes")  # type: ignore[arg-type]
    assert client.cancel([]).requests == 0


# ----------------------------------------------------------------------- errors name the request


def test_trigger_many_names_the_bad_request_before_sending(qstash: LocalQStash, client: Client) -> None:
    requests: list[Any] = [TriggerRequest(url=URL) for _ in range(501)]
    requests[316] = TriggerRequest(url="not a url")
    with pytest.raises(InvalidArgumentError) as raised:
        client.trigger_many(requests)
    assert type(raised.value) is InvalidArgumentError and raised.value.index == 316
    assert str(raised.value) == (
        "requests[316]: url must be an absolute http(s) URL like 'https://my-app.com/api/wf', got 'not a url'"
    )
    copy = pickle.loads(pickle.dumps(raised.value))
    assert (copy.index, str(copy)) == (316, str(raised.value))
    requests[316], requests[40] = {"url": URL, "retriez": 1}, 7
    with pytest.raises(InvalidArgumentTypeError) as typed:  # the first bad one, with its type kept
        client.trigger_many(requests)
    assert typed.value.index == 40 and str(typed.value).startswith("requests[40]: expected TriggerRequest")
    requests[40] = {"url": URL}
    with pytest.raises(InvalidArgumentError, match=r"^requests\[316\]: request has an unknown key 'retriez'"):
        client.trigger_many(requests)
    assert not qstash.state.runs and not qstash.requests


def test_trigger_stream_names_the_position_in_the_iterable(qstash: LocalQStash, client: Client) -> None:
    inputs: list[Any] = [{"url": URL}, {"url": URL}, {"url": "ftp://x"}, {"url": URL}]
    outcomes = list(client.trigger_stream(iter(inputs), start_index=100))
    assert [o.status for o in outcomes] == ["started", "started", "failed", "started"]
    bad = outcomes[2]
    assert bad.index == 102 and isinstance(bad.error, InvalidArgumentError)
    assert bad.error.index == 2 and str(bad.error).startswith("requests[2]: url must be an absolute http(s) URL")


def test_a_lone_trigger_is_not_named_by_position(client: Client) -> None:
    with pytest.raises(InvalidArgumentError) as raised:
        client.trigger("not a url")
    assert raised.value.index is None and str(raised.value).startswith("url must be")


def test_async_trigger_many_names_the_request(make_async: type[AsyncClient]) -> None:
    async def main() -> None:
        async with make_async() as client:
            await client.trigger_many([{"url": URL}, {"url": URL, "retries": "3"}])  # type: ignore[list-item]

    with pytest.raises(InvalidArgumentError, match=r"^requests\[1\]: ") as raised:
        asyncio.run(main())
    assert raised.value.index == 1


# ------------------------------------------------------------------------------------------- CLI


def test_the_cli_names_the_id_meant_in_its_own_words(qstash: LocalQStash) -> None:
    started = run_cli(qstash, "trigger", URL, "--run-id", "pay-1")
    assert "started wfr_pay-1" in started.stdout
    hint = "no run pay-1? run ids start with wfr_: did you mean wfr_pay-1?"
    cancelled = run_cli(qstash, "cancel", "pay-1")
    assert cancelled.exit_code == 0 and "cancelled 0 run(s)" in cancelled.stdout
    assert hint in cancelled.stderr
    listed = run_cli(qstash, "logs", "--run-id", "pay-1")
    # not a terminal: the header line on stdout, the sentence and the hint on stderr
    assert listed.stdout.startswith("run id\t") and "no runs" in listed.stderr and hint in listed.stderr
    for result in (cancelled, listed):
        assert "Warning" not in result.output and ".py" not in result.output  # no Python warning text
    assert "wfr_" not in run_cli(qstash, "logs", "--run-id", "wfr_pay-1").stderr  # it is there: no hint
    assert "cancelled 1 run(s)" in (done := run_cli(qstash, "cancel", "wfr_pay-1")).stdout
    assert "did you mean" not in done.stderr


def test_the_cli_hint_escapes_the_id(qstash: LocalQStash) -> None:
    result = run_cli(qstash, "cancel", "[bold]pay-1")  # rich markup stays text
    assert "no run [bold]pay-1? run ids start with wfr_: did you mean wfr_[bold]pay-1?" in result.stderr


def test_cli_wait_says_it_before_waiting(qstash: LocalQStash) -> None:
    result = run_cli(qstash, "wait", "pay-1", "--timeout", "0.3")
    assert result.exit_code == 3
    assert "no run pay-1? run ids start with wfr_: did you mean wfr_pay-1?" in result.stderr
    assert "Warning" not in result.output
