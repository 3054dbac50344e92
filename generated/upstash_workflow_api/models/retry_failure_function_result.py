from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RetryFailureFunctionResult")


@_attrs_define
class RetryFailureFunctionResult:
    """The run whose failure callback was retried.

    Example:
        {'workflowRunId': 'wfr_a', 'workflowCreatedAt': 1714000000000}

    Attributes:
        workflow_run_id (str | Unset): The run id. Example: wfr_a.
        workflow_created_at (int | Unset): Unix milliseconds. Example: 1714000000000.
        error (str | Unset): Set when the retry could not be scheduled.
    """

    workflow_run_id: str | Unset = UNSET
    workflow_created_at: int | Unset = UNSET
    error: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # The JSON name of each declared property (project addition, templates/model.py.jinja).
    wire_names: ClassVar[dict[str, str]] = {
        "workflow_run_id": "workflowRunId",
        "workflow_created_at": "workflowCreatedAt",
        "error": "error",
    }

    def to_dict(self) -> dict[str, Any]:
        workflow_run_id = self.workflow_run_id

        workflow_created_at = self.workflow_created_at

        error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if workflow_run_id is not UNSET:
            field_dict["workflowRunId"] = workflow_run_id
        if workflow_created_at is not UNSET:
            field_dict["workflowCreatedAt"] = workflow_created_at
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        workflow_run_id = d.pop("workflowRunId", UNSET)

        workflow_created_at = d.pop("workflowCreatedAt", UNSET)

        error = d.pop("error", UNSET)

        retry_failure_function_result = cls(
            workflow_run_id=workflow_run_id,
            workflow_created_at=workflow_created_at,
            error=error,
        )

        retry_failure_function_result.additional_properties = d
        return retry_failure_function_result

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
