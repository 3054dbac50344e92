"""Every ```python block of the README and of docs/*.md runs against a local server, as a user would
paste them: each file's blocks in order, in one namespace holding ``client = Client()``, with
QSTASH_URL / QSTASH_TOKEN pointing at a fresh LocalQStash. A block that cannot run here says why in an
HTML comment right before it, ``<!-- not run: REASON -->``, and is reported as a skip with that reason.
The examples must also show every public method of the clients and their namespaces (derived from the
classes, not listed by hand)."""

from __future__ import annotations

import inspect
import re
from pathlib import Path
from typing import NamedTuple

import pytest

from upstash_workflow.rest import AsyncClient, Client, TriggerRequest
from upstash_workflow.rest.testing import LocalQStash

ROOT = Path(__file__).resolve().parents[1]
FILES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("**/*.md"))]
FENCE = re.compile(
    r"^(?:<!-- not run: (?P<reason>.+?) -->\n)?```(?P<lang>[\w-]*)[^\n]*\n(?P<code>.*?)^```$",
    flags=re.DOTALL | re.MULTILINE,
)
OWN_CLIENT = re.compile(r"^client = Client\(|with Client\(\) as client", flags=re.MULTILINE)


class Block(NamedTuple):
    file: Path
    line: int
    code: str
    skip_reason: str | None

    @property
    def name(self) -> str:
        return f"{self.file.relative_to(ROOT)}:{self.line}"


def python_blocks(path: Path) -> list[Block]:
    text = path.read_text()
    return [
        Block(path, text.count("\n", 0, m.start("code")), m["code"], m["reason"])
        for m in FENCE.finditer(text)
        if m["lang"] in ("python", "py", "python3", "pycon")
    ]


BLOCKS = {path: python_blocks(path) for path in FILES}
RUN = [block for blocks in BLOCKS.values() for block in blocks if block.skip_reason is None]
NOT_RUN = [block for blocks in BLOCKS.values() for block in blocks if block.skip_reason is not None]


def test_the_fence_parser_sees_every_block() -> None:
    # Every ``` fence opens and closes as a pair the parser saw: none hides a block from it.
    for path in FILES:
        text = path.read_text()
        fences = len(re.findall(r"^```", text, flags=re.MULTILINE))
        assert fences == 2 * len(FENCE.findall(text)), path
    assert len(RUN) >= 20, "the examples were not found"


def public_methods(cls: type) -> set[str]:
    return {name for name, value in inspect.getmembers(cls) if not name.startswith("_") and callable(value)}


def test_the_examples_show_every_public_method() -> None:
    text = "\n".join(block.code for block in RUN)
    client = Client(token="t", base_url="http://127.0.0.1:1")  # never sends: only its attributes are read
    try:
        namespaces = {
            name: type(value)
            for name, value in vars_of(client).items()
            if type(value).__module__ == Client.__module__ and not name.startswith("_")
        }
    finally:
        client.close()
    assert namespaces, "the client's namespaces (dlq, flow_control, ...) were not found"
    wanted = {f".{name}(" for name in public_methods(Client)}
    wanted |= {f".{ns}.{name}(" for ns, cls in namespaces.items() for name in public_methods(cls)}
    missing = sorted(call for call in wanted if call not in text)
    assert not missing, f"no executed example calls {missing}"
    # AsyncClient mirrors Client (aclose for close), so the sync examples show its methods; it needs an example.
    assert public_methods(AsyncClient) - {"aclose"} == public_methods(Client) - {"close"}
    for needed in ("AsyncClient", "client.api", "sync_detailed(", "LocalQStash"):
        assert needed in text, needed


def vars_of(obj: object) -> dict[str, object]:
    names = [name for name in dir(obj) if not name.startswith("_")]
    return {name: getattr(obj, name) for name in names}


@pytest.mark.parametrize(
    "path", [p for p in FILES if any(b.skip_reason is None for b in BLOCKS[p])], ids=lambda p: str(p.relative_to(ROOT))
)
def test_examples_run(path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    with LocalQStash() as qstash:
        monkeypatch.setenv("QSTASH_URL", qstash.url)
        monkeypatch.setenv("QSTASH_TOKEN", qstash.token)
        with Client() as seed:  # what the examples act on: the run wfr_my-workflow, DLQ entries dlq_1..dlq_5
            seed.trigger(url="https://workflow-endpoint.com", workflow_run_id="my-workflow")
            for i in range(1, 6):
                run = seed.trigger_many([TriggerRequest(url="https://workflow-endpoint.com")])[0]
                qstash.add_dlq_message(run.workflow_run_id, dlq_id=f"dlq_{i}")
        client = Client()
        shared: dict[str, object] = {"client": client, "__name__": "docs"}
        try:
            for block in BLOCKS[path]:
                if block.skip_reason is not None:
                    continue
                # A block that makes (and closes) its own `client` runs on its own; the others share one.
                isolated = OWN_CLIENT.search(block.code) is not None
                namespace = {"__name__": "docs"} if isolated else shared
                try:
                    exec(compile(block.code, block.name, "exec"), namespace)
                except Exception as exc:
                    raise AssertionError(f"python block at {block.name} failed: {exc!r}\n{block.code}") from exc
        finally:
            client.close()
    capsys.readouterr()


@pytest.mark.parametrize("block", NOT_RUN, ids=lambda b: b.name)
def test_blocks_not_run(block: Block) -> None:
    pytest.skip(f"{block.name} is not run: {block.skip_reason}")
