"""Regenerating after an API change reaches users with no hand edit: a property added to a copy of
openapi.yaml, regenerated into a temporary package with scripts/generate, is read through `Client`
(in ``extra`` under its JSON name, type-checked) from a small loopback server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    sys.version_info < (3, 11), reason="scripts/generate runs openapi-python-client, which needs Python >= 3.11"
)

ADDED = {
    # schema -> an added property (JSON name, schema text)
    "CancelResult": ("refundedAt", "{type: integer, format: int64, description: Added by the test.}"),
    "StepLogGroup": ("groupLabel", "{type: string, description: Added by the test.}"),
}

READER = textwrap.dedent(
    """
    import json, sys, threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    import upstash_workflow_api
    from upstash_workflow.rest import Client

    assert upstash_workflow_api.__file__.startswith(sys.argv[1]), upstash_workflow_api.__file__
    answers = {
        "/v2/workflows/runs": {"cancelled": 1, "refundedAt": 1714000000000},
        "/v2/workflows/events": {"runs": [{"steps": [{"type": "parallel", "groupLabel": "g", "steps": []}]}]},
    }

    class Handler(BaseHTTPRequestHandler):
        def answer(self):
            body = json.dumps(answers[self.path.split("?")[0]]).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_GET = do_DELETE = answer

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    out = {}
    try:
        with Client(token="regeneration-test-token", base_url=f"http://127.0.0.1:{server.server_address[1]}", max_retries=0) as client:
            out["cancel_extra"] = client.cancel(ids=["wfr_a"]).extra
            group = client.logs().runs[0].steps[0]
            out["group"] = [group.type, group.extra]
            answers["/v2/workflows/runs"]["refundedAt"] = "tomorrow"  # now a typed property
            # cancel changed something on the server: a wrong type warns (ResponseShapeWarning)
            # instead of raising, and the raw value is kept in extra.
            import warnings
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                result = client.cancel(ids=["wfr_a"])
            out["wrong_type"] = " ".join(str(w.message) for w in caught)
            out["kept"] = result.extra.get("refundedAt")
    finally:
        server.shutdown()
    print(json.dumps(out))
    """
)


def _spec_with_added_properties() -> str:
    lines = (ROOT / "openapi.yaml").read_text().splitlines()
    for schema, (name, text) in ADDED.items():
        start = lines.index(f"    {schema}:")
        properties = next(i for i in range(start, len(lines)) if lines[i] == "      properties:")
        lines.insert(properties + 1, f"        {name}: {text}")
    return "\n".join(lines) + "\n"


def test_a_property_added_to_the_spec_reaches_users_after_regeneration(tmp_path: Path) -> None:
    spec = tmp_path / "openapi.yaml"
    spec.write_text(_spec_with_added_properties())
    package = tmp_path / "pkg" / "upstash_workflow_api"
    generate = subprocess.run(
        [str(ROOT / "scripts" / "generate"), str(package), str(spec)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert generate.returncode == 0, generate.stderr
    source = (package / "models" / "cancel_result.py").read_text()
    assert '"refunded_at": "refundedAt"' in source  # the generated model lists it

    env = {**os.environ, "PYTHONPATH": str(package.parent)}
    env = {k: v for k, v in env.items() if not k.startswith(("QSTASH_", "UPSTASH_"))}
    read = subprocess.run(
        [sys.executable, "-c", READER, str(package)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        check=False,
    )
    assert read.returncode == 0, read.stderr
    out = json.loads(read.stdout)
    assert out["cancel_extra"] == {"refundedAt": 1714000000000}
    assert out["group"] == ["parallel", {"groupLabel": "g"}]
    assert "refundedAt must be an integer" in out["wrong_type"]
    assert "DELETE /v2/workflows/runs" in out["wrong_type"]
    assert out["kept"] == "tomorrow"
