from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_body import ErrorBody
from ...models.triggered_run import TriggeredRun
from ...types import UNSET, File, Response, Unset


def _path_segment(value: Any) -> str:
    """One percent-encoded path segment. "." and ".." are encoded too: quote() leaves dots alone,
    and httpx would resolve such a segment and send the request to another endpoint."""
    text = str(value)
    return text.replace(".", "%2E") if text in (".", "..") else quote(text, safe="")


def _path_url(value: Any) -> str:
    """A destination URL as Upstash's clients put it in a path: unencoded (@upstash/qstash 2.12 builds
    "/v2/publish/<destination>" with [baseUrl, ...path].join("/")). Only what would change the request
    is encoded: "%" (the server decodes the path once, so "%2F" stays "%2F"), "?" and "#" (they would
    start its query or fragment) and "." or ".." segments (httpx would resolve them and send the
    request to another endpoint)."""
    segments = (
        str(value)
        .replace("%", "%25")
        .replace("?", "%3F")
        .replace("#", "%23")
        .split("/")
    )
    return "/".join(s.replace(".", "%2E") if s in (".", "..") else s for s in segments)


def _get_kwargs(
    workflow_url: str,
    *,
    body: File | Unset = UNSET,
    upstash_workflow_run_id: str | Unset = UNSET,
    upstash_retries: int | Unset = UNSET,
    upstash_delay: str | Unset = UNSET,
    upstash_not_before: int | Unset = UNSET,
    upstash_label: str | Unset = UNSET,
    upstash_flow_control_key: str | Unset = UNSET,
    upstash_flow_control_value: str | Unset = UNSET,
    upstash_failure_callback: str | Unset = UNSET,
    upstash_retry_delay: str | Unset = UNSET,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    if not isinstance(upstash_workflow_run_id, Unset):
        headers["Upstash-Workflow-RunId"] = upstash_workflow_run_id

    if not isinstance(upstash_retries, Unset):
        headers["Upstash-Retries"] = str(upstash_retries)

    if not isinstance(upstash_delay, Unset):
        headers["Upstash-Delay"] = upstash_delay

    if not isinstance(upstash_not_before, Unset):
        headers["Upstash-Not-Before"] = str(upstash_not_before)

    if not isinstance(upstash_label, Unset):
        headers["Upstash-Label"] = upstash_label

    if not isinstance(upstash_flow_control_key, Unset):
        headers["Upstash-Flow-Control-Key"] = upstash_flow_control_key

    if not isinstance(upstash_flow_control_value, Unset):
        headers["Upstash-Flow-Control-Value"] = upstash_flow_control_value

    if not isinstance(upstash_failure_callback, Unset):
        headers["Upstash-Failure-Callback"] = upstash_failure_callback

    if not isinstance(upstash_retry_delay, Unset):
        headers["Upstash-Retry-Delay"] = upstash_retry_delay

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v2/trigger/{workflow_url}".format(
            workflow_url=_path_url(workflow_url),
        ),
    }

    if not isinstance(body, Unset):
        _kwargs["content"] = body.payload
    headers["Content-Type"] = "application/octet-stream"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorBody | TriggeredRun | None:
    if response.status_code == 200:
        response_200 = TriggeredRun.from_dict(response.json())

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
) -> Response[ErrorBody | TriggeredRun]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    workflow_url: str,
    *,
    client: AuthenticatedClient | Client,
    body: File | Unset = UNSET,
    upstash_workflow_run_id: str | Unset = UNSET,
    upstash_retries: int | Unset = UNSET,
    upstash_delay: str | Unset = UNSET,
    upstash_not_before: int | Unset = UNSET,
    upstash_label: str | Unset = UNSET,
    upstash_flow_control_key: str | Unset = UNSET,
    upstash_flow_control_value: str | Unset = UNSET,
    upstash_failure_callback: str | Unset = UNSET,
    upstash_retry_delay: str | Unset = UNSET,
) -> Response[ErrorBody | TriggeredRun]:
    """Start one workflow run at a URL

     Starts a run of the workflow at `workflowUrl`, written into the path unencoded, as Upstash's
    own clients put a destination in a path (`@upstash/qstash` builds `/v2/publish/<destination>`),
    with only `%`, `?`, `#` and `.`/`..` segments percent-encoded; the server decodes the path once,
    so the URL percent-encoded as one segment is read the same. The body is passed to the workflow
    as-is; `Upstash-Forward-*` headers are forwarded to it.

    Args:
        workflow_url (str):
        upstash_workflow_run_id (str | Unset):
        upstash_retries (int | Unset):
        upstash_delay (str | Unset):
        upstash_not_before (int | Unset):
        upstash_label (str | Unset):
        upstash_flow_control_key (str | Unset):
        upstash_flow_control_value (str | Unset):
        upstash_failure_callback (str | Unset):
        upstash_retry_delay (str | Unset):
        body (File | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | TriggeredRun]
    """

    kwargs = _get_kwargs(
        workflow_url=workflow_url,
        body=body,
        upstash_workflow_run_id=upstash_workflow_run_id,
        upstash_retries=upstash_retries,
        upstash_delay=upstash_delay,
        upstash_not_before=upstash_not_before,
        upstash_label=upstash_label,
        upstash_flow_control_key=upstash_flow_control_key,
        upstash_flow_control_value=upstash_flow_control_value,
        upstash_failure_callback=upstash_failure_callback,
        upstash_retry_delay=upstash_retry_delay,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    workflow_url: str,
    *,
    client: AuthenticatedClient | Client,
    body: File | Unset = UNSET,
    upstash_workflow_run_id: str | Unset = UNSET,
    upstash_retries: int | Unset = UNSET,
    upstash_delay: str | Unset = UNSET,
    upstash_not_before: int | Unset = UNSET,
    upstash_label: str | Unset = UNSET,
    upstash_flow_control_key: str | Unset = UNSET,
    upstash_flow_control_value: str | Unset = UNSET,
    upstash_failure_callback: str | Unset = UNSET,
    upstash_retry_delay: str | Unset = UNSET,
) -> ErrorBody | TriggeredRun | None:
    """Start one workflow run at a URL

     Starts a run of the workflow at `workflowUrl`, written into the path unencoded, as Upstash's
    own clients put a destination in a path (`@upstash/qstash` builds `/v2/publish/<destination>`),
    with only `%`, `?`, `#` and `.`/`..` segments percent-encoded; the server decodes the path once,
    so the URL percent-encoded as one segment is read the same. The body is passed to the workflow
    as-is; `Upstash-Forward-*` headers are forwarded to it.

    Args:
        workflow_url (str):
        upstash_workflow_run_id (str | Unset):
        upstash_retries (int | Unset):
        upstash_delay (str | Unset):
        upstash_not_before (int | Unset):
        upstash_label (str | Unset):
        upstash_flow_control_key (str | Unset):
        upstash_flow_control_value (str | Unset):
        upstash_failure_callback (str | Unset):
        upstash_retry_delay (str | Unset):
        body (File | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | TriggeredRun
    """

    return sync_detailed(
        workflow_url=workflow_url,
        client=client,
        body=body,
        upstash_workflow_run_id=upstash_workflow_run_id,
        upstash_retries=upstash_retries,
        upstash_delay=upstash_delay,
        upstash_not_before=upstash_not_before,
        upstash_label=upstash_label,
        upstash_flow_control_key=upstash_flow_control_key,
        upstash_flow_control_value=upstash_flow_control_value,
        upstash_failure_callback=upstash_failure_callback,
        upstash_retry_delay=upstash_retry_delay,
    ).parsed


