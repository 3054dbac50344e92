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
    from ..models.step_log import StepLog


T = TypeVar("T", bound="StepLogGroup")


@_attrs_define
class StepLogGroup:
    """Steps that ran together: `sequential` (one step), `parallel`, or `next` (in progress).

    Example:
        {'type': 'sequential', 'steps': [{'messageId': 'msg_123', 'stepName': 'init', 'state': 'STEP_SUCCESS'}]}

    Attributes:
        type_ (str | Unset): sequential, parallel or next. Example: sequential.
        steps (list[StepLog] | Unset): The steps.
    """

    type_: str | Unset = UNSET
    steps: list[StepLog] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # The JSON name of each declared property (project addition, templates/model.py.jinja).
    wire_names: ClassVar[dict[str, str]] = {
        "type_": "type",
        "steps": "steps",
    }

    def to_dict(self) -> dict[str, Any]:
        type_ = self.type_

        steps: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.steps, Unset):
            steps = []
            for steps_item_data in self.steps:
                steps_item = steps_item_data.to_dict()
                steps.append(steps_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if type_ is not UNSET:
            field_dict["type"] = type_
        if steps is not UNSET:
            field_dict["steps"] = steps

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.step_log import StepLog  # noqa: PLC0415

        d = dict(src_dict)
        type_ = d.pop("type", UNSET)

        _steps = d.pop("steps", UNSET)
        steps: list[StepLog] | Unset = UNSET
        if _steps is not UNSET:
            steps = []
            for steps_item_data in _steps:
                steps_item = StepLog.from_dict(steps_item_data)

                steps.append(steps_item)

        step_log_group = cls(
            type_=type_,
            steps=steps,
        )

        step_log_group.additional_properties = d
        return step_log_group

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
