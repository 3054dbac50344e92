from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.cancel_result import CancelResult
from ...models.error_body import ErrorBody
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    workflow_run_ids: list[str] | Unset = UNSET,
    from_date: int | Unset = UNSET,
    to_date: int | Unset = UNSET,
    caller_ip: list[str] | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    flow_control_key: list[str] | Unset = UNSET,
    host: list[str] | Unset = UNSET,
    path: list[str] | Unset = UNSET,
    workflow_url: list[str] | Unset = UNSET,
    workflow_url_exact_match: bool | Unset = UNSET,
    count: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    json_workflow_run_ids: list[str] | Unset = UNSET
    if not isinstance(workflow_run_ids, Unset):
        json_workflow_run_ids = workflow_run_ids

    params["workflowRunIds"] = json_workflow_run_ids

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

    json_host: list[str] | Unset = UNSET
    if not isinstance(host, Unset):
        json_host = host

    params["host"] = json_host

    json_path: list[str] | Unset = UNSET
    if not isinstance(path, Unset):
        json_path = path

    params["path"] = json_path

    json_workflow_url: list[str] | Unset = UNSET
    if not isinstance(workflow_url, Unset):
        json_workflow_url = workflow_url

    params["workflowUrl"] = json_workflow_url

    params["workflowUrlExactMatch"] = workflow_url_exact_match

    params["count"] = count

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/v2/workflows/runs",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CancelResult | ErrorBody | None:
    if response.status_code == 200:
        response_200 = CancelResult.from_dict(response.json())

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
) -> Response[CancelResult | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    workflow_run_ids: list[str] | Unset = UNSET,
    from_date: int | Unset = UNSET,
    to_date: int | Unset = UNSET,
    caller_ip: list[str] | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    flow_control_key: list[str] | Unset = UNSET,
    host: list[str] | Unset = UNSET,
    path: list[str] | Unset = UNSET,
    workflow_url: list[str] | Unset = UNSET,
    workflow_url_exact_match: bool | Unset = UNSET,
    count: int | Unset = UNSET,
) -> Response[CancelResult | ErrorBody]:
    """Cancel workflow runs

     Cancels the runs named by `workflowRunIds`, or every run matching the filter fields, or (with
    only `count`) all runs. `workflowUrl` is a prefix match unless `workflowUrlExactMatch=true`.
    At most `count` runs are cancelled per call when a filter or "all" is used.

    Args:
        workflow_run_ids (list[str] | Unset):
        from_date (int | Unset):
        to_date (int | Unset):
        caller_ip (list[str] | Unset):
        label (list[str] | Unset):
        flow_control_key (list[str] | Unset):
        host (list[str] | Unset):
        path (list[str] | Unset):
        workflow_url (list[str] | Unset):
        workflow_url_exact_match (bool | Unset):
        count (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CancelResult | ErrorBody]
    """

    kwargs = _get_kwargs(
        workflow_run_ids=workflow_run_ids,
        from_date=from_date,
        to_date=to_date,
        caller_ip=caller_ip,
        label=label,
        flow_control_key=flow_control_key,
        host=host,
        path=path,
        workflow_url=workflow_url,
        workflow_url_exact_match=workflow_url_exact_match,
        count=count,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    workflow_run_ids: list[str] | Unset = UNSET,
    from_date: int | Unset = UNSET,
    to_date: int | Unset = UNSET,
    caller_ip: list[str] | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    flow_control_key: list[str] | Unset = UNSET,
    host: list[str] | Unset = UNSET,
    path: list[str] | Unset = UNSET,
    workflow_url: list[str] | Unset = UNSET,
    workflow_url_exact_match: bool | Unset = UNSET,
    count: int | Unset = UNSET,
) -> CancelResult | ErrorBody | None:
    """Cancel workflow runs

     Cancels the runs named by `workflowRunIds`, or every run matching the filter fields, or (with
    only `count`) all runs. `workflowUrl` is a prefix match unless `workflowUrlExactMatch=true`.
    At most `count` runs are cancelled per call when a filter or "all" is used.

    Args:
        workflow_run_ids (list[str] | Unset):
        from_date (int | Unset):
        to_date (int | Unset):
        caller_ip (list[str] | Unset):
        label (list[str] | Unset):
        flow_control_key (list[str] | Unset):
        host (list[str] | Unset):
        path (list[str] | Unset):
        workflow_url (list[str] | Unset):
        workflow_url_exact_match (bool | Unset):
        count (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CancelResult | ErrorBody
    """

    return sync_detailed(
        client=client,
        workflow_run_ids=workflow_run_ids,
        from_date=from_date,
        to_date=to_date,
        caller_ip=caller_ip,
        label=label,
        flow_control_key=flow_control_key,
        host=host,
        path=path,
        workflow_url=workflow_url,
        workflow_url_exact_match=workflow_url_exact_match,
        count=count,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    workflow_run_ids: list[str] | Unset = UNSET,
    from_date: int | Unset = UNSET,
    to_date: int | Unset = UNSET,
    caller_ip: list[str] | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    flow_control_key: list[str] | Unset = UNSET,
    host: list[str] | Unset = UNSET,
    path: list[str] | Unset = UNSET,
    workflow_url: list[str] | Unset = UNSET,
    workflow_url_exact_match: bool | Unset = UNSET,
    count: int | Unset = UNSET,
) -> Response[CancelResult | ErrorBody]:
    """Cancel workflow runs

     Cancels the runs named by `workflowRunIds`, or every run matching the filter fields, or (with
    only `count`) all runs. `workflowUrl` is a prefix match unless `workflowUrlExactMatch=true`.
    At most `count` runs are cancelled per call when a filter or "all" is used.

    Args:
        workflow_run_ids (list[str] | Unset):
        from_date (int | Unset):
        to_date (int | Unset):
        caller_ip (list[str] | Unset):
        label (list[str] | Unset):
        flow_control_key (list[str] | Unset):
        host (list[str] | Unset):
        path (list[str] | Unset):
        workflow_url (list[str] | Unset):
        workflow_url_exact_match (bool | Unset):
        count (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CancelResult | ErrorBody]
    """

    kwargs = _get_kwargs(
        workflow_run_ids=workflow_run_ids,
        from_date=from_date,
        to_date=to_date,
        caller_ip=caller_ip,
        label=label,
        flow_control_key=flow_control_key,
        host=host,
        path=path,
        workflow_url=workflow_url,
        workflow_url_exact_match=workflow_url_exact_match,
        count=count,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    workflow_run_ids: list[str] | Unset = UNSET,
    from_date: int | Unset = UNSET,
    to_date: int | Unset = UNSET,
    caller_ip: list[str] | Unset = UNSET,
    label: list[str] | Unset = UNSET,
    flow_control_key: list[str] | Unset = UNSET,
    host: list[str] | Unset = UNSET,
    path: list[str] | Unset = UNSET,
    workflow_url: list[str] | Unset = UNSET,
    workflow_url_exact_match: bool | Unset = UNSET,
    count: int | Unset = UNSET,
) -> CancelResult | ErrorBody | None:
    """Cancel workflow runs

     Cancels the runs named by `workflowRunIds`, or every run matching the filter fields, or (with
    only `count`) all runs. `workflowUrl` is a prefix match unless `workflowUrlExactMatch=true`.
    At most `count` runs are cancelled per call when a filter or "all" is used.

    Args:
        workflow_run_ids (list[str] | Unset):
        from_date (int | Unset):
        to_date (int | Unset):
        caller_ip (list[str] | Unset):
        label (list[str] | Unset):
        flow_control_key (list[str] | Unset):
        host (list[str] | Unset):
        path (list[str] | Unset):
        workflow_url (list[str] | Unset):
        workflow_url_exact_match (bool | Unset):
        count (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CancelResult | ErrorBody
    """

    return (
        await asyncio_detailed(
            client=client,
            workflow_run_ids=workflow_run_ids,
            from_date=from_date,
            to_date=to_date,
            caller_ip=caller_ip,
            label=label,
            flow_control_key=flow_control_key,
            host=host,
            path=path,
            workflow_url=workflow_url,
            workflow_url_exact_match=workflow_url_exact_match,
            count=count,
        )
    ).parsed
