import pytest
from django.test import Client
from django.utils import translation


@pytest.fixture(autouse=True)
def _english():
    """Judging tests read the English texts (URLs under /en/)."""
    with translation.override("en"):
        yield


@pytest.fixture
def client():
    """A client whose Wagtail admin pages come in English too (language cookie)."""
    client = Client(headers={"accept-language": "en"})
    client.cookies["django_language"] = "en"
    return client
