"""Typed Python client for the Upstash Workflow REST API.

    from upstash_workflow.rest import Client
    with Client() as client:                     # QSTASH_TOKEN from the environment
        run = client.trigger(url="https://my-app.com/api/workflow", body={"hello": "world"})
        print(run.workflow_run_id)               # wfr_...

The generated low-level package is importable as `upstash_workflow_api` and reachable as `client.api`.

Each public name is imported from its module when it is first used (PEP 562 ``__getattr__``), so
``import upstash_workflow.rest`` and ``upstash-workflow --help`` (whose package this is) cost almost
nothing; ``from upstash_workflow.rest import Client`` imports what the client needs, and no more.
Type checkers, editors and the docs read the ``TYPE_CHECKING`` imports below.
"""

import importlib as _importlib
import typing as _typing

from ._version import __version__

if _typing.TYPE_CHECKING:
    from ._api import DLQ as DLQ
    from ._api import AsyncClient as AsyncClient
    from ._api import AsyncDLQ as AsyncDLQ
    from ._api import AsyncFlowControlManager as AsyncFlowControlManager
    from ._api import AsyncSigningKeyManager as AsyncSigningKeyManager
    from ._api import Client as Client
    from ._api import FlowControlManager as FlowControlManager
    from ._api import SigningKeyManager as SigningKeyManager
    from ._config import InsecureTransportWarning as InsecureTransportWarning
    from ._errors import *  # noqa: F403  (its __all__: every error class)
    from ._models import CancelFilter as CancelFilter
    from ._models import CancelFilterDict as CancelFilterDict
    from ._models import DLQFilter as DLQFilter
    from ._models import DLQFilterDict as DLQFilterDict
    from ._models import FlowControl as FlowControl
    from ._models import FlowControlDict as FlowControlDict
    from ._models import PinFlowControlOptions as PinFlowControlOptions
    from ._models import Redact as Redact
    from ._models import RedactDict as RedactDict
    from ._models import TriggerRequest as TriggerRequest
    from ._models import TriggerRequestDict as TriggerRequestDict
    from ._models import UnpinFlowControlOptions as UnpinFlowControlOptions
    from ._outcomes import PartialTriggerError as PartialTriggerError
    from ._outcomes import TriggerOutcome as TriggerOutcome
    from ._polling import WaitTimeoutError as WaitTimeoutError
    from ._results import *  # noqa: F403  (its __all__: every result class)
    from ._retry import RetryPolicy as RetryPolicy
    from ._validate import WorkflowState as WorkflowState

# Module -> the public names it defines. The same names as the imports above (and, for `_errors`
# and `_results`, as their `__all__`): tests/test_exports.py checks all three agree.
_EXPORTS: dict[str, tuple[str, ...]] = {
    "_api": (
        "DLQ",
        "AsyncClient",
        "AsyncDLQ",
        "AsyncFlowControlManager",
        "AsyncSigningKeyManager",
        "Client",
        "FlowControlManager",
        "SigningKeyManager",
    ),
    "_config": ("InsecureTransportWarning",),
    "_errors": (
        "APIConnectionError",
        "APIResponseValidationError",
        "APIStatusError",
        "APITimeoutError",
        "AuthenticationError",
        "BadRequestError",
        "BurstRateLimitError",
        "ChatRateLimitError",
        "ClientClosedError",
        "ClientStateError",
        "ConfigurationError",
        "DailyRateLimitError",
        "InvalidArgumentError",
        "InvalidArgumentTypeError",
        "NotFoundError",
        "PermissionDeniedError",
        "RateLimitError",
        "ResponseShapeWarning",
        "ResponseTooLargeError",
        "RunIdPrefixWarning",
        "ServerError",
        "TriggerRejectedError",
        "TriggerUnconfirmedError",
        "WorkflowError",
    ),
    "_models": (
        "CancelFilter",
        "CancelFilterDict",
        "DLQFilter",
        "DLQFilterDict",
        "FlowControl",
        "FlowControlDict",
        "PinFlowControlOptions",
        "Redact",
        "RedactDict",
        "TriggerRequest",
        "TriggerRequestDict",
        "UnpinFlowControlOptions",
    ),
    "_outcomes": ("PartialTriggerError", "TriggerOutcome"),
    "_polling": ("WaitTimeoutError",),
    "_results": (
        "CancelResult",
        "DLQActionResult",
        "DLQDeleteResult",
        "DLQListResult",
        "DLQMessage",
        "DLQResumeRestartResponse",
        "FailureCallbackInfo",
        "FailureFunctionLog",
        "FlowControlInfo",
        "GlobalParallelism",
        "Invoker",
        "NotifyResponse",
        "RetryFailureFunctionResult",
        "SigningKeys",
        "StepError",
        "StepLog",
        "StepLogGroup",
        "TriggerResult",
        "Waiter",
        "WorkflowRunLog",
        "WorkflowRunLogs",
    ),
    "_retry": ("RetryPolicy",),
    "_validate": ("WorkflowState",),
}
_MODULE_OF = {name: module for module, names in _EXPORTS.items() for name in names}

__all__ = ["__version__"]
__all__ += list(_MODULE_OF)


if not _typing.TYPE_CHECKING:  # hidden from type checkers, which would then accept any name

    def __getattr__(name: str) -> object:
        """Import a public name's module on first use and keep the name here (later lookups are plain)."""
        module = _MODULE_OF.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(_importlib.import_module(f".{module}", __name__), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
