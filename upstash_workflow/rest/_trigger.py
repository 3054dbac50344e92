"""Pure construction of the batch messages that start workflow runs, header for header as the TS
client 1.3.3 builds them (WorkflowHeaders.getHeaders, then qstash's processHeaders and
wrapWithGlobalHeaders); `Options`, the client settings every message carries."""

from __future__ import annotations

import functools
import re
import secrets
from collections.abc import Mapping

import attrs

from . import _validate as v
from ._errors import InvalidArgumentError
from ._models import FlowControl, Redact, TriggerRequest

FEATURE_SET = "LazyFetch,InitialBody,WF_DetectTrigger,WF_TriggerOnConfig"
DEFAULT_RETRIES = 3
_NANOID_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_"


@attrs.frozen
class Options:
    """What the builders take from the client (no I/O, no secrets): the headers it adds to every
    triggered run. Every builder takes it first, so the generated methods pass it alike."""

    global_headers: Mapping[str, str] = attrs.field(factory=dict)
    message_telemetry: Mapping[str, str] = attrs.field(factory=dict)
    client_telemetry: Mapping[str, str] = attrs.field(factory=dict)

    def forwarding(self, headers: Mapping[str, str]) -> Options:
        """These options, also forwarding ``headers`` (``upstash-forward-*``: the trace context of
        `_tracing`) to every run; a header the client was given with the same name wins."""
        return attrs.evolve(self, global_headers={**headers, **self.global_headers})


# byte -> alphabet[byte % 64]; 256 is a multiple of 64, so every character is equally likely.
_TO_ALPHABET = bytes.maketrans(bytes(range(256)), _NANOID_ALPHABET.encode() * 4)


def random_run_id() -> str:
    """``wfr_`` + 21 characters of [A-Za-z0-9_-] (nanoid's alphabet and length, from a CSPRNG).

    One ``token_bytes`` call per id: ``secrets.choice`` per character made id generation cost more
    than everything else in a large ``trigger_many``."""
    return v.RUN_ID_PREFIX + secrets.token_bytes(21).translate(_TO_ALPHABET).decode()


def run_id_for(workflow_run_id: str | None) -> str:
    """The TS client prefixes every id, user-supplied ones too: ``my-run`` -> ``wfr_my-run``."""
    if workflow_run_id is None:
        return random_run_id()
    return v.RUN_ID_PREFIX + v.require_id(workflow_run_id, "Workflow run id")


def forwardable_global_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """Client-level headers as qstash stores them: ``upstash-*``/content-type as they are, others
    prefixed ``upstash-forward-`` (so they reach the workflow endpoint)."""
    result: dict[str, str] = {}
    for key, value in v.header_map(headers).items():
        lower = key.lower()
        keep = lower.startswith(("upstash-", "content-type"))
        result[lower if keep else f"upstash-forward-{lower}"] = value
    return result


def message_headers(
    request: TriggerRequest,
    run_id: str,
    *,
    global_headers: Mapping[str, str],
    message_telemetry: Mapping[str, str],
    client_telemetry: Mapping[str, str],
) -> dict[str, str]:
    """All headers of one batch message: lower-case names, sorted (as JS ``Headers`` iterates)."""
    url = v.require_url(request.url, "url")
    failure_url = url if request.failure_url is None else v.require_url(request.failure_url, "failure_url")
    user = {k.lower(): val for k, val in v.header_map(request.headers).items()}
    label = v.serialize_labels(request.label)
    if label is not None:
        user["upstash-label"] = label

    headers: dict[str, str] = dict(global_headers)
    headers.update(
        {
            "upstash-workflow-init": "true",
            "upstash-workflow-runid": run_id,
            "upstash-workflow-url": url,
            "upstash-feature-set": FEATURE_SET,
            "upstash-workflow-sdk-version": "1",
            "upstash-forward-upstash-workflow-sdk-version": "1",
            "content-type": user.get("content-type", "application/json"),
            "upstash-method": "POST",
        }
    )
    if not v.boolean(request.disable_telemetry, "disable_telemetry"):
        headers.update(message_telemetry)

    def both(name: str, value: str) -> None:
        """A setting for the run and, as TS does, for its failure callback."""
        headers[f"upstash-{name}"] = headers[f"upstash-failure-callback-{name}"] = value

    if request.retries is not None and v.non_negative_int(request.retries, "retries") != DEFAULT_RETRIES:
        both("retries", str(request.retries))
    if request.retry_delay is not None and v.require_str(request.retry_delay, "retry_delay"):
        both("retry-delay", request.retry_delay)
    if request.flow_control is not None:
        flow_control = v.instance_of(request.flow_control, FlowControl, "flow_control")
        both("flow-control-key", v.check_flow_control_key(flow_control.key))
        both("flow-control-value", flow_control.header_value())
    for name, value in user.items():
        both(f"forward-{name}", value)
    headers["upstash-failure-callback"] = failure_url
    headers.update(
        {
            "upstash-failure-callback-forward-upstash-workflow-is-failure": "true",
            "upstash-failure-callback-forward-upstash-workflow-failure-callback": "true",
            "upstash-failure-callback-workflow-runid": run_id,
            "upstash-failure-callback-workflow-init": "false",
            "upstash-failure-callback-workflow-url": url,
            "upstash-failure-callback-workflow-calltype": "failureCall",
            "upstash-failure-callback-feature-set": FEATURE_SET,
        }
    )
    if label is not None:
        headers["upstash-label"] = label
    if request.delay is not None:
        headers["upstash-delay"] = v.duration(request.delay, "delay")
    if request.not_before is not None:
        headers["upstash-not-before"] = v.unix_seconds(request.not_before, "not_before")
    if request.redact is not None and (redact := v.instance_of(request.redact, Redact, "redact").header_value()):
        headers["upstash-redact-fields"] = redact
    for name, value in client_telemetry.items():
        headers[name] = f"{headers[name]}, {value}" if name in headers else value
    check_spec_formats(headers)
    return dict(sorted(headers.items()))


@functools.cache
def _spec_formats() -> dict[str, tuple[re.Pattern[str], str, str]]:
    """openapi.yaml's message header formats (generated into ``spec_rules``): header name ->
    (pattern, description, the argument it comes from)."""
    from upstash_workflow_api.spec_rules import MESSAGE_HEADER_PATTERNS

    def argument(header: str) -> str:
        setting = header.removeprefix("upstash-").removeprefix("failure-callback-")
        return "flow_control" if setting == "flow-control-value" else setting.replace("-", "_")

    return {name: (re.compile(p), what, argument(name)) for name, (p, what) in MESSAGE_HEADER_PATTERNS.items()}


def check_spec_formats(headers: Mapping[str, str]) -> None:
    """Refuse a message whose headers the spec's formats reject (``retries=10**19`` has 20 digits;
    QStash takes 18): the server would refuse the whole batch, and with it every other caller's runs."""
    for name, (pattern, what, argument) in _spec_formats().items():
        value = headers.get(name)
        if value is not None and not pattern.search(value):
            raise InvalidArgumentError(
                f"{argument} is out of the range QStash accepts: header {name} ({what}) must match "
                f"{pattern.pattern}, got {value[:60]!r}"
            )
