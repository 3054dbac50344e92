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
    from ..models.trigger_item_headers import TriggerItemHeaders


T = TypeVar("T", bound="TriggerItem")


@_attrs_define
class TriggerItem:
    """One run of a `/v2/batch/trigger` call.

    Example:
        {'destination': 'https://workflow-endpoint.com', 'body': 'hello'}

    Attributes:
        destination (str): The workflow endpoint URL. Example: https://workflow-endpoint.com.
        body (str | Unset): The initial payload, sent as-is. Example: hello.
        headers (TriggerItemHeaders | Unset): `Upstash-*` headers for the run, `Upstash-Forward-*` headers for the
            endpoint. Example: {'Upstash-Workflow-RunId': 'wfr_my-workflow'}.
    """

    destination: str
    body: str | Unset = UNSET
    headers: TriggerItemHeaders | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # The JSON name of each declared property (project addition, templates/model.py.jinja).
    wire_names: ClassVar[dict[str, str]] = {
        "destination": "destination",
        "body": "body",
        "headers": "headers",
    }

    def to_dict(self) -> dict[str, Any]:
        destination = self.destination

        body = self.body

        headers: dict[str, Any] | Unset = UNSET
        if not isinstance(self.headers, Unset):
            headers = self.headers.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "destination": destination,
            }
        )
        if body is not UNSET:
            field_dict["body"] = body
        if headers is not UNSET:
            field_dict["headers"] = headers

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.trigger_item_headers import TriggerItemHeaders  # noqa: PLC0415

        d = dict(src_dict)
        destination = d.pop("destination")

        body = d.pop("body", UNSET)

        _headers = d.pop("headers", UNSET)
        headers: TriggerItemHeaders | Unset
        if isinstance(_headers, Unset):
            headers = UNSET
        else:
            headers = TriggerItemHeaders.from_dict(_headers)

        trigger_item = cls(
            destination=destination,
            body=body,
            headers=headers,
        )

        trigger_item.additional_properties = d
        return trigger_item

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
