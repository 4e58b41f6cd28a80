import pytest

from certificates.services import rendering
from tests import factories


@pytest.fixture(autouse=True)
def _fresh_image_cache():
    rendering._image_cache.clear()
    rendering._assets_cache.clear()
    yield
    rendering._image_cache.clear()
    rendering._assets_cache.clear()


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
