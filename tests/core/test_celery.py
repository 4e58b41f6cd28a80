import pytest

from core.tasks import ping


def test_ping_runs_eagerly_in_the_embedded_setup():
    assert ping.delay("salom").get(timeout=1) == {"pong": "salom"}


@pytest.mark.worker
def test_ping_round_trip_through_a_real_worker(celery_worker):
    result = ping.delay("через брокер")

    assert result.get(timeout=20) == {"pong": "через брокер"}
    assert result.successful()
