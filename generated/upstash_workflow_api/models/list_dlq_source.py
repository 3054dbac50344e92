from typing import Literal

ListDlqSource = Literal["workflow"]

LIST_DLQ_SOURCE_VALUES: set[ListDlqSource] = {
    "workflow",
}


def check_list_dlq_source(value: str) -> ListDlqSource:
    if value in LIST_DLQ_SOURCE_VALUES:
        return value
    raise TypeError(
        f"Unexpected value {value!r}. Expected one of {LIST_DLQ_SOURCE_VALUES!r}"
    )
