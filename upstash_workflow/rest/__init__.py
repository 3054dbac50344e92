"""Typed Python client for the Upstash Workflow REST API.

    from upstash_workflow.rest import Client
    with Client() as client:                     # QSTASH_TOKEN from the environment
        run = client.trigger(url="https://my-app.com/api/workflow", body={"hello": "world"})
        print(run.workflow_run_id)               # wfr_...

The generated low-level package is importable as `upstash_workflow_api` and reachable as `client.api`.
"""

from . import _errors, _results
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
from ._errors import *  # noqa: F403  (its __all__: every error class)
from ._models import (
    CancelFilter,
    CancelFilterDict,
    DLQFilter,
    DLQFilterDict,
    FlowControl,
    FlowControlDict,
    PinFlowControlOptions,
    Redact,
    RedactDict,
    TriggerRequest,
    TriggerRequestDict,
    UnpinFlowControlOptions,
)
from ._outcomes import PartialTriggerError, TriggerOutcome
from ._polling import WaitTimeoutError
from ._results import *  # noqa: F403  (its __all__: every result class)
from ._retry import RetryPolicy
from ._validate import WorkflowState
from ._version import __version__

__all__ = [
    "DLQ",
    "AsyncClient",
    "AsyncDLQ",
    "AsyncFlowControlManager",
    "AsyncSigningKeyManager",
    "CancelFilter",
    "CancelFilterDict",
    "Client",
    "DLQFilter",
    "DLQFilterDict",
    "FlowControl",
    "FlowControlDict",
    "FlowControlManager",
    "InsecureTransportWarning",
    "PartialTriggerError",
    "PinFlowControlOptions",
    "Redact",
    "RedactDict",
    "RetryPolicy",
    "SigningKeyManager",
    "TriggerOutcome",
    "TriggerRequest",
    "TriggerRequestDict",
    "UnpinFlowControlOptions",
    "WaitTimeoutError",
    "WorkflowState",
    "__version__",
]
__all__ += _errors.__all__
__all__ += _results.__all__
