import datetime
import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from sources.importing.drafts import write_accepted
from sources.importing.review import review_article
from sources.importing.upload import article_text


class Command(BaseCommand):
    help = (
        "Find the claims an article attributes to someone, with the claims they may repeat or answer. "
        "Writes nothing unless --commit, which saves every candidate as a draft claim."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="the article, a .txt or .html file")
        parser.add_argument("--url", default="", help="where the article was published")
        parser.add_argument("--published-on", default=None, help="its date, YYYY-MM-DD")
        parser.add_argument("--outlet", default="", help="who published it (else read from the dateline)")
        parser.add_argument("--json", action="store_true", help="print the candidates as JSON")
        parser.add_argument("--commit", action="store_true", help="save the candidates as draft claims")
        parser.add_argument("--editor", default=None, help="the editor's username, recorded in the history")

    def handle(self, *args, path, url, published_on, outlet, json, commit, editor, **options):
        path = Path(path)
        try:
            text, is_html = article_text(path.read_bytes(), name=path.name)
        except OSError as error:
            raise CommandError(f"Cannot read {path}: {error.strerror}.") from None
        except ValidationError as error:
            raise CommandError(f"{path}: {' '.join(error.messages)}") from None
        day = _date(published_on)
        proposal = review_article(text, url=url, published_on=day, outlet=outlet, is_html=is_html)
        if json:
            self.stdout.write(_json(proposal))
        else:
            self._describe(proposal)
        if commit:
            try:
                written = write_accepted(proposal, by=_editor(editor))
            except ValidationError as error:
                raise CommandError(f"Nothing was written: {' '.join(error.messages)}") from None
            self.stderr.write(self.style.SUCCESS(f"Wrote {written.summary()}."))

    def _describe(self, proposal):
        source = proposal["source"]
        self.stdout.write(
            f"{source['title']} ({source['outlet'] or 'outlet unknown'}, {source['published_on']})"
        )
        for number, candidate in enumerate(proposal["candidates"], 1):
            speaker = candidate["speaker"]
            known = f"#{speaker['actor_id']}" if speaker["actor_id"] else "new actor"
            self.stdout.write(
                f"{number}. [{candidate['kind']}] {speaker['name']} ({known}), {candidate['stated_on']} "
                f"({candidate['date_precision']}): {candidate['summary']}"
            )
            for reason in candidate.get("duplicate_reasons", []) + candidate.get("answer_reasons", []):
                self.stdout.write(f"     {reason}")


def _date(value):
    if value is None:
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"--published-on: not a date like 2020-05-21: {value!r}.") from None


def _editor(username):
    if username is None:
        return None
    editor = get_user_model().objects.filter(username=username, is_active=True).first()
    if editor is None:
        raise CommandError(f"--editor: no active user {username!r}.")
    return editor


def _json(proposal):
    return json.dumps(proposal, ensure_ascii=False, indent=2, default=str)
