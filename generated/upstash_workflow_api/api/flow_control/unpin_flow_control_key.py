from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...types import UNSET, Response, Unset


def _path_segment(value: Any) -> str:
    """One percent-encoded path segment. "." and ".." are encoded too: quote() leaves dots alone,
    and httpx would resolve such a segment and send the request to another endpoint."""
    text = str(value)
    return text.replace(".", "%2E") if text in (".", "..") else quote(text, safe="")


def _get_kwargs(
    flow_control_key: str,
    *,
    parallelism: bool | Unset = UNSET,
    rate: bool | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["parallelism"] = parallelism

    params["rate"] = rate

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v2/flowControl/{flow_control_key}/unpin".format(
            flow_control_key=_path_segment(flow_control_key),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | ErrorBody | None:
    if response.status_code == 200:
        response_200 = cast(Any, None)
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
) -> Response[Any | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    flow_control_key: str,
    *,
    client: AuthenticatedClient | Client,
    parallelism: bool | Unset = UNSET,
    rate: bool | Unset = UNSET,
) -> Response[Any | ErrorBody]:
    """Unpin a flow-control configuration

     Incoming messages set the configuration again (the pinned one stays until one does).

    Args:
        flow_control_key (str):
        parallelism (bool | Unset):
        rate (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody]
    """

    kwargs = _get_kwargs(
        flow_control_key=flow_control_key,
        parallelism=parallelism,
        rate=rate,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    flow_control_key: str,
    *,
    client: AuthenticatedClient | Client,
    parallelism: bool | Unset = UNSET,
    rate: bool | Unset = UNSET,
) -> Any | ErrorBody | None:
    """Unpin a flow-control configuration

     Incoming messages set the configuration again (the pinned one stays until one does).

    Args:
        flow_control_key (str):
        parallelism (bool | Unset):
        rate (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody
    """

    return sync_detailed(
        flow_control_key=flow_control_key,
        client=client,
        parallelism=parallelism,
        rate=rate,
    ).parsed


async def asyncio_detailed(
    flow_control_key: str,
    *,
    client: AuthenticatedClient | Client,
    parallelism: bool | Unset = UNSET,
    rate: bool | Unset = UNSET,
) -> Response[Any | ErrorBody]:
    """Unpin a flow-control configuration

     Incoming messages set the configuration again (the pinned one stays until one does).

    Args:
        flow_control_key (str):
        parallelism (bool | Unset):
        rate (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | ErrorBody]
    """

    kwargs = _get_kwargs(
        flow_control_key=flow_control_key,
        parallelism=parallelism,
        rate=rate,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    flow_control_key: str,
    *,
    client: AuthenticatedClient | Client,
    parallelism: bool | Unset = UNSET,
    rate: bool | Unset = UNSET,
) -> Any | ErrorBody | None:
    """Unpin a flow-control configuration

     Incoming messages set the configuration again (the pinned one stays until one does).

    Args:
        flow_control_key (str):
        parallelism (bool | Unset):
        rate (bool | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | ErrorBody
    """

    return (
        await asyncio_detailed(
            flow_control_key=flow_control_key,
            client=client,
            parallelism=parallelism,
            rate=rate,
        )
    ).parsed
