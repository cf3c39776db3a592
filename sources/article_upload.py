"""What an editor may give the importer as an article: pasted text, or an uploaded `.txt` or
`.html` file; UTF-8, not empty, at most `MAX_ARTICLE_BYTES`. Anything else is refused with a
message saying why, before any work is done."""

from django.core.exceptions import ValidationError

MAX_ARTICLE_BYTES = 5 * 1024 * 1024
HTML_SUFFIXES = (".html", ".htm")
TEXT_SUFFIXES = (".txt", ".text", "")


def article_text(raw, *, name=""):
    """(text, is_html) from the bytes or text `raw` of a file called `name` (or a paste)."""
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in HTML_SUFFIXES + TEXT_SUFFIXES:
        raise ValidationError(f"Give a .txt or .html file, not “{name}”.")
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    if len(raw) > MAX_ARTICLE_BYTES:
        raise ValidationError(
            f"The article is {len(raw) / 1024 / 1024:.1f} MB; the most the importer takes is "
            f"{MAX_ARTICLE_BYTES // 1024 // 1024} MB."
        )
    if b"\x00" in raw:
        raise ValidationError("This is not a text or HTML file (it holds binary data).")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError("The article is not UTF-8 text: save it as UTF-8 and try again.") from None
    if not text.strip():
        raise ValidationError("The article is empty.")
    looks_like_html = text.lstrip()[:1] == "<" and "</" in text
    return text, suffix in HTML_SUFFIXES or looks_like_html
