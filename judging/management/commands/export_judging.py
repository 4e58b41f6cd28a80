from django.core.management.base import BaseCommand, CommandError

from judging.models import Round
from judging.services.exports import write_csv


class Command(BaseCommand):
    help = "Export a judging round's scores or ranking as CSV (columns in docs/judging.md)."

    def add_arguments(self, parser):
        parser.add_argument("--round", type=int, required=True, dest="round_id")
        parser.add_argument("--what", choices=["scores", "ranking"], required=True)

    def handle(self, *args, round_id, what, **options):
        round_ = Round.objects.filter(pk=round_id).first()
        if round_ is None:
            raise CommandError(f"No judging round with id {round_id}.")
        write_csv(self.stdout, round_, what)
