class ActionRefused(Exception):
    """A participant's action cannot happen; ``message`` is a translated sentence."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message
