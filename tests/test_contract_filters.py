"""workflow_url filters take one URL or a list, as TS 1.3.3 does, and become repeated query keys."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from upstash_workflow.rest import CancelFilter, InvalidArgumentError, InvalidArgumentTypeError, _calls
from upstash_workflow.rest._call import SendRequest
from upstash_workflow.rest._trigger import Options

OPTIONS = Options()
URLS = st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=20)


@given(urls=st.one_of(URLS, st.lists(URLS, min_size=1, max_size=4)))
def test_cancel_exact_urls(urls: str | list[str]) -> None:
    call = _calls.cancel(OPTIONS, filter=CancelFilter(workflow_url=urls))
    assert isinstance(call, SendRequest)
    params = call.request["params"]
    assert params["workflowUrl"] == ([urls] if isinstance(urls, str) else urls)
    assert params["workflowUrlExactMatch"] is True  # httpx sends "true"


@given(urls=st.one_of(URLS, st.lists(URLS, min_size=1, max_size=4)))
def test_logs_urls(urls: str | list[str]) -> None:
    call = _calls.logs(OPTIONS, workflow_url=urls)
    assert isinstance(call, SendRequest)
    assert call.request["params"]["workflowUrl"] == ([urls] if isinstance(urls, str) else urls)


@pytest.mark.parametrize("bad", [[], ()])
def test_an_empty_list_is_refused(bad: list[str]) -> None:
    with pytest.raises(InvalidArgumentError, match="workflow_url"):
        _calls.cancel(OPTIONS, filter=CancelFilter(workflow_url=bad))
    with pytest.raises(InvalidArgumentError, match="workflow_url"):
        _calls.logs(OPTIONS, workflow_url=bad)


@pytest.mark.parametrize("bad", [[5], ["a", None], 5])
def test_non_strings_are_refused(bad: object) -> None:
    with pytest.raises((InvalidArgumentTypeError, TypeError)):
        _calls.cancel(OPTIONS, filter=CancelFilter(workflow_url=bad))  # type: ignore[arg-type]
    with pytest.raises((InvalidArgumentTypeError, TypeError)):
        _calls.logs(OPTIONS, workflow_url=bad)  # type: ignore[arg-type]
