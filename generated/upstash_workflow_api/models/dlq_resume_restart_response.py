from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="DLQResumeRestartResponse")


@_attrs_define
class DLQResumeRestartResponse:
    """A run started again from the DLQ.

    Example:
        {'workflowRunId': 'wfr_a', 'workflowCreatedAt': 1714000000000}

    Attributes:
        workflow_run_id (str): The run id. Example: wfr_a.
        workflow_created_at (int): Unix milliseconds. Example: 1714000000000.
    """

    workflow_run_id: str
    workflow_created_at: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        workflow_run_id = self.workflow_run_id

        workflow_created_at = self.workflow_created_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "workflowRunId": workflow_run_id,
                "workflowCreatedAt": workflow_created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        workflow_run_id = d.pop("workflowRunId")

        workflow_created_at = d.pop("workflowCreatedAt")

        dlq_resume_restart_response = cls(
            workflow_run_id=workflow_run_id,
            workflow_created_at=workflow_created_at,
        )

        dlq_resume_restart_response.additional_properties = d
        return dlq_resume_restart_response

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
