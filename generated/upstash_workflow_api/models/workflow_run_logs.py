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
    from ..models.workflow_run_log import WorkflowRunLog


T = TypeVar("T", bound="WorkflowRunLogs")


@_attrs_define
class WorkflowRunLogs:
    """One page of run logs.

    Example:
        {'cursor': '', 'runs': []}

    Attributes:
        cursor (str | Unset): Pass to get the next page; empty or missing on the last page. Example: 20.
        runs (list[WorkflowRunLog] | Unset): The runs on this page.
    """

    cursor: str | Unset = UNSET
    runs: list[WorkflowRunLog] | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # The JSON name of each declared property (project addition, templates/model.py.jinja).
    wire_names: ClassVar[dict[str, str]] = {
        "cursor": "cursor",
        "runs": "runs",
    }

    def to_dict(self) -> dict[str, Any]:
        cursor = self.cursor

        runs: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.runs, Unset):
            runs = []
            for runs_item_data in self.runs:
                runs_item = runs_item_data.to_dict()
                runs.append(runs_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if cursor is not UNSET:
            field_dict["cursor"] = cursor
        if runs is not UNSET:
            field_dict["runs"] = runs

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.workflow_run_log import WorkflowRunLog  # noqa: PLC0415

        d = dict(src_dict)
        cursor = d.pop("cursor", UNSET)

        _runs = d.pop("runs", UNSET)
        runs: list[WorkflowRunLog] | Unset = UNSET
        if _runs is not UNSET:
            runs = []
            for runs_item_data in _runs:
                runs_item = WorkflowRunLog.from_dict(runs_item_data)

                runs.append(runs_item)

        workflow_run_logs = cls(
            cursor=cursor,
            runs=runs,
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
