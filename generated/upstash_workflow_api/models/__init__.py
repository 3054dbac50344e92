"""Contains all the data models used in inputs/outputs"""

from .batch_message import BatchMessage
from .batch_message_headers import BatchMessageHeaders
from .batch_result import BatchResult
from .cancel_result import CancelResult
from .dlq_action_result import DLQActionResult
from .dlq_delete_result import DLQDeleteResult
from .dlq_list_result import DLQListResult
from .dlq_message import DLQMessage
from .dlq_resume_restart_response import DLQResumeRestartResponse
from .error_body import ErrorBody
from .failure_callback_info import FailureCallbackInfo
from .failure_function_log import FailureFunctionLog
from .flow_control_info import FlowControlInfo
from .get_run_logs_group_by import GetRunLogsGroupBy
from .global_parallelism import GlobalParallelism
from .header_multi_map import HeaderMultiMap
from .invoker import Invoker
from .list_dlq_source import ListDlqSource
from .notify_response import NotifyResponse
from .retry_failure_function_result import RetryFailureFunctionResult
from .signing_keys import SigningKeys
from .step_error import StepError
from .step_log import StepLog
from .step_log_group import StepLogGroup
from .trigger_item import TriggerItem
from .trigger_item_headers import TriggerItemHeaders
from .triggered_run import TriggeredRun
from .waiter import Waiter
from .workflow_run_log import WorkflowRunLog
from .workflow_run_logs import WorkflowRunLogs

__all__ = (
    "BatchMessage",
    "BatchMessageHeaders",
    "BatchResult",
    "CancelResult",
    "DLQActionResult",
    "DLQDeleteResult",
    "DLQListResult",
    "DLQMessage",
    "DLQResumeRestartResponse",
    "ErrorBody",
    "FailureCallbackInfo",
    "FailureFunctionLog",
    "FlowControlInfo",
    "GetRunLogsGroupBy",
    "GlobalParallelism",
    "HeaderMultiMap",
    "Invoker",
    "ListDlqSource",
    "NotifyResponse",
    "RetryFailureFunctionResult",
    "SigningKeys",
    "StepError",
    "StepLog",
    "StepLogGroup",
    "TriggeredRun",
    "TriggerItem",
    "TriggerItemHeaders",
    "Waiter",
    "WorkflowRunLog",
    "WorkflowRunLogs",
)
