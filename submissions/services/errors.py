class ActionRefused(Exception):
    """A participant's action cannot happen; ``message`` is a translated sentence."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


class NotAllowed(ActionRefused):
    """The person may see the entry but not change it (a mentor, say): views answer 403."""
