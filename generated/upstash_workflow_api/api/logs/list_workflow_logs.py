from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.workflow_run_logs import WorkflowRunLogs
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    cursor: str | Unset = UNSET,
    workflow_url: str | Unset = UNSET,
    workflow_run_id: str | Unset = UNSET,
    workflow_created_at: int | Unset = UNSET,
    workflow_runs: str | Unset = UNSET,
    state: str | Unset = UNSET,
    from_date: int | Unset = UNSET,
    to_date: int | Unset = UNSET,
    count: int | Unset = UNSET,
    trim_body: int | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    flow_control_key: str | Unset = UNSET,
    caller_ip: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["cursor"] = cursor

    params["workflowUrl"] = workflow_url

    params["workflowRunId"] = workflow_run_id

    params["workflowCreatedAt"] = workflow_created_at

    params["workflowRuns"] = workflow_runs

    params["state"] = state

    params["fromDate"] = from_date

    params["toDate"] = to_date

    params["count"] = count

    params["trimBody"] = trim_body

    json_label: list[str] | Unset = UNSET
    if not isinstance(label, Unset):
        json_label = label

    params["label"] = json_label

    params["flowControlKey"] = flow_control_key

    params["callerIp"] = caller_ip

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v2/workflows/logs",
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
    cursor: str | Unset = UNSET,
    workflow_url: str | Unset = UNSET,
    workflow_run_id: str | Unset = UNSET,
    workflow_created_at: int | Unset = UNSET,
    workflow_runs: str | Unset = UNSET,
    state: str | Unset = UNSET,
    from_date: int | Unset = UNSET,
    to_date: int | Unset = UNSET,
    count: int | Unset = UNSET,
    trim_body: int | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    flow_control_key: str | Unset = UNSET,
    caller_ip: str | Unset = UNSET,
) -> Response[ErrorBody | WorkflowRunLogs]:
    """List workflow runs with their steps (official path)

     The same pages as `/v2/workflows/events`, without `groupBy`.

    Args:
        cursor (str | Unset):
        workflow_url (str | Unset):
        workflow_run_id (str | Unset):
        workflow_created_at (int | Unset):
        workflow_runs (str | Unset):
        state (str | Unset):
        from_date (int | Unset):
        to_date (int | Unset):
        count (int | Unset):
        trim_body (int | Unset):
        label (list[str] | Unset):
        flow_control_key (str | Unset):
        caller_ip (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | WorkflowRunLogs]
    """

    kwargs = _get_kwargs(
        cursor=cursor,
        workflow_url=workflow_url,
        workflow_run_id=workflow_run_id,
        workflow_created_at=workflow_created_at,
        workflow_runs=workflow_runs,
        state=state,
        from_date=from_date,
        to_date=to_date,
        count=count,
        trim_body=trim_body,
        label=label,
        flow_control_key=flow_control_key,
        caller_ip=caller_ip,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    cursor: str | Unset = UNSET,
    workflow_url: str | Unset = UNSET,
    workflow_run_id: str | Unset = UNSET,
    workflow_created_at: int | Unset = UNSET,
    workflow_runs: str | Unset = UNSET,
    state: str | Unset = UNSET,
    from_date: int | Unset = UNSET,
    to_date: int | Unset = UNSET,
    count: int | Unset = UNSET,
    trim_body: int | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    flow_control_key: str | Unset = UNSET,
    caller_ip: str | Unset = UNSET,
) -> ErrorBody | WorkflowRunLogs | None:
    """List workflow runs with their steps (official path)

     The same pages as `/v2/workflows/events`, without `groupBy`.

    Args:
        cursor (str | Unset):
        workflow_url (str | Unset):
        workflow_run_id (str | Unset):
        workflow_created_at (int | Unset):
        workflow_runs (str | Unset):
        state (str | Unset):
        from_date (int | Unset):
        to_date (int | Unset):
        count (int | Unset):
        trim_body (int | Unset):
        label (list[str] | Unset):
        flow_control_key (str | Unset):
        caller_ip (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | WorkflowRunLogs
    """

    return sync_detailed(
        client=client,
        cursor=cursor,
        workflow_url=workflow_url,
        workflow_run_id=workflow_run_id,
        workflow_created_at=workflow_created_at,
        workflow_runs=workflow_runs,
        state=state,
        from_date=from_date,
        to_date=to_date,
        count=count,
        trim_body=trim_body,
        label=label,
        flow_control_key=flow_control_key,
        caller_ip=caller_ip,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    cursor: str | Unset = UNSET,
    workflow_url: str | Unset = UNSET,
    workflow_run_id: str | Unset = UNSET,
    workflow_created_at: int | Unset = UNSET,
    workflow_runs: str | Unset = UNSET,
    state: str | Unset = UNSET,
    from_date: int | Unset = UNSET,
    to_date: int | Unset = UNSET,
    count: int | Unset = UNSET,
    trim_body: int | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    flow_control_key: str | Unset = UNSET,
    caller_ip: str | Unset = UNSET,
) -> Response[ErrorBody | WorkflowRunLogs]:
    """List workflow runs with their steps (official path)

     The same pages as `/v2/workflows/events`, without `groupBy`.

    Args:
        cursor (str | Unset):
        workflow_url (str | Unset):
        workflow_run_id (str | Unset):
        workflow_created_at (int | Unset):
        workflow_runs (str | Unset):
        state (str | Unset):
        from_date (int | Unset):
        to_date (int | Unset):
        count (int | Unset):
        trim_body (int | Unset):
        label (list[str] | Unset):
        flow_control_key (str | Unset):
        caller_ip (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | WorkflowRunLogs]
    """

    kwargs = _get_kwargs(
        cursor=cursor,
        workflow_url=workflow_url,
        workflow_run_id=workflow_run_id,
        workflow_created_at=workflow_created_at,
        workflow_runs=workflow_runs,
        state=state,
        from_date=from_date,
        to_date=to_date,
        count=count,
        trim_body=trim_body,
        label=label,
        flow_control_key=flow_control_key,
        caller_ip=caller_ip,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    cursor: str | Unset = UNSET,
    workflow_url: str | Unset = UNSET,
    workflow_run_id: str | Unset = UNSET,
    workflow_created_at: int | Unset = UNSET,
    workflow_runs: str | Unset = UNSET,
    state: str | Unset = UNSET,
    from_date: int | Unset = UNSET,
    to_date: int | Unset = UNSET,
    count: int | Unset = UNSET,
    trim_body: int | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    flow_control_key: str | Unset = UNSET,
    caller_ip: str | Unset = UNSET,
) -> ErrorBody | WorkflowRunLogs | None:
    """List workflow runs with their steps (official path)

     The same pages as `/v2/workflows/events`, without `groupBy`.

    Args:
        cursor (str | Unset):
        workflow_url (str | Unset):
        workflow_run_id (str | Unset):
        workflow_created_at (int | Unset):
        workflow_runs (str | Unset):
        state (str | Unset):
        from_date (int | Unset):
        to_date (int | Unset):
        count (int | Unset):
        trim_body (int | Unset):
        label (list[str] | Unset):
        flow_control_key (str | Unset):
        caller_ip (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | WorkflowRunLogs
    """

    return (
        await asyncio_detailed(
            client=client,
            cursor=cursor,
            workflow_url=workflow_url,
            workflow_run_id=workflow_run_id,
            workflow_created_at=workflow_created_at,
            workflow_runs=workflow_runs,
            state=state,
            from_date=from_date,
            to_date=to_date,
            count=count,
            trim_body=trim_body,
            label=label,
            flow_control_key=flow_control_key,
            caller_ip=caller_ip,
        )
    ).parsed
