import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Pages under /en/ so that assertions read the English source strings."""
    with translation.override("en"):
        yield
