from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.waiter import Waiter


T = TypeVar("T", bound="NotifyResponse")


@_attrs_define
class NotifyResponse:
    """The result of notifying one waiter.

    Example:
        {'waiter': {'url': 'https://workflow-endpoint.com', 'deadline': 1714003600, 'headers': {}}, 'messageId':
            'msg_123', 'error': ''}

    Attributes:
        waiter (Waiter): A workflow run waiting for an event. Example: {'url': 'https://workflow-endpoint.com',
            'deadline': 1714003600, 'headers': {'Upstash-Workflow-Runid': ['wfr_a']}}.
        message_id (str): The message that resumes the run. Example: msg_123.
        error (str): Empty on success.
    """

    waiter: Waiter
    message_id: str
    error: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        waiter = self.waiter.to_dict()

        message_id = self.message_id

        error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "waiter": waiter,
                "messageId": message_id,
                "error": error,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.waiter import Waiter  # noqa: PLC0415

        d = dict(src_dict)
        waiter = Waiter.from_dict(d.pop("waiter"))

        message_id = d.pop("messageId")

        error = d.pop("error")

        notify_response = cls(
            waiter=waiter,
            message_id=message_id,
            error=error,
        )

        notify_response.additional_properties = d
        return notify_response

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
