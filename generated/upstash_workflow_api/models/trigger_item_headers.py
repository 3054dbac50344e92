from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="TriggerItemHeaders")


@_attrs_define
class TriggerItemHeaders:
    """`Upstash-*` headers for the run, `Upstash-Forward-*` headers for the endpoint.

    Example:
        {'Upstash-Workflow-RunId': 'wfr_my-workflow'}

    Attributes:
        upstash_retries (str | Unset): Retries of each step. Example: 3.
        upstash_failure_callback_retries (str | Unset): Retries of the failure callback. Example: 3.
        upstash_not_before (str | Unset): Unix seconds before which the run does not start. Example: 1714000000.
        upstash_delay (str | Unset): A delay such as 10s, 5m, 2h or 1d. Example: 10s.
        upstash_flow_control_value (str | Unset): Flow-control limits of the run. Example: parallelism=3, rate=10,
            period=1m.
        upstash_failure_callback_flow_control_value (str | Unset): Flow-control limits of the failure callback. Example:
            parallelism=3.
    """

    upstash_retries: str | Unset = UNSET
    upstash_failure_callback_retries: str | Unset = UNSET
    upstash_not_before: str | Unset = UNSET
    upstash_delay: str | Unset = UNSET
    upstash_flow_control_value: str | Unset = UNSET
    upstash_failure_callback_flow_control_value: str | Unset = UNSET
    additional_properties: dict[str, str] = _attrs_field(init=False, factory=dict)
    # The JSON name of each declared property (project addition, templates/model.py.jinja).
    wire_names: ClassVar[dict[str, str]] = {
        "upstash_retries": "upstash-retries",
        "upstash_failure_callback_retries": "upstash-failure-callback-retries",
        "upstash_not_before": "upstash-not-before",
        "upstash_delay": "upstash-delay",
        "upstash_flow_control_value": "upstash-flow-control-value",
        "upstash_failure_callback_flow_control_value": "upstash-failure-callback-flow-control-value",
    }

    def to_dict(self) -> dict[str, Any]:
        upstash_retries = self.upstash_retries

        upstash_failure_callback_retries = self.upstash_failure_callback_retries

        upstash_not_before = self.upstash_not_before

        upstash_delay = self.upstash_delay

        upstash_flow_control_value = self.upstash_flow_control_value

        upstash_failure_callback_flow_control_value = (
            self.upstash_failure_callback_flow_control_value
        )

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if upstash_retries is not UNSET:
            field_dict["upstash-retries"] = upstash_retries
        if upstash_failure_callback_retries is not UNSET:
            field_dict["upstash-failure-callback-retries"] = (
                upstash_failure_callback_retries
            )
        if upstash_not_before is not UNSET:
            field_dict["upstash-not-before"] = upstash_not_before
        if upstash_delay is not UNSET:
            field_dict["upstash-delay"] = upstash_delay
        if upstash_flow_control_value is not UNSET:
            field_dict["upstash-flow-control-value"] = upstash_flow_control_value
        if upstash_failure_callback_flow_control_value is not UNSET:
            field_dict["upstash-failure-callback-flow-control-value"] = (
                upstash_failure_callback_flow_control_value
            )

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        upstash_retries = d.pop("upstash-retries", UNSET)

        upstash_failure_callback_retries = d.pop(
            "upstash-failure-callback-retries", UNSET
        )

        upstash_not_before = d.pop("upstash-not-before", UNSET)

        upstash_delay = d.pop("upstash-delay", UNSET)

        upstash_flow_control_value = d.pop("upstash-flow-control-value", UNSET)

        upstash_failure_callback_flow_control_value = d.pop(
            "upstash-failure-callback-flow-control-value", UNSET
        )

        trigger_item_headers = cls(
            upstash_retries=upstash_retries,
            upstash_failure_callback_retries=upstash_failure_callback_retries,
            upstash_not_before=upstash_not_before,
            upstash_delay=upstash_delay,
            upstash_flow_control_value=upstash_flow_control_value,
            upstash_failure_callback_flow_control_value=upstash_failure_callback_flow_control_value,
        )

        trigger_item_headers.additional_properties = d
        return trigger_item_headers

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> str:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: str) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
