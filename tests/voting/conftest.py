# The local SMS gateway of the notification tests (phone codes go out through it).
from tests.notifications.conftest import _gateway_server, gateway  # noqa: F401
