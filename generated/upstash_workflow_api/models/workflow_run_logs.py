from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.workflow_run_log import WorkflowRunLog


T = TypeVar("T", bound="WorkflowRunLogs")


@_attrs_define
class WorkflowRunLogs:
    """One page of run logs.

    Example:
        {'cursor': '', 'runs': []}

    Attributes:
        runs (list[WorkflowRunLog]): The runs on this page.
        cursor (str | Unset): Pass to get the next page; empty or missing on the last page. Example: 20.
    """

    runs: list[WorkflowRunLog]
    cursor: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        runs = []
        for runs_item_data in self.runs:
            runs_item = runs_item_data.to_dict()
            runs.append(runs_item)

        cursor = self.cursor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "runs": runs,
            }
        )
        if cursor is not UNSET:
            field_dict["cursor"] = cursor

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.workflow_run_log import WorkflowRunLog  # noqa: PLC0415

        d = dict(src_dict)
        runs = []
        _runs = d.pop("runs")
        for runs_item_data in _runs:
            runs_item = WorkflowRunLog.from_dict(runs_item_data)

            runs.append(runs_item)

        cursor = d.pop("cursor", UNSET)

        workflow_run_logs = cls(
            runs=runs,
            cursor=cursor,
        )

        workflow_run_logs.additional_properties = d
        return workflow_run_logs

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
