"""Test helpers: a local QStash-compatible workflow server (`LocalQStash`) and the ``local_qstash``
pytest fixture (registered automatically as a pytest plugin when this package is installed)."""

from ._flow_control import SigningKeyState
from ._protocol import Delivery
from ._seed import SeedError, SeedSummary
from ._server import Fault, LocalQStash
from ._state import QStashState, Run
from ._workflow import WorkflowClock

__all__ = [
    "Delivery",
    "Fault",
    "LocalQStash",
    "QStashState",
    "Run",
    "SeedError",
    "SeedSummary",
    "SigningKeyState",
    "WorkflowClock",
]
