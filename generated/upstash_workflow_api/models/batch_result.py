from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="BatchResult")


@_attrs_define
class BatchResult:
    """The result for one message of a batch.

    Example:
        {'messageId': 'msg_123', 'url': 'https://workflow-endpoint.com'}

    Attributes:
        message_id (str): The id of the published message. Example: msg_123.
        url (str | Unset): The destination. Example: https://workflow-endpoint.com.
        deduplicated (bool | Unset): True when an identical message was already published. Example: False.
        workflow_run_id (str | Unset): The run id, when the server reports it. Example: wfr_my-workflow.
    """

    message_id: str
    url: str | Unset = UNSET
    deduplicated: bool | Unset = UNSET
    workflow_run_id: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        message_id = self.message_id

        url = self.url

        deduplicated = self.deduplicated

        workflow_run_id = self.workflow_run_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "messageId": message_id,
            }
        )
        if url is not UNSET:
            field_dict["url"] = url
        if deduplicated is not UNSET:
            field_dict["deduplicated"] = deduplicated
        if workflow_run_id is not UNSET:
            field_dict["workflowRunId"] = workflow_run_id

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        message_id = d.pop("messageId")

        url = d.pop("url", UNSET)

        deduplicated = d.pop("deduplicated", UNSET)

        workflow_run_id = d.pop("workflowRunId", UNSET)

        batch_result = cls(
            message_id=message_id,
            url=url,
            deduplicated=deduplicated,
            workflow_run_id=workflow_run_id,
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
