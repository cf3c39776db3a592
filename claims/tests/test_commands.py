import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db


def test_create_editor_makes_a_staff_member_of_editors(monkeypatch, capsys):
    monkeypatch.setenv("EDITOR_PASSWORD", "correct horse battery staple")
    call_command("create_editor", "wang", "--no-input")
    editor = get_user_model().objects.get(username="wang")
    assert editor.is_staff
    assert not editor.is_superuser
    assert editor.check_password("correct horse battery staple")
    assert editor.has_perm("claims.change_claim")
    out = capsys.readouterr().out
    assert "Created editor 'wang'" in out
    assert "sets up the second factor: scan the QR code" in out


def test_create_editor_refuses_a_weak_password_and_creates_nobody(monkeypatch):
    monkeypatch.setenv("EDITOR_PASSWORD", "password")
    with pytest.raises(CommandError, match=r"Password refused: .*too common"):
        call_command("create_editor", "wang", "--no-input")
    assert not get_user_model().objects.exists()


def test_create_editor_refuses_no_password_and_an_existing_name(monkeypatch):
    monkeypatch.delenv("EDITOR_PASSWORD", raising=False)
    with pytest.raises(CommandError, match="No password given"):
        call_command("create_editor", "wang", "--no-input")
    get_user_model().objects.create(username="wang")
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_editor", "wang", "--no-input")
