from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation

from core import exports as tabular
from judging.models import Round
from judging.services import exports


class Command(BaseCommand):
    help = (
        "Export a judging round's scores or ranking (columns in docs/judging.md): CSV in "
        "UTF-8 with a byte-order mark to standard output or --output, or XLSX to --output."
    )

    def add_arguments(self, parser):
        parser.add_argument("--round", type=int, required=True, dest="round_id")
        parser.add_argument("--what", choices=exports.KINDS, required=True)
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv", dest="fmt")
        parser.add_argument("--output", type=Path, help="write to this file instead of stdout")
        parser.add_argument(
            "--language",
            choices=[code for code, _name in settings.LANGUAGES],
            help="language of the round, track and criterion names (default: the site's)",
        )

    def handle(self, *args, round_id, what, fmt, output, language, **options):
        round_ = Round.objects.filter(pk=round_id).first()
        if round_ is None:
            raise CommandError(f"No judging round with id {round_id}.")
        if what not in exports.kinds_for(round_):
            raise CommandError(f"Round {round_id} has no {what} export.")
        with translation.override(language or translation.get_language()):
            self._export(round_, what, fmt, output)

    def _export(self, round_, what, fmt, output):
        columns, rows = exports.table(round_, what)
        if fmt == "xlsx" and output is None:
            raise CommandError("An XLSX export needs --output FILE.")
        if output is not None:
            output.write_bytes(tabular.render(fmt, columns, rows, sheet=what))
        else:
            # One write, no extra line end: the CSV already ends its rows with CRLF.
            self.stdout.write(tabular.csv_text(columns, rows), ending="")
