# The local SMS gateway and Telegram API of the notification tests, reused here.
from tests.notifications.conftest import (  # noqa: F401
    _gateway_server,
    gateway,
    notification_worker,
)
