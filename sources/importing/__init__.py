"""Candidate claims from a pasted news article, for an editor to review; see `extract_article`."""

from .extraction import Candidate, Extraction, SourceDraft, SpeakerMatch, extract_article

__all__ = ["Candidate", "Extraction", "SourceDraft", "SpeakerMatch", "extract_article"]
