from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sources.dataset import DatasetError, load_dataset

DEFAULT_DATASET = settings.BASE_DIR / "fixtures" / "open_skies_inf.yaml"


class Command(BaseCommand):
    help = "Load a curated dataset of actors, topics, sources and claims (see fixtures/README.md)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=DEFAULT_DATASET, help="YAML file to load")

    def handle(self, *args, path, **options):
        try:
            summary = load_dataset(path)
        except DatasetError as error:
            raise CommandError(f"Nothing was loaded: {error}") from None
        self.stdout.write(self.style.SUCCESS(str(summary)))
