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
    from ..models.header_multi_map import HeaderMultiMap
    from ..models.step_error import StepError


T = TypeVar("T", bound="StepLog")


@_attrs_define
class StepLog:
    """One step of a run. Fields beyond the common ones depend on the step type (call, invoke, sleep,
    wait); unknown fields are kept.

        Example:
            {'stepId': 1, 'stepName': 'init', 'stepType': 'Initial', 'callType': 'step', 'messageId': 'msg_123', 'out':
                'hello', 'retries': 3, 'concurrent': 1, 'state': 'STEP_SUCCESS', 'createdAt': 1714000000000, 'headers': {}}

        Attributes:
            step_id (int | Unset): Position of the step. Example: 1.
            step_name (str | Unset): The step name. Example: init.
            step_type (str | Unset): Initial, Run, SleepFor, SleepUntil, Call, Wait, Notify, Invoke, CreateWebhook or
                WaitForWebhook. Example: Run.
            call_type (str | Unset): step, toCallback, fromCallback, parallelPlan or parallelResult. Example: step.
            message_id (str | Unset): The message that ran the step. Example: msg_123.
            out (str | Unset): The step result. Example: done.
            retries (int | Unset): Retries allowed. Example: 3.
            retry_delay (str | Unset): Retry delay expression. Example: 1000.
            concurrent (int | Unset): Parallel steps in this group. Example: 1.
            state (str | Unset): STEP_PROGRESS, STEP_SUCCESS, STEP_RETRY, STEP_FAILED or STEP_CANCELED. Example:
                STEP_SUCCESS.
            created_at (int | Unset): Unix milliseconds. Example: 1714000000000.
            headers (HeaderMultiMap | Unset): HTTP headers, each name with all its values. Example: {'Content-Type':
                ['application/json']}.
            errors (list[StepError] | Unset): Failed deliveries.
            next_delivery_time (int | Unset): Unix milliseconds of the next delivery attempt. Example: 1714000000000.
            call_url (str | Unset): context.call URL. Example: https://api.example.com.
            call_method (str | Unset): context.call method. Example: GET.
            call_headers (HeaderMultiMap | Unset): HTTP headers, each name with all its values. Example: {'Content-Type':
                ['application/json']}.
            call_body (str | Unset): context.call body.
            call_response_status (int | Unset): context.call response status. Example: 200.
            call_response_body (str | Unset): context.call response body. Example: ok.
            call_response_headers (HeaderMultiMap | Unset): HTTP headers, each name with all its values. Example: {'Content-
                Type': ['application/json']}.
            invoked_workflow_run_id (str | Unset): The invoked run. Example: wfr_b.
            invoked_workflow_url (str | Unset): The invoked workflow URL. Example: https://other.com.
            invoked_workflow_created_at (int | Unset): Unix milliseconds. Example: 1714000000000.
            invoked_workflow_run_body (Any | Unset): The invoked run's body.
            invoked_workflow_run_headers (HeaderMultiMap | Unset): HTTP headers, each name with all its values. Example:
                {'Content-Type': ['application/json']}.
            sleep_for (int | Unset): Seconds slept. Example: 10.
            sleep_until (int | Unset): Unix seconds slept until. Example: 1714000000.
            wait_event_id (str | Unset): The awaited event. Example: my-event-id.
            wait_timeout_duration (str | Unset): The wait timeout. Example: 7d.
            wait_timeout_deadline (int | Unset): Unix seconds. Example: 1714600000.
            wait_timeout (bool | Unset): True when the wait timed out. Example: False.
    """

    step_id: int | Unset = UNSET
    step_name: str | Unset = UNSET
    step_type: str | Unset = UNSET
    call_type: str | Unset = UNSET
    message_id: str | Unset = UNSET
    out: str | Unset = UNSET
    retries: int | Unset = UNSET
    retry_delay: str | Unset = UNSET
    concurrent: int | Unset = UNSET
    state: str | Unset = UNSET
    created_at: int | Unset = UNSET
    headers: HeaderMultiMap | Unset = UNSET
    errors: list[StepError] | Unset = UNSET
    next_delivery_time: int | Unset = UNSET
    call_url: str | Unset = UNSET
    call_method: str | Unset = UNSET
    call_headers: HeaderMultiMap | Unset = UNSET
    call_body: str | Unset = UNSET
    call_response_status: int | Unset = UNSET
    call_response_body: str | Unset = UNSET
    call_response_headers: HeaderMultiMap | Unset = UNSET
    invoked_workflow_run_id: str | Unset = UNSET
    invoked_workflow_url: str | Unset = UNSET
    invoked_workflow_created_at: int | Unset = UNSET
    invoked_workflow_run_body: Any | Unset = UNSET
    invoked_workflow_run_headers: HeaderMultiMap | Unset = UNSET
    sleep_for: int | Unset = UNSET
    sleep_until: int | Unset = UNSET
    wait_event_id: str | Unset = UNSET
    wait_timeout_duration: str | Unset = UNSET
    wait_timeout_deadline: int | Unset = UNSET
    wait_timeout: bool | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)
    # The JSON name of each declared property (project addition, templates/model.py.jinja).
    wire_names: ClassVar[dict[str, str]] = {
        "step_id": "stepId",
        "step_name": "stepName",
        "step_type": "stepType",
        "call_type": "callType",
        "message_id": "messageId",
        "out": "out",
        "retries": "retries",
        "retry_delay": "retryDelay",
        "concurrent": "concurrent",
        "state": "state",
        "created_at": "createdAt",
        "headers": "headers",
        "errors": "errors",
        "next_delivery_time": "nextDeliveryTime",
        "call_url": "callUrl",
        "call_method": "callMethod",
        "call_headers": "callHeaders",
        "call_body": "callBody",
        "call_response_status": "callResponseStatus",
        "call_response_body": "callResponseBody",
        "call_response_headers": "callResponseHeaders",
        "invoked_workflow_run_id": "invokedWorkflowRunId",
        "invoked_workflow_url": "invokedWorkflowUrl",
        "invoked_workflow_created_at": "invokedWorkflowCreatedAt",
        "invoked_workflow_run_body": "invokedWorkflowRunBody",
        "invoked_workflow_run_headers": "invokedWorkflowRunHeaders",
        "sleep_for": "sleepFor",
        "sleep_until": "sleepUntil",
        "wait_event_id": "waitEventId",
        "wait_timeout_duration": "waitTimeoutDuration",
        "wait_timeout_deadline": "waitTimeoutDeadline",
        "wait_timeout": "waitTimeout",
    }

    def to_dict(self) -> dict[str, Any]:
        step_id = self.step_id

        step_name = self.step_name

        step_type = self.step_type

        call_type = self.call_type

        message_id = self.message_id

        out = self.out

        retries = self.retries

        retry_delay = self.retry_delay

        concurrent = self.concurrent

        state = self.state

        created_at = self.created_at

        headers: dict[str, Any] | Unset = UNSET
        if not isinstance(self.headers, Unset):
            headers = self.headers.to_dict()

        errors: list[dict[str, Any]] | Unset = UNSET
        if not isinstance(self.errors, Unset):
            errors = []
            for errors_item_data in self.errors:
                errors_item = errors_item_data.to_dict()
                errors.append(errors_item)

        next_delivery_time = self.next_delivery_time

        call_url = self.call_url

        call_method = self.call_method

        call_headers: dict[str, Any] | Unset = UNSET
        if not isinstance(self.call_headers, Unset):
            call_headers = self.call_headers.to_dict()

        call_body = self.call_body

        call_response_status = self.call_response_status

        call_response_body = self.call_response_body

        call_response_headers: dict[str, Any] | Unset = UNSET
        if not isinstance(self.call_response_headers, Unset):
            call_response_headers = self.call_response_headers.to_dict()

        invoked_workflow_run_id = self.invoked_workflow_run_id

        invoked_workflow_url = self.invoked_workflow_url

        invoked_workflow_created_at = self.invoked_workflow_created_at

        invoked_workflow_run_body = self.invoked_workflow_run_body

        invoked_workflow_run_headers: dict[str, Any] | Unset = UNSET
        if not isinstance(self.invoked_workflow_run_headers, Unset):
            invoked_workflow_run_headers = self.invoked_workflow_run_headers.to_dict()

        sleep_for = self.sleep_for

        sleep_until = self.sleep_until

        wait_event_id = self.wait_event_id

        wait_timeout_duration = self.wait_timeout_duration

        wait_timeout_deadline = self.wait_timeout_deadline

        wait_timeout = self.wait_timeout

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
        if step_id is not UNSET:
            field_dict["stepId"] = step_id
        if step_name is not UNSET:
            field_dict["stepName"] = step_name
        if step_type is not UNSET:
            field_dict["stepType"] = step_type
        if call_type is not UNSET:
            field_dict["callType"] = call_type
        if message_id is not UNSET:
            field_dict["messageId"] = message_id
        if out is not UNSET:
            field_dict["out"] = out
        if retries is not UNSET:
            field_dict["retries"] = retries
        if retry_delay is not UNSET:
            field_dict["retryDelay"] = retry_delay
        if concurrent is not UNSET:
            field_dict["concurrent"] = concurrent
        if state is not UNSET:
            field_dict["state"] = state
        if created_at is not UNSET:
            field_dict["createdAt"] = created_at
        if headers is not UNSET:
            field_dict["headers"] = headers
        if errors is not UNSET:
            field_dict["errors"] = errors
        if next_delivery_time is not UNSET:
            field_dict["nextDeliveryTime"] = next_delivery_time
        if call_url is not UNSET:
            field_dict["callUrl"] = call_url
        if call_method is not UNSET:
            field_dict["callMethod"] = call_method
        if call_headers is not UNSET:
            field_dict["callHeaders"] = call_headers
        if call_body is not UNSET:
            field_dict["callBody"] = call_body
        if call_response_status is not UNSET:
            field_dict["callResponseStatus"] = call_response_status
        if call_response_body is not UNSET:
            field_dict["callResponseBody"] = call_response_body
        if call_response_headers is not UNSET:
            field_dict["callResponseHeaders"] = call_response_headers
        if invoked_workflow_run_id is not UNSET:
            field_dict["invokedWorkflowRunId"] = invoked_workflow_run_id
        if invoked_workflow_url is not UNSET:
            field_dict["invokedWorkflowUrl"] = invoked_workflow_url
        if invoked_workflow_created_at is not UNSET:
            field_dict["invokedWorkflowCreatedAt"] = invoked_workflow_created_at
        if invoked_workflow_run_body is not UNSET:
            field_dict["invokedWorkflowRunBody"] = invoked_workflow_run_body
        if invoked_workflow_run_headers is not UNSET:
            field_dict["invokedWorkflowRunHeaders"] = invoked_workflow_run_headers
        if sleep_for is not UNSET:
            field_dict["sleepFor"] = sleep_for
        if sleep_until is not UNSET:
            field_dict["sleepUntil"] = sleep_until
        if wait_event_id is not UNSET:
            field_dict["waitEventId"] = wait_event_id
        if wait_timeout_duration is not UNSET:
            field_dict["waitTimeoutDuration"] = wait_timeout_duration
        if wait_timeout_deadline is not UNSET:
            field_dict["waitTimeoutDeadline"] = wait_timeout_deadline
        if wait_timeout is not UNSET:
            field_dict["waitTimeout"] = wait_timeout

        return field_dict

    @classmethod
    def from_dict(cls: type[T], src_dict: Mapping[str, Any]) -> T:
        from ..models.header_multi_map import HeaderMultiMap  # noqa: PLC0415
        from ..models.step_error import StepError  # noqa: PLC0415

        d = dict(src_dict)
        step_id = d.pop("stepId", UNSET)

        step_name = d.pop("stepName", UNSET)

        step_type = d.pop("stepType", UNSET)

        call_type = d.pop("callType", UNSET)

        message_id = d.pop("messageId", UNSET)

        out = d.pop("out", UNSET)

        retries = d.pop("retries", UNSET)

        retry_delay = d.pop("retryDelay", UNSET)

        concurrent = d.pop("concurrent", UNSET)

        state = d.pop("state", UNSET)

        created_at = d.pop("createdAt", UNSET)

        _headers = d.pop("headers", UNSET)
        headers: HeaderMultiMap | Unset
        if isinstance(_headers, Unset):
            headers = UNSET
        else:
            headers = HeaderMultiMap.from_dict(_headers)

        _errors = d.pop("errors", UNSET)
        errors: list[StepError] | Unset = UNSET
        if _errors is not UNSET:
            errors = []
            for errors_item_data in _errors:
                errors_item = StepError.from_dict(errors_item_data)

                errors.append(errors_item)

        next_delivery_time = d.pop("nextDeliveryTime", UNSET)

        call_url = d.pop("callUrl", UNSET)

        call_method = d.pop("callMethod", UNSET)

        _call_headers = d.pop("callHeaders", UNSET)
        call_headers: HeaderMultiMap | Unset
        if isinstance(_call_headers, Unset):
            call_headers = UNSET
        else:
            call_headers = HeaderMultiMap.from_dict(_call_headers)

        call_body = d.pop("callBody", UNSET)

        call_response_status = d.pop("callResponseStatus", UNSET)

        call_response_body = d.pop("callResponseBody", UNSET)

        _call_response_headers = d.pop("callResponseHeaders", UNSET)
        call_response_headers: HeaderMultiMap | Unset
        if isinstance(_call_response_headers, Unset):
            call_response_headers = UNSET
        else:
            call_response_headers = HeaderMultiMap.from_dict(_call_response_headers)

        invoked_workflow_run_id = d.pop("invokedWorkflowRunId", UNSET)

        invoked_workflow_url = d.pop("invokedWorkflowUrl", UNSET)

        invoked_workflow_created_at = d.pop("invokedWorkflowCreatedAt", UNSET)

        invoked_workflow_run_body = d.pop("invokedWorkflowRunBody", UNSET)

        _invoked_workflow_run_headers = d.pop("invokedWorkflowRunHeaders", UNSET)
        invoked_workflow_run_headers: HeaderMultiMap | Unset
        if isinstance(_invoked_workflow_run_headers, Unset):
            invoked_workflow_run_headers = UNSET
        else:
            invoked_workflow_run_headers = HeaderMultiMap.from_dict(
                _invoked_workflow_run_headers
            )

        sleep_for = d.pop("sleepFor", UNSET)

        sleep_until = d.pop("sleepUntil", UNSET)

        wait_event_id = d.pop("waitEventId", UNSET)

        wait_timeout_duration = d.pop("waitTimeoutDuration", UNSET)

        wait_timeout_deadline = d.pop("waitTimeoutDeadline", UNSET)

        wait_timeout = d.pop("waitTimeout", UNSET)

        step_log = cls(
            step_id=step_id,
            step_name=step_name,
            step_type=step_type,
            call_type=call_type,
            message_id=message_id,
            out=out,
            retries=retries,
            retry_delay=retry_delay,
            concurrent=concurrent,
            state=state,
            created_at=created_at,
            headers=headers,
            errors=errors,
            next_delivery_time=next_delivery_time,
            call_url=call_url,
            call_method=call_method,
            call_headers=call_headers,
            call_body=call_body,
            call_response_status=call_response_status,
            call_response_body=call_response_body,
            call_response_headers=call_response_headers,
            invoked_workflow_run_id=invoked_workflow_run_id,
            invoked_workflow_url=invoked_workflow_url,
            invoked_workflow_created_at=invoked_workflow_created_at,
            invoked_workflow_run_body=invoked_workflow_run_body,
            invoked_workflow_run_headers=invoked_workflow_run_headers,
            sleep_for=sleep_for,
            sleep_until=sleep_until,
            wait_event_id=wait_event_id,
            wait_timeout_duration=wait_timeout_duration,
            wait_timeout_deadline=wait_timeout_deadline,
            wait_timeout=wait_timeout,
        )

        step_log.additional_properties = d
        return step_log

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
