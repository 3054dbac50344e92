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


T = TypeVar("T", bound="StepError")


@_attrs_define
class StepError:
    """One failed delivery of a step.

    Example:
        {'error': 'status 500', 'body': 'boom', 'headers': {}, 'status': 500, 'time': 1714000000000}

    Attributes:
        error (str | Unset): What failed. Example: status 500.
        body (str | Unset): The response body. Example: boom.
        headers (HeaderMultiMap | Unset): HTTP headers, each name with all its values. Example: {'Content-Type':
            ['application/json']}.
        status (int | Unset): The response status. Example: 500.
        time (int | Unset): Unix milliseconds. Example: 1714000000000.
    """

    error: str | Unset = UNSET
    body: str | Unset = UNSET
    headers: HeaderMultiMap | Unset = UNSET
    status: int | Unset = UNSET
    time: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # The JSON name of each declared property (project addition, templates/model.py.jinja).
    wire_names: ClassVar[dict[str, str]] = {
        "error": "error",
        "body": "body",
        "headers": "headers",
        "status": "status",
        "time": "time",
    }

    def to_dict(self) -> dict[str, Any]:
        error = self.error

        body = self.body

        headers: dict[str, Any] | Unset = UNSET
        if not isinstance(self.headers, Unset):
            headers = self.headers.to_dict()

        status = self.status

        time = self.time

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if error is not UNSET:
            field_dict["error"] = error
        if body is not UNSET:
            field_dict["body"] = body
        if headers is not UNSET:
            field_dict["headers"] = headers
        if status is not UNSET:
            field_dict["status"] = status
        if time is not UNSET:
            field_dict["time"] = time

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.header_multi_map import HeaderMultiMap  # noqa: PLC0415

        d = dict(src_dict)
        error = d.pop("error", UNSET)

        body = d.pop("body", UNSET)

        _headers = d.pop("headers", UNSET)
        headers: HeaderMultiMap | Unset
        if isinstance(_headers, Unset):
            headers = UNSET
        else:
            headers = HeaderMultiMap.from_dict(_headers)

        status = d.pop("status", UNSET)

        time = d.pop("time", UNSET)

        step_error = cls(
            error=error,
            body=body,
            headers=headers,
            status=status,
            time=time,
        )

        step_error.additional_properties = d
        return step_error

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
