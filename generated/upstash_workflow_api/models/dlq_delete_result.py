from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DLQDeleteResult")


@_attrs_define
class DLQDeleteResult:
    """How many DLQ messages were deleted.

    Example:
        {'deleted': 2}

    Attributes:
        deleted (int | Unset): The count. Example: 2.
        cursor (str | Unset): Set when more messages match; call again with it. Example: 2.
    """

    deleted: int | Unset = UNSET
    cursor: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # The JSON name of each declared property (project addition, templates/model.py.jinja).
    wire_names: ClassVar[dict[str, str]] = {
        "deleted": "deleted",
        "cursor": "cursor",
    }

    def to_dict(self) -> dict[str, Any]:
        deleted = self.deleted

        cursor = self.cursor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if deleted is not UNSET:
            field_dict["deleted"] = deleted
        if cursor is not UNSET:
            field_dict["cursor"] = cursor

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        deleted = d.pop("deleted", UNSET)

        cursor = d.pop("cursor", UNSET)

        dlq_delete_result = cls(
            deleted=deleted,
            cursor=cursor,
        )

        dlq_delete_result.additional_properties = d
        return dlq_delete_result

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
