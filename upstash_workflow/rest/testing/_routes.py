"""Every endpoint LocalQStash answers, declared once: dispatch, 404 and 405 (``Allow``) all come
from `ROUTER`. tests/test_local_qstash_routes.py keeps `ROUTES` equal to openapi.yaml's operations
plus the LocalQStash-only rows at the end, each saying why it exists; the TS-parity recorder
(tests/support/recorder.py) finds a request's operation with `ROUTER` too."""

from __future__ import annotations

from . import _handlers as h
from ._routing import Route, Router

ROUTES: tuple[Route, ...] = (
    # openapi.yaml, in its order
    Route("POST", "/v2/batch", h.trigger_batch, "triggerBatch"),
    Route("DELETE", "/v2/workflows/runs", h.cancel_runs, "cancelRuns"),
    Route("POST", "/v2/notify/{eventId}", h.notify, "notify"),
    Route("POST", "/v2/notify/{workflowRunId}/{eventId}", h.notify, "notifyRun"),
    Route("GET", "/v2/waiters/{eventId}", h.get_waiters, "getWaiters"),
    Route("GET", "/v2/workflows/events", h.logs, "getRunLogs"),
    Route("GET", "/v2/dlq", h.list_dlq, "listDlq"),
    Route("GET", "/v2/workflows/dlq", h.list_workflow_dlq, "listWorkflowDlq"),
    Route("DELETE", "/v2/workflows/dlq", h.delete_dlq, "deleteDlq"),
    Route("POST", "/v2/workflows/dlq/resume", h.resume_dlq, "resumeDlq"),
    Route("POST", "/v2/workflows/dlq/restart", h.restart_dlq, "restartDlq"),
    Route("POST", "/v2/workflows/dlq/callback/{dlqId}", h.retry_failure_function, "retryFailureFunction"),
    Route("DELETE", "/v2/workflows/dlq/callback/{dlqId}", h.cancel_failure_function, "cancelFailureFunction"),
    # QStash also takes the workflow URL raw, slashes and all
    Route("POST", "/v2/trigger/{workflowUrl}", h.trigger_run, "triggerRun", rest=True),
    Route("POST", "/v2/batch/trigger", h.trigger_runs, "triggerRuns", status=201),
    Route("DELETE", "/v2/workflows/runs/{workflowRunId}", h.cancel_run, "cancelRun"),
    Route("GET", "/v2/workflows/logs", h.logs, "listWorkflowLogs"),
    Route("GET", "/v2/workflows/dlq/{dlqId}", h.get_dlq_message, "getDlqMessage"),
    Route("DELETE", "/v2/workflows/dlq/{dlqId}", h.delete_dlq_message, "deleteDlqMessage"),
    Route("POST", "/v2/workflows/dlq/resume/{dlqId}", h.resume_dlq_message, "resumeDlqMessage"),
    Route("POST", "/v2/workflows/dlq/restart/{dlqId}", h.restart_dlq_message, "restartDlqMessage"),
    Route("GET", "/v2/flowControl", h.list_flow_control_keys, "listFlowControlKeys"),
    Route("GET", "/v2/flowControl/{flowControlKey}", h.get_flow_control_key, "getFlowControlKey"),
    Route("POST", "/v2/flowControl/{flowControlKey}/pause", h.pause_flow_control_key, "pauseFlowControlKey"),
    Route("POST", "/v2/flowControl/{flowControlKey}/resume", h.resume_flow_control_key, "resumeFlowControlKey"),
    Route("POST", "/v2/flowControl/{flowControlKey}/pin", h.pin_flow_control_key, "pinFlowControlKey"),
    Route("POST", "/v2/flowControl/{flowControlKey}/unpin", h.unpin_flow_control_key, "unpinFlowControlKey"),
    Route("POST", "/v2/flowControl/{flowControlKey}/resetRate", h.reset_flow_control_rate, "resetFlowControlRate"),
    Route("GET", "/v2/globalParallelism", h.get_global_parallelism, "getGlobalParallelism"),
    Route("GET", "/v2/keys", h.get_signing_keys, "getSigningKeys"),
    Route("POST", "/v2/keys/rotate", h.rotate_signing_keys, "rotateSigningKeys"),
    # LocalQStash only
    Route(
        "POST",
        "/v2/publish/{destination}",
        h.publish,
        local="deliver=True: a workflow SDK publishes its run's next step or context.call (raw URL)",
        rest=True,
    ),
    Route("POST", "/v2/wait/{eventId}", h.wait, local="deliver=True: a workflow SDK's context.waitForEvent"),
    Route("POST", "/_local/seed", h.seed, local="add seed data to a running server (LocalQStash.seed)"),
)

ROUTER = Router(ROUTES)
