from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.batch_message import BatchMessage
from ...models.batch_result import BatchResult
from ...models.error_body import ErrorBody
from ...types import Response


def _get_kwargs(
    *,
    body: list[BatchMessage],
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v2/batch",
    }

    _kwargs["json"] = []
    for body_item_data in body:
        body_item = body_item_data.to_dict()
        _kwargs["json"].append(body_item)

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | list[BatchResult] | None:
    if response.status_code == 200:
        response_200 = []
        _response_200 = response.json()
        for response_200_item_data in _response_200:
            response_200_item = BatchResult.from_dict(response_200_item_data)

            response_200.append(response_200_item)

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
) -> Response[ErrorBody | list[BatchResult]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: list[BatchMessage],
) -> Response[ErrorBody | list[BatchResult]]:
    """Start one or more workflow runs

     Publishes one message per workflow run. Every message carries the workflow headers
    (`upstash-workflow-init: true`, `upstash-workflow-runid: wfr_…`, `upstash-workflow-url`, …).
    The TS client sends a batch even for a single run.

    Args:
        body (list[BatchMessage]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | list[BatchResult]]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient | Client,
    body: list[BatchMessage],
) -> ErrorBody | list[BatchResult] | None:
    """Start one or more workflow runs

     Publishes one message per workflow run. Every message carries the workflow headers
    (`upstash-workflow-init: true`, `upstash-workflow-runid: wfr_…`, `upstash-workflow-url`, …).
    The TS client sends a batch even for a single run.

    Args:
        body (list[BatchMessage]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | list[BatchResult]
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient | Client,
    body: list[BatchMessage],
) -> Response[ErrorBody | list[BatchResult]]:
    """Start one or more workflow runs

     Publishes one message per workflow run. Every message carries the workflow headers
    (`upstash-workflow-init: true`, `upstash-workflow-runid: wfr_…`, `upstash-workflow-url`, …).
    The TS client sends a batch even for a single run.

    Args:
        body (list[BatchMessage]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | list[BatchResult]]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient | Client,
    body: list[BatchMessage],
) -> ErrorBody | list[BatchResult] | None:
    """Start one or more workflow runs

     Publishes one message per workflow run. Every message carries the workflow headers
    (`upstash-workflow-init: true`, `upstash-workflow-runid: wfr_…`, `upstash-workflow-url`, …).
    The TS client sends a batch even for a single run.

    Args:
        body (list[BatchMessage]):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | list[BatchResult]
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
