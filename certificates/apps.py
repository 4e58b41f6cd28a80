from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificatesConfig(AppConfig):
    name = "certificates"
    verbose_name = _("Certificates")

    def ready(self):
        from core import personal_data as registry

        from . import personal_data

        registry.register_section("certificates", personal_data.export_certificates)
        registry.register_eraser("certificates", personal_data.erase, order=20)
