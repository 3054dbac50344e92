from __future__ import annotations

from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    ClassVar,
    TypeVar,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.header_multi_map import HeaderMultiMap
    from ..models.step_error import StepError


T = TypeVar("T", bound="FailureFunctionLog")


@_attrs_define
class FailureFunctionLog:
    """The failure callback of a failed run.

    Example:
        {'messageId': 'msg_456', 'url': 'https://workflow-endpoint.com', 'state': 'CALLBACK_SUCCESS', 'failStatus': 500,
            'failResponse': 'boom'}

    Attributes:
        message_id (str | Unset): The callback message. Example: msg_456.
        url (str | Unset): The failure URL. Example: https://workflow-endpoint.com.
        state (str | Unset): CALLBACK_INPROGRESS, CALLBACK_SUCCESS, CALLBACK_FAIL or CALLBACK_CANCELED. Example:
            CALLBACK_SUCCESS.
        fail_headers (HeaderMultiMap | Unset): HTTP headers, each name with all its values. Example: {'Content-Type':
            ['application/json']}.
        fail_status (int | Unset): Status of the failed step. Example: 500.
        fail_response (str | Unset): Body of the failed step. Example: boom.
        dlq_id (str | Unset): Deprecated; the DLQ id. Example: dlq_123.
        errors (list[StepError] | Unset): Failed callback deliveries.
        response_body (str | Unset): Callback response body. Example: ok.
        response_headers (HeaderMultiMap | Unset): HTTP headers, each name with all its values. Example: {'Content-
            Type': ['application/json']}.
        response_status (int | Unset): Callback response status. Example: 200.
        max_retries (int | Unset): Retries allowed for the callback. Example: 3.
        next_delivery_time (int | Unset): Unix milliseconds. Example: 1714000000000.
    """

    message_id: str | Unset = UNSET
    url: str | Unset = UNSET
    state: str | Unset = UNSET
    fail_headers: HeaderMultiMap | Unset = UNSET
    fail_status: int | Unset = UNSET
    fail_response: str | Unset = UNSET
    dlq_id: str | Unset = UNSET
    errors: list[StepError] | Unset = UNSET
    response_body: str | Unset = UNSET
    response_headers: HeaderMultiMap | Unset = UNSET
    response_status: int | Unset = UNSET
    max_retries: int | Unset = UNSET
    next_delivery_time: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # The JSON name of each declared property (project addition, templates/model.py.jinja).
    wire_names: ClassVar[dict[str, str]] = {
        "message_id": "messageId",
        "url": "url",
        "state": "state",
        "fail_headers": "failHeaders",
        "fail_status": "failStatus",
        "fail_response": "failResponse",
        "dlq_id": "dlqId",
        "errors": "errors",
        "response_body": "responseBody",
        "response_headers": "responseHeaders",
        "response_status": "responseStatus",
        "max_retries": "maxRetries",
        "next_delivery_time": "nextDeliveryTime",
    }

    def to_dict(self) -> dict[str, Any]:
        message_id = self.message_id

        url = self.url

        state = self.state

        fail_headers: dict[str, Any] | Unset = UNSET
        if not isinstance(self.fail_headers, Unset):
            fail_headers = self.fail_headers.to_dict()

        fail_status = self.fail_status

        fail_response = self.fail_response

        dlq_id = self.dlq_id

        errors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = []
            for errors_item_data in self.errors:
                errors_item = errors_item_data.to_dict()
                errors.append(errors_item)

        response_body = self.response_body

        response_headers: dict[str, Any] | Unset = UNSET
        if not isinstance(self.response_headers, Unset):
            response_headers = self.response_headers.to_dict()

        response_status = self.response_status

        max_retries = self.max_retries

        next_delivery_time = self.next_delivery_time

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if message_id is not UNSET:
            field_dict["messageId"] = message_id
        if url is not UNSET:
            field_dict["url"] = url
        if state is not UNSET:
            field_dict["state"] = state
        if fail_headers is not UNSET:
            field_dict["failHeaders"] = fail_headers
        if fail_status is not UNSET:
            field_dict["failStatus"] = fail_status
        if fail_response is not UNSET:
            field_dict["failResponse"] = fail_response
        if dlq_id is not UNSET:
            field_dict["dlqId"] = dlq_id
        if errors is not UNSET:
            field_dict["errors"] = errors
        if response_body is not UNSET:
            field_dict["responseBody"] = response_body
        if response_headers is not UNSET:
            field_dict["responseHeaders"] = response_headers
        if response_status is not UNSET:
            field_dict["responseStatus"] = response_status
        if max_retries is not UNSET:
            field_dict["maxRetries"] = max_retries
        if next_delivery_time is not UNSET:
            field_dict["nextDeliveryTime"] = next_delivery_time

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.header_multi_map import HeaderMultiMap  # noqa: PLC0415
        from ..models.step_error import StepError  # noqa: PLC0415

        d = dict(src_dict)
        message_id = d.pop("messageId", UNSET)

        url = d.pop("url", UNSET)

        state = d.pop("state", UNSET)

        _fail_headers = d.pop("failHeaders", UNSET)
        fail_headers: HeaderMultiMap | Unset
        if isinstance(_fail_headers, Unset):
            fail_headers = UNSET
        else:
            fail_headers = HeaderMultiMap.from_dict(_fail_headers)

        fail_status = d.pop("failStatus", UNSET)

        fail_response = d.pop("failResponse", UNSET)

        dlq_id = d.pop("dlqId", UNSET)

        _errors = d.pop("errors", UNSET)
        errors: list[StepError] | Unset = UNSET
        if _errors is not UNSET:
            errors = []
            for errors_item_data in _errors:
                errors_item = StepError.from_dict(errors_item_data)

                errors.append(errors_item)

        response_body = d.pop("responseBody", UNSET)

        _response_headers = d.pop("responseHeaders", UNSET)
        response_headers: HeaderMultiMap | Unset
        if isinstance(_response_headers, Unset):
            response_headers = UNSET
        else:
            response_headers = HeaderMultiMap.from_dict(_response_headers)

        response_status = d.pop("responseStatus", UNSET)

        max_retries = d.pop("maxRetries", UNSET)

        next_delivery_time = d.pop("nextDeliveryTime", UNSET)

        failure_function_log = cls(
            message_id=message_id,
            url=url,
            state=state,
            fail_headers=fail_headers,
            fail_status=fail_status,
            fail_response=fail_response,
            dlq_id=dlq_id,
            errors=errors,
            response_body=response_body,
            response_headers=response_headers,
            response_status=response_status,
            max_retries=max_retries,
            next_delivery_time=next_delivery_time,
        )

        failure_function_log.additional_properties = d
        return failure_function_log

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
