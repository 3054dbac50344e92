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
    from ..models.batch_message_headers import BatchMessageHeaders


T = TypeVar("T", bound="BatchMessage")


@_attrs_define
class BatchMessage:
    """One message of a batch; for a workflow run, its first invocation.

    Example:
        {'destination': 'https://workflow-endpoint.com', 'headers': {'upstash-workflow-init': 'true', 'upstash-workflow-
            runid': 'wfr_my-workflow'}, 'body': 'hello there!'}

    Attributes:
        destination (str): The workflow endpoint URL. Example: https://workflow-endpoint.com.
        headers (BatchMessageHeaders): Headers for QStash (`upstash-*`) and, prefixed `upstash-forward-`, for the
            endpoint. Example: {'upstash-workflow-runid': 'wfr_my-workflow'}.
        body (str | Unset): The initial payload, sent as-is. Example: hello there!.
    """

    destination: str
    headers: BatchMessageHeaders
    body: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # The JSON name of each declared property (project addition, templates/model.py.jinja).
    wire_names: ClassVar[dict[str, str]] = {
        "destination": "destination",
        "headers": "headers",
        "body": "body",
    }

    def to_dict(self) -> dict[str, Any]:
        destination = self.destination

        headers = self.headers.to_dict()

        body = self.body

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "destination": destination,
                "headers": headers,
            }
        )
        if body is not UNSET:
            field_dict["body"] = body

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.batch_message_headers import BatchMessageHeaders  # noqa: PLC0415

        d = dict(src_dict)
        destination = d.pop("destination")

        headers = BatchMessageHeaders.from_dict(d.pop("headers"))

        body = d.pop("body", UNSET)

        batch_message = cls(
            destination=destination,
            headers=headers,
            body=body,
        )

        batch_message.additional_properties = d
        return batch_message

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
