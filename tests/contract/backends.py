"""Every storage backend the store has at this step, for the contract suite.

A backend is a factory taking a temporary folder and returning a fresh, empty
ProductRepository. Each is a pytest.param marked with the step that makes it
work, so its contract tests count as that drill's tests.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from app.repository import MemoryProductRepository, ProductRepository

Factory = Callable[[Path], ProductRepository]


def memory(folder: Path) -> ProductRepository:
    return MemoryProductRepository()


BACKENDS = [
    pytest.param(memory, id="memory", marks=pytest.mark.step(0)),
]
