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


T = TypeVar("T", bound="Waiter")


@_attrs_define
class Waiter:
    """A workflow run waiting for an event.

    Example:
        {'url': 'https://workflow-endpoint.com', 'deadline': 1714003600, 'headers': {'Upstash-Workflow-Runid':
            ['wfr_a']}}

    Attributes:
        url (str | Unset): The workflow URL that is called when the event arrives. Example: https://workflow-
            endpoint.com.
        deadline (int | Unset): Unix seconds after which the wait times out. Example: 1714003600.
        headers (HeaderMultiMap | Unset): HTTP headers, each name with all its values. Example: {'Content-Type':
            ['application/json']}.
        timeout_url (str | Unset): Called when the wait times out. Example: https://workflow-endpoint.com.
        timeout_body (str | Unset): The body sent to timeoutUrl, base64-encoded. Example: dGltZW91dA==.
        timeout_headers (HeaderMultiMap | Unset): HTTP headers, each name with all its values. Example: {'Content-Type':
            ['application/json']}.
    """

    url: str | Unset = UNSET
    deadline: int | Unset = UNSET
    headers: HeaderMultiMap | Unset = UNSET
    timeout_url: str | Unset = UNSET
    timeout_body: str | Unset = UNSET
    timeout_headers: HeaderMultiMap | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # The JSON name of each declared property (project addition, templates/model.py.jinja).
    wire_names: ClassVar[dict[str, str]] = {
        "url": "url",
        "deadline": "deadline",
        "headers": "headers",
        "timeout_url": "timeoutUrl",
        "timeout_body": "timeoutBody",
        "timeout_headers": "timeoutHeaders",
    }

    def to_dict(self) -> dict[str, Any]:
        url = self.url

        deadline = self.deadline

        headers: dict[str, Any] | Unset = UNSET
        if not isinstance(self.headers, Unset):
            headers = self.headers.to_dict()

        timeout_url = self.timeout_url

        timeout_body = self.timeout_body

        timeout_headers: dict[str, Any] | Unset = UNSET
        if not isinstance(self.timeout_headers, Unset):
            timeout_headers = self.timeout_headers.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if url is not UNSET:
            field_dict["url"] = url
        if deadline is not UNSET:
            field_dict["deadline"] = deadline
        if headers is not UNSET:
            field_dict["headers"] = headers
        if timeout_url is not UNSET:
            field_dict["timeoutUrl"] = timeout_url
        if timeout_body is not UNSET:
            field_dict["timeoutBody"] = timeout_body
        if timeout_headers is not UNSET:
            field_dict["timeoutHeaders"] = timeout_headers

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.header_multi_map import HeaderMultiMap  # noqa: PLC0415

        d = dict(src_dict)
        url = d.pop("url", UNSET)

        deadline = d.pop("deadline", UNSET)

        _headers = d.pop("headers", UNSET)
        headers: HeaderMultiMap | Unset
        if isinstance(_headers, Unset):
            headers = UNSET
        else:
            headers = HeaderMultiMap.from_dict(_headers)

        timeout_url = d.pop("timeoutUrl", UNSET)

        timeout_body = d.pop("timeoutBody", UNSET)

        _timeout_headers = d.pop("timeoutHeaders", UNSET)
        timeout_headers: HeaderMultiMap | Unset
        if isinstance(_timeout_headers, Unset):
            timeout_headers = UNSET
        else:
            timeout_headers = HeaderMultiMap.from_dict(_timeout_headers)

        waiter = cls(
            url=url,
            deadline=deadline,
            headers=headers,
            timeout_url=timeout_url,
            timeout_body=timeout_body,
            timeout_headers=timeout_headers,
        )

        waiter.additional_properties = d
        return waiter

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
