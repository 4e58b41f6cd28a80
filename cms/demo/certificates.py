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
# Two signatories, their positions in each language; their signatures are drawn for the demo.
SIGNATORIES = [
    (
        "Dilshod Karimov",
        {"uz": "Dastur rahbari", "ru": "Руководитель программы", "en": "Programme manager"},
    ),
    (
        "Malika Yusupova",
        {"uz": "Hakamlar hayʼati raisi", "ru": "Председатель жюри", "en": "Chair of the jury"},
    ),
]

# The design prints the name, the place (winners) and the project in their own lines, so
# the text only says what for.
TEMPLATES = [
    # kind, language, name, title, body
    (
        "participation",
        "uz",
        "Ishtirok sertifikati",
        "Ishtirok sertifikati",
        "«{challenge}» tanlovida ishtirok etgani uchun beriladi.\n\n{date}",
    ),
    (
        "participation",
        "ru",
        "Сертификат участника",
        "Сертификат участника",
        "Вручается за участие в конкурсе «{challenge}».\n\n{date}",
    ),
    (
        "participation",
        "en",
        "Certificate of participation",
        "Certificate of participation",
        "For taking part in the {challenge}.\n\n{date}",
    ),
    (
        "winner",
        "uz",
        "Gʻolib diplomi",
        "Gʻolib diplomi",
        "«{team}» jamoasi tarkibida «{challenge}» tanlovida {place}-oʻrinni egalladi.\n\n{date}",
    ),
    (
        "winner",
        "ru",
        "Диплом победителя",
        "Диплом победителя",
        "В составе команды «{team}» занял(а) {place} место в конкурсе «{challenge}».\n\n{date}",
    ),
    (
        "winner",
        "en",
        "Winner's certificate",
        "Winner's certificate",
        "With the team “{team}”, won place {place} in the {challenge}.\n\n{date}",
    ),
    (
        "juror",
        "uz",
        "Hakam sertifikati",
        "Minnatdorchilik sertifikati",
        "«{challenge}» tanlovida hakam sifatida loyihalarni baholagani uchun.\n\n{date}",
    ),
    (
        "juror",
        "ru",
        "Сертификат члена жюри",
        "Благодарственный сертификат",
        "За оценку проектов конкурса «{challenge}» в составе жюри.\n\n{date}",
    ),
    (
        "juror",
        "en",
        "Juror's certificate",
        "Certificate of appreciation",
        "For serving on the jury of the {challenge}.\n\n{date}",
    ),
    (
        "incubation",
        "uz",
        "Inkubatsiya bitiruvchisi",
        "Inkubatsiya bitiruvchisi",
        "«{team}» jamoasi tarkibida «{challenge}» inkubatsiya dasturini muvaffaqiyatli "
        "tamomladi.\n\n{date}",
    ),
    (
        "incubation",
        "ru",
        "Выпускник инкубации",
        "Выпускник программы инкубации",
        "В составе команды «{team}» успешно завершил(а) программу инкубации конкурса "
        "«{challenge}».\n\n{date}",
    ),
    (
        "incubation",
        "en",
        "Incubation graduate",
        "Incubation graduate",
        "With the team “{team}”, graduated from the {challenge} incubation programme.\n\n{date}",
    ),
]


def ensure_templates():
    """The demo templates, each with the logos row and two signatories with signatures.

    Found by name; a template that misses its logos or signatories (an older demo) gets
    them, and is saved again so that issuing reads the new assets.
    """
    from certificates.models import CertificateTemplate, Signatory, TemplateLogo

    from .certificate_art import logos, signature_image

    art = logos()
    signatures = {name: signature_image(name) for name, _positions in SIGNATORIES}
    for kind, language, name, title, body in TEMPLATES:
        template, _created = CertificateTemplate.objects.get_or_create(
            kind=kind, language=language, name=name, defaults={"title": title, "body": body}
        )
        changed = False
        if not template.logos.exists():
            for order, (image, alt) in enumerate(art):
                TemplateLogo.objects.create(
                    template=template, image=image, alt=alt[language], sort_order=order
                )
            changed = True
        for order, (person, positions) in enumerate(SIGNATORIES):
            signatory = template.signatories.filter(name=person).first()
            if signatory is None:
                Signatory.objects.create(
                    template=template,
                    name=person,
                    position=positions[language],
                    signature=signatures[person],
                    sort_order=order,
                )
                changed = True
            elif signatory.signature_id is None or signatory.position != positions[language]:
                signatory.signature = signatures[person]
                signatory.position = positions[language]
                signatory.save()
                changed = True
        if changed:
            template.save()  # a new updated_at: issuing caches assets per template version


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
