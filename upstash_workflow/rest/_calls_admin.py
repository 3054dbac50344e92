"""Sans-I/O builders for the management operations of the REST API that the TS workflow client
does not have: flow-control keys and global parallelism (wire-identical to ``@upstash/qstash``
2.12.0's ``client.flowControl``), one DLQ message, and the signing keys. Same shape as `_calls`:
user arguments -> `Call`, sent by either client.

Keys and ids are percent-encoded as one path segment (the TS client joins them into the path
unchanged, so ``/``, ``?`` or ``..`` in a key would change the endpoint).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from . import _inputs
from . import _validate as v
from ._call import SendRequest, ignore_body
from ._calls import _one
from ._errors import InvalidArgumentError, InvalidArgumentTypeError
from ._models import PinFlowControlOptions, UnpinFlowControlOptions
from ._results import DLQMessage, FlowControlInfo, GlobalParallelism, ResponseShapeError, SigningKeys
from ._trigger import Options

_KEY = "Flow control key"  # the label the TS client uses in its "cannot be empty" error


def _flow_control_info(data: Any) -> FlowControlInfo:
    """One key; the wait list under either spelling (Upstash's Workflow spec says ``waitlistSize``)."""
    from upstash_workflow_api.models import FlowControlInfo as ApiFlowControlInfo

    info = _one(ApiFlowControlInfo, FlowControlInfo)(data)
    if (data or {}).get("waitListSize") is None and (size := info.extra.get("waitlistSize")) is not None:
        # The other spelling, read by the same lossless rule as every integer (or the contract's error).
        from ._results import _integer

        return attrs.evolve(info, wait_list_size=_integer(size, "waitlistSize"))
    return info


# Actions answer 200 with no meaningful body; whatever comes is ignored (not even decoded), as in TS.
_no_content = ignore_body


# -------------------------------------------------------------------------------------- flow control


def flow_control_list(options: Options, *, search: str | None = None) -> SendRequest[list[FlowControlInfo]]:
    """Every flow-control key with its wait list, limits, counts and flags.

    Args:
        search: keep only the keys whose name contains this text.

    Returns:
        One `FlowControlInfo` per key.

    Raises:
        InvalidArgumentTypeError: ``search`` is not a str, before any request.
        APIStatusError: the server answered an error status (after the client's retries): a
            subclass such as `AuthenticationError`, `NotFoundError`, `RateLimitError` or `ServerError`.
        APIConnectionError: no HTTP response after the client's retries (`APITimeoutError` included).
        APIResponseValidationError: a 2xx response whose body is not what the API documents.
        ClientClosedError: the client is closed, or was closed during the call.
    """
    from upstash_workflow_api.api.flow_control import list_flow_control_keys

    def parse(data: Any) -> list[FlowControlInfo]:
        if data is None:  # an empty body: null reads as absent
            return []
        if not isinstance(data, list):  # the contract's error: read_body blames the server
            raise ResponseShapeError("", f"must be a JSON array, got {type(data).__name__}")
        return [_flow_control_info(item) for item in data]

    params = {} if search is None else {"search": v.require_str(search, "search")}
    return SendRequest(request=list_flow_control_keys._get_kwargs(**params), parse=parse)


def flow_control_get(options: Options, key: str) -> SendRequest[FlowControlInfo]:
    """One flow-control key: its wait list, limits, counts and flags.

    Args:
        key: the flow-control key (percent-encoded as one path segment).

    Returns:
        The key's `FlowControlInfo`.

    Raises:
        InvalidArgumentTypeError: ``key`` is not a str, before any request.
        InvalidArgumentError: ``key`` is empty, before any request.
        APIStatusError: the server answered an error status (after the client's retries): a
            subclass such as `NotFoundError` (no key by that name), `AuthenticationError`, `RateLimitError`
            or `ServerError`.
        APIConnectionError: no HTTP response after the client's retries (`APITimeoutError` included).
        APIResponseValidationError: a 2xx response whose body is not what the API documents.
        ClientClosedError: the client is closed, or was closed during the call.
    """
    from upstash_workflow_api.api.flow_control import get_flow_control_key

    return SendRequest(request=get_flow_control_key._get_kwargs(v.require_id(key, _KEY)), parse=_flow_control_info)


def flow_control_pause(options: Options, key: str) -> SendRequest[None]:
    """Hold every delivery of ``key``: its new messages wait in its wait list until ``resume``.

    Args:
        key: the flow-control key (percent-encoded as one path segment).

    Returns:
        None.

    Raises:
        InvalidArgumentTypeError: ``key`` is not a str, before any request.
        InvalidArgumentError: ``key`` is empty, before any request.
        APIStatusError: the server answered an error status (after the client's retries): a
            subclass such as `AuthenticationError`, `NotFoundError`, `RateLimitError` or `ServerError`.
        APIConnectionError: no HTTP response after the client's retries (`APITimeoutError` included).
        ClientClosedError: the client is closed, or was closed during the call.

    Warns:
        ResponseShapeWarning: a 2xx answer with a field that cannot be read. The server has acted,
            so the call does not raise: the field is None and its raw value is kept in ``extra``.
    """
    from upstash_workflow_api.api.flow_control import pause_flow_control_key

    return SendRequest(request=pause_flow_control_key._get_kwargs(v.require_id(key, _KEY)), parse=_no_content)


def flow_control_resume(options: Options, key: str) -> SendRequest[None]:
    """Deliver the messages of a paused ``key`` again.

    Args:
        key: the flow-control key (percent-encoded as one path segment).

    Returns:
        None.

    Raises:
        InvalidArgumentTypeError: ``key`` is not a str, before any request.
        InvalidArgumentError: ``key`` is empty, before any request.
        APIStatusError: the server answered an error status (after the client's retries): a
            subclass such as `AuthenticationError`, `NotFoundError`, `RateLimitError` or `ServerError`.
        APIConnectionError: no HTTP response after the client's retries (`APITimeoutError` included).
        ClientClosedError: the client is closed, or was closed during the call.

    Warns:
        ResponseShapeWarning: a 2xx answer with a field that cannot be read. The server has acted,
            so the call does not raise: the field is None and its raw value is kept in ``extra``.
    """
    from upstash_workflow_api.api.flow_control import resume_flow_control_key

    return SendRequest(request=resume_flow_control_key._get_kwargs(v.require_id(key, _KEY)), parse=_no_content)


def _settings(given: object, keywords: dict[str, Any], what: str) -> dict[str, Any]:
    """Pin/unpin settings as keywords or as one dict (``qstash``'s ``PinFlowControlOptions``), not both."""
    if given is None:
        return keywords
    if not isinstance(given, Mapping):
        raise InvalidArgumentTypeError(f"{what} options must be a dict, got {type(given).__name__}")
    if any(value not in (None, False) for value in keywords.values()):
        raise InvalidArgumentError(f"give {what}'s settings as a dict or as keywords, not both")
    return keywords | _inputs.fields_of(given, list(keywords), f"{what} options")


def flow_control_pin(
    options: Options,
    key: str,
    settings: PinFlowControlOptions | None = None,
    *,
    parallelism: int | None = None,
    rate: int | None = None,
    period: int | None = None,
) -> SendRequest[None]:
    """Pin ``key``'s configuration: the limits given here win over what incoming messages carry.

    The ``parallelism`` and ``rate`` per ``period`` given here hold until ``unpin``; at least one of
    them. Pinning resets the key's rate count and period. The settings may also come as one dict, as
    in Upstash's ``qstash`` SDK: ``pin("KEY", {"parallelism": 3, "rate": 20, "period": 120})``.

    Args:
        key: the flow-control key (percent-encoded as one path segment).
        settings: the settings as one dict (``parallelism``, ``rate``, ``period``), instead of the
            keywords.
        parallelism: the most deliveries of the key in flight at once.
        rate: the most deliveries of the key per ``period``.
        period: the rate's period, in seconds.

    Returns:
        None.

    Raises:
        InvalidArgumentTypeError: ``key`` is not a str, ``settings`` is not a dict, or a setting is
            not an int, before any request.
        InvalidArgumentError: an empty key, a negative setting, an unknown key of ``settings``, no
            setting at all, or settings given both as a dict and as keywords, before any request.
        APIStatusError: the server answered an error status (after the client's retries): a
            subclass such as `AuthenticationError`, `NotFoundError`, `RateLimitError` or `ServerError`.
        APIConnectionError: no HTTP response after the client's retries (`APITimeoutError` included).
        ClientClosedError: the client is closed, or was closed during the call.

    Warns:
        ResponseShapeWarning: a 2xx answer with a field that cannot be read. The server has acted,
            so the call does not raise: the field is None and its raw value is kept in ``extra``.
    """
    from upstash_workflow_api.api.flow_control import pin_flow_control_key

    name = v.require_id(key, _KEY)
    values = _settings(settings, {"parallelism": parallelism, "rate": rate, "period": period}, "pin")
    params = {k: v.non_negative_int(val, k) for k, val in values.items() if val is not None}
    if not params:
        raise InvalidArgumentError("pin needs at least one of parallelism, rate or period")
    return SendRequest(request=pin_flow_control_key._get_kwargs(name, **params), parse=_no_content)


def flow_control_unpin(
    options: Options,
    key: str,
    settings: UnpinFlowControlOptions | None = None,
    *,
    parallelism: bool = False,
    rate: bool = False,
) -> SendRequest[None]:
    """Unpin ``key``'s ``parallelism`` and/or ``rate`` (at least one): incoming messages set them again.

    Only the flags that are True are sent (``parallelism=true``). The flags may also come as one
    dict: ``unpin("KEY", {"parallelism": True})``.

    Args:
        key: the flow-control key (percent-encoded as one path segment).
        settings: the flags as one dict (``parallelism``, ``rate``), instead of the keywords.
        parallelism: unpin the parallelism.
        rate: unpin the rate (and its period).

    Returns:
        None.

    Raises:
        InvalidArgumentTypeError: ``key`` is not a str, ``settings`` is not a dict, or a flag is not
            a bool, before any request.
        InvalidArgumentError: an empty key, an unknown key of ``settings``, no flag set, or flags
            given both as a dict and as keywords, before any request.
        APIStatusError: the server answered an error status (after the client's retries): a
            subclass such as `AuthenticationError`, `NotFoundError`, `RateLimitError` or `ServerError`.
        APIConnectionError: no HTTP response after the client's retries (`APITimeoutError` included).
        ClientClosedError: the client is closed, or was closed during the call.

    Warns:
        ResponseShapeWarning: a 2xx answer with a field that cannot be read. The server has acted,
            so the call does not raise: the field is None and its raw value is kept in ``extra``.
    """
    from upstash_workflow_api.api.flow_control import unpin_flow_control_key

    name = v.require_id(key, _KEY)
    flags = _settings(settings, {"parallelism": parallelism, "rate": rate}, "unpin")
    for flag, value in flags.items():
        if not isinstance(value, bool):
            raise InvalidArgumentTypeError(f"{flag} must be a bool, got {type(value).__name__}")
    params = {flag: True for flag, value in flags.items() if value}
    if not params:
        raise InvalidArgumentError("unpin needs parallelism=True, rate=True or both")
    return SendRequest(request=unpin_flow_control_key._get_kwargs(name, **params), parse=_no_content)


def flow_control_reset_rate(options: Options, key: str) -> SendRequest[None]:
    """Clear ``key``'s rate count: a new rate period starts now.

    Args:
        key: the flow-control key (percent-encoded as one path segment).

    Returns:
        None.

    Raises:
        InvalidArgumentTypeError: ``key`` is not a str, before any request.
        InvalidArgumentError: ``key`` is empty, before any request.
        APIStatusError: the server answered an error status (after the client's retries): a
            subclass such as `AuthenticationError`, `NotFoundError`, `RateLimitError` or `ServerError`.
        APIConnectionError: no HTTP response after the client's retries (`APITimeoutError` included).
        ClientClosedError: the client is closed, or was closed during the call.

    Warns:
        ResponseShapeWarning: a 2xx answer with a field that cannot be read. The server has acted,
            so the call does not raise: the field is None and its raw value is kept in ``extra``.
    """
    from upstash_workflow_api.api.flow_control import reset_flow_control_rate

    return SendRequest(request=reset_flow_control_rate._get_kwargs(v.require_id(key, _KEY)), parse=_no_content)


def global_parallelism(options: Options) -> SendRequest[GlobalParallelism]:
    """The account-wide parallelism limit and how many messages run now.

    Returns:
        The account's `GlobalParallelism`.

    Raises:
        APIStatusError: the server answered an error status (after the client's retries): a
            subclass such as `AuthenticationError`, `NotFoundError`, `RateLimitError` or `ServerError`.
        APIConnectionError: no HTTP response after the client's retries (`APITimeoutError` included).
        APIResponseValidationError: a 2xx response whose body is not what the API documents.
        ClientClosedError: the client is closed, or was closed during the call.
    """
    from upstash_workflow_api.api.flow_control import get_global_parallelism
    from upstash_workflow_api.models import GlobalParallelism as ApiGlobalParallelism

    return SendRequest(
        request=get_global_parallelism._get_kwargs(), parse=_one(ApiGlobalParallelism, GlobalParallelism)
    )


# ----------------------------------------------------------------------------------------------- dlq


def dlq_get(options: Options, dlq_id: str) -> SendRequest[DLQMessage]:
    """One failed run in the DLQ.

    Args:
        dlq_id: the message's DLQ id (``dlq_id`` of a `DLQMessage`).

    Returns:
        The `DLQMessage`.

    Raises:
        InvalidArgumentTypeError: ``dlq_id`` is not a str, before any request.
        InvalidArgumentError: ``dlq_id`` is empty, before any request.
        APIStatusError: the server answered an error status (after the client's retries): a
            subclass such as `NotFoundError` (no message with this id), `AuthenticationError`, `RateLimitError`
            or `ServerError`.
        APIConnectionError: no HTTP response after the client's retries (`APITimeoutError` included).
        APIResponseValidationError: a 2xx response whose body is not what the API documents.
        ClientClosedError: the client is closed, or was closed during the call.
    """
    from upstash_workflow_api.api.dlq import get_dlq_message
    from upstash_workflow_api.models import DLQMessage as ApiDLQMessage

    return SendRequest(
        request=get_dlq_message._get_kwargs(v.require_id(dlq_id, "DLQ id")), parse=_one(ApiDLQMessage, DLQMessage)
    )


def dlq_cancel_failure_callback(options: Options, dlq_id: str) -> SendRequest[None]:
    """Cancel the failure callback of a failed run while it is in progress.

    The callback is in progress after ``retry_failure_function``.

    Args:
        dlq_id: the run's DLQ id (``dlq_id`` of its `DLQMessage`).

    Returns:
        None.

    Raises:
        InvalidArgumentTypeError: ``dlq_id`` is not a str, before any request.
        InvalidArgumentError: ``dlq_id`` is empty, before any request.
        APIStatusError: the server answered an error status (after the client's retries): a
            subclass such as `BadRequestError` (no callback in progress), `AuthenticationError`, `RateLimitError`
            or `ServerError`.
        APIConnectionError: no HTTP response after the client's retries (`APITimeoutError` included).
        ClientClosedError: the client is closed, or was closed during the call.

    Warns:
        ResponseShapeWarning: a 2xx answer with a field that cannot be read. The server has acted,
            so the call does not raise: the field is None and its raw value is kept in ``extra``.
    """
    from upstash_workflow_api.api.dlq import cancel_failure_function

    # Upstash's spec gives 302 for success here (never followed: the clients follow no redirect).
    return SendRequest(
        request=cancel_failure_function._get_kwargs(v.require_id(dlq_id, "DLQ id")),
        parse=_no_content,
        also_success=frozenset({302}),
    )


# -------------------------------------------------------------------------------------- signing keys


def _signing_keys(data: Any) -> SigningKeys:
    """The generated model calls the field ``next_`` (it would shadow a builtin); ours is ``next``."""
    from upstash_workflow_api.models import SigningKeys as ApiSigningKeys

    # Through the contract (type-checked; `next_` is shown as `next`; a missing key is a shape error).
    return _one(ApiSigningKeys, SigningKeys)(data)


def signing_keys_get(options: Options) -> SendRequest[SigningKeys]:
    """The current and next signing keys (to verify the deliveries to your workflow endpoint).

    Returns:
        The `SigningKeys` (``current`` and ``next``).

    Raises:
        APIStatusError: the server answered an error status (after the client's retries): a
            subclass such as `AuthenticationError`, `NotFoundError`, `RateLimitError` or `ServerError`.
        APIConnectionError: no HTTP response after the client's retries (`APITimeoutError` included).
        APIResponseValidationError: a 2xx response whose body is not what the API documents.
        ClientClosedError: the client is closed, or was closed during the call.
    """
    from upstash_workflow_api.api.keys import get_signing_keys

    return SendRequest(request=get_signing_keys._get_kwargs(), parse=_signing_keys)


def signing_keys_rotate(options: Options) -> SendRequest[SigningKeys]:
    """Rotate: the next key becomes the current one and a new next key is made.

    Never retried: a repeated rotation would drop the key your endpoints were just given.

    Returns:
        The new `SigningKeys` (``current`` and ``next``).

    Raises:
        APIStatusError: the server answered an error status (after the client's retries): a
            subclass such as `AuthenticationError`, `NotFoundError`, `RateLimitError` or `ServerError`.
        APIConnectionError: no HTTP response after the client's retries (`APITimeoutError` included).
        ClientClosedError: the client is closed, or was closed during the call.

    Warns:
        ResponseShapeWarning: a 2xx answer with a field that cannot be read. The server has acted,
            so the call does not raise: the field is None and its raw value is kept in ``extra``.
    """
    from upstash_workflow_api.api.keys import rotate_signing_keys

    return SendRequest(request=rotate_signing_keys._get_kwargs(), parse=_signing_keys, idempotent=False)
