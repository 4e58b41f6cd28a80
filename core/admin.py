from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import AuditEntry
from .personal_data import display_name


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "action", "actor_name", "object_type", "object_id"]
    list_filter = ["action"]
    search_fields = ["object_id", "action"]
    readonly_fields = [f.name for f in AuditEntry._meta.fields]

    @admin.display(description=_("actor"))
    def actor_name(self, entry):
        return display_name(entry.actor)
