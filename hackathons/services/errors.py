"""The hackathon services' refusals, on the project's one error contract (core.errors)."""

from core import errors


class HackathonRefused(errors.Refused):
    default_code = "hackathon_refused"
