"""The management commands as a user runs them (in-process, as test_cli does) against LocalQStash."""

from __future__ import annotations

from tests.test_cli import URL, ok_json, run_cli
from upstash_workflow.rest import Client, FlowControl
from upstash_workflow.rest.testing import LocalQStash


def test_flow_control_commands(qstash: LocalQStash, client: Client) -> None:
    for _ in range(2):
        client.trigger(url=URL, flow_control=FlowControl(key="orders", parallelism=1, rate=5, period="1m"))
    table = run_cli(qstash, "flow-control", "list")
    assert table.exit_code == 0, table.stderr
    assert "orders" in table.stdout and "1/1" in table.stdout and "60s" in table.stdout
    [listed] = ok_json(run_cli(qstash, "--json", "flow-control", "list", "--search", "ord"))
    assert (listed["flow_control_key"], listed["wait_list_size"], listed["rate_max"]) == ("orders", 1, 5)
    assert run_cli(qstash, "flow-control", "pause", "orders").stdout.strip() == "paused orders"
    assert ok_json(run_cli(qstash, "--json", "flow-control", "pin", "orders", "--parallelism", "3", "--rate", "9")) == {
        "flow_control_key": "orders",
        "done": "pinned",
    }
    got = ok_json(run_cli(qstash, "--json", "flow-control", "get", "orders"))
    assert (got["is_paused"], got["parallelism_max"], got["rate_max"], got["is_pinned_rate"]) == (True, 3, 9, True)
    assert run_cli(qstash, "flow-control", "unpin", "orders", "--rate").exit_code == 0
    assert run_cli(qstash, "flow-control", "resume", "orders").exit_code == 0
    assert run_cli(qstash, "flow-control", "reset-rate", "orders").exit_code == 0
    after = client.flow_control.get("orders")
    assert (after.is_paused, after.is_pinned_rate, after.wait_list_size) == (False, False, 0)
    assert ok_json(run_cli(qstash, "--json", "flow-control", "parallelism"))["parallelism_count"] == 2
    assert "2 running of 1000 allowed" in run_cli(qstash, "flow-control", "parallelism").stdout


def test_flow_control_errors_exit_codes(qstash: LocalQStash) -> None:
    missing = run_cli(qstash, "flow-control", "get", "nope")
    assert missing.exit_code == 1 and "404" in missing.stderr
    nothing = run_cli(qstash, "flow-control", "unpin", "k")
    assert nothing.exit_code == 2 and "give --parallelism, --rate or both" in nothing.stderr
    assert run_cli(qstash, "flow-control", "pin", "k", "--rate", "-1").exit_code == 2
    assert qstash.requests == [("GET", "/v2/flowControl/nope")]


def test_dlq_get_and_keys(qstash: LocalQStash, client: Client) -> None:
    run = client.trigger(url=URL, label="x")
    dlq_id = qstash.add_dlq_message(run.workflow_run_id)
    shown = run_cli(qstash, "dlq", "get", dlq_id)
    assert shown.exit_code == 0 and run.workflow_run_id in shown.stdout and "500" in shown.stdout
    assert ok_json(run_cli(qstash, "--json", "dlq", "get", dlq_id))["labels"] == ["x"]
    keys = ok_json(run_cli(qstash, "--json", "keys"))
    assert keys["current"] == qstash.state.signing_keys.current
    rotated = ok_json(run_cli(qstash, "--json", "keys", "--rotate", "--yes"))
    assert rotated["current"] == keys["next"]
    assert "current" in run_cli(qstash, "keys").stdout


def test_server_text_is_shown_as_is_not_as_markup(qstash: LocalQStash, client: Client) -> None:
    client.flow_control.pause("[bold]x[/bold]")  # LocalQStash makes the key; the CLI must not style it
    shown = run_cli(qstash, "flow-control", "list")
    assert shown.exit_code == 0 and "[bold]x[/bold]" in shown.stdout
