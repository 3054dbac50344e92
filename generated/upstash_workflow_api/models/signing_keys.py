from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="SigningKeys")


@_attrs_define
class SigningKeys:
    """The keys QStash signs deliveries with (verify with both during a rotation).

    Example:
        {'current': 'sig_current', 'next': 'sig_next'}

    Attributes:
        current (str): The current signing key. Example: sig_current.
        next_ (str): The next signing key. Example: sig_next.
    """

    current: str
    next_: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # The JSON name of each declared property (project addition, templates/model.py.jinja).
    wire_names: ClassVar[dict[str, str]] = {
        "current": "current",
        "next_": "next",
    }

    def to_dict(self) -> dict[str, Any]:
        current = self.current

        next_ = self.next_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "current": current,
                "next": next_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        current = d.pop("current")

        next_ = d.pop("next")

        signing_keys = cls(
            current=current,
            next_=next_,
        )

        signing_keys.additional_properties = d
        return signing_keys

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
