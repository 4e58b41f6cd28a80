"""Demo certificates: templates in three languages, and certificates for the COVID-19
Challenge 2020's winners and participants. Idempotent: templates are found by name, and
issuing skips people who already hold a certificate. Skips quietly when the challenge or
its entries are not loaded."""

from config.celery import app

COVID_SLUG = "covid-19-challenge-2020"
SIGNATORY = ("Dilshod Karimov", "Programme manager, UNDP Uzbekistan")

TEMPLATES = [
    # kind, language, name, title, body
    (
        "participation",
        "uz",
        "Ishtirok sertifikati",
        "Ishtirok sertifikati",
        "{recipient_name} «{challenge}» tanlovida «{project_title}» loyihasi bilan "
        "ishtirok etdi.\n\n{date}",
    ),
    (
        "participation",
        "ru",
        "Сертификат участника",
        "Сертификат участника",
        "{recipient_name} принял(а) участие в конкурсе «{challenge}» с проектом "  # noqa: RUF001
        "«{project_title}».\n\n{date}",
    ),
    (
        "participation",
        "en",
        "Certificate of participation",
        "Certificate of participation",
        "{recipient_name} took part in the {challenge} with the project “{project_title}”."
        "\n\n{date}",
    ),
    (
        "winner",
        "uz",
        "Gʻolib diplomi",
        "Gʻolib diplomi",
        "{recipient_name} («{team}» jamoasi) «{challenge}» tanlovida gʻolib boʻldi.\n\n{date}",
    ),
    (
        "winner",
        "ru",
        "Диплом победителя",
        "Диплом победителя",
        "{recipient_name} (команда «{team}») — победитель конкурса «{challenge}».\n\n{date}",
    ),
    (
        "winner",
        "en",
        "Winner's certificate",
        "Winner's certificate",
        "{recipient_name} (team “{team}”) won the {challenge}.\n\n{date}",
    ),
]


def ensure_templates():
    from certificates.models import CertificateTemplate, Signatory

    for kind, language, name, title, body in TEMPLATES:
        template, created = CertificateTemplate.objects.get_or_create(
            kind=kind, language=language, name=name, defaults={"title": title, "body": body}
        )
        if created:
            Signatory.objects.create(template=template, name=SIGNATORY[0], position=SIGNATORY[1])


def load(stdout):
    from certificates.models import Certificate
    from certificates.services import issuing
    from challenges.models import Challenge

    ensure_templates()
    challenge = Challenge.objects.filter(slug=COVID_SLUG).first()
    if challenge is None:
        stdout.write("certificates: COVID-19 Challenge not loaded; skipped")
        return
    # Render right here, so the demo has PDFs even when no worker runs yet.
    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True
    try:
        for rule in ("winners", "participants"):
            try:
                issuing.issue_certificates(challenge=challenge, rule=rule, by=None)
            except issuing.IssuingError as exc:
                stdout.write(f"certificates: {rule}: {exc}")
    finally:
        app.conf.task_always_eager = eager
    held = Certificate.objects.filter(challenge=challenge)
    stdout.write(
        f"certificates: {held.filter(status='issued').count()} issued for {challenge.slug}"
        f" ({held.filter(status='failed').count()} failed)"
    )
