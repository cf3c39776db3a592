"""The article importer: candidate claims from a pasted news article, for an editor to review.

In the order an article goes through them: `upload` checks what the editor gave; `extraction`
(`extract_article`, with the modules it reads with) finds the candidates and writes nothing;
`review` adds to each the recorded claims it may repeat or answer; `admin` is the admin's page
that shows the review and takes the editor's choices; `drafts` writes what the editor accepted.
The `import_article` command and `POST /api/v1/imports/` call the same functions. An import rule
(`pyproject.toml`) keeps the reading from reaching the review, the writing or the admin page."""

from .extraction import Candidate, Extraction, SourceDraft, SpeakerMatch, extract_article

__all__ = ["Candidate", "Extraction", "SourceDraft", "SpeakerMatch", "extract_article"]
