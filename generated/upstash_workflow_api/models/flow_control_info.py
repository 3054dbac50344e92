from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="FlowControlInfo")


@_attrs_define
class FlowControlInfo:
    """A flow-control key, its wait list, configuration, counts and flags. (Upstash's Workflow spec
    spells the wait list `waitlistSize`; QStash's spec and `@upstash/qstash` say `waitListSize`.
    Clients read either.)

        Example:
            {'flowControlKey': 'my-key', 'waitListSize': 5, 'parallelismMax': 3, 'parallelismCount': 1, 'rateMax': 10,
                'rateCount': 4, 'ratePeriod': 60, 'ratePeriodStart': 1714000000, 'isPaused': False, 'isPinnedParallelism':
                False, 'isPinnedRate': False}

        Attributes:
            flow_control_key (str): The key. Example: my-key.
            wait_list_size (int | Unset): Messages waiting because of the key's limits (or pause). Example: 5.
            parallelism_max (int | Unset): The configured parallelism (0: none). Example: 3.
            parallelism_count (int | Unset): Messages of the key running now. Example: 1.
            rate_max (int | Unset): The configured messages per period (0: none). Example: 10.
            rate_count (int | Unset): Messages dispatched in the current period. Example: 4.
            rate_period (int | Unset): The rate period in seconds. Example: 60.
            rate_period_start (int | Unset): Unix seconds when the current period started. Example: 1714000000.
            is_paused (bool | Unset): Deliveries are held. Example: False.
            is_pinned_parallelism (bool | Unset): The parallelism is pinned. Example: False.
            is_pinned_rate (bool | Unset): The rate is pinned. Example: False.
    """

    flow_control_key: str
    wait_list_size: int | Unset = UNSET
    parallelism_max: int | Unset = UNSET
    parallelism_count: int | Unset = UNSET
    rate_max: int | Unset = UNSET
    rate_count: int | Unset = UNSET
    rate_period: int | Unset = UNSET
    rate_period_start: int | Unset = UNSET
    is_paused: bool | Unset = UNSET
    is_pinned_parallelism: bool | Unset = UNSET
    is_pinned_rate: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # The JSON name of each declared property (project addition, templates/model.py.jinja).
    wire_names: ClassVar[dict[str, str]] = {
        "flow_control_key": "flowControlKey",
        "wait_list_size": "waitListSize",
        "parallelism_max": "parallelismMax",
        "parallelism_count": "parallelismCount",
        "rate_max": "rateMax",
        "rate_count": "rateCount",
        "rate_period": "ratePeriod",
        "rate_period_start": "ratePeriodStart",
        "is_paused": "isPaused",
        "is_pinned_parallelism": "isPinnedParallelism",
        "is_pinned_rate": "isPinnedRate",
    }

    def to_dict(self) -> dict[str, Any]:
        flow_control_key = self.flow_control_key

        wait_list_size = self.wait_list_size

        parallelism_max = self.parallelism_max

        parallelism_count = self.parallelism_count

        rate_max = self.rate_max

        rate_count = self.rate_count

        rate_period = self.rate_period

        rate_period_start = self.rate_period_start

        is_paused = self.is_paused

        is_pinned_parallelism = self.is_pinned_parallelism

        is_pinned_rate = self.is_pinned_rate

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "flowControlKey": flow_control_key,
            }
        )
        if wait_list_size is not UNSET:
            field_dict["waitListSize"] = wait_list_size
        if parallelism_max is not UNSET:
            field_dict["parallelismMax"] = parallelism_max
        if parallelism_count is not UNSET:
            field_dict["parallelismCount"] = parallelism_count
        if rate_max is not UNSET:
            field_dict["rateMax"] = rate_max
        if rate_count is not UNSET:
            field_dict["rateCount"] = rate_count
        if rate_period is not UNSET:
            field_dict["ratePeriod"] = rate_period
        if rate_period_start is not UNSET:
            field_dict["ratePeriodStart"] = rate_period_start
        if is_paused is not UNSET:
            field_dict["isPaused"] = is_paused
        if is_pinned_parallelism is not UNSET:
            field_dict["isPinnedParallelism"] = is_pinned_parallelism
        if is_pinned_rate is not UNSET:
            field_dict["isPinnedRate"] = is_pinned_rate

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        d = dict(src_dict)
        flow_control_key = d.pop("flowControlKey")

        wait_list_size = d.pop("waitListSize", UNSET)

        parallelism_max = d.pop("parallelismMax", UNSET)

        parallelism_count = d.pop("parallelismCount", UNSET)

        rate_max = d.pop("rateMax", UNSET)

        rate_count = d.pop("rateCount", UNSET)

        rate_period = d.pop("ratePeriod", UNSET)

        rate_period_start = d.pop("ratePeriodStart", UNSET)

        is_paused = d.pop("isPaused", UNSET)

        is_pinned_parallelism = d.pop("isPinnedParallelism", UNSET)

        is_pinned_rate = d.pop("isPinnedRate", UNSET)

        flow_control_info = cls(
            flow_control_key=flow_control_key,
            wait_list_size=wait_list_size,
            parallelism_max=parallelism_max,
            parallelism_count=parallelism_count,
            rate_max=rate_max,
            rate_count=rate_count,
            rate_period=rate_period,
            rate_period_start=rate_period_start,
            is_paused=is_paused,
            is_pinned_parallelism=is_pinned_parallelism,
            is_pinned_rate=is_pinned_rate,
        )

        flow_control_info.additional_properties = d
        return flow_control_info

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
