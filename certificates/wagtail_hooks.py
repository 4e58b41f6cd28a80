"""Certificates in the Wagtail admin: templates (a snippet with live preview) and issuing."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core.access import allowed

from . import admin_views
from .forms import CertificateTemplateForm
from .models import CertificateTemplate


class CertificateTemplateViewSet(SnippetViewSet):
    model = CertificateTemplate
    icon = "doc-full"
    menu_label = _("Certificate templates")
    add_to_admin_menu = False
    list_display = ["name", "kind", "language", "updated_at"]
    list_filter = ["kind", "language"]
    edit_handler = ObjectList(
        [
            MultiFieldPanel(
                [FieldPanel("name"), FieldPanel("kind"), FieldPanel("language")],
                heading=_("Use"),
            ),
            MultiFieldPanel(
                [FieldPanel("page_size"), FieldPanel("orientation"), FieldPanel("background")],
                heading=_("Page"),
            ),
            FieldPanel("title"),
            FieldPanel("body"),
            InlinePanel("signatories", label=_("Signatories")),
            InlinePanel("logos", label=_("Logos")),
        ],
        base_form_class=CertificateTemplateForm,
    )


register_snippet(CertificateTemplateViewSet)

admin_urls = (
    [
        path("issue/", admin_views.issue, name="issue"),
        path("issue/confirm/", admin_views.issue_confirm, name="issue_confirm"),
        path("batches/<int:pk>/", admin_views.batch, name="batch"),
        path("batches/<int:pk>/progress.json", admin_views.batch_progress, name="batch_progress"),
        path("batches/<int:pk>/retry/", admin_views.batch_retry, name="batch_retry"),
        path("list/", admin_views.certificate_list, name="list"),
        path("<int:pk>/", admin_views.certificate_detail, name="certificate"),
        path("<int:pk>/revoke/", admin_views.certificate_revoke, name="revoke"),
    ],
    "certificates_admin",
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("certificates/", include(admin_urls))]


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return allowed(request.user, "certificates.open_staff_area")


@hooks.register("register_admin_menu_item")
def register_issue_menu_item():
    return StaffMenuItem(
        _("Certificates"), reverse("certificates_admin:issue"), icon_name="doc-full", order=400
    )


@hooks.register("register_admin_menu_item")
def register_list_menu_item():
    return StaffMenuItem(
        _("Issued certificates"), reverse("certificates_admin:list"), icon_name="list-ul", order=401
    )
