from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="Invoker")


@_attrs_define
class Invoker:
    """The run that invoked this run.

    Example:
        {'workflowRunId': 'wfr_parent', 'workflowUrl': 'https://workflow-endpoint.com', 'workflowRunCreatedAt':
            1714000000000}

    Attributes:
        workflow_run_id (str | Unset): The invoking run. Example: wfr_parent.
        workflow_url (str | Unset): Its workflow URL. Example: https://workflow-endpoint.com.
        workflow_run_created_at (int | Unset): Unix milliseconds. Example: 1714000000000.
    """

    workflow_run_id: str | Unset = UNSET
    workflow_url: str | Unset = UNSET
    workflow_run_created_at: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # The JSON name of each declared property (project addition, templates/model.py.jinja).
    wire_names: ClassVar[dict[str, str]] = {
        "workflow_run_id": "workflowRunId",
        "workflow_url": "workflowUrl",
        "workflow_run_created_at": "workflowRunCreatedAt",
    }

    def to_dict(self) -> dict[str, Any]:
        workflow_run_id = self.workflow_run_id

        workflow_url = self.workflow_url

        workflow_run_created_at = self.workflow_run_created_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if workflow_run_id is not UNSET:
            field_dict["workflowRunId"] = workflow_run_id
        if workflow_url is not UNSET:
            field_dict["workflowUrl"] = workflow_url
        if workflow_run_created_at is not UNSET:
            field_dict["workflowRunCreatedAt"] = workflow_run_created_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        workflow_run_id = d.pop("workflowRunId", UNSET)

        workflow_url = d.pop("workflowUrl", UNSET)

        workflow_run_created_at = d.pop("workflowRunCreatedAt", UNSET)

        invoker = cls(
            workflow_run_id=workflow_run_id,
            workflow_url=workflow_url,
            workflow_run_created_at=workflow_run_created_at,
        )

        invoker.additional_properties = d
        return invoker

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
