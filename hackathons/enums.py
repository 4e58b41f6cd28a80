from django.db import models
from django.utils.translation import gettext_lazy as _


class Admission(models.TextChoices):
    """How places are given: in the order people registered, or chosen by staff."""

    IN_ORDER = "in_order", _("In the order people register")
    BY_STAFF = "by_staff", _("Staff choose from the applicants")


class RegistrationState(models.TextChoices):
    WAITLISTED = "waitlisted", _("On the waitlist")
    OFFERED = "offered", _("Place offered: confirm your attendance")
    CONFIRMED = "confirmed", _("Attendance confirmed")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Not confirmed in time")


#: The states that hold one of the event's places (capacity counts these).
HOLDS_PLACE = (RegistrationState.OFFERED, RegistrationState.CONFIRMED)
#: The states that are still in the running (may hold or get a place).
ACTIVE = (*HOLDS_PLACE, RegistrationState.WAITLISTED)


class Skill(models.TextChoices):
    """A small list people pick their skills from (free tags add the rest)."""

    FRONTEND = "frontend", _("Web front end")
    BACKEND = "backend", _("Back end")
    MOBILE = "mobile", _("Mobile apps")
    DESIGN = "design", _("Design and UX")
    DATA = "data", _("Data and machine learning")
    HARDWARE = "hardware", _("Hardware and IoT")
    BUSINESS = "business", _("Business and pitching")
    DOMAIN = "domain", _("Domain knowledge (health, farming, …)")


class RequestState(models.TextChoices):
    PENDING = "pending", _("Waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
