from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.dlq_list_result import DLQListResult
from ...models.error_body import ErrorBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    cursor: str | Unset = UNSET,
    count: int | Unset = UNSET,
    from_date: int | Unset = UNSET,
    to_date: int | Unset = UNSET,
    workflow_url: list[str] | Unset = UNSET,
    workflow_run_id: str | Unset = UNSET,
    workflow_created_at: int | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    failure_function_state: list[str] | Unset = UNSET,
    caller_ip: list[str] | Unset = UNSET,
    flow_control_key: list[str] | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["cursor"] = cursor

    params["count"] = count

    params["fromDate"] = from_date

    params["toDate"] = to_date

    json_workflow_url: list[str] | Unset = UNSET
    if not isinstance(workflow_url, Unset):
        json_workflow_url = workflow_url

    params["workflowUrl"] = json_workflow_url

    params["workflowRunId"] = workflow_run_id

    params["workflowCreatedAt"] = workflow_created_at

    json_label: list[str] | Unset = UNSET
    if not isinstance(label, Unset):
        json_label = label

    params["label"] = json_label

    json_failure_function_state: list[str] | Unset = UNSET
    if not isinstance(failure_function_state, Unset):
        json_failure_function_state = failure_function_state

    params["failureFunctionState"] = json_failure_function_state

    json_caller_ip: list[str] | Unset = UNSET
    if not isinstance(caller_ip, Unset):
        json_caller_ip = caller_ip

    params["callerIp"] = json_caller_ip

    json_flow_control_key: list[str] | Unset = UNSET
    if not isinstance(flow_control_key, Unset):
        json_flow_control_key = flow_control_key

    params["flowControlKey"] = json_flow_control_key

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v2/workflows/dlq",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DLQListResult | ErrorBody | None:
    if response.status_code == 200:
        response_200 = DLQListResult.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorBody.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorBody.from_dict(response.json())

        return response_401

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
) -> Response[DLQListResult | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    cursor: str | Unset = UNSET,
    count: int | Unset = UNSET,
    from_date: int | Unset = UNSET,
    to_date: int | Unset = UNSET,
    workflow_url: list[str] | Unset = UNSET,
    workflow_run_id: str | Unset = UNSET,
    workflow_created_at: int | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    failure_function_state: list[str] | Unset = UNSET,
    caller_ip: list[str] | Unset = UNSET,
    flow_control_key: list[str] | Unset = UNSET,
) -> Response[DLQListResult | ErrorBody]:
    """List failed workflow runs in the DLQ (official path)

     The same pages as `/v2/dlq?source=workflow`.

    Args:
        cursor (str | Unset):
        count (int | Unset):
        from_date (int | Unset):
        to_date (int | Unset):
        workflow_url (list[str] | Unset):
        workflow_run_id (str | Unset):
        workflow_created_at (int | Unset):
        label (list[str] | Unset):
        failure_function_state (list[str] | Unset):
        caller_ip (list[str] | Unset):
        flow_control_key (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DLQListResult | ErrorBody]
    """

    kwargs = _get_kwargs(
        cursor=cursor,
        count=count,
        from_date=from_date,
        to_date=to_date,
        workflow_url=workflow_url,
        workflow_run_id=workflow_run_id,
        workflow_created_at=workflow_created_at,
        label=label,
        failure_function_state=failure_function_state,
        caller_ip=caller_ip,
        flow_control_key=flow_control_key,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    cursor: str | Unset = UNSET,
    count: int | Unset = UNSET,
    from_date: int | Unset = UNSET,
    to_date: int | Unset = UNSET,
    workflow_url: list[str] | Unset = UNSET,
    workflow_run_id: str | Unset = UNSET,
    workflow_created_at: int | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    failure_function_state: list[str] | Unset = UNSET,
    caller_ip: list[str] | Unset = UNSET,
    flow_control_key: list[str] | Unset = UNSET,
) -> DLQListResult | ErrorBody | None:
    """List failed workflow runs in the DLQ (official path)

     The same pages as `/v2/dlq?source=workflow`.

    Args:
        cursor (str | Unset):
        count (int | Unset):
        from_date (int | Unset):
        to_date (int | Unset):
        workflow_url (list[str] | Unset):
        workflow_run_id (str | Unset):
        workflow_created_at (int | Unset):
        label (list[str] | Unset):
        failure_function_state (list[str] | Unset):
        caller_ip (list[str] | Unset):
        flow_control_key (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DLQListResult | ErrorBody
    """

    return sync_detailed(
        client=client,
        cursor=cursor,
        count=count,
        from_date=from_date,
        to_date=to_date,
        workflow_url=workflow_url,
        workflow_run_id=workflow_run_id,
        workflow_created_at=workflow_created_at,
        label=label,
        failure_function_state=failure_function_state,
        caller_ip=caller_ip,
        flow_control_key=flow_control_key,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    cursor: str | Unset = UNSET,
    count: int | Unset = UNSET,
    from_date: int | Unset = UNSET,
    to_date: int | Unset = UNSET,
    workflow_url: list[str] | Unset = UNSET,
    workflow_run_id: str | Unset = UNSET,
    workflow_created_at: int | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    failure_function_state: list[str] | Unset = UNSET,
    caller_ip: list[str] | Unset = UNSET,
    flow_control_key: list[str] | Unset = UNSET,
) -> Response[DLQListResult | ErrorBody]:
    """List failed workflow runs in the DLQ (official path)

     The same pages as `/v2/dlq?source=workflow`.

    Args:
        cursor (str | Unset):
        count (int | Unset):
        from_date (int | Unset):
        to_date (int | Unset):
        workflow_url (list[str] | Unset):
        workflow_run_id (str | Unset):
        workflow_created_at (int | Unset):
        label (list[str] | Unset):
        failure_function_state (list[str] | Unset):
        caller_ip (list[str] | Unset):
        flow_control_key (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DLQListResult | ErrorBody]
    """

    kwargs = _get_kwargs(
        cursor=cursor,
        count=count,
        from_date=from_date,
        to_date=to_date,
        workflow_url=workflow_url,
        workflow_run_id=workflow_run_id,
        workflow_created_at=workflow_created_at,
        label=label,
        failure_function_state=failure_function_state,
        caller_ip=caller_ip,
        flow_control_key=flow_control_key,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    cursor: str | Unset = UNSET,
    count: int | Unset = UNSET,
    from_date: int | Unset = UNSET,
    to_date: int | Unset = UNSET,
    workflow_url: list[str] | Unset = UNSET,
    workflow_run_id: str | Unset = UNSET,
    workflow_created_at: int | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    failure_function_state: list[str] | Unset = UNSET,
    caller_ip: list[str] | Unset = UNSET,
    flow_control_key: list[str] | Unset = UNSET,
) -> DLQListResult | ErrorBody | None:
    """List failed workflow runs in the DLQ (official path)

     The same pages as `/v2/dlq?source=workflow`.

    Args:
        cursor (str | Unset):
        count (int | Unset):
        from_date (int | Unset):
        to_date (int | Unset):
        workflow_url (list[str] | Unset):
        workflow_run_id (str | Unset):
        workflow_created_at (int | Unset):
        label (list[str] | Unset):
        failure_function_state (list[str] | Unset):
        caller_ip (list[str] | Unset):
        flow_control_key (list[str] | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DLQListResult | ErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            cursor=cursor,
            count=count,
            from_date=from_date,
            to_date=to_date,
            workflow_url=workflow_url,
            workflow_run_id=workflow_run_id,
            workflow_created_at=workflow_created_at,
            label=label,
            failure_function_state=failure_function_state,
            caller_ip=caller_ip,
            flow_control_key=flow_control_key,
        )
    ).parsed
