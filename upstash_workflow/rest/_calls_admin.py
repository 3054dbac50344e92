"""Sans-I/O builders for the management operations of the REST API that the TS workflow client
does not have: flow-control keys and global parallelism (wire-identical to ``@upstash/qstash``
2.12.0's ``client.flowControl``), one DLQ message, and the signing keys. Same shape as `_calls`:
user arguments -> `Call`, sent by either client.

Keys and ids are percent-encoded as one path segment (the TS client joins them into the path
unchanged, so ``/``, ``?`` or ``..`` in a key would change the endpoint).
"""

from __future__ import annotations

from typing import Any

import attrs

from . import _validate as v
from ._call import SendRequest, ignore_body
from ._calls import _one
from ._errors import InvalidArgumentError
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
    """Every flow-control key with its wait list, limits, counts and flags; ``search`` keeps the
    keys whose name contains it."""
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
    """One flow-control key (``NotFoundError`` when the server has none by that name)."""
    from upstash_workflow_api.api.flow_control import get_flow_control_key

    return SendRequest(request=get_flow_control_key._get_kwargs(v.require_id(key, _KEY)), parse=_flow_control_info)


def flow_control_pause(options: Options, key: str) -> SendRequest[None]:
    """Hold every delivery of ``key``: its new messages wait in its wait list until ``resume``."""
    from upstash_workflow_api.api.flow_control import pause_flow_control_key

    return SendRequest(request=pause_flow_control_key._get_kwargs(v.require_id(key, _KEY)), parse=_no_content)


def flow_control_resume(options: Options, key: str) -> SendRequest[None]:
    """Deliver the messages of a paused ``key`` again."""
    from upstash_workflow_api.api.flow_control import resume_flow_control_key

    return SendRequest(request=resume_flow_control_key._get_kwargs(v.require_id(key, _KEY)), parse=_no_content)


def flow_control_pin(
    options: Options,
    key: str,
    *,
    parallelism: int | None = None,
    rate: int | None = None,
    period: int | None = None,
) -> SendRequest[None]:
    """Pin ``key``'s configuration: the ``parallelism``, ``rate`` per ``period`` (seconds) given
    here win over what incoming messages carry until ``unpin``. At least one of them; pinning
    resets the key's rate count and period."""
    from upstash_workflow_api.api.flow_control import pin_flow_control_key

    name = v.require_id(key, _KEY)
    values = {"parallelism": parallelism, "rate": rate, "period": period}
    params = {k: v.non_negative_int(val, k) for k, val in values.items() if val is not None}
    if not params:
        raise InvalidArgumentError("pin needs at least one of parallelism, rate or period")
    return SendRequest(request=pin_flow_control_key._get_kwargs(name, **params), parse=_no_content)


def flow_control_unpin(
    options: Options, key: str, *, parallelism: bool = False, rate: bool = False
) -> SendRequest[None]:
    """Unpin ``key``'s ``parallelism`` and/or ``rate`` (at least one): incoming messages set the
    configuration again. Only the flags that are True are sent (``parallelism=true``)."""
    from upstash_workflow_api.api.flow_control import unpin_flow_control_key

    name = v.require_id(key, _KEY)
    flags = {"parallelism": parallelism, "rate": rate}
    for flag, value in flags.items():
        if not isinstance(value, bool):
            raise v.InvalidArgumentTypeError(f"{flag} must be a bool, got {type(value).__name__}")
    params = {flag: True for flag, value in flags.items() if value}
    if not params:
        raise InvalidArgumentError("unpin needs parallelism=True, rate=True or both")
    return SendRequest(request=unpin_flow_control_key._get_kwargs(name, **params), parse=_no_content)


def flow_control_reset_rate(options: Options, key: str) -> SendRequest[None]:
    """Clear ``key``'s rate count: a new rate period starts now."""
    from upstash_workflow_api.api.flow_control import reset_flow_control_rate

    return SendRequest(request=reset_flow_control_rate._get_kwargs(v.require_id(key, _KEY)), parse=_no_content)


def global_parallelism(options: Options) -> SendRequest[GlobalParallelism]:
    """The account-wide parallelism limit and how many messages run now."""
    from upstash_workflow_api.api.flow_control import get_global_parallelism
    from upstash_workflow_api.models import GlobalParallelism as ApiGlobalParallelism

    return SendRequest(
        request=get_global_parallelism._get_kwargs(), parse=_one(ApiGlobalParallelism, GlobalParallelism)
    )


# ----------------------------------------------------------------------------------------------- dlq


def dlq_get(options: Options, dlq_id: str) -> SendRequest[DLQMessage]:
    """One failed run in the DLQ (``NotFoundError`` when there is none with this id)."""
    from upstash_workflow_api.api.dlq import get_dlq_message
    from upstash_workflow_api.models import DLQMessage as ApiDLQMessage

    return SendRequest(
        request=get_dlq_message._get_kwargs(v.require_id(dlq_id, "DLQ id")), parse=_one(ApiDLQMessage, DLQMessage)
    )


def dlq_cancel_failure_callback(options: Options, dlq_id: str) -> SendRequest[None]:
    """Cancel the failure callback of a failed run while it is in progress (after
    ``retry_failure_function``); ``BadRequestError`` when none is in progress."""
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
    """The current and next signing keys (to verify the deliveries to your workflow endpoint)."""
    from upstash_workflow_api.api.keys import get_signing_keys

    return SendRequest(request=get_signing_keys._get_kwargs(), parse=_signing_keys)


def signing_keys_rotate(options: Options) -> SendRequest[SigningKeys]:
    """Rotate: the next key becomes the current one and a new next key is made. Never retried:
    a repeated rotation would drop the key your endpoints were just given."""
    from upstash_workflow_api.api.keys import rotate_signing_keys

    return SendRequest(request=rotate_signing_keys._get_kwargs(), parse=_signing_keys, idempotent=False)
