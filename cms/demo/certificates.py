# ruff: noqa: RUF001 -- Cyrillic text in the Russian templates
"""Demo certificates: templates in three languages (participation, winner with place,
juror, incubation graduate), and certificates for the COVID-19 Challenge 2020's winners
(places from the published final), participants and jurors. Idempotent: templates are
found by name, and issuing skips people who already hold a certificate. Skips quietly when
the challenge or its entries are not loaded."""

from datetime import timedelta

from config.celery import app

COVID_SLUG = "covid-19-challenge-2020"
# Issued a week after the results were published (cms/demo/clock.py).
DEMO_AS_OF = (COVID_SLUG, "results", timedelta(days=10))
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
        "{recipient_name} принял(а) участие в конкурсе «{challenge}» с проектом "
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
        "{recipient_name} («{team}» jamoasi) «{challenge}» tanlovida {place}-oʻrinni egalladi."
        "\n\n{date}",
    ),
    (
        "winner",
        "ru",
        "Диплом победителя",
        "Диплом победителя",
        "{recipient_name} (команда «{team}») занял(а) {place} место в конкурсе «{challenge}»."
        "\n\n{date}",
    ),
    (
        "winner",
        "en",
        "Winner's certificate",
        "Winner's certificate",
        "{recipient_name} (team “{team}”) won place {place} in the {challenge}.\n\n{date}",
    ),
    (
        "juror",
        "uz",
        "Hakam sertifikati",
        "Minnatdorchilik sertifikati",
        "{recipient_name} «{challenge}» tanlovida hakam sifatida loyihalarni baholadi.\n\n{date}",
    ),
    (
        "juror",
        "ru",
        "Сертификат члена жюри",
        "Благодарственный сертификат",
        "{recipient_name} оценивал(а) проекты конкурса «{challenge}» в составе жюри.\n\n{date}",
    ),
    (
        "juror",
        "en",
        "Juror's certificate",
        "Certificate of appreciation",
        "{recipient_name} served on the jury of the {challenge}.\n\n{date}",
    ),
    (
        "incubation",
        "uz",
        "Inkubatsiya bitiruvchisi",
        "Inkubatsiya bitiruvchisi",
        "{recipient_name} («{team}» jamoasi) «{project_title}» loyihasi bilan «{challenge}» "
        "inkubatsiya dasturini muvaffaqiyatli tamomladi.\n\n{date}",
    ),
    (
        "incubation",
        "ru",
        "Выпускник инкубации",
        "Выпускник программы инкубации",
        "{recipient_name} (команда «{team}») успешно завершил(а) программу инкубации "
        "конкурса «{challenge}» с проектом «{project_title}».\n\n{date}",
    ),
    (
        "incubation",
        "en",
        "Incubation graduate",
        "Incubation graduate",
        "{recipient_name} (team “{team}”) graduated from the {challenge} incubation programme "
        "with the project “{project_title}”.\n\n{date}",
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
        for rule in ("winners", "participants", "jurors"):
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
