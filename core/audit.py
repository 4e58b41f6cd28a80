"""Recording audit entries from services."""

from .models import AuditEntry


def record(*, action, obj, by=None, **data):
    """Append one audit entry for ``obj``; call inside the service's transaction."""
    return AuditEntry.objects.create(
        action=action,
        actor=by if (by is not None and by.is_authenticated) else None,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        data=data,
    )
