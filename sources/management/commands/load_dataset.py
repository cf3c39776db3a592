from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from sources.dataset import DatasetError, load_dataset

DEFAULT_DATASET = settings.BASE_DIR / "fixtures" / "open_skies_inf.yaml"


class Command(BaseCommand):
    help = "Load a curated dataset of actors, topics, sources and claims (see fixtures/README.md)."

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", default=DEFAULT_DATASET, help="YAML file to load")
        parser.add_argument(
            "--overwrite-edited",
            action="store_true",
            help="Also replace records that editors changed, deleted or created since the dataset last "
            "wrote them (each is listed, and its history says why). Without it they are kept.",
        )

    def handle(self, *args, path, overwrite_edited, **options):
        try:
            summary = load_dataset(path, overwrite_edited=overwrite_edited)
        except DatasetError as error:
            raise CommandError(f"Nothing was loaded: {error}") from None
        for line in summary.overwritten:
            self.stdout.write(f"Overwrote {line}")
        for line in summary.kept:
            self.stdout.write(f"Kept {line}")
        self.stdout.write(self.style.SUCCESS(str(summary)))
