from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def axe_source():
    """axe-core's script; a missing one fails the test (``make test`` installs it)."""
    if not AXE.exists():
        pytest.fail(
            f"axe-core not found at {AXE}: run `make test` (installs it) or `npm install`",
            pytrace=False,
        )
    return AXE
