from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.dlq_resume_restart_response import DLQResumeRestartResponse
from ...models.error_body import ErrorBody
from ...types import UNSET, Response, Unset


def _path_segment(value: Any) -> str:
    """One percent-encoded path segment. "." and ".." are encoded too: quote() leaves dots alone,
    and httpx would resolve such a segment and send the request to another endpoint."""
    text = str(value)
    return text.replace(".", "%2E") if text in (".", "..") else quote(text, safe="")


def _get_kwargs(
    dlq_id: str,
    *,
    upstash_retries: int | Unset = UNSET,
    upstash_delay: str | Unset = UNSET,
    upstash_retry_delay: str | Unset = UNSET,
    upstash_flow_control_key: str | Unset = UNSET,
    upstash_flow_control_value: str | Unset = UNSET,
    upstash_label: str | Unset = UNSET,
    upstash_failure_callback: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(upstash_retries, Unset):
        headers["Upstash-Retries"] = str(upstash_retries)

    if not isinstance(upstash_delay, Unset):
        headers["Upstash-Delay"] = upstash_delay

    if not isinstance(upstash_retry_delay, Unset):
        headers["Upstash-Retry-Delay"] = upstash_retry_delay

    if not isinstance(upstash_flow_control_key, Unset):
        headers["Upstash-Flow-Control-Key"] = upstash_flow_control_key

    if not isinstance(upstash_flow_control_value, Unset):
        headers["Upstash-Flow-Control-Value"] = upstash_flow_control_value

    if not isinstance(upstash_label, Unset):
        headers["Upstash-Label"] = upstash_label

    if not isinstance(upstash_failure_callback, Unset):
        headers["Upstash-Failure-Callback"] = upstash_failure_callback

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v2/workflows/dlq/resume/{dlq_id}".format(
            dlq_id=_path_segment(dlq_id),
        ),
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DLQResumeRestartResponse | ErrorBody | None:
    if response.status_code == 200:
        response_200 = DLQResumeRestartResponse.from_dict(response.json())

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
) -> Response[DLQResumeRestartResponse | ErrorBody]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    dlq_id: str,
    *,
    client: AuthenticatedClient | Client,
    upstash_retries: int | Unset = UNSET,
    upstash_delay: str | Unset = UNSET,
    upstash_retry_delay: str | Unset = UNSET,
    upstash_flow_control_key: str | Unset = UNSET,
    upstash_flow_control_value: str | Unset = UNSET,
    upstash_label: str | Unset = UNSET,
    upstash_failure_callback: str | Unset = UNSET,
) -> Response[DLQResumeRestartResponse | ErrorBody]:
    """Resume one failed run from the step that failed

    Args:
        dlq_id (str):
        upstash_retries (int | Unset):
        upstash_delay (str | Unset):
        upstash_retry_delay (str | Unset):
        upstash_flow_control_key (str | Unset):
        upstash_flow_control_value (str | Unset):
        upstash_label (str | Unset):
        upstash_failure_callback (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DLQResumeRestartResponse | ErrorBody]
    """

    kwargs = _get_kwargs(
        dlq_id=dlq_id,
        upstash_retries=upstash_retries,
        upstash_delay=upstash_delay,
        upstash_retry_delay=upstash_retry_delay,
        upstash_flow_control_key=upstash_flow_control_key,
        upstash_flow_control_value=upstash_flow_control_value,
        upstash_label=upstash_label,
        upstash_failure_callback=upstash_failure_callback,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    dlq_id: str,
    *,
    client: AuthenticatedClient | Client,
    upstash_retries: int | Unset = UNSET,
    upstash_delay: str | Unset = UNSET,
    upstash_retry_delay: str | Unset = UNSET,
    upstash_flow_control_key: str | Unset = UNSET,
    upstash_flow_control_value: str | Unset = UNSET,
    upstash_label: str | Unset = UNSET,
    upstash_failure_callback: str | Unset = UNSET,
) -> DLQResumeRestartResponse | ErrorBody | None:
    """Resume one failed run from the step that failed

    Args:
        dlq_id (str):
        upstash_retries (int | Unset):
        upstash_delay (str | Unset):
        upstash_retry_delay (str | Unset):
        upstash_flow_control_key (str | Unset):
        upstash_flow_control_value (str | Unset):
        upstash_label (str | Unset):
        upstash_failure_callback (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DLQResumeRestartResponse | ErrorBody
    """

    return sync_detailed(
        dlq_id=dlq_id,
        client=client,
        upstash_retries=upstash_retries,
        upstash_delay=upstash_delay,
        upstash_retry_delay=upstash_retry_delay,
        upstash_flow_control_key=upstash_flow_control_key,
        upstash_flow_control_value=upstash_flow_control_value,
        upstash_label=upstash_label,
        upstash_failure_callback=upstash_failure_callback,
    ).parsed


async def asyncio_detailed(
    dlq_id: str,
    *,
    client: AuthenticatedClient | Client,
    upstash_retries: int | Unset = UNSET,
    upstash_delay: str | Unset = UNSET,
    upstash_retry_delay: str | Unset = UNSET,
    upstash_flow_control_key: str | Unset = UNSET,
    upstash_flow_control_value: str | Unset = UNSET,
    upstash_label: str | Unset = UNSET,
    upstash_failure_callback: str | Unset = UNSET,
) -> Response[DLQResumeRestartResponse | ErrorBody]:
    """Resume one failed run from the step that failed

    Args:
        dlq_id (str):
        upstash_retries (int | Unset):
        upstash_delay (str | Unset):
        upstash_retry_delay (str | Unset):
        upstash_flow_control_key (str | Unset):
        upstash_flow_control_value (str | Unset):
        upstash_label (str | Unset):
        upstash_failure_callback (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DLQResumeRestartResponse | ErrorBody]
    """

    kwargs = _get_kwargs(
        dlq_id=dlq_id,
        upstash_retries=upstash_retries,
        upstash_delay=upstash_delay,
        upstash_retry_delay=upstash_retry_delay,
        upstash_flow_control_key=upstash_flow_control_key,
        upstash_flow_control_value=upstash_flow_control_value,
        upstash_label=upstash_label,
        upstash_failure_callback=upstash_failure_callback,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    dlq_id: str,
    *,
    client: AuthenticatedClient | Client,
    upstash_retries: int | Unset = UNSET,
    upstash_delay: str | Unset = UNSET,
    upstash_retry_delay: str | Unset = UNSET,
    upstash_flow_control_key: str | Unset = UNSET,
    upstash_flow_control_value: str | Unset = UNSET,
    upstash_label: str | Unset = UNSET,
    upstash_failure_callback: str | Unset = UNSET,
) -> DLQResumeRestartResponse | ErrorBody | None:
    """Resume one failed run from the step that failed

    Args:
        dlq_id (str):
        upstash_retries (int | Unset):
        upstash_delay (str | Unset):
        upstash_retry_delay (str | Unset):
        upstash_flow_control_key (str | Unset):
        upstash_flow_control_value (str | Unset):
        upstash_label (str | Unset):
        upstash_failure_callback (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DLQResumeRestartResponse | ErrorBody
    """

    return (
        await asyncio_detailed(
            dlq_id=dlq_id,
            client=client,
            upstash_retries=upstash_retries,
            upstash_delay=upstash_delay,
            upstash_retry_delay=upstash_retry_delay,
            upstash_flow_control_key=upstash_flow_control_key,
            upstash_flow_control_value=upstash_flow_control_value,
            upstash_label=upstash_label,
            upstash_failure_callback=upstash_failure_callback,
        )
    ).parsed
