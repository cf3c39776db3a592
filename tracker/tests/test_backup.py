"""bin/backup and bin/restore, run as an operator runs them, against the test database."""

import os
import shutil
import stat
import subprocess
import uuid
from contextlib import closing
from urllib.parse import quote

import psycopg2
import pytest
from django.conf import settings
from django.db import connection, transaction
from psycopg2 import sql

from claims.choices import EvidenceStatus
from claims.models import Claim, EvidenceStatusChange
from claims.tests.factories import (
    ActorFactory,
    ClaimFactory,
    ClaimRelationFactory,
    EditorFactory,
    PublishedClaimFactory,
    TopicFactory,
)
from sources.tests.factories import CitationFactory

on_postgresql_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="backups are PostgreSQL dumps"
)


def run(script, *args, database_url):
    """Run bin/`script` with `args`, and DATABASE_URL set to `database_url`."""
    return subprocess.run(
        [settings.BASE_DIR / "bin" / script, *map(str, args)],
        env={**os.environ, "DATABASE_URL": database_url},
        capture_output=True,
        text=True,
        timeout=60,
    )


def url_of(database):
    """A postgres:// URL of `database` on the test database's server, as its user."""
    db = connection.settings_dict
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{db['HOST'] or ''}{port}/{quote(database, safe='')}"


def one_line(text):
    return len(text.strip().splitlines()) == 1


def snapshot(database):
    """What a restore must bring back, read from `database` directly: claims, their timelines and
    history, the row count of every table, the triggers and the sequences."""
    db = connection.settings_dict
    with (
        closing(
            psycopg2.connect(
                dbname=database,
                host=db["HOST"] or None,
                port=db["PORT"] or None,
                user=db["USER"] or None,
                password=db["PASSWORD"] or None,
            )
        ) as database_connection,
        database_connection.cursor() as cursor,
    ):

        def rows(query):
            cursor.execute(query)
            return cursor.fetchall()

        claim = Claim._meta.db_table
        historical_claim = Claim.history.model._meta.db_table
        status_change = EvidenceStatusChange._meta.db_table
        tables = rows("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
        return {
            "claims": rows(f"SELECT id, summary, evidence_status FROM {claim} ORDER BY id"),
            "timelines": rows(
                f"SELECT id, claim_id, from_status, to_status, reason, changed_at, changed_by_id "
                f"FROM {status_change} ORDER BY id"
            ),
            "history": rows(
                f"SELECT history_id, id, summary, evidence_status, publication_state, history_type, "
                f"history_date, history_change_reason, history_user_id FROM {historical_claim} "
                f"ORDER BY history_id"
            ),
            "row counts": {
                table: rows(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table)))[0][0]
                for (table,) in tables
            },
            "triggers": rows(
                "SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY 1, 2"
            ),
            "sequences": rows(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public' ORDER BY 1"
            ),
        }


@pytest.fixture
def empty_database(transactional_db):
    """A new, empty database on the test database's server, dropped after the test."""
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE DATABASE {connection.ops.quote_name(name)}")
    try:
        yield name
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {connection.ops.quote_name(name)} WITH (FORCE)")


@on_postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_an_empty_database_with_the_same_claims_timelines_and_history(
    tmp_path, empty_database
):
    with transaction.atomic():  # committed whole: PostgreSQL checks published claims' citations at commit
        editor = EditorFactory()
        grushko = ActorFactory(name="Alexander Grushko", aliases="Glushko\nГрушко")
        topic = TopicFactory(name="Open Skies Treaty")
        accusation = PublishedClaimFactory(
            summary="Russia restricts flights over Kaliningrad, violating the treaty.", topics=[topic]
        )
        CitationFactory(claim=accusation, stance="contradicts")
        denial = ClaimFactory(
            summary="Grushko denies any violation.",
            speaker=grushko,
            evidence_status=EvidenceStatus.DISPUTED,
            rationale="Denied by the accused; neither side cites evidence.",
            created_by=editor,
            topics=[topic],
        )
        ClaimRelationFactory(from_claim=denial, to_claim=accusation)
        denial.summary = "Grushko denies any violation of the Open Skies Treaty → «нарушений нет»."
        denial.save()
    source = snapshot(connection.settings_dict["NAME"])
    assert source["timelines"], "the data has a claim whose evidence status changed"
    assert len(source["history"]) > len(source["claims"]), "the data has claims changed after creation"

    dump = tmp_path / "tracker.dump"
    backup = run("backup", dump, database_url=url_of(connection.settings_dict["NAME"]))
    assert backup.returncode == 0, backup.stderr
    assert str(dump) in backup.stdout
    assert dump.stat().st_size > 0
    assert stat.S_IMODE(dump.stat().st_mode) == 0o600  # it holds password hashes and sessions

    restore = run("restore", dump, database_url=url_of(empty_database))
    assert restore.returncode == 0, restore.stderr
    assert one_line(restore.stdout)
    assert f"{len(source['claims'])} claims" in restore.stdout

    restored = snapshot(empty_database)
    assert restored["claims"] == source["claims"]
    assert restored["timelines"] == source["timelines"]
    assert restored["history"] == source["history"]
    assert restored["row counts"] == source["row counts"]  # every table, simple-history's included
    assert restored["triggers"] == source["triggers"]  # search vectors, published claims keep a citation
    assert restored["sequences"] == source["sequences"]  # new rows get new ids


@on_postgresql_only
@pytest.mark.django_db
def test_restore_refuses_a_database_that_already_holds_tables_and_says_how_to_empty_it(tmp_path):
    dump = tmp_path / "tracker.dump"
    test_database = url_of(connection.settings_dict["NAME"])
    assert run("backup", dump, database_url=test_database).returncode == 0

    result = run("restore", dump, database_url=test_database)
    assert result.returncode != 0
    assert one_line(result.stderr)
    assert "already holds" in result.stderr
    assert "dropdb" in result.stderr
    assert "createdb" in result.stderr


@on_postgresql_only
@pytest.mark.django_db
def test_a_failed_backup_says_why_in_one_line_and_leaves_no_file(tmp_path):
    dump = tmp_path / "tracker.dump"
    result = run("backup", dump, database_url=url_of(f"no_such_database_{uuid.uuid4().hex[:8]}"))
    assert result.returncode != 0
    assert one_line(result.stderr)
    assert "does not exist" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_backup_refuses_a_sqlite_database_in_one_line(tmp_path):
    dump = tmp_path / "tracker.dump"
    result = run("backup", dump, database_url="sqlite:///db.sqlite3")
    assert result.returncode == 1
    assert one_line(result.stderr)
    assert "PostgreSQL" in result.stderr
    assert not dump.exists()


def test_restore_refuses_a_missing_file_in_one_line(tmp_path):
    result = run("restore", tmp_path / "missing.dump", database_url="postgres://postgres@127.0.0.1/tracker")
    assert result.returncode == 1
    assert one_line(result.stderr)
    assert "does not exist" in result.stderr


def test_make_backup_writes_no_env_file(tmp_path):
    """A backup on a server must not leave a .env with DEBUG on for the next command to read."""
    shutil.copy(settings.BASE_DIR / "Makefile", tmp_path)
    shutil.copytree(settings.BASE_DIR / "bin", tmp_path / "bin")
    environment = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}
    result = subprocess.run(
        ["make", "--no-print-directory", "backup"],
        cwd=tmp_path,
        env=environment,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "DATABASE_URL is not set" in result.stderr
    assert not (tmp_path / ".env").exists()
    assert not (tmp_path / "backups").exists()
