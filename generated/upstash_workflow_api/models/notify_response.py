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
    from ..models.waiter import Waiter


T = TypeVar("T", bound="NotifyResponse")


@_attrs_define
class NotifyResponse:
    """The result of notifying one waiter (or, for a single run, of saving the event for it).

    Example:
        {'waiter': {'url': 'https://workflow-endpoint.com', 'deadline': 1714003600, 'headers': {}}, 'messageId':
            'msg_123', 'error': ''}

    Attributes:
        waiter (Waiter | Unset): A workflow run waiting for an event. Example: {'url': 'https://workflow-endpoint.com',
            'deadline': 1714003600, 'headers': {'Upstash-Workflow-Runid': ['wfr_a']}}.
        message_id (str | Unset): The message that resumes the run. Example: msg_123.
        deduplicated (bool | Unset): True when this notification was already delivered. Example: False.
        error (str | Unset): Empty on success.
        workflow_run_id (str | Unset): The notified run. Example: wfr_my-workflow.
        workflow_created_at (int | Unset): Unix milliseconds. Example: 1714000000000.
    """

    waiter: Waiter | Unset = UNSET
    message_id: str | Unset = UNSET
    deduplicated: bool | Unset = UNSET
    error: str | Unset = UNSET
    workflow_run_id: str | Unset = UNSET
    workflow_created_at: int | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # The JSON name of each declared property (project addition, templates/model.py.jinja).
    wire_names: ClassVar[dict[str, str]] = {
        "waiter": "waiter",
        "message_id": "messageId",
        "deduplicated": "deduplicated",
        "error": "error",
        "workflow_run_id": "workflowRunId",
        "workflow_created_at": "workflowCreatedAt",
    }

    def to_dict(self) -> dict[str, Any]:
        waiter: dict[str, Any] | Unset = UNSET
        if not isinstance(self.waiter, Unset):
            waiter = self.waiter.to_dict()

        message_id = self.message_id

        deduplicated = self.deduplicated

        error = self.error

        workflow_run_id = self.workflow_run_id

        workflow_created_at = self.workflow_created_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if waiter is not UNSET:
            field_dict["waiter"] = waiter
        if message_id is not UNSET:
            field_dict["messageId"] = message_id
        if deduplicated is not UNSET:
            field_dict["deduplicated"] = deduplicated
        if error is not UNSET:
            field_dict["error"] = error
        if workflow_run_id is not UNSET:
            field_dict["workflowRunId"] = workflow_run_id
        if workflow_created_at is not UNSET:
            field_dict["workflowCreatedAt"] = workflow_created_at

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.waiter import Waiter  # noqa: PLC0415

        d = dict(src_dict)
        _waiter = d.pop("waiter", UNSET)
        waiter: Waiter | Unset
        if isinstance(_waiter, Unset):
            waiter = UNSET
        else:
            waiter = Waiter.from_dict(_waiter)

        message_id = d.pop("messageId", UNSET)

        deduplicated = d.pop("deduplicated", UNSET)

        error = d.pop("error", UNSET)

        workflow_run_id = d.pop("workflowRunId", UNSET)

        workflow_created_at = d.pop("workflowCreatedAt", UNSET)

        notify_response = cls(
            waiter=waiter,
            message_id=message_id,
            deduplicated=deduplicated,
            error=error,
            workflow_run_id=workflow_run_id,
            workflow_created_at=workflow_created_at,
        )

        notify_response.additional_properties = d
        return notify_response

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
