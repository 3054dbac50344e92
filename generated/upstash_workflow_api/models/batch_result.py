from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="BatchResult")


@_attrs_define
class BatchResult:
    """The result for one message of a batch. QStash answers one entry per message, in request order;
    a message that could not be published gets an entry with only `error`, while the others are
    still published.

        Example:
            {'messageId': 'msg_123', 'url': 'https://workflow-endpoint.com'}

        Attributes:
            message_id (str | Unset): The id of the published message (the existing one when deduplicated). Example:
                msg_123.
            url (str | Unset): The destination. Example: https://workflow-endpoint.com.
            deduplicated (bool | Unset): True when the run id was already used, so nothing new was started. Example: False.
            workflow_run_id (str | Unset): The run id, when the server reports it. Example: wfr_my-workflow.
            workflow_created_at (int | Unset): Unix milliseconds, when the server reports it. Example: 1714000000000.
            error (str | Unset): Why this message was not published (the others may have been). Example: invalid destination
                url.
    """

    message_id: str | Unset = UNSET
    url: str | Unset = UNSET
    deduplicated: bool | Unset = UNSET
    workflow_run_id: str | Unset = UNSET
    workflow_created_at: int | Unset = UNSET
    error: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # The JSON name of each declared property (project addition, templates/model.py.jinja).
    wire_names: ClassVar[dict[str, str]] = {
        "message_id": "messageId",
        "url": "url",
        "deduplicated": "deduplicated",
        "workflow_run_id": "workflowRunId",
        "workflow_created_at": "workflowCreatedAt",
        "error": "error",
    }

    def to_dict(self) -> dict[str, Any]:
        message_id = self.message_id

        url = self.url

        deduplicated = self.deduplicated

        workflow_run_id = self.workflow_run_id

        workflow_created_at = self.workflow_created_at

        error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if message_id is not UNSET:
            field_dict["messageId"] = message_id
        if url is not UNSET:
            field_dict["url"] = url
        if deduplicated is not UNSET:
            field_dict["deduplicated"] = deduplicated
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
        message_id = d.pop("messageId", UNSET)

        url = d.pop("url", UNSET)

        deduplicated = d.pop("deduplicated", UNSET)

        workflow_run_id = d.pop("workflowRunId", UNSET)

        workflow_created_at = d.pop("workflowCreatedAt", UNSET)

        error = d.pop("error", UNSET)

        batch_result = cls(
            message_id=message_id,
            url=url,
            deduplicated=deduplicated,
            workflow_run_id=workflow_run_id,
            workflow_created_at=workflow_created_at,
            error=error,
        )

        batch_result.additional_properties = d
        return batch_result

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
