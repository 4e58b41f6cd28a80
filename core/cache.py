"""Django's Redis cache, made to act as an empty cache while Redis cannot be reached.

Production keeps sessions (read through the cache, written to the database), the site
header and the rate-limit windows in Redis. With Django's own ``RedisCache`` a Redis
outage turns into an exception on every cache call, so every signed-in page would answer
500 — even though everything those pages need is in the database. Here a connection error
or timeout is logged and answered like a miss (``get`` → default, ``add`` → False, writes
dropped): sessions fall back to the database, headers are rebuilt, and rate limits count
nothing until Redis is back (they fail open for the length of the outage; the logs say so).
"""

import functools
import logging

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)


def _tolerant(name, answer):
    method = getattr(RedisCache, name)

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except UNREACHABLE as exc:
            logger.warning("cache unavailable, %s treated as a miss: %s", name, exc)
            return answer(*args, **kwargs)

    return wrapper


def _missing_key(key, *args, **kwargs):
    raise ValueError(f"Key '{key}' not found")  # what incr/decr say about a missing key


class ResilientRedisCache(RedisCache):
    get = _tolerant("get", lambda key, default=None, **kw: default)
    set = _tolerant("set", lambda *a, **kw: None)
    add = _tolerant("add", lambda *a, **kw: False)
    touch = _tolerant("touch", lambda *a, **kw: False)
    delete = _tolerant("delete", lambda *a, **kw: False)
    has_key = _tolerant("has_key", lambda *a, **kw: False)
    get_many = _tolerant("get_many", lambda *a, **kw: {})
    set_many = _tolerant("set_many", lambda data, *a, **kw: list(data))
    delete_many = _tolerant("delete_many", lambda *a, **kw: None)
    incr = _tolerant("incr", _missing_key)
    decr = _tolerant("decr", _missing_key)
    clear = _tolerant("clear", lambda *a, **kw: False)
