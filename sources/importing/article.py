"""An article's text and what its first lines say about it: title, outlet, dateline date, language."""

import datetime
import re
from dataclasses import dataclass

MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
MONTH = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
    r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?"
)
ORDINAL = r"(?:st|nd|rd|th)?"

# "MOSCOW, May 21 (Xinhua) --", "WASHINGTON (Reuters) -", "Moscow, 21 May. /TASS/.", and the Chinese
# agencies' "China News Agency, Moscow, May 21 (Reporter Wang Xiujun)".
DATELINE_OUTLET = re.compile(
    r"^\s*[A-Z][\w .'-]{1,40}?(?:,\s*[^()\n]{3,30}?)?\s*\((?P<outlet>[^()\n]{2,40})\)\s*[-—–]"
)
SLASHED_OUTLET = re.compile(r"^[^\n]{0,60}?/(?P<outlet>[A-Z][\w .-]{1,20})/")
AGENCY_OUTLET = re.compile(
    r"^\s*(?P<outlet>[A-Z][\w.'-]*(?: [A-Z][\w.'-]*){0,4} "
    r"(?:News Agency|News Service|Agency|Network|News|Daily|Times|Post))\b"
)
DATELINE_DATE = re.compile(
    rf"(?P<month>{MONTH})\s+(?P<day>\d{{1,2}}){ORDINAL}\b(?:,?\s+(?P<year>\d{{4}}))?"
    rf"|(?P<day2>\d{{1,2}})\s+(?P<month2>{MONTH})(?:\s+(?P<year2>\d{{4}}))?"
)
# A dateline sits at the very start of a paragraph or in a closing "(Report from Brussels, July 7th)".
DATELINE_REACH = 90
REPORTER = re.compile(r"\((?:Reporter|By|Correspondent)s?\s+(?P<author>[^()\n]{2,40})\)")
ENGLISH_WORDS = frozenset(
    ["the", "of", "and", "to", "in", "that", "is", "was", "said", "on", "for", "with", "as", "by"]
)
SCRIPTS = (
    ("ru", "\u0400", "\u04ff"),
    ("ja", "\u3040", "\u30ff"),
    ("zh", "\u4e00", "\u9fff"),
    ("ko", "\uac00", "\ud7af"),
    ("ar", "\u0600", "\u06ff"),
    ("el", "\u0370", "\u03ff"),
    ("he", "\u0590", "\u05ff"),
)


@dataclass
class ArticleText:
    full_text: str
    paragraphs: list
    title: str = ""
    author: str = ""
    outlet: str = ""
    published_on: datetime.date | None = None
    url: str = ""


def looks_like_html(text):
    return bool(re.search(r"<(?:html|body|p|div|article|head)\b", text[:5000], re.I))


def read_html(html):
    """The main text of a web page and its metadata, by trafilatura: no scripts, menus or footers."""
    import trafilatura  # loaded on the first web page only: it is the slowest import here

    document = trafilatura.bare_extraction(
        html, with_metadata=True, include_comments=False, include_tables=False
    )
    if document is None:
        return ArticleText(full_text="", paragraphs=[])
    published_on = None
    if document.date:
        try:
            published_on = datetime.date.fromisoformat(document.date[:10])
        except ValueError:
            published_on = None
    text = document.text or ""
    return ArticleText(
        full_text=text,
        paragraphs=paragraphs_of(text),
        title=document.title or "",
        author=document.author or "",
        outlet=document.sitename or "",
        published_on=published_on,
        url=document.url or "",
    )


def read_plain_text(text):
    text = text.replace("\r\n", "\n").replace("\r", "\n").strip()
    paragraphs = paragraphs_of(text)
    author = REPORTER.search("\n".join(paragraphs[:3]))
    return ArticleText(
        full_text=text,
        paragraphs=paragraphs,
        title=headline_of(paragraphs),
        author=author.group("author").strip() if author else "",
    )


def paragraphs_of(text):
    """Non-empty lines, stripped: what a "Paragraph N" locator counts from 1."""
    return [line.strip() for line in text.splitlines() if line.strip()]


def headline_of(paragraphs):
    if len(paragraphs) < 2:
        return ""
    first = paragraphs[0]
    return first if len(first) <= 160 and not first.endswith(".") and not DATELINE_OUTLET.match(first) else ""


def outlet_in_dateline(paragraphs):
    for paragraph in paragraphs[:4]:
        for pattern in (DATELINE_OUTLET, SLASHED_OUTLET, AGENCY_OUTLET):
            match = pattern.search(paragraph)
            if match and not match.group("outlet").lower().startswith(("reporter", "by ", "photo", "figure")):
                return match.group("outlet").strip()
    return ""


def dateline_date(paragraphs, year=None):
    """The date a dateline gives, in `year` when it names none (the latest such date not after
    today when no year is known either)."""
    candidates = [paragraph[:DATELINE_REACH] for paragraph in paragraphs[:4]]
    candidates += [
        re.sub(r"^.*\(", "", paragraph) for paragraph in paragraphs[-2:] if paragraph.startswith("(")
    ]
    for text in candidates:
        match = DATELINE_DATE.search(text)
        if not match:
            continue
        month = MONTHS[(match.group("month") or match.group("month2")).rstrip(".").lower()]
        day = int(match.group("day") or match.group("day2"))
        stated_year = match.group("year") or match.group("year2")
        try:
            if stated_year or year:
                return datetime.date(int(stated_year or year), month, day)
            today = datetime.date.today()
            found = datetime.date(today.year, month, day)
            return found if found <= today else found.replace(year=today.year - 1)
        except ValueError:
            continue
    return None


def guess_language(text):
    """ "en" for English, a code from the script for text in another script, "" when unsure."""
    sample = text[:5000]
    letters = [c for c in sample if c.isalpha()]
    if not letters:
        return ""
    for code, first, last in SCRIPTS:
        if sum(first <= c <= last for c in letters) > len(letters) * 0.3:
            return code
    words = re.findall(r"[a-z]+", sample.lower())
    if words and sum(word in ENGLISH_WORDS for word in words) > len(words) * 0.08:
        return "en"
    return ""
