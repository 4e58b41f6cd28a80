"""The production cache answers like an empty cache while Redis cannot be reached."""

import pytest
from django.conf import settings

from core.cache import ResilientRedisCache
from tests.s3 import free_port


def _cache(url):
    return ResilientRedisCache(
        url, {"OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}
    )


def test_an_unreachable_redis_reads_as_a_miss_and_drops_writes():
    cache = _cache(f"redis://127.0.0.1:{free_port()}/0")

    assert cache.get("session", "default") == "default"
    cache.set("session", {"user": 1})
    assert cache.add("window", 1) is False
    assert cache.get_many(["a", "b"]) == {}
    assert cache.set_many({"a": 1, "b": 2}) == ["a", "b"]
    assert cache.delete("a") is False
    assert cache.has_key("a") is False
    with pytest.raises(ValueError, match="not found"):
        cache.incr("window")


def test_a_reachable_redis_is_a_normal_cache():
    cache = _cache(settings.CELERY_BROKER_URL)  # the suite's Redis database
    cache.set("tanlov-test-resilient", {"n": 1}, 30)
    try:
        assert cache.get("tanlov-test-resilient") == {"n": 1}
        assert cache.add("tanlov-test-resilient", 2) is False
    finally:
        cache.delete("tanlov-test-resilient")
