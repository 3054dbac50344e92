from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TriggeredRun")


@_attrs_define
class TriggeredRun:
    """A run started by `/v2/trigger` or `/v2/batch/trigger`.

    Example:
        {'workflowRunId': 'wfr_my-workflow', 'workflowCreatedAt': 1714000000000}

    Attributes:
        workflow_run_id (str): The run id. Example: wfr_my-workflow.
        workflow_created_at (int | Unset): Unix milliseconds. Example: 1714000000000.
        deduplicated (bool | Unset): True when a run with this id already existed. Example: False.
    """

    workflow_run_id: str
    workflow_created_at: int | Unset = UNSET
    deduplicated: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # The JSON name of each declared property (project addition, templates/model.py.jinja).
    wire_names: ClassVar[dict[str, str]] = {
        "workflow_run_id": "workflowRunId",
        "workflow_created_at": "workflowCreatedAt",
        "deduplicated": "deduplicated",
    }

    def to_dict(self) -> dict[str, Any]:
        workflow_run_id = self.workflow_run_id

        workflow_created_at = self.workflow_created_at

        deduplicated = self.deduplicated

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "workflowRunId": workflow_run_id,
            }
        )
        if workflow_created_at is not UNSET:
            field_dict["workflowCreatedAt"] = workflow_created_at
        if deduplicated is not UNSET:
            field_dict["deduplicated"] = deduplicated

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        workflow_run_id = d.pop("workflowRunId")

        workflow_created_at = d.pop("workflowCreatedAt", UNSET)

        deduplicated = d.pop("deduplicated", UNSET)

        triggered_run = cls(
            workflow_run_id=workflow_run_id,
            workflow_created_at=workflow_created_at,
            deduplicated=deduplicated,
        )

        triggered_run.additional_properties = d
        return triggered_run

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
