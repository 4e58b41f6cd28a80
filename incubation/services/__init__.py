"""State changes in incubation: one function per verb (see the modules below)."""


class IncubationError(Exception):
    """A request the rules refuse; the message is translated and safe to show."""
