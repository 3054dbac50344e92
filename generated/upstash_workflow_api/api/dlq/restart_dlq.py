from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.dlq_action_result import DLQActionResult
from ...models.error_body import ErrorBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    dlq_ids: list[str] | Unset = UNSET,
    from_date: int | Unset = UNSET,
    to_date: int | Unset = UNSET,
    caller_ip: list[str] | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    flow_control_key: list[str] | Unset = UNSET,
    workflow_url: list[str] | Unset = UNSET,
    workflow_run_id: str | Unset = UNSET,
    workflow_created_at: int | Unset = UNSET,
    failure_function_state: str | Unset = UNSET,
    count: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    upstash_flow_control_key: str | Unset = UNSET,
    upstash_flow_control_value: str | Unset = UNSET,
    upstash_retries: int | Unset = UNSET,
    upstash_delay: str | Unset = UNSET,
    upstash_retry_delay: str | Unset = UNSET,
    upstash_label: str | Unset = UNSET,
    upstash_failure_callback: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(upstash_flow_control_key, Unset):
        headers["Upstash-Flow-Control-Key"] = upstash_flow_control_key

    if not isinstance(upstash_flow_control_value, Unset):
        headers["Upstash-Flow-Control-Value"] = upstash_flow_control_value

    if not isinstance(upstash_retries, Unset):
        headers["Upstash-Retries"] = str(upstash_retries)

    if not isinstance(upstash_delay, Unset):
        headers["Upstash-Delay"] = upstash_delay

    if not isinstance(upstash_retry_delay, Unset):
        headers["Upstash-Retry-Delay"] = upstash_retry_delay

    if not isinstance(upstash_label, Unset):
        headers["Upstash-Label"] = upstash_label

    if not isinstance(upstash_failure_callback, Unset):
        headers["Upstash-Failure-Callback"] = upstash_failure_callback

    params: dict[str, Any] = {}

    json_dlq_ids: list[str] | Unset = UNSET
    if not isinstance(dlq_ids, Unset):
        json_dlq_ids = dlq_ids

    params["dlqIds"] = json_dlq_ids

    params["fromDate"] = from_date

    params["toDate"] = to_date

    json_caller_ip: list[str] | Unset = UNSET
    if not isinstance(caller_ip, Unset):
        json_caller_ip = caller_ip

    params["callerIp"] = json_caller_ip

    json_label: list[str] | Unset = UNSET
    if not isinstance(label, Unset):
        json_label = label

    params["label"] = json_label

    json_flow_control_key: list[str] | Unset = UNSET
    if not isinstance(flow_control_key, Unset):
        json_flow_control_key = flow_control_key

    params["flowControlKey"] = json_flow_control_key

    json_workflow_url: list[str] | Unset = UNSET
    if not isinstance(workflow_url, Unset):
        json_workflow_url = workflow_url

    params["workflowUrl"] = json_workflow_url

    params["workflowRunId"] = workflow_run_id

    params["workflowCreatedAt"] = workflow_created_at

    params["failureFunctionState"] = failure_function_state

    params["count"] = count

    params["cursor"] = cursor

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v2/workflows/dlq/restart",
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DLQActionResult | ErrorBody | None:
    if response.status_code == 200:
        response_200 = DLQActionResult.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = ErrorBody.from_dict(response.json())

        return response_404

    if response.status_code == 429:
        response_429 = ErrorBody.from_dict(response.json())

        return response_429

    if response.status_code == 500:
        response_500 = ErrorBody.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[DLQActionResult | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    dlq_ids: list[str] | Unset = UNSET,
    from_date: int | Unset = UNSET,
    to_date: int | Unset = UNSET,
    caller_ip: list[str] | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    flow_control_key: list[str] | Unset = UNSET,
    workflow_url: list[str] | Unset = UNSET,
    workflow_run_id: str | Unset = UNSET,
    workflow_created_at: int | Unset = UNSET,
    failure_function_state: str | Unset = UNSET,
    count: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    upstash_flow_control_key: str | Unset = UNSET,
    upstash_flow_control_value: str | Unset = UNSET,
    upstash_retries: int | Unset = UNSET,
    upstash_delay: str | Unset = UNSET,
    upstash_retry_delay: str | Unset = UNSET,
    upstash_label: str | Unset = UNSET,
    upstash_failure_callback: str | Unset = UNSET,
) -> Response[DLQActionResult | ErrorBody]:
    """Restart failed runs from the beginning

    Args:
        dlq_ids (list[str] | Unset):
        from_date (int | Unset):
        to_date (int | Unset):
        caller_ip (list[str] | Unset):
        label (list[str] | Unset):
        flow_control_key (list[str] | Unset):
        workflow_url (list[str] | Unset):
        workflow_run_id (str | Unset):
        workflow_created_at (int | Unset):
        failure_function_state (str | Unset):
        count (int | Unset):
        cursor (str | Unset):
        upstash_flow_control_key (str | Unset):
        upstash_flow_control_value (str | Unset):
        upstash_retries (int | Unset):
        upstash_delay (str | Unset):
        upstash_retry_delay (str | Unset):
        upstash_label (str | Unset):
        upstash_failure_callback (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DLQActionResult | ErrorBody]
    """

    kwargs = _get_kwargs(
        dlq_ids=dlq_ids,
        from_date=from_date,
        to_date=to_date,
        caller_ip=caller_ip,
        label=label,
        flow_control_key=flow_control_key,
        workflow_url=workflow_url,
        workflow_run_id=workflow_run_id,
        workflow_created_at=workflow_created_at,
        failure_function_state=failure_function_state,
        count=count,
        cursor=cursor,
        upstash_flow_control_key=upstash_flow_control_key,
        upstash_flow_control_value=upstash_flow_control_value,
        upstash_retries=upstash_retries,
        upstash_delay=upstash_delay,
        upstash_retry_delay=upstash_retry_delay,
        upstash_label=upstash_label,
        upstash_failure_callback=upstash_failure_callback,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    dlq_ids: list[str] | Unset = UNSET,
    from_date: int | Unset = UNSET,
    to_date: int | Unset = UNSET,
    caller_ip: list[str] | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    flow_control_key: list[str] | Unset = UNSET,
    workflow_url: list[str] | Unset = UNSET,
    workflow_run_id: str | Unset = UNSET,
    workflow_created_at: int | Unset = UNSET,
    failure_function_state: str | Unset = UNSET,
    count: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    upstash_flow_control_key: str | Unset = UNSET,
    upstash_flow_control_value: str | Unset = UNSET,
    upstash_retries: int | Unset = UNSET,
    upstash_delay: str | Unset = UNSET,
    upstash_retry_delay: str | Unset = UNSET,
    upstash_label: str | Unset = UNSET,
    upstash_failure_callback: str | Unset = UNSET,
) -> DLQActionResult | ErrorBody | None:
    """Restart failed runs from the beginning

    Args:
        dlq_ids (list[str] | Unset):
        from_date (int | Unset):
        to_date (int | Unset):
        caller_ip (list[str] | Unset):
        label (list[str] | Unset):
        flow_control_key (list[str] | Unset):
        workflow_url (list[str] | Unset):
        workflow_run_id (str | Unset):
        workflow_created_at (int | Unset):
        failure_function_state (str | Unset):
        count (int | Unset):
        cursor (str | Unset):
        upstash_flow_control_key (str | Unset):
        upstash_flow_control_value (str | Unset):
        upstash_retries (int | Unset):
        upstash_delay (str | Unset):
        upstash_retry_delay (str | Unset):
        upstash_label (str | Unset):
        upstash_failure_callback (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DLQActionResult | ErrorBody
    """

    return sync_detailed(
        client=client,
        dlq_ids=dlq_ids,
        from_date=from_date,
        to_date=to_date,
        caller_ip=caller_ip,
        label=label,
        flow_control_key=flow_control_key,
        workflow_url=workflow_url,
        workflow_run_id=workflow_run_id,
        workflow_created_at=workflow_created_at,
        failure_function_state=failure_function_state,
        count=count,
        cursor=cursor,
        upstash_flow_control_key=upstash_flow_control_key,
        upstash_flow_control_value=upstash_flow_control_value,
        upstash_retries=upstash_retries,
        upstash_delay=upstash_delay,
        upstash_retry_delay=upstash_retry_delay,
        upstash_label=upstash_label,
        upstash_failure_callback=upstash_failure_callback,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    dlq_ids: list[str] | Unset = UNSET,
    from_date: int | Unset = UNSET,
    to_date: int | Unset = UNSET,
    caller_ip: list[str] | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    flow_control_key: list[str] | Unset = UNSET,
    workflow_url: list[str] | Unset = UNSET,
    workflow_run_id: str | Unset = UNSET,
    workflow_created_at: int | Unset = UNSET,
    failure_function_state: str | Unset = UNSET,
    count: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    upstash_flow_control_key: str | Unset = UNSET,
    upstash_flow_control_value: str | Unset = UNSET,
    upstash_retries: int | Unset = UNSET,
    upstash_delay: str | Unset = UNSET,
    upstash_retry_delay: str | Unset = UNSET,
    upstash_label: str | Unset = UNSET,
    upstash_failure_callback: str | Unset = UNSET,
) -> Response[DLQActionResult | ErrorBody]:
    """Restart failed runs from the beginning

    Args:
        dlq_ids (list[str] | Unset):
        from_date (int | Unset):
        to_date (int | Unset):
        caller_ip (list[str] | Unset):
        label (list[str] | Unset):
        flow_control_key (list[str] | Unset):
        workflow_url (list[str] | Unset):
        workflow_run_id (str | Unset):
        workflow_created_at (int | Unset):
        failure_function_state (str | Unset):
        count (int | Unset):
        cursor (str | Unset):
        upstash_flow_control_key (str | Unset):
        upstash_flow_control_value (str | Unset):
        upstash_retries (int | Unset):
        upstash_delay (str | Unset):
        upstash_retry_delay (str | Unset):
        upstash_label (str | Unset):
        upstash_failure_callback (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DLQActionResult | ErrorBody]
    """

    kwargs = _get_kwargs(
        dlq_ids=dlq_ids,
        from_date=from_date,
        to_date=to_date,
        caller_ip=caller_ip,
        label=label,
        flow_control_key=flow_control_key,
        workflow_url=workflow_url,
        workflow_run_id=workflow_run_id,
        workflow_created_at=workflow_created_at,
        failure_function_state=failure_function_state,
        count=count,
        cursor=cursor,
        upstash_flow_control_key=upstash_flow_control_key,
        upstash_flow_control_value=upstash_flow_control_value,
        upstash_retries=upstash_retries,
        upstash_delay=upstash_delay,
        upstash_retry_delay=upstash_retry_delay,
        upstash_label=upstash_label,
        upstash_failure_callback=upstash_failure_callback,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    dlq_ids: list[str] | Unset = UNSET,
    from_date: int | Unset = UNSET,
    to_date: int | Unset = UNSET,
    caller_ip: list[str] | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    flow_control_key: list[str] | Unset = UNSET,
    workflow_url: list[str] | Unset = UNSET,
    workflow_run_id: str | Unset = UNSET,
    workflow_created_at: int | Unset = UNSET,
    failure_function_state: str | Unset = UNSET,
    count: int | Unset = UNSET,
    cursor: str | Unset = UNSET,
    upstash_flow_control_key: str | Unset = UNSET,
    upstash_flow_control_value: str | Unset = UNSET,
    upstash_retries: int | Unset = UNSET,
    upstash_delay: str | Unset = UNSET,
    upstash_retry_delay: str | Unset = UNSET,
    upstash_label: str | Unset = UNSET,
    upstash_failure_callback: str | Unset = UNSET,
) -> DLQActionResult | ErrorBody | None:
    """Restart failed runs from the beginning

    Args:
        dlq_ids (list[str] | Unset):
        from_date (int | Unset):
        to_date (int | Unset):
        caller_ip (list[str] | Unset):
        label (list[str] | Unset):
        flow_control_key (list[str] | Unset):
        workflow_url (list[str] | Unset):
        workflow_run_id (str | Unset):
        workflow_created_at (int | Unset):
        failure_function_state (str | Unset):
        count (int | Unset):
        cursor (str | Unset):
        upstash_flow_control_key (str | Unset):
        upstash_flow_control_value (str | Unset):
        upstash_retries (int | Unset):
        upstash_delay (str | Unset):
        upstash_retry_delay (str | Unset):
        upstash_label (str | Unset):
        upstash_failure_callback (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DLQActionResult | ErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            dlq_ids=dlq_ids,
            from_date=from_date,
            to_date=to_date,
            caller_ip=caller_ip,
            label=label,
            flow_control_key=flow_control_key,
            workflow_url=workflow_url,
            workflow_run_id=workflow_run_id,
            workflow_created_at=workflow_created_at,
            failure_function_state=failure_function_state,
            count=count,
            cursor=cursor,
            upstash_flow_control_key=upstash_flow_control_key,
            upstash_flow_control_value=upstash_flow_control_value,
            upstash_retries=upstash_retries,
            upstash_delay=upstash_delay,
            upstash_retry_delay=upstash_retry_delay,
            upstash_label=upstash_label,
            upstash_failure_callback=upstash_failure_callback,
        )
    ).parsed
