"""What an editor may give the importer as an article: pasted text, or an uploaded `.txt` or
`.html` file; UTF-8, not empty, at most `MAX_TEXT_BYTES` of text or `MAX_ARTICLE_BYTES` of a web
page (whose scripts, menus and markup outweigh its words). Anything else is refused with a message
saying why, before any work is done."""

from django.core.exceptions import ValidationError

# About 30,000 words: several times the longest news article or briefing transcript.
MAX_TEXT_BYTES = 200 * 1024
MAX_ARTICLE_BYTES = 2 * 1024 * 1024
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
        raise _too_long(raw, MAX_ARTICLE_BYTES, "of a web page")
    if b"\x00" in raw:
        raise ValidationError("This is not a text or HTML file (it holds binary data).")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError("The article is not UTF-8 text: save it as UTF-8 and try again.") from None
    if not text.strip():
        raise ValidationError("The article is empty.")
    looks_like_html = text.lstrip()[:1] == "<" and "</" in text
    is_html = suffix in HTML_SUFFIXES or looks_like_html
    if not is_html and len(raw) > MAX_TEXT_BYTES:
        raise _too_long(raw, MAX_TEXT_BYTES, "of text (about 30,000 words)")
    return text, is_html


def _too_long(raw, most, what):
    return ValidationError(
        f"The article is {_size(len(raw))}; the most the importer reads is {_size(most)} {what}. "
        "Give it the part with the statements you want to record.",
        code="too_long",
    )


def _size(count):
    return f"{count / 1024 / 1024:.1f} MB" if count >= 1024 * 1024 else f"{count / 1024:.0f} KB"
