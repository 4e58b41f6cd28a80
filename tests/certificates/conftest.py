import pytest
from django.utils import translation

from certificates.services import rendering
from tests import factories


@pytest.fixture(autouse=True)
def _english():
    """Assert on English words: the uz/ru catalogues translate the messages."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _fresh_image_cache():
    rendering._image_cache.clear()
    rendering._assets_cache.clear()
    yield
    rendering._image_cache.clear()
    rendering._assets_cache.clear()


@pytest.fixture
def manager(db):
    user = factories.UserFactory(is_staff=True)
    return user


@pytest.fixture
def challenge(manager):
    challenge = factories.ChallengeFactory(
        title="Sogʻlom kelajak", title_ru="Здоровое будущее", title_en="Healthy future"
    )
    challenge.managers.add(manager)
    return challenge


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs the on-commit callbacks (queued tasks) at the block's end."""
    return lambda: django_capture_on_commit_callbacks(execute=True)
