"""Typed Python client for the Upstash Workflow REST API.

    from upstash_workflow import Client
    with Client() as client:                     # QSTASH_TOKEN from the environment
        run = client.trigger(url="https://my-app.com/api/workflow", body={"hello": "world"})
        print(run.workflow_run_id)               # wfr_...

The generated low-level package is importable as `upstash_workflow_api` and reachable as `client.api`.
"""

from ._client import DLQ, AsyncClient, AsyncDLQ, Client
from ._config import InsecureTransportWarning
from ._errors import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    BurstRateLimitError,
    ChatRateLimitError,
    ConfigurationError,
    DailyRateLimitError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitError,
    ServerError,
    WorkflowError,
)
from ._models import (
    CancelFilter,
    CancelResult,
    DLQActionResult,
    DLQDeleteResult,
    DLQFilter,
    DLQListResult,
    DLQMessage,
    DLQResumeRestartResponse,
    FailureCallbackInfo,
    FailureFunctionLog,
    FlowControl,
    Invoker,
    NotifyResponse,
    Redact,
    RetryFailureFunctionResult,
    StepError,
    StepLog,
    StepLogGroup,
    TriggerRequest,
    TriggerResult,
    Waiter,
    WorkflowRunLog,
    WorkflowRunLogs,
)
from ._retry import RetryPolicy
from ._version import __version__

__all__ = [
    "DLQ",
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncClient",
    "AsyncDLQ",
    "AuthenticationError",
    "BadRequestError",
    "BurstRateLimitError",
    "CancelFilter",
    "CancelResult",
    "ChatRateLimitError",
    "Client",
    "ConfigurationError",
    "DLQActionResult",
    "DLQDeleteResult",
    "DLQFilter",
    "DLQListResult",
    "DLQMessage",
    "DLQResumeRestartResponse",
    "DailyRateLimitError",
    "FailureCallbackInfo",
    "FailureFunctionLog",
    "FlowControl",
    "InsecureTransportWarning",
    "InvalidArgumentError",
    "InvalidArgumentTypeError",
    "Invoker",
    "NotFoundError",
    "NotifyResponse",
    "PermissionDeniedError",
    "RateLimitError",
    "Redact",
    "RetryFailureFunctionResult",
    "RetryPolicy",
    "ServerError",
    "StepError",
    "StepLog",
    "StepLogGroup",
    "TriggerRequest",
    "TriggerResult",
    "Waiter",
    "WorkflowError",
    "WorkflowRunLog",
    "WorkflowRunLogs",
    "__version__",
]