async def asyncio_detailed(
    workflow_url: str,
    *,
    client: AuthenticatedClient | Client,
    body: File | Unset = UNSET,
    upstash_workflow_run_id: str | Unset = UNSET,
    upstash_retries: int | Unset = UNSET,
    upstash_delay: str | Unset = UNSET,
    upstash_not_before: int | Unset = UNSET,
    upstash_label: str | Unset = UNSET,
    upstash_flow_control_key: str | Unset = UNSET,
    upstash_flow_control_value: str | Unset = UNSET,
    upstash_failure_callback: str | Unset = UNSET,
    upstash_retry_delay: str | Unset = UNSET,
) -> Response[ErrorBody | TriggeredRun]:
    """Start one workflow run at a URL

     Starts a run of the workflow at `workflowUrl`, written into the path unencoded, as Upstash's
    own clients put a destination in a path (`@upstash/qstash` builds `/v2/publish/<destination>`),
    with only `%`, `?`, `#` and `.`/`..` segments percent-encoded; the server decodes the path once,
    so the URL percent-encoded as one segment is read the same. The body is passed to the workflow
    as-is; `Upstash-Forward-*` headers are forwarded to it.

    Args:
        workflow_url (str):
        upstash_workflow_run_id (str | Unset):
        upstash_retries (int | Unset):
        upstash_delay (str | Unset):
        upstash_not_before (int | Unset):
        upstash_label (str | Unset):
        upstash_flow_control_key (str | Unset):
        upstash_flow_control_value (str | Unset):
        upstash_failure_callback (str | Unset):
        upstash_retry_delay (str | Unset):
        body (File | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorBody | TriggeredRun]
    """

    kwargs = _get_kwargs(
        workflow_url=workflow_url,
        body=body,
        upstash_workflow_run_id=upstash_workflow_run_id,
        upstash_retries=upstash_retries,
        upstash_delay=upstash_delay,
        upstash_not_before=upstash_not_before,
        upstash_label=upstash_label,
        upstash_flow_control_key=upstash_flow_control_key,
        upstash_flow_control_value=upstash_flow_control_value,
        upstash_failure_callback=upstash_failure_callback,
        upstash_retry_delay=upstash_retry_delay,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    workflow_url: str,
    *,
    client: AuthenticatedClient | Client,
    body: File | Unset = UNSET,
    upstash_workflow_run_id: str | Unset = UNSET,
    upstash_retries: int | Unset = UNSET,
    upstash_delay: str | Unset = UNSET,
    upstash_not_before: int | Unset = UNSET,
    upstash_label: str | Unset = UNSET,
    upstash_flow_control_key: str | Unset = UNSET,
    upstash_flow_control_value: str | Unset = UNSET,
    upstash_failure_callback: str | Unset = UNSET,
    upstash_retry_delay: str | Unset = UNSET,
) -> ErrorBody | TriggeredRun | None:
    """Start one workflow run at a URL

     Starts a run of the workflow at `workflowUrl`, written into the path unencoded, as Upstash's
    own clients put a destination in a path (`@upstash/qstash` builds `/v2/publish/<destination>`),
    with only `%`, `?`, `#` and `.`/`..` segments percent-encoded; the server decodes the path once,
    so the URL percent-encoded as one segment is read the same. The body is passed to the workflow
    as-is; `Upstash-Forward-*` headers are forwarded to it.

    Args:
        workflow_url (str):
        upstash_workflow_run_id (str | Unset):
        upstash_retries (int | Unset):
        upstash_delay (str | Unset):
        upstash_not_before (int | Unset):
        upstash_label (str | Unset):
        upstash_flow_control_key (str | Unset):
        upstash_flow_control_value (str | Unset):
        upstash_failure_callback (str | Unset):
        upstash_retry_delay (str | Unset):
        body (File | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorBody | TriggeredRun
    """

    return (
        await asyncio_detailed(
            workflow_url=workflow_url,
            client=client,
            body=body,
            upstash_workflow_run_id=upstash_workflow_run_id,
            upstash_retries=upstash_retries,
            upstash_delay=upstash_delay,
            upstash_not_before=upstash_not_before,
            upstash_label=upstash_label,
            upstash_flow_control_key=upstash_flow_control_key,
            upstash_flow_control_value=upstash_flow_control_value,
            upstash_failure_callback=upstash_failure_callback,
            upstash_retry_delay=upstash_retry_delay,
        )
    ).parsed
