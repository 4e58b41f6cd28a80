import pytest
from django.test import Client


@pytest.fixture
def client():
    """A client whose Wagtail admin pages come in English too (language cookie)."""
    client = Client(headers={"accept-language": "en"})
    client.cookies["django_language"] = "en"
    return client
