"""openapi.yaml is valid, complete (every endpoint the TS client calls) and documented; the
generated package has every endpoint and is what a fresh regeneration produces."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename

ROOT = Path(__file__).resolve().parents[1]
SPEC_PATH = ROOT / "openapi.yaml"

TS_ENDPOINTS = {
    ("post", "/v2/batch"): "trigger_batch",
    ("delete", "/v2/workflows/runs"): "cancel_runs",
    ("post", "/v2/notify/{eventId}"): "notify",
    ("post", "/v2/notify/{workflowRunId}/{eventId}"): "notify_run",
    ("get", "/v2/waiters/{eventId}"): "get_waiters",
    ("get", "/v2/workflows/events"): "get_run_logs",
    ("get", "/v2/dlq"): "list_dlq",
    ("post", "/v2/workflows/dlq/resume"): "resume_dlq",
    ("post", "/v2/workflows/dlq/restart"): "restart_dlq",
    ("post", "/v2/workflows/dlq/callback/{dlqId}"): "retry_failure_function",
    ("delete", "/v2/workflows/dlq"): "delete_dlq",
}

# Every well-formed operation of Upstash's own Workflow spec (upstash/docs, workflow/openapi.yaml;
# its `GET /v2/keys/rotate` is a copy-paste slip of `GET /v2/flowControl/{flowControlKey}`).
OFFICIAL_OPERATIONS = {
    ("post", "/v2/trigger/{workflowUrl}"),
    ("post", "/v2/batch/trigger"),
    ("delete", "/v2/workflows/runs/{workflowRunId}"),
    ("delete", "/v2/workflows/runs"),
    ("get", "/v2/workflows/logs"),
    ("get", "/v2/workflows/dlq"),
    ("delete", "/v2/workflows/dlq"),
    ("get", "/v2/workflows/dlq/{dlqId}"),
    ("delete", "/v2/workflows/dlq/{dlqId}"),
    ("post", "/v2/workflows/dlq/resume/{dlqId}"),
    ("post", "/v2/workflows/dlq/resume"),
    ("post", "/v2/workflows/dlq/restart/{dlqId}"),
    ("post", "/v2/workflows/dlq/restart"),
    ("post", "/v2/workflows/dlq/callback/{dlqId}"),
    ("delete", "/v2/workflows/dlq/callback/{dlqId}"),
    ("get", "/v2/flowControl"),
    ("get", "/v2/flowControl/{flowControlKey}"),
    ("post", "/v2/flowControl/{flowControlKey}/pause"),
    ("post", "/v2/flowControl/{flowControlKey}/resume"),
    ("post", "/v2/flowControl/{flowControlKey}/pin"),
    ("post", "/v2/flowControl/{flowControlKey}/unpin"),
    ("post", "/v2/flowControl/{flowControlKey}/resetRate"),
    ("get", "/v2/globalParallelism"),
    ("get", "/v2/keys"),
    ("post", "/v2/keys/rotate"),
    ("post", "/v2/notify/{eventId}"),
    ("post", "/v2/notify/{workflowRunId}/{eventId}"),
    ("get", "/v2/waiters/{eventId}"),
}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [(m, p, op) for p, item in spec["paths"].items() for m, op in item.items() if m in {"get", "post", "delete"}]


@pytest.fixture(scope="module")
def spec() -> dict[str, Any]:
    data, _ = read_from_filename(str(SPEC_PATH))
    return dict(data)


def test_spec_is_valid_openapi(spec: dict[str, Any]) -> None:
    validate(spec)


def test_every_ts_and_official_operation_is_in_the_spec(spec: dict[str, Any]) -> None:
    """The TS client's paths (`/v2/batch`, `/v2/workflows/events`, `/v2/dlq`) and every official one
    (the spec may have more: an operation added here needs no edit of these two reference lists)."""
    found = {(m, p) for m, p, _ in _operations(spec)}
    assert set(TS_ENDPOINTS) | OFFICIAL_OPERATIONS <= found


def test_every_schema_has_description_and_example(spec: dict[str, Any]) -> None:
    for name, schema in spec["components"]["schemas"].items():
        assert schema.get("description"), name
        assert "example" in schema, name


def test_bearer_auth_and_error_responses(spec: dict[str, Any]) -> None:
    assert spec["components"]["securitySchemes"]["bearerAuth"] == {
        "type": "http",
        "scheme": "bearer",
        "description": spec["components"]["securitySchemes"]["bearerAuth"]["description"],
    }
    assert spec["security"] == [{"bearerAuth": []}]
    rate_headers = spec["components"]["responses"]["RateLimited"]["headers"]
    assert {"Burst-RateLimit-Reset", "RateLimit-Reset", "Retry-After"} <= set(rate_headers)
    for (method, path), _ in TS_ENDPOINTS.items():
        responses = spec["paths"][path][method]["responses"]
        assert {"200", "401", "429", "500"} <= set(responses), (method, path)


def test_cancel_query_matches_ts_order(spec: dict[str, Any]) -> None:
    """The generated client sends query keys in declaration order; TS puts workflowUrl and
    workflowUrlExactMatch after the other filter fields and count last."""
    params = spec["paths"]["/v2/workflows/runs"]["delete"]["parameters"]
    names = [p.get("name") or p["$ref"].rsplit("/", 1)[1] for p in params]
    assert names[-3:] == ["workflowUrl", "workflowUrlExactMatch", "Count"]


def test_every_endpoint_is_generated(spec: dict[str, Any]) -> None:
    """Module paths follow the spec: upstash_workflow_api.api.<tag>.<operationId>, snake_cased."""
    import importlib
    import inspect

    modules = {}
    for method, path, op in _operations(spec):
        (tag,) = op["tags"]
        mod = importlib.import_module(f"upstash_workflow_api.api.{_snake(tag)}.{_snake(op['operationId'])}")
        assert f'"method": "{method}"' in inspect.getsource(mod._get_kwargs), (method, path)
        for fn in ("sync", "sync_detailed", "asyncio", "asyncio_detailed"):
            assert callable(getattr(mod, fn))
        modules[(method, path)] = mod
    for (method, path), name in TS_ENDPOINTS.items():
        assert modules[(method, path)].__name__.endswith("." + name)
    assert set(modules) >= OFFICIAL_OPERATIONS


@pytest.mark.parametrize("value", ["a/b?c#d", ".", "..", "https://x.com/a b", "k%2F"])
def test_path_parameters_are_one_percent_encoded_segment(value: str) -> None:
    """Flow-control keys and workflow URLs cannot change the endpoint they are sent to."""
    from upstash_workflow_api.api.flow_control import pin_flow_control_key
    from upstash_workflow_api.api.runs import trigger_run

    pinned = pin_flow_control_key._get_kwargs(value, parallelism=1)["url"]
    prefix, segment, action = pinned.rsplit("/", 2)
    assert (prefix, action) == ("/v2/flowControl", "pin")
    assert segment not in (".", "..") and "/" not in segment and "?" not in segment and "#" not in segment
    # A destination URL goes unencoded, as Upstash's clients send it (tests/test_hostile_calls.py),
    # but still cannot leave its endpoint: no query, no fragment, no dot segment.
    url = trigger_run._get_kwargs(value)["url"]
    assert url.startswith("/v2/trigger/") and "?" not in url and "#" not in url
    assert not {".", ".."} & set(url.split("/"))


def test_generated_code_avoids_python_311_only_imports() -> None:
    """openapi-python-client 0.29 writes `from typing import Self` (3.11+); our template and ruff
    target keep the generated package importable on Python 3.10."""
    generated = ROOT / "generated" / "upstash_workflow_api"
    for path in generated.rglob("*.py"):
        text = path.read_text()
        assert "from typing import Self" not in text, path
        assert "import Self" not in text or "TYPE_CHECKING" in text, path


def _python310() -> str | None:
    """A working Python 3.10 interpreter, if this machine has one (a pyenv shim may not work)."""
    candidates = [shutil.which("python3.10"), *map(str, Path.home().glob(".pyenv/versions/3.10*/bin/python3.10"))]
    for candidate in filter(None, candidates):
        if subprocess.run([candidate, "-c", "pass"], capture_output=True, check=False).returncode == 0:
            return candidate
    return None


def test_generated_code_compiles_on_python_310(tmp_path: Path) -> None:
    python310 = _python310()
    if python310 is None:
        pytest.skip("no working python3.10 on this machine")
    result = subprocess.run(
        [python310, "-m", "compileall", "-q", str(ROOT / "generated"), str(ROOT / "upstash_workflow")],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPYCACHEPREFIX": str(tmp_path)},
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_generated_client_repr_hides_the_token() -> None:
    from upstash_workflow_api import AuthenticatedClient

    api = AuthenticatedClient(base_url="http://127.0.0.1:1", token="super-secret-token")
    api.get_httpx_client()  # puts Authorization into the headers dict
    assert "super-secret-token" not in repr(api)
    api.get_httpx_client().close()


@pytest.mark.skipif(sys.version_info < (3, 11), reason="openapi-python-client needs Python 3.11+")
def test_spec_change_without_regeneration_fails_the_drift_check(tmp_path: Path) -> None:
    """scripts/check-generated on a copy of the project whose spec changed but generated/ did not."""
    copy = tmp_path / "project"
    copy.mkdir()
    for name in ("openapi.yaml", "generator-config.yaml", "requirements.lock", "pyproject.toml"):
        shutil.copy(ROOT / name, copy / name)
    for folder in ("templates", "scripts", "generated"):
        shutil.copytree(ROOT / folder, copy / folder)
    (copy / ".venv").symlink_to(ROOT / ".venv")  # reuse this environment ...
    env = {**os.environ, "UPSTASH_WORKFLOW_SKIP_BOOTSTRAP": "1"}  # ... as it is
    spec_data, _ = read_from_filename(str(copy / "openapi.yaml"))
    spec_data["components"]["schemas"]["CancelResult"]["properties"]["note"] = {"type": "string"}
    (copy / "openapi.yaml").write_text(json.dumps(spec_data))  # JSON is YAML
    script = str(copy / "scripts" / "check-generated")
    result = subprocess.run([script], capture_output=True, text=True, check=False, env=env)
    assert result.returncode != 0
    assert "out of date" in result.stderr
    assert "note" in result.stderr
