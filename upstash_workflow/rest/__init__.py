"""Typed Python client for the Upstash Workflow REST API.

    from upstash_workflow.rest import Client
    with Client() as client:                     # QSTASH_TOKEN from the environment
        run = client.trigger(url="https://my-app.com/api/workflow", body={"hello": "world"})
        print(run.workflow_run_id)               # wfr_...

The generated low-level package is importable as `upstash_workflow_api` and reachable as `client.api`.
"""

from ._api import (
    DLQ,
    AsyncClient,
    AsyncDLQ,
    AsyncFlowControlManager,
    AsyncSigningKeyManager,
    Client,
    FlowControlManager,
    SigningKeyManager,
)
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
    ClientClosedError,
    ClientStateError,
    ConfigurationError,
    DailyRateLimitError,
    InvalidArgumentError,
    InvalidArgumentTypeError,
    NotFoundError,
    PartialTriggerError,
    PermissionDeniedError,
    RateLimitError,
    ResponseTooLargeError,
    ServerError,
    TriggerRejectedError,
    WorkflowError,
)
from ._fanout import TriggerOutcome
from ._models import CancelFilter, DLQFilter, FlowControl, Redact, TriggerRequest

# The result classes load with the client: the generated methods' annotations name them, so that
# typing.get_type_hints resolves (they used to be imported on first access).
from ._results import (
    CancelResult,
    DLQActionResult,
    DLQDeleteResult,
    DLQListResult,
    DLQMessage,
    DLQResumeRestartResponse,
    FailureCallbackInfo,
    FailureFunctionLog,
    FlowControlInfo,
    GlobalParallelism,
    Invoker,
    NotifyResponse,
    RetryFailureFunctionResult,
    SigningKeys,
    StepError,
    StepLog,
    StepLogGroup,
    TriggerResult,
    Waiter,
    WorkflowRunLog,
    WorkflowRunLogs,
)
from ._retry import RetryPolicy
from ._validate import WorkflowState
from ._version import __version__

__all__ = [
    "DLQ",
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncClient",
    "AsyncDLQ",
    "AsyncFlowControlManager",
    "AsyncSigningKeyManager",
    "AuthenticationError",
    "BadRequestError",
    "BurstRateLimitError",
    "CancelFilter",
    "CancelResult",
    "ChatRateLimitError",
    "ClientClosedError",
    "ClientStateError",
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
    "FlowControlInfo",
    "FlowControlManager",
    "GlobalParallelism",
    "InsecureTransportWarning",
    "InvalidArgumentError",
    "InvalidArgumentTypeError",
    "Invoker",
    "NotFoundError",
    "NotifyResponse",
    "PartialTriggerError",
    "PermissionDeniedError",
    "RateLimitError",
    "ResponseTooLargeError",
    "Redact",
    "RetryFailureFunctionResult",
    "RetryPolicy",
    "ServerError",
    "SigningKeyManager",
    "SigningKeys",
    "StepError",
    "StepLog",
    "StepLogGroup",
    "TriggerOutcome",
    "TriggerRejectedError",
    "TriggerRequest",
    "TriggerResult",
    "Waiter",
    "WorkflowError",
    "WorkflowRunLog",
    "WorkflowRunLogs",
    "WorkflowState",
    "__version__",
]
