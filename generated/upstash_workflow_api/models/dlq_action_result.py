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
    from ..models.dlq_resume_restart_response import DLQResumeRestartResponse


T = TypeVar("T", bound="DLQActionResult")


@_attrs_define
class DLQActionResult:
    """The runs resumed or restarted by one call.

    Example:
        {'workflowRuns': [{'workflowRunId': 'wfr_a', 'workflowCreatedAt': 1714000000000}]}

    Attributes:
        workflow_runs (list[DLQResumeRestartResponse] | Unset): The runs.
        cursor (str | Unset): Set when more messages match; call again with it. Example: 2.
    """

    workflow_runs: list[DLQResumeRestartResponse] | Unset = UNSET
    cursor: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # The JSON name of each declared property (project addition, templates/model.py.jinja).
    wire_names: ClassVar[dict[str, str]] = {
        "workflow_runs": "workflowRuns",
        "cursor": "cursor",
    }

    def to_dict(self) -> dict[str, Any]:
        workflow_runs: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.workflow_runs, Unset):
            workflow_runs = []
            for workflow_runs_item_data in self.workflow_runs:
                workflow_runs_item = workflow_runs_item_data.to_dict()
                workflow_runs.append(workflow_runs_item)

        cursor = self.cursor

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if workflow_runs is not UNSET:
            field_dict["workflowRuns"] = workflow_runs
        if cursor is not UNSET:
            field_dict["cursor"] = cursor

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.dlq_resume_restart_response import DLQResumeRestartResponse  # noqa: PLC0415

        d = dict(src_dict)
        _workflow_runs = d.pop("workflowRuns", UNSET)
        workflow_runs: list[DLQResumeRestartResponse] | Unset = UNSET
        if _workflow_runs is not UNSET:
            workflow_runs = []
            for workflow_runs_item_data in _workflow_runs:
                workflow_runs_item = DLQResumeRestartResponse.from_dict(
                    workflow_runs_item_data
                )

                workflow_runs.append(workflow_runs_item)

        cursor = d.pop("cursor", UNSET)

        dlq_action_result = cls(
            workflow_runs=workflow_runs,
            cursor=cursor,
        )

        dlq_action_result.additional_properties = d
        return dlq_action_result

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
