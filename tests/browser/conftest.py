import os
from pathlib import Path

import pytest

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


@pytest.fixture
def axe_source():
    """axe-core's script; missing, it fails under TANLOV_REQUIRE_BROWSER=1 (CI), else skips."""
    if not AXE.exists():
        if os.environ.get("TANLOV_REQUIRE_BROWSER") == "1":
            pytest.fail(f"axe-core is required but missing at {AXE} (run `make install`)")
        pytest.skip("axe-core not installed (npm install) — accessibility checks skipped")
    return AXE
