from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from api.endpoints import api as public_api
from certificates import views as certificate_views
from cms.api import router as pages_api
from core import privacy_views
from core import views as core_views

urlpatterns = [
    path("healthz", core_views.healthz, name="healthz"),
    # Both admin logins lead to the one public login (core.views._to_public_login); they
    # come before the admin includes so that they shadow the admins' own login pages.
    path("django-admin/login/", core_views.django_admin_login, name="django_admin_login"),
    path("admin/login/", core_views.wagtail_admin_login, name="wagtail_admin_login"),
    path("django-admin/", admin.site.urls),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("i18n/", include("django.conf.urls.i18n")),
    path("sitemap.xml", sitemap, name="sitemap"),
    # The read-only public API (docs/api.md): JSON endpoints and Wagtail's page API.
    path("api/v1/", public_api.urls),
    path("api/v2/", pages_api.urls),
    path("favicon.ico", core_views.favicon),
    path("media/<path:name>", core_views.public_media, name="public_media"),
    path(
        "robots.txt",
        TemplateView.as_view(template_name="robots.txt", content_type="text/plain"),
        name="robots_txt",
    ),
]

# Development-only pages (the mailbox of core/mailbox.py): mounted only when the setting is
# on — dev.py with DEBUG, never production.py.
development = [path("dev/", include("core.dev_urls"))] if settings.TANLOV_DEV_MAIL else []

urlpatterns += i18n_patterns(
    *development,
    # Before allauth's own URLs, whose "confirm-email/<key>/" would take "resend" for a key.
    path(
        "accounts/confirm-email/resend/",
        core_views.resend_verification,
        name="account_resend_verification",
    ),
    path("accounts/", include("allauth.urls")),
    path("challenges/", include("challenges.urls")),
    # A person's own data (core.personal_data), before the rest of "me/".
    path("me/data/", privacy_views.export, name="personal_data_export"),
    path("me/delete/", privacy_views.erase, name="personal_data_erase"),
    path("me/", include("submissions.urls")),
    path("judging/", include("judging.urls")),
    path("certificates/", include("certificates.urls")),
    path("verify/", certificate_views.lookup, name="certificate_lookup"),
    path("verify/<str:code>/", certificate_views.verify, name="certificate_verify"),
    path("incubation/", include("incubation.urls")),
    path("notifications/", include("notifications.urls")),
    path("vote/", include("voting.urls")),
    path("open-data/", include("opendata.urls")),
    path("hackathons/", include("hackathons.urls")),
    # Wagtail's catch-all comes last: it serves the page tree in the active language.
    path("", include(wagtail_urls)),
    prefix_default_language=True,
)

# The 403 page shows the access layer's own reason; 400/404/500 are Django's handlers with
# the templates in templates/ (400.html and 500.html need no database and no valid Host).
handler403 = "core.views.permission_denied"

if settings.DEBUG:
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns = staticfiles_urlpatterns() + urlpatterns
