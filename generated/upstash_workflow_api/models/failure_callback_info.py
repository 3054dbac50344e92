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


T = TypeVar("T", bound="FailureCallbackInfo")


@_attrs_define
class FailureCallbackInfo:
    """The state of a DLQ message's failure callback.

    Example:
        {'state': 'CALLBACK_FAIL', 'responseStatus': 500}

    Attributes:
        state (str | Unset): CALLBACK_FAIL, CALLBACK_SUCCESS, CALLBACK_INPROGRESS or CALLBACK_CANCELED. Example:
            CALLBACK_FAIL.
        response_status (int | Unset): Callback response status. Example: 500.
        response_body (str | Unset): Callback response body. Example: boom.
        response_headers (HeaderMultiMap | Unset): HTTP headers, each name with all its values. Example: {'Content-
            Type': ['application/json']}.
    """

    state: str | Unset = UNSET
    response_status: int | Unset = UNSET
    response_body: str | Unset = UNSET
    response_headers: HeaderMultiMap | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # The JSON name of each declared property (project addition, templates/model.py.jinja).
    wire_names: ClassVar[dict[str, str]] = {
        "state": "state",
        "response_status": "responseStatus",
        "response_body": "responseBody",
        "response_headers": "responseHeaders",
    }

    def to_dict(self) -> dict[str, Any]:
        state = self.state

        response_status = self.response_status

        response_body = self.response_body

        response_headers: dict[str, Any] | Unset = UNSET
        if not isinstance(self.response_headers, Unset):
            response_headers = self.response_headers.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if state is not UNSET:
            field_dict["state"] = state
        if response_status is not UNSET:
            field_dict["responseStatus"] = response_status
        if response_body is not UNSET:
            field_dict["responseBody"] = response_body
        if response_headers is not UNSET:
            field_dict["responseHeaders"] = response_headers

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.header_multi_map import HeaderMultiMap  # noqa: PLC0415

        d = dict(src_dict)
        state = d.pop("state", UNSET)

        response_status = d.pop("responseStatus", UNSET)

        response_body = d.pop("responseBody", UNSET)

        _response_headers = d.pop("responseHeaders", UNSET)
        response_headers: HeaderMultiMap | Unset
        if isinstance(_response_headers, Unset):
            response_headers = UNSET
        else:
            response_headers = HeaderMultiMap.from_dict(_response_headers)

        failure_callback_info = cls(
            state=state,
            response_status=response_status,
            response_body=response_body,
            response_headers=response_headers,
        )

        failure_callback_info.additional_properties = d
        return failure_callback_info

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
