"""Wagtail admin hooks of the website app."""

from . import incubation_admin  # noqa: F401 -- registers the "publish as success story" action
