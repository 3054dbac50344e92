from typing import Literal

GetRunLogsGroupBy = Literal["workflowRunId"]

GET_RUN_LOGS_GROUP_BY_VALUES: set[GetRunLogsGroupBy] = {
    "workflowRunId",
}


def check_get_run_logs_group_by(value: str) -> GetRunLogsGroupBy:
    if value in GET_RUN_LOGS_GROUP_BY_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {GET_RUN_LOGS_GROUP_BY_VALUES!r}"
    )
