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
    from ..models.dlq_message import DLQMessage


T = TypeVar("T", bound="DLQListResult")


@_attrs_define
class DLQListResult:
    """One page of DLQ messages.

    Example:
        {'messages': [], 'cursor': ''}

    Attributes:
        messages (list[DLQMessage] | Unset): The messages.
        cursor (str | Unset): Pass to get the next page; empty or missing on the last page. Example: 2.
    """

    messages: list[DLQMessage] | Unset = UNSET
    cursor: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # The JSON name of each declared property (project addition, templates/model.py.jinja).
    wire_names: ClassVar[dict[str, str]] = {
        "messages": "messages",
        "cursor": "cursor",
    }

    def to_dict(self) -> dict[str, Any]:
        messages: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.messages, Unset):
            messages = []
            for messages_item_data in self.messages:
                messages_item = messages_item_data.to_dict()
                messages.append(messages_item)

        cursor = self.cursor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if messages is not UNSET:
            field_dict["messages"] = messages
        if cursor is not UNSET:
            field_dict["cursor"] = cursor

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.dlq_message import DLQMessage  # noqa: PLC0415

        d = dict(src_dict)
        _messages = d.pop("messages", UNSET)
        messages: list[DLQMessage] | Unset = UNSET
        if _messages is not UNSET:
            messages = []
            for messages_item_data in _messages:
                messages_item = DLQMessage.from_dict(messages_item_data)

                messages.append(messages_item)

        cursor = d.pop("cursor", UNSET)

        dlq_list_result = cls(
            messages=messages,
            cursor=cursor,
        )

        dlq_list_result.additional_properties = d
        return dlq_list_result

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
