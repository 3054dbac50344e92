from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.notify_response import NotifyResponse
from ...types import UNSET, File, Response, Unset


def _path_segment(value: Any) -> str:
    """One percent-encoded path segment. "." and ".." are encoded too: quote() leaves dots alone,
    and httpx would resolve such a segment and send the request to another endpoint."""
    text = str(value)
    return text.replace(".", "%2E") if text in (".", "..") else quote(text, safe="")


def _get_kwargs(
    workflow_run_id: str,
    event_id: str,
    *,
    body: File | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v2/notify/{workflow_run_id}/{event_id}".format(
            workflow_run_id=_path_segment(workflow_run_id),
            event_id=_path_segment(event_id),
        ),
    }

    if not isinstance(body, Unset):
        _kwargs["content"] = body.payload
    headers["Content-Type"] = "text/plain;charset=UTF-8"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | list[NotifyResponse] | NotifyResponse | None:
    if response.status_code == 200:

        def _parse_response_200(data: object) -> list[NotifyResponse] | NotifyResponse:
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                response_200_type_0 = NotifyResponse.from_dict(data)

                return response_200_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            if not isinstance(data, list):
                raise TypeError()
            response_200_type_1 = []
            _response_200_type_1 = data
            for response_200_type_1_item_data in _response_200_type_1:
                response_200_type_1_item = NotifyResponse.from_dict(
                    response_200_type_1_item_data
                )

                response_200_type_1.append(response_200_type_1_item)

            return response_200_type_1

        response_200 = _parse_response_200(response.json())

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
) -> Response[ErrorBody | list[NotifyResponse] | NotifyResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    workflow_run_id: str,
    event_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: File | Unset = UNSET,
) -> Response[ErrorBody | list[NotifyResponse] | NotifyResponse]:
    """Notify one run waiting for an event (with lookback)

     Like `/v2/notify/{eventId}` but targets one run; if the run has not started waiting yet, the
    event is kept and delivered when it does (lookback).

    Args:
        workflow_run_id (str):
        event_id (str):
        body (File | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | list[NotifyResponse] | NotifyResponse]
    """

    kwargs = _get_kwargs(
        workflow_run_id=workflow_run_id,
        event_id=event_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    workflow_run_id: str,
    event_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: File | Unset = UNSET,
) -> ErrorBody | list[NotifyResponse] | NotifyResponse | None:
    """Notify one run waiting for an event (with lookback)

     Like `/v2/notify/{eventId}` but targets one run; if the run has not started waiting yet, the
    event is kept and delivered when it does (lookback).

    Args:
        workflow_run_id (str):
        event_id (str):
        body (File | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | list[NotifyResponse] | NotifyResponse
    """

    return sync_detailed(
        workflow_run_id=workflow_run_id,
        event_id=event_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    workflow_run_id: str,
    event_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: File | Unset = UNSET,
) -> Response[ErrorBody | list[NotifyResponse] | NotifyResponse]:
    """Notify one run waiting for an event (with lookback)

     Like `/v2/notify/{eventId}` but targets one run; if the run has not started waiting yet, the
    event is kept and delivered when it does (lookback).

    Args:
        workflow_run_id (str):
        event_id (str):
        body (File | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | list[NotifyResponse] | NotifyResponse]
    """

    kwargs = _get_kwargs(
        workflow_run_id=workflow_run_id,
        event_id=event_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    workflow_run_id: str,
    event_id: str,
    *,
    client: AuthenticatedClient | Client,
    body: File | Unset = UNSET,
) -> ErrorBody | list[NotifyResponse] | NotifyResponse | None:
    """Notify one run waiting for an event (with lookback)

     Like `/v2/notify/{eventId}` but targets one run; if the run has not started waiting yet, the
    event is kept and delivered when it does (lookback).

    Args:
        workflow_run_id (str):
        event_id (str):
        body (File | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | list[NotifyResponse] | NotifyResponse
    """

    return (
        await asyncio_detailed(
            workflow_run_id=workflow_run_id,
            event_id=event_id,
            client=client,
            body=body,
        )
    ).parsed
