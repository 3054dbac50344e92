from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.get_run_logs_group_by import (
    GetRunLogsGroupBy,
)
from ...models.workflow_run_logs import WorkflowRunLogs
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    group_by: GetRunLogsGroupBy,
    workflow_run_id: str | Unset = UNSET,
    state: str | Unset = UNSET,
    workflow_url: list[str] | Unset = UNSET,
    workflow_created_at: int | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    cursor: str | Unset = UNSET,
    count: int | Unset = UNSET,
    from_date: int | Unset = UNSET,
    to_date: int | Unset = UNSET,
    caller_ip: list[str] | Unset = UNSET,
    flow_control_key: list[str] | Unset = UNSET,
    host: str | Unset = UNSET,
    path: str | Unset = UNSET,
    message_id: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_group_by: str = group_by
    params["groupBy"] = json_group_by

    params["workflowRunId"] = workflow_run_id

    params["state"] = state

    json_workflow_url: list[str] | Unset = UNSET
    if not isinstance(workflow_url, Unset):
        json_workflow_url = workflow_url

    params["workflowUrl"] = json_workflow_url

    params["workflowCreatedAt"] = workflow_created_at

    json_label: list[str] | Unset = UNSET
    if not isinstance(label, Unset):
        json_label = label

    params["label"] = json_label

    params["cursor"] = cursor

    params["count"] = count

    params["fromDate"] = from_date

    params["toDate"] = to_date

    json_caller_ip: list[str] | Unset = UNSET
    if not isinstance(caller_ip, Unset):
        json_caller_ip = caller_ip

    params["callerIp"] = json_caller_ip

    json_flow_control_key: list[str] | Unset = UNSET
    if not isinstance(flow_control_key, Unset):
        json_flow_control_key = flow_control_key

    params["flowControlKey"] = json_flow_control_key

    params["host"] = host

    params["path"] = path

    params["messageId"] = message_id

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v2/workflows/events",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | WorkflowRunLogs | None:
    if response.status_code == 200:
        response_200 = WorkflowRunLogs.from_dict(response.json())

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
) -> Response[ErrorBody | WorkflowRunLogs]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    group_by: GetRunLogsGroupBy,
    workflow_run_id: str | Unset = UNSET,
    state: str | Unset = UNSET,
    workflow_url: list[str] | Unset = UNSET,
    workflow_created_at: int | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    cursor: str | Unset = UNSET,
    count: int | Unset = UNSET,
    from_date: int | Unset = UNSET,
    to_date: int | Unset = UNSET,
    caller_ip: list[str] | Unset = UNSET,
    flow_control_key: list[str] | Unset = UNSET,
    host: str | Unset = UNSET,
    path: str | Unset = UNSET,
    message_id: str | Unset = UNSET,
) -> Response[ErrorBody | WorkflowRunLogs]:
    """List workflow runs with their steps

     One page of run logs, newest first. Pass the returned `cursor` to get the next page; an empty or
    missing cursor means there are no more pages.

    Args:
        group_by (GetRunLogsGroupBy):
        workflow_run_id (str | Unset):
        state (str | Unset):
        workflow_url (list[str] | Unset):
        workflow_created_at (int | Unset):
        label (list[str] | Unset):
        cursor (str | Unset):
        count (int | Unset):
        from_date (int | Unset):
        to_date (int | Unset):
        caller_ip (list[str] | Unset):
        flow_control_key (list[str] | Unset):
        host (str | Unset):
        path (str | Unset):
        message_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | WorkflowRunLogs]
    """

    kwargs = _get_kwargs(
        group_by=group_by,
        workflow_run_id=workflow_run_id,
        state=state,
        workflow_url=workflow_url,
        workflow_created_at=workflow_created_at,
        label=label,
        cursor=cursor,
        count=count,
        from_date=from_date,
        to_date=to_date,
        caller_ip=caller_ip,
        flow_control_key=flow_control_key,
        host=host,
        path=path,
        message_id=message_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    group_by: GetRunLogsGroupBy,
    workflow_run_id: str | Unset = UNSET,
    state: str | Unset = UNSET,
    workflow_url: list[str] | Unset = UNSET,
    workflow_created_at: int | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    cursor: str | Unset = UNSET,
    count: int | Unset = UNSET,
    from_date: int | Unset = UNSET,
    to_date: int | Unset = UNSET,
    caller_ip: list[str] | Unset = UNSET,
    flow_control_key: list[str] | Unset = UNSET,
    host: str | Unset = UNSET,
    path: str | Unset = UNSET,
    message_id: str | Unset = UNSET,
) -> ErrorBody | WorkflowRunLogs | None:
    """List workflow runs with their steps

     One page of run logs, newest first. Pass the returned `cursor` to get the next page; an empty or
    missing cursor means there are no more pages.

    Args:
        group_by (GetRunLogsGroupBy):
        workflow_run_id (str | Unset):
        state (str | Unset):
        workflow_url (list[str] | Unset):
        workflow_created_at (int | Unset):
        label (list[str] | Unset):
        cursor (str | Unset):
        count (int | Unset):
        from_date (int | Unset):
        to_date (int | Unset):
        caller_ip (list[str] | Unset):
        flow_control_key (list[str] | Unset):
        host (str | Unset):
        path (str | Unset):
        message_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | WorkflowRunLogs
    """

    return sync_detailed(
        client=client,
        group_by=group_by,
        workflow_run_id=workflow_run_id,
        state=state,
        workflow_url=workflow_url,
        workflow_created_at=workflow_created_at,
        label=label,
        cursor=cursor,
        count=count,
        from_date=from_date,
        to_date=to_date,
        caller_ip=caller_ip,
        flow_control_key=flow_control_key,
        host=host,
        path=path,
        message_id=message_id,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    group_by: GetRunLogsGroupBy,
    workflow_run_id: str | Unset = UNSET,
    state: str | Unset = UNSET,
    workflow_url: list[str] | Unset = UNSET,
    workflow_created_at: int | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    cursor: str | Unset = UNSET,
    count: int | Unset = UNSET,
    from_date: int | Unset = UNSET,
    to_date: int | Unset = UNSET,
    caller_ip: list[str] | Unset = UNSET,
    flow_control_key: list[str] | Unset = UNSET,
    host: str | Unset = UNSET,
    path: str | Unset = UNSET,
    message_id: str | Unset = UNSET,
) -> Response[ErrorBody | WorkflowRunLogs]:
    """List workflow runs with their steps

     One page of run logs, newest first. Pass the returned `cursor` to get the next page; an empty or
    missing cursor means there are no more pages.

    Args:
        group_by (GetRunLogsGroupBy):
        workflow_run_id (str | Unset):
        state (str | Unset):
        workflow_url (list[str] | Unset):
        workflow_created_at (int | Unset):
        label (list[str] | Unset):
        cursor (str | Unset):
        count (int | Unset):
        from_date (int | Unset):
        to_date (int | Unset):
        caller_ip (list[str] | Unset):
        flow_control_key (list[str] | Unset):
        host (str | Unset):
        path (str | Unset):
        message_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | WorkflowRunLogs]
    """

    kwargs = _get_kwargs(
        group_by=group_by,
        workflow_run_id=workflow_run_id,
        state=state,
        workflow_url=workflow_url,
        workflow_created_at=workflow_created_at,
        label=label,
        cursor=cursor,
        count=count,
        from_date=from_date,
        to_date=to_date,
        caller_ip=caller_ip,
        flow_control_key=flow_control_key,
        host=host,
        path=path,
        message_id=message_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    group_by: GetRunLogsGroupBy,
    workflow_run_id: str | Unset = UNSET,
    state: str | Unset = UNSET,
    workflow_url: list[str] | Unset = UNSET,
    workflow_created_at: int | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    cursor: str | Unset = UNSET,
    count: int | Unset = UNSET,
    from_date: int | Unset = UNSET,
    to_date: int | Unset = UNSET,
    caller_ip: list[str] | Unset = UNSET,
    flow_control_key: list[str] | Unset = UNSET,
    host: str | Unset = UNSET,
    path: str | Unset = UNSET,
    message_id: str | Unset = UNSET,
) -> ErrorBody | WorkflowRunLogs | None:
    """List workflow runs with their steps

     One page of run logs, newest first. Pass the returned `cursor` to get the next page; an empty or
    missing cursor means there are no more pages.

    Args:
        group_by (GetRunLogsGroupBy):
        workflow_run_id (str | Unset):
        state (str | Unset):
        workflow_url (list[str] | Unset):
        workflow_created_at (int | Unset):
        label (list[str] | Unset):
        cursor (str | Unset):
        count (int | Unset):
        from_date (int | Unset):
        to_date (int | Unset):
        caller_ip (list[str] | Unset):
        flow_control_key (list[str] | Unset):
        host (str | Unset):
        path (str | Unset):
        message_id (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | WorkflowRunLogs
    """

    return (
        await asyncio_detailed(
            client=client,
            group_by=group_by,
            workflow_run_id=workflow_run_id,
            state=state,
            workflow_url=workflow_url,
            workflow_created_at=workflow_created_at,
            label=label,
            cursor=cursor,
            count=count,
            from_date=from_date,
            to_date=to_date,
            caller_ip=caller_ip,
            flow_control_key=flow_control_key,
            host=host,
            path=path,
            message_id=message_id,
        )
    ).parsed
