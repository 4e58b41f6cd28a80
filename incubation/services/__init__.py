"""State changes in incubation: one function per verb (see the modules below)."""

from core.errors import Refused


class IncubationError(Refused):
    """A request the rules refuse; the message is translated and safe to show."""

    default_code = "incubation_refused"
