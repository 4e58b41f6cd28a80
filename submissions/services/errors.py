"""The participant services' refusals, on the project's one error contract (core.errors)."""

from core import errors


class ActionRefused(errors.Refused):
    """A participant's action cannot happen; ``message`` is a translated sentence (400)."""

    default_code = "action_refused"


class NotAllowed(ActionRefused, errors.NotAllowed):
    """The person may see the entry but not change it (a mentor, say): views answer 403."""

    default_code = "not_allowed"
