from __future__ import annotations

from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    ClassVar,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.failure_callback_info import FailureCallbackInfo
    from ..models.header_multi_map import HeaderMultiMap


T = TypeVar("T", bound="DLQMessage")


@_attrs_define
class DLQMessage:
    """A failed workflow run in the DLQ.

    Example:
        {'dlqId': 'dlq_123', 'workflowRunId': 'wfr_a', 'workflowUrl': 'https://workflow-endpoint.com', 'responseStatus':
            500}

    Attributes:
        message_id (str | Unset): The failed message. Example: msg_123.
        url (str | Unset): Where it was sent. Example: https://workflow-endpoint.com.
        method (str | Unset): HTTP method. Example: POST.
        header (HeaderMultiMap | Unset): HTTP headers, each name with all its values. Example: {'Content-Type':
            ['application/json']}.
        body (str | Unset): The message body. Example: hello.
        body_base_64 (str | Unset): The body, base64-encoded, when it is not valid UTF-8; empty otherwise.
        max_retries (int | Unset): Retries allowed. Example: 3.
        not_before (int | Unset): Unix milliseconds. Example: 1714000000000.
        created_at (int | Unset): Unix milliseconds. Example: 1714000000000.
        caller_ip (str | Unset): Who published it. Example: 203.0.113.7.
        workflow_run_id (str | Unset): The failed run. Example: wfr_a.
        workflow_created_at (int | Unset): Unix milliseconds. Example: 1714000000000.
        workflow_url (str | Unset): The workflow URL. Example: https://workflow-endpoint.com.
        response_status (int | Unset): Status of the last failed delivery. Example: 500.
        response_header (HeaderMultiMap | Unset): HTTP headers, each name with all its values. Example: {'Content-Type':
            ['application/json']}.
        response_body (str | Unset): Body of the last failed delivery. Example: boom.
        response_body_base_64 (str | Unset): That body, base64-encoded, when it is not valid UTF-8; empty otherwise.
        dlq_id (str | Unset): The DLQ id. Example: dlq_123.
        failure_callback (str | Unset): The failure URL. Example: https://workflow-endpoint.com.
        failure_callback_info (FailureCallbackInfo | Unset): The state of a DLQ message's failure callback. Example:
            {'state': 'CALLBACK_FAIL', 'responseStatus': 500}.
        failure_function_state (str | Unset): The failure callback's state (CALLBACK_*), if it has one. Example:
            CALLBACK_FAIL.
        flow_control_key (str | Unset): The run's flow-control key. Example: my-key.
        label (str | Unset): Deprecated; the first label. Example: my-label.
        labels (list[str] | Unset): Labels. Example: ['my-label'].
    """

    message_id: str | Unset = UNSET
    url: str | Unset = UNSET
    method: str | Unset = UNSET
    header: HeaderMultiMap | Unset = UNSET
    body: str | Unset = UNSET
    body_base_64: str | Unset = UNSET
    max_retries: int | Unset = UNSET
    not_before: int | Unset = UNSET
    created_at: int | Unset = UNSET
    caller_ip: str | Unset = UNSET
    workflow_run_id: str | Unset = UNSET
    workflow_created_at: int | Unset = UNSET
    workflow_url: str | Unset = UNSET
    response_status: int | Unset = UNSET
    response_header: HeaderMultiMap | Unset = UNSET
    response_body: str | Unset = UNSET
    response_body_base_64: str | Unset = UNSET
    dlq_id: str | Unset = UNSET
    failure_callback: str | Unset = UNSET
    failure_callback_info: FailureCallbackInfo | Unset = UNSET
    failure_function_state: str | Unset = UNSET
    flow_control_key: str | Unset = UNSET
    label: str | Unset = UNSET
    labels: list[str] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # The JSON name of each declared property (project addition, templates/model.py.jinja).
    wire_names: ClassVar[dict[str, str]] = {
        "message_id": "messageId",
        "url": "url",
        "method": "method",
        "header": "header",
        "body": "body",
        "body_base_64": "bodyBase64",
        "max_retries": "maxRetries",
        "not_before": "notBefore",
        "created_at": "createdAt",
        "caller_ip": "callerIP",
        "workflow_run_id": "workflowRunId",
        "workflow_created_at": "workflowCreatedAt",
        "workflow_url": "workflowUrl",
        "response_status": "responseStatus",
        "response_header": "responseHeader",
        "response_body": "responseBody",
        "response_body_base_64": "responseBodyBase64",
        "dlq_id": "dlqId",
        "failure_callback": "failureCallback",
        "failure_callback_info": "failureCallbackInfo",
        "failure_function_state": "failureFunctionState",
        "flow_control_key": "flowControlKey",
        "label": "label",
        "labels": "labels",
    }

    def to_dict(self) -> dict[str, Any]:
        message_id = self.message_id

        url = self.url

        method = self.method

        header: dict[str, Any] | Unset = UNSET
        if not isinstance(self.header, Unset):
            header = self.header.to_dict()

        body = self.body

        body_base_64 = self.body_base_64

        max_retries = self.max_retries

        not_before = self.not_before

        created_at = self.created_at

        caller_ip = self.caller_ip

        workflow_run_id = self.workflow_run_id

        workflow_created_at = self.workflow_created_at

        workflow_url = self.workflow_url

        response_status = self.response_status

        response_header: dict[str, Any] | Unset = UNSET
        if not isinstance(self.response_header, Unset):
            response_header = self.response_header.to_dict()

        response_body = self.response_body

        response_body_base_64 = self.response_body_base_64

        dlq_id = self.dlq_id

        failure_callback = self.failure_callback

        failure_callback_info: dict[str, Any] | Unset = UNSET
        if not isinstance(self.failure_callback_info, Unset):
            failure_callback_info = self.failure_callback_info.to_dict()

        failure_function_state = self.failure_function_state

        flow_control_key = self.flow_control_key

        label = self.label

        labels: list[str] | Unset = UNSET
        if not isinstance(self.labels, Unset):
            labels = self.labels

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if message_id is not UNSET:
            field_dict["messageId"] = message_id
        if url is not UNSET:
            field_dict["url"] = url
        if method is not UNSET:
            field_dict["method"] = method
        if header is not UNSET:
            field_dict["header"] = header
        if body is not UNSET:
            field_dict["body"] = body
        if body_base_64 is not UNSET:
            field_dict["bodyBase64"] = body_base_64
        if max_retries is not UNSET:
            field_dict["maxRetries"] = max_retries
        if not_before is not UNSET:
            field_dict["notBefore"] = not_before
        if created_at is not UNSET:
            field_dict["createdAt"] = created_at
        if caller_ip is not UNSET:
            field_dict["callerIP"] = caller_ip
        if workflow_run_id is not UNSET:
            field_dict["workflowRunId"] = workflow_run_id
        if workflow_created_at is not UNSET:
            field_dict["workflowCreatedAt"] = workflow_created_at
        if workflow_url is not UNSET:
            field_dict["workflowUrl"] = workflow_url
        if response_status is not UNSET:
            field_dict["responseStatus"] = response_status
        if response_header is not UNSET:
            field_dict["responseHeader"] = response_header
        if response_body is not UNSET:
            field_dict["responseBody"] = response_body
        if response_body_base_64 is not UNSET:
            field_dict["responseBodyBase64"] = response_body_base_64
        if dlq_id is not UNSET:
            field_dict["dlqId"] = dlq_id
        if failure_callback is not UNSET:
            field_dict["failureCallback"] = failure_callback
        if failure_callback_info is not UNSET:
            field_dict["failureCallbackInfo"] = failure_callback_info
        if failure_function_state is not UNSET:
            field_dict["failureFunctionState"] = failure_function_state
        if flow_control_key is not UNSET:
            field_dict["flowControlKey"] = flow_control_key
        if label is not UNSET:
            field_dict["label"] = label
        if labels is not UNSET:
            field_dict["labels"] = labels

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.failure_callback_info import FailureCallbackInfo  # noqa: PLC0415
        from ..models.header_multi_map import HeaderMultiMap  # noqa: PLC0415

        d = dict(src_dict)
        message_id = d.pop("messageId", UNSET)

        url = d.pop("url", UNSET)

        method = d.pop("method", UNSET)

        _header = d.pop("header", UNSET)
        header: HeaderMultiMap | Unset
        if isinstance(_header, Unset):
            header = UNSET
        else:
            header = HeaderMultiMap.from_dict(_header)

        body = d.pop("body", UNSET)

        body_base_64 = d.pop("bodyBase64", UNSET)

        max_retries = d.pop("maxRetries", UNSET)

        not_before = d.pop("notBefore", UNSET)

        created_at = d.pop("createdAt", UNSET)

        caller_ip = d.pop("callerIP", UNSET)

        workflow_run_id = d.pop("workflowRunId", UNSET)

        workflow_created_at = d.pop("workflowCreatedAt", UNSET)

        workflow_url = d.pop("workflowUrl", UNSET)

        response_status = d.pop("responseStatus", UNSET)

        _response_header = d.pop("responseHeader", UNSET)
        response_header: HeaderMultiMap | Unset
        if isinstance(_response_header, Unset):
            response_header = UNSET
        else:
            response_header = HeaderMultiMap.from_dict(_response_header)

        response_body = d.pop("responseBody", UNSET)

        response_body_base_64 = d.pop("responseBodyBase64", UNSET)

        dlq_id = d.pop("dlqId", UNSET)

        failure_callback = d.pop("failureCallback", UNSET)

        _failure_callback_info = d.pop("failureCallbackInfo", UNSET)
        failure_callback_info: FailureCallbackInfo | Unset
        if isinstance(_failure_callback_info, Unset):
            failure_callback_info = UNSET
        else:
            failure_callback_info = FailureCallbackInfo.from_dict(
                _failure_callback_info
            )

        failure_function_state = d.pop("failureFunctionState", UNSET)

        flow_control_key = d.pop("flowControlKey", UNSET)

        label = d.pop("label", UNSET)

        labels = cast(list[str], d.pop("labels", UNSET))

        dlq_message = cls(
            message_id=message_id,
            url=url,
            method=method,
            header=header,
            body=body,
            body_base_64=body_base_64,
            max_retries=max_retries,
            not_before=not_before,
            created_at=created_at,
            caller_ip=caller_ip,
            workflow_run_id=workflow_run_id,
            workflow_created_at=workflow_created_at,
            workflow_url=workflow_url,
            response_status=response_status,
            response_header=response_header,
            response_body=response_body,
            response_body_base_64=response_body_base_64,
            dlq_id=dlq_id,
            failure_callback=failure_callback,
            failure_callback_info=failure_callback_info,
            failure_function_state=failure_function_state,
            flow_control_key=flow_control_key,
            label=label,
            labels=labels,
        )

        dlq_message.additional_properties = d
        return dlq_message

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
