from __future__ import annotations

from collections.abc import Mapping
from typing import (
    TYPE_CHECKING,
    Any,
    ClassVar,
    TypeVar,
    cast,
)

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.failure_function_log import FailureFunctionLog
    from ..models.invoker import Invoker
    from ..models.step_log_group import StepLogGroup


T = TypeVar("T", bound="WorkflowRunLog")


@_attrs_define
class WorkflowRunLog:
    """One workflow run with its steps.

    Example:
        {'workflowRunId': 'wfr_a', 'workflowUrl': 'https://workflow-endpoint.com', 'workflowState': 'RUN_SUCCESS',
            'workflowRunCreatedAt': 1714000000000, 'steps': []}

    Attributes:
        workflow_run_id (str | Unset): The run id. Example: wfr_my-workflow.
        workflow_url (str | Unset): The workflow URL. Example: https://workflow-endpoint.com.
        workflow_state (str | Unset): RUN_STARTED, RUN_SUCCESS, RUN_FAILED or RUN_CANCELED. Example: RUN_SUCCESS.
        workflow_run_created_at (int | Unset): Unix milliseconds. Example: 1714000000000.
        workflow_run_completed_at (int | Unset): Unix milliseconds. Example: 1714000005000.
        workflow_run_caller_ip (str | Unset): The IP the run was started from. Example: 203.0.113.7.
        failure_function (FailureFunctionLog | Unset): The failure callback of a failed run. Example: {'messageId':
            'msg_456', 'url': 'https://workflow-endpoint.com', 'state': 'CALLBACK_SUCCESS', 'failStatus': 500,
            'failResponse': 'boom'}.
        steps (list[StepLogGroup] | Unset): Step groups, newest first.
        workflow_run_response (str | Unset): The run's final result. Example: done.
        invoker (Invoker | Unset): The run that invoked this run. Example: {'workflowRunId': 'wfr_parent',
            'workflowUrl': 'https://workflow-endpoint.com', 'workflowRunCreatedAt': 1714000000000}.
        dlq_id (str | Unset): Set when the run is in the DLQ. Example: dlq_123.
        label (str | Unset): Deprecated; the first label. Example: my-label.
        labels (list[str] | Unset): The run's labels. Example: ['my-label'].
        flow_control_key (str | Unset): The run's flow-control key. Example: my-key.
    """

    workflow_run_id: str | Unset = UNSET
    workflow_url: str | Unset = UNSET
    workflow_state: str | Unset = UNSET
    workflow_run_created_at: int | Unset = UNSET
    workflow_run_completed_at: int | Unset = UNSET
    workflow_run_caller_ip: str | Unset = UNSET
    failure_function: FailureFunctionLog | Unset = UNSET
    steps: list[StepLogGroup] | Unset = UNSET
    workflow_run_response: str | Unset = UNSET
    invoker: Invoker | Unset = UNSET
    dlq_id: str | Unset = UNSET
    label: str | Unset = UNSET
    labels: list[str] | Unset = UNSET
    flow_control_key: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # The JSON name of each declared property (project addition, templates/model.py.jinja).
    wire_names: ClassVar[dict[str, str]] = {
        "workflow_run_id": "workflowRunId",
        "workflow_url": "workflowUrl",
        "workflow_state": "workflowState",
        "workflow_run_created_at": "workflowRunCreatedAt",
        "workflow_run_completed_at": "workflowRunCompletedAt",
        "workflow_run_caller_ip": "workflowRunCallerIp",
        "failure_function": "failureFunction",
        "steps": "steps",
        "workflow_run_response": "workflowRunResponse",
        "invoker": "invoker",
        "dlq_id": "dlqId",
        "label": "label",
        "labels": "labels",
        "flow_control_key": "flowControlKey",
    }

    def to_dict(self) -> dict[str, Any]:
        workflow_run_id = self.workflow_run_id

        workflow_url = self.workflow_url

        workflow_state = self.workflow_state

        workflow_run_created_at = self.workflow_run_created_at

        workflow_run_completed_at = self.workflow_run_completed_at

        workflow_run_caller_ip = self.workflow_run_caller_ip

        failure_function: dict[str, Any] | Unset = UNSET
        if not isinstance(self.failure_function, Unset):
            failure_function = self.failure_function.to_dict()

        steps: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.steps, Unset):
            steps = []
            for steps_item_data in self.steps:
                steps_item = steps_item_data.to_dict()
                steps.append(steps_item)

        workflow_run_response = self.workflow_run_response

        invoker: dict[str, Any] | Unset = UNSET
        if not isinstance(self.invoker, Unset):
            invoker = self.invoker.to_dict()

        dlq_id = self.dlq_id

        label = self.label

        labels: list[str] | Unset = UNSET
        if not isinstance(self.labels, Unset):
            labels = self.labels

        flow_control_key = self.flow_control_key

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if workflow_run_id is not UNSET:
            field_dict["workflowRunId"] = workflow_run_id
        if workflow_url is not UNSET:
            field_dict["workflowUrl"] = workflow_url
        if workflow_state is not UNSET:
            field_dict["workflowState"] = workflow_state
        if workflow_run_created_at is not UNSET:
            field_dict["workflowRunCreatedAt"] = workflow_run_created_at
        if workflow_run_completed_at is not UNSET:
            field_dict["workflowRunCompletedAt"] = workflow_run_completed_at
        if workflow_run_caller_ip is not UNSET:
            field_dict["workflowRunCallerIp"] = workflow_run_caller_ip
        if failure_function is not UNSET:
            field_dict["failureFunction"] = failure_function
        if steps is not UNSET:
            field_dict["steps"] = steps
        if workflow_run_response is not UNSET:
            field_dict["workflowRunResponse"] = workflow_run_response
        if invoker is not UNSET:
            field_dict["invoker"] = invoker
        if dlq_id is not UNSET:
            field_dict["dlqId"] = dlq_id
        if label is not UNSET:
            field_dict["label"] = label
        if labels is not UNSET:
            field_dict["labels"] = labels
        if flow_control_key is not UNSET:
            field_dict["flowControlKey"] = flow_control_key

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.failure_function_log import FailureFunctionLog  # noqa: PLC0415
        from ..models.invoker import Invoker  # noqa: PLC0415
        from ..models.step_log_group import StepLogGroup  # noqa: PLC0415

        d = dict(src_dict)
        workflow_run_id = d.pop("workflowRunId", UNSET)

        workflow_url = d.pop("workflowUrl", UNSET)

        workflow_state = d.pop("workflowState", UNSET)

        workflow_run_created_at = d.pop("workflowRunCreatedAt", UNSET)

        workflow_run_completed_at = d.pop("workflowRunCompletedAt", UNSET)

        workflow_run_caller_ip = d.pop("workflowRunCallerIp", UNSET)

        _failure_function = d.pop("failureFunction", UNSET)
        failure_function: FailureFunctionLog | Unset
        if isinstance(_failure_function, Unset):
            failure_function = UNSET
        else:
            failure_function = FailureFunctionLog.from_dict(_failure_function)

        _steps = d.pop("steps", UNSET)
        steps: list[StepLogGroup] | Unset = UNSET
        if _steps is not UNSET:
            steps = []
            for steps_item_data in _steps:
                steps_item = StepLogGroup.from_dict(steps_item_data)

                steps.append(steps_item)

        workflow_run_response = d.pop("workflowRunResponse", UNSET)

        _invoker = d.pop("invoker", UNSET)
        invoker: Invoker | Unset
        if isinstance(_invoker, Unset):
            invoker = UNSET
        else:
            invoker = Invoker.from_dict(_invoker)

        dlq_id = d.pop("dlqId", UNSET)

        label = d.pop("label", UNSET)

        labels = cast(list[str], d.pop("labels", UNSET))

        flow_control_key = d.pop("flowControlKey", UNSET)

        workflow_run_log = cls(
            workflow_run_id=workflow_run_id,
            workflow_url=workflow_url,
            workflow_state=workflow_state,
            workflow_run_created_at=workflow_run_created_at,
            workflow_run_completed_at=workflow_run_completed_at,
            workflow_run_caller_ip=workflow_run_caller_ip,
            failure_function=failure_function,
            steps=steps,
            workflow_run_response=workflow_run_response,
            invoker=invoker,
            dlq_id=dlq_id,
            label=label,
            labels=labels,
            flow_control_key=flow_control_key,
        )

        workflow_run_log.additional_properties = d
        return workflow_run_log

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
