"""The admin's "Import an article": paste or upload an article, review the claims it attributes to
someone beside the article itself (each excerpt highlighted and numbered, prefilled, editable,
each with what it may repeat or answer), add what the importer missed, accept them as drafts."""

import bisect
import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from claims.choices import ActorKind, ClaimKind, DatePrecision
from claims.models import Actor, Claim, Topic

from ..models import Source
from .article import paragraphs_of
from .drafts import write_accepted
from .review import MOST_CANDIDATES, client_has_gone, review_article
from .upload import article_text

NEW_ACTOR_KINDS = [("", "(guessed from the name)"), *ActorKind.choices]
# How much of a selected or pasted statement the review takes as a new candidate's excerpt.
MOST_ADDED_EXCERPT = 2000


class ArticleForm(forms.Form):
    text = forms.CharField(
        label="Article text",
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16, "cols": 100}),
    )
    file = forms.FileField(label="Or upload it", required=False, help_text="A .txt or .html file.")
    url = forms.URLField(
        label="URL", required=False, assume_scheme="https", help_text="Recorded; not fetched."
    )
    published_on = forms.DateField(
        required=False, help_text="Else read from the dateline or the page; the year is then a guess."
    )
    outlet = forms.CharField(required=False, max_length=200, help_text="Else read from the dateline.")

    def clean(self):
        cleaned = super().clean()
        upload, given = cleaned.get("file"), cleaned.get("text", "")
        if bool(upload) == bool(given.strip()):
            raise ValidationError("Paste the article or upload it: one of the two.")
        field = "file" if upload else "text"
        try:
            raw = upload.read() if upload else given
            cleaned["text"], cleaned["is_html"] = article_text(raw, name=upload.name if upload else "")
        except ValidationError as error:
            named = {"text": "Article text", "file": "Uploaded file"}[field]
            self.add_error(field, [f"{named}: {message}" for message in error.messages])
        return cleaned


class SourceReviewForm(forms.Form):
    existing_source = forms.ModelChoiceField(
        Source.objects.all(),
        required=False,
        label="Cite an existing source instead",
        help_text="Chosen when the article is recorded already (same URL or text).",
    )
    title = forms.CharField(max_length=300)
    outlet = forms.CharField(max_length=200, required=False)
    author = forms.CharField(max_length=200, required=False)
    published_on = forms.DateField(
        required=False,
        label="Published on",
        help_text="Change it and “Re-read with this date”: the dates inferred from it move with it.",
    )
    language = forms.CharField(max_length=10, required=False)
    url = forms.URLField(label="URL", required=False, assume_scheme="https")
    full_text = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)


class CandidateForm(forms.Form):
    accepted = forms.BooleanField(required=False, initial=True, label="Accept")
    cite_on = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        label="Record as",
        help_text="Another appearance of a recorded claim: the article is cited on it, no new claim is made.",
    )
    speaker = forms.ModelChoiceField(
        Actor.objects.all(),
        required=False,
        widget=AutocompleteSelect(Claim._meta.get_field("speaker"), admin.site),
    )
    learn_alias = forms.BooleanField(required=False, label="Learn this spelling")
    new_speaker = forms.CharField(
        max_length=200, required=False, label="Name", help_text="When no recorded actor said it."
    )
    new_speaker_kind = forms.ChoiceField(choices=NEW_ACTOR_KINDS, required=False, label="Is a")
    new_speaker_affiliation = forms.ModelChoiceField(
        Actor.objects.all(),
        required=False,
        label="Speaks for",
        help_text="The recorded actor, or name a new one below.",
        widget=AutocompleteSelect(Actor._meta.get_field("affiliation"), admin.site),
    )
    new_speaker_new_affiliation = forms.CharField(
        max_length=200, required=False, label="Or a new one", help_text="Recorded with the new speaker."
    )
    as_written = forms.CharField(widget=forms.HiddenInput, required=False)
    speaker_role = forms.CharField(
        max_length=200, required=False, label="Role", help_text="As the article gives it."
    )
    target = forms.ModelChoiceField(
        Actor.objects.all(),
        required=False,
        widget=AutocompleteSelect(Claim._meta.get_field("target"), admin.site),
    )
    new_target = forms.CharField(
        max_length=200, required=False, label="Name", help_text="When the target is not recorded."
    )
    new_target_kind = forms.ChoiceField(choices=NEW_ACTOR_KINDS, required=False, label="Is a")
    kind = forms.ChoiceField(choices=ClaimKind.choices)
    stated_on = forms.DateField(label="Said on")
    date_precision = forms.ChoiceField(choices=DatePrecision.choices, label="Precision")
    summary = forms.CharField(max_length=400, widget=forms.Textarea(attrs={"rows": 2, "cols": 60}))
    quote = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 60}))
    excerpt = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))
    locator = forms.CharField(max_length=100, required=False)
    topics = forms.ModelMultipleChoiceField(
        Topic.objects.all(),
        required=False,
        widget=AutocompleteSelectMultiple(Claim._meta.get_field("topics"), admin.site),
    )
    new_topic = forms.CharField(max_length=200, required=False, label="Or a new topic")
    answers_candidates = forms.CharField(
        max_length=200,
        required=False,
        label="Answers candidates",
        help_text="The numbers of the candidates it answers or responds to, e.g. “2, 5”.",
    )
    answers_recorded = forms.TypedMultipleChoiceField(
        coerce=int, required=False, label="Answers recorded claims", widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, proposal=None, claims=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposal = proposal or {}
        claims = claims or {}
        self.fields["cite_on"].choices = [("", "A new draft claim")] + [
            (pk, f"Another appearance of “{claims[pk].summary}”")
            for pk in self.proposal.get("duplicates", [])
            if pk in claims
        ]
        self.fields["answers_recorded"].choices = [
            (pk, f"“{claims[pk].summary}” ({claims[pk].speaker})")
            for pk in self.proposal.get("answers", [])
            if isinstance(pk, int) and pk in claims
        ]
        if not self.fields["answers_recorded"].choices:
            del self.fields["answers_recorded"]
        offer = (self.proposal.get("speaker") or {}).get("alias_offer")
        if offer:
            speaker = self.proposal["speaker"]
            self.fields["learn_alias"].label = f"Learn “{offer['spelling']}” as another spelling"
            self.fields["learn_alias"].help_text = (
                f"Of {speaker.get('name')}: the importer then reads it as them. Readers see it once a "
                "published claim quotes it."
            )
        else:
            del self.fields["learn_alias"]

    def field_groups(self):
        """The visible fields in the order an editor works through them, as (legend, is_open,
        fields): who said it and in what role, then a new speaker's details (open when the
        speaker is not recorded), the target, a new target's details likewise, then the rest."""
        fields = {field.name: field for field in self.visible_fields() if field.name != "accepted"}

        def taken(*names):
            return [fields.pop(name) for name in names if name in fields]

        lead = taken("cite_on", "speaker", "learn_alias", "speaker_role")
        new_speaker = taken(
            "new_speaker", "new_speaker_kind", "new_speaker_affiliation", "new_speaker_new_affiliation"
        )
        target = taken("target")
        new_target = taken("new_target", "new_target_kind")
        return [
            ("", True, lead),
            ("A new speaker", bool(new_speaker[0].value()), new_speaker),
            ("", True, target),
            ("A new target", bool(new_target[0].value()), new_target),
            ("", True, list(fields.values())),
        ]

    def clean(self):
        cleaned = super().clean()
        makes_a_claim = cleaned.get("accepted") and not cleaned.get("cite_on")
        if makes_a_claim and not cleaned.get("speaker") and not cleaned.get("new_speaker", "").strip():
            self.add_error("speaker", "Choose who said it, or name a new speaker.")
        numbers = cleaned.get("answers_candidates", "").replace(",", " ").split()
        if any(not number.isdecimal() for number in numbers):
            self.add_error("answers_candidates", "Give candidate numbers, e.g. “2, 5”.")
        return cleaned

    def as_candidate(self, count, own_index):
        """The candidate in the importer's JSON shape, as the editor left it (`count` candidates
        in all; this one is `own_index`, from 0)."""
        values = self.cleaned_data
        speaker, target = values.get("speaker"), values.get("target")
        proposed_speaker = (self.proposal.get("speaker") or {}).get("actor_id")
        numbers = {int(number) for number in values.get("answers_candidates", "").replace(",", " ").split()}
        return {
            "accepted": values.get("accepted", False),
            "cite_on": values.get("cite_on"),
            "speaker": {
                "actor_id": speaker.pk if speaker else None,
                "name": speaker.name if speaker else values.get("new_speaker", "").strip(),
                "kind": values.get("new_speaker_kind") or None,
                # A new speaker is recorded with the role the article gives and the side they speak for.
                "role": "" if speaker else values.get("speaker_role", "").strip(),
                "affiliation": None if speaker else self._new_speakers_side(),
                "as_written": values.get("as_written") or values.get("new_speaker", ""),
                # The spelling is the proposed speaker's: it teaches nothing about another actor.
                "learn_alias": bool(values.get("learn_alias") and speaker and speaker.pk == proposed_speaker),
            },
            "speaker_role": values.get("speaker_role", ""),
            "target": _target(target, values.get("new_target", ""), values.get("new_target_kind")),
            "kind": values.get("kind"),
            "stated_on": values.get("stated_on"),
            "date_precision": values.get("date_precision"),
            "summary": values.get("summary", ""),
            "quote": values.get("quote", ""),
            "excerpt": values.get("excerpt", ""),
            "locator": values.get("locator", ""),
            "topics": [{"topic_id": topic.pk, "name": topic.name} for topic in values.get("topics", [])]
            + ([{"name": values["new_topic"].strip()}] if values.get("new_topic", "").strip() else []),
            "answers": [
                f"candidate:{number - 1}"
                for number in sorted(numbers)
                if 0 < number <= count and number - 1 != own_index
            ]
            + list(values.get("answers_recorded", [])),
        }

    def _new_speakers_side(self):
        """The side a new speaker speaks for: the recorded actor chosen, or a new one named, of the
        kind the importer knew it as when it is the one it proposed."""
        values = self.cleaned_data
        proposed = (self.proposal.get("speaker") or {}).get("affiliation") or {}
        new_name = values.get("new_speaker_new_affiliation", "").strip()
        kind = proposed.get("kind") if new_name == proposed.get("name") else None
        return _target(values.get("new_speaker_affiliation"), new_name, kind)


def _target(target, new_name, new_kind):
    if target:
        return {"actor_id": target.pk, "name": target.name}
    if new_name.strip():
        return {"actor_id": None, "name": new_name.strip(), "kind": new_kind or None}
    return None


class ProposalFormSet(forms.BaseFormSet):
    """One form a candidate, each given its candidate as the importer proposed it, and the recorded
    claims they name loaded in one query."""

    def __init__(self, *args, proposals=(), **kwargs):
        self.proposals = list(proposals)
        named = {
            pk
            for proposal in self.proposals
            for pk in [*proposal.get("duplicates", []), *proposal.get("answers", [])]
            if isinstance(pk, int)
        }
        self.claims = Claim.objects.select_related("speaker").in_bulk(named) if named else {}
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        in_range = index is not None and index < len(self.proposals)
        return {**kwargs, "proposal": self.proposals[index] if in_range else {}, "claims": self.claims}


CandidateFormSet = forms.formset_factory(
    CandidateForm,
    formset=ProposalFormSet,
    extra=0,
    max_num=MOST_CANDIDATES + 20,
    absolute_max=MOST_CANDIDATES + 20,
)


def candidate_initial(candidate):
    speaker = candidate.get("speaker") or {}
    target = candidate.get("target") or {}
    offer = speaker.get("alias_offer") or {}
    affiliation = speaker.get("affiliation") or {}
    is_new = not speaker.get("actor_id") and not speaker.get("unnamed")
    return {
        # Said by someone the article does not name: the editor decides who, or leaves it out.
        "accepted": not speaker.get("unnamed"),
        "cite_on": candidate.get("same_claim"),
        "speaker": speaker.get("actor_id"),
        "learn_alias": bool(offer.get("suggested")),
        "new_speaker": speaker.get("name", "") if is_new else "",
        "new_speaker_kind": (speaker.get("kind") or "") if is_new else "",
        "new_speaker_affiliation": affiliation.get("actor_id") if is_new else None,
        "new_speaker_new_affiliation": affiliation.get("name", "")
        if is_new and not affiliation.get("actor_id")
        else "",
        "as_written": speaker.get("as_written", ""),
        "speaker_role": candidate.get("speaker_role", ""),
        "target": target.get("actor_id"),
        "new_target": "" if target.get("actor_id") else target.get("name", ""),
        "new_target_kind": target.get("kind") or "",
        "kind": candidate.get("kind"),
        "stated_on": candidate.get("stated_on"),
        "date_precision": candidate.get("date_precision"),
        "summary": candidate.get("summary", ""),
        "quote": candidate.get("quote", ""),
        "excerpt": candidate.get("excerpt", ""),
        "locator": candidate.get("locator", ""),
        "topics": [topic["topic_id"] for topic in candidate.get("topics", []) if topic.get("topic_id")],
        "answers_candidates": ", ".join(
            str(int(answer.split(":", 1)[1]) + 1)
            for answer in candidate.get("answers", [])
            if isinstance(answer, str) and answer.startswith("candidate:")
        ),
        "answers_recorded": [answer for answer in candidate.get("answers", []) if isinstance(answer, int)],
    }


def import_article_view(model_admin, request):
    """Step 1, the article; step 2, the review (`step=review`); step 3, accepting (`step=accept`),
    or on the review, adding a missed statement (`action=add`) or re-reading the article with the
    source's date as changed (`action=reread`)."""
    if not request.user.has_perm("claims.add_claim") or not model_admin.has_add_permission(request):
        raise PermissionDenied
    context = {
        **model_admin.admin_site.each_context(request),
        "title": "Import an article",
        "opts": Source._meta,
    }
    step = request.POST.get("step") if request.method == "POST" else None
    if step == "accept":
        return _accept(model_admin, request, context)
    form = ArticleForm(request.POST or None, request.FILES or None)
    if step == "article" and form.is_valid():
        values = form.cleaned_data
        proposal = review_article(
            values["text"],
            url=values["url"],
            published_on=values["published_on"],
            outlet=values["outlet"],
            is_html=values["is_html"],
            should_stop=lambda: client_has_gone(request),
        )
        proposal["source"]["year_guessed"] = values["published_on"] is None and _year_is_a_guess(
            proposal["source"], values["text"]
        )
        return _review(request, context, proposal)
    return TemplateResponse(request, "admin/sources/source/import_article.html", {**context, "form": form})


def _year_is_a_guess(source, text):
    """The date came from a dateline without a year (or from nowhere): its year is the importer's
    guess, unless the article writes that year near its start."""
    published_on = source.get("published_on")
    return not published_on or published_on[:4] not in text[:600]


def _review(request, context, proposal, source_form=None, formset=None, values=None):
    candidates = proposal["candidates"]
    source = proposal["source"]
    source_form = source_form or SourceReviewForm(
        initial={**source, "existing_source": source.get("existing_source_id")}
    )
    formset = formset or CandidateFormSet(
        initial=values or [candidate_initial(candidate) for candidate in candidates],
        proposals=candidates,
        prefix="candidate",
    )
    return TemplateResponse(
        request,
        "admin/sources/source/review_article.html",
        {
            **context,
            "title": "Review the claims found in the article",
            "source_form": source_form,
            "formset": formset,
            "rows": [
                (form, candidate, _date_flag(candidate, source))
                for form, candidate in zip(formset.forms, candidates, strict=False)
            ],
            "article": highlighted_article(source.get("full_text") or "", candidates),
            "notices": proposal.get("notices", []),
            "focus": proposal.get("focus"),
            "proposal_json": json.dumps(_kept_for_the_next_step(proposal), default=str),
            "media": source_form.media + formset.media,
        },
    )


def _kept_for_the_next_step(proposal):
    """The proposal as the page carries it to the next step: the article's text travels once, in
    the source form."""
    source = {
        key: value for key, value in proposal["source"].items() if key not in ("full_text", "paragraphs")
    }
    return {**proposal, "source": source}


def _date_flag(candidate, source):
    """What the review says of a candidate's date that the article does not state in full: how the
    importer read it (its own words), and whether the year is a guess."""
    guessed = source.get("year_guessed") or not source.get("published_on")
    reason = candidate.get("date_reason") or "the article's date"
    if not candidate.get("date_inferred"):
        return (
            f"Read from {reason}; the article gives no year: the year is a guess, check it."
            if guessed
            else ""
        )
    return f"Inferred from {reason}{'; the year is a guess' if guessed else ''}: check it."


def highlighted_article(full_text, candidates):
    """The article's paragraphs, each a list of (text, candidate number or None) pieces: every
    candidate's excerpt marked with its number, so what no candidate covers stands out."""
    paragraphs = paragraphs_of(full_text)
    text = "\n".join(paragraphs)
    starts = [0]
    for paragraph in paragraphs:
        starts.append(starts[-1] + len(paragraph) + 1)
    spans = []
    for number, candidate in enumerate(candidates, start=1):
        excerpt = " ".join((candidate.get("excerpt") or "").split())
        if not excerpt:
            continue
        locator = candidate.get("locator") or ""
        paragraph = int(locator.rsplit(" ", 1)[-1]) - 1 if locator.rsplit(" ", 1)[-1].isdecimal() else 0
        from_here = starts[min(max(paragraph, 0), len(paragraphs))]
        start = text.find(excerpt, from_here)
        length = len(excerpt)
        if start < 0:  # an excerpt joined across paragraphs: its opening still shows where it is
            length = min(len(excerpt), 80)
            start = text.find(excerpt[:length], from_here)
        if start >= 0:
            spans.append((start, start + length, number))
    marked, last_end = [], 0
    for start, end, number in sorted(spans):
        start = max(start, last_end)
        if start < end:
            marked.append((start, end, number))
            last_end = end
    pieces = [[] for _ in paragraphs]
    position = 0
    for start, end, number in [*marked, (len(text), len(text), None)]:
        _add_pieces(pieces, starts, text, position, start, None)
        _add_pieces(pieces, starts, text, start, end, number)
        position = end
    return pieces


def _add_pieces(pieces, starts, text, start, end, number):
    """text[start:end] into the paragraphs it falls in as (text, number, whether it opens the
    excerpt) pieces."""
    opens = True
    while start < end:
        paragraph = _paragraph_at(starts, start)
        stop = min(end, starts[paragraph + 1] - 1)
        if stop > start:
            pieces[paragraph].append((text[start:stop], number, opens))
            opens = False
        start = stop + 1


def _paragraph_at(starts, offset):
    """The paragraph holding `offset`, by bisection of the paragraphs' starting offsets."""
    return max(bisect.bisect_right(starts, offset) - 1, 0) if len(starts) > 1 else 0


def _accept(model_admin, request, context):
    try:
        proposal = json.loads(request.POST.get("proposal") or "{}")
    except ValueError:  # the page's own hidden field, unless someone edited it
        proposal = {}
    proposal = proposal if isinstance(proposal, dict) else {}
    candidates = [c for c in proposal.get("candidates", []) if isinstance(c, dict)][: MOST_CANDIDATES + 20]
    read_with = (proposal.get("source") or {}) if isinstance(proposal.get("source"), dict) else {}
    proposal = {"source": dict(read_with), "candidates": candidates, "notices": []}
    source_form = SourceReviewForm(request.POST)
    formset = CandidateFormSet(request.POST, proposals=candidates, prefix="candidate")
    action = request.POST.get("action")
    if action in ("add", "reread"):
        return _revise(request, context, proposal, source_form, formset, action)
    if not (source_form.is_valid() and formset.is_valid()):
        proposal["source"]["full_text"] = request.POST.get("full_text", "")
        return _review(request, context, proposal, source_form, formset)
    source = source_form.cleaned_data
    review = {
        "source": {
            **{name: value for name, value in source.items() if name != "existing_source"},
            "existing_source_id": source["existing_source"].pk if source["existing_source"] else None,
        },
        "candidates": [
            form.as_candidate(len(formset.forms), index) for index, form in enumerate(formset.forms)
        ],
    }
    try:
        written = write_accepted(review, by=request.user)
    except ValidationError as error:
        model_admin.message_user(request, f"Nothing was written: {' '.join(error.messages)}", messages.ERROR)
        proposal["source"]["full_text"] = request.POST.get("full_text", "")
        return _review(request, context, proposal, source_form, formset)
    model_admin.message_user(request, f"Imported: {written.summary()}. Review the drafts, then publish.")
    return redirect(reverse("admin:sources_source_change", args=[written.source.pk]))


def _revise(request, context, proposal, source_form, formset, action):
    """The review again, with the editor's edits kept: a statement they selected or pasted added as
    a candidate, or the article re-read with the source's date as they changed it."""
    values = [{name: form[name].value() for name in form.fields} for form in formset.forms]
    full_text = request.POST.get("full_text", "")
    proposal["source"]["full_text"] = full_text
    published_on = source_form["published_on"].value() or None
    try:
        published_on = forms.DateField().clean(published_on) if published_on else None
    except ValidationError:
        published_on = None
    candidates = proposal["candidates"]
    if action == "add":
        excerpt = " ".join(request.POST.get("added_excerpt", "").split())[:MOST_ADDED_EXCERPT]
        already = next(
            (
                number
                for number, candidate in enumerate(candidates, start=1)
                if excerpt and excerpt in candidate.get("excerpt", "")
            ),
            None,
        )
        if already:
            proposal["notices"].append(f"That statement is already candidate {already}.")
            proposal["focus"] = already
        elif excerpt and len(candidates) < MOST_CANDIDATES + 20:
            added = _candidate_for(excerpt, full_text, published_on)
            candidates.append(added)
            values.append(candidate_initial(added))
            proposal["notices"].append(
                f"Added candidate {len(candidates)}: check its speaker, kind and date."
            )
            proposal["focus"] = len(candidates)
        else:
            proposal["notices"].append("Select or paste the statement to add first.")
    else:
        moved = _move_dates(candidates, values, full_text, published_on, request)
        proposal["source"]["published_on"] = published_on.isoformat() if published_on else None
        proposal["source"]["year_guessed"] = published_on is None
        proposal["notices"].append(
            f"Re-read with the date {published_on or 'unknown'}: {moved} date(s) read from it moved; "
            "the dates you had changed are kept."
        )
    source_form = SourceReviewForm(initial={name: source_form[name].value() for name in source_form.fields})
    return _review(request, context, proposal, source_form=source_form, values=values)


def _candidate_for(excerpt, full_text, published_on):
    """A candidate for a statement the editor found: what the importer reads in it alone, or a blank
    one with the article's date, the excerpt kept as they selected it."""
    found = review_article(excerpt, published_on=published_on, is_html=False)["candidates"]
    paragraph = next(
        (number for number, text in enumerate(paragraphs_of(full_text), start=1) if excerpt[:60] in text),
        None,
    )
    base = (
        found[0]
        if found
        else {
            "speaker": {"name": "", "actor_id": None, "as_written": ""},
            "speaker_role": "",
            "target": None,
            "kind": ClaimKind.ASSERTION,
            "stated_on": published_on.isoformat() if published_on else None,
            "date_precision": DatePrecision.DAY,
            "date_inferred": True,
            "date_reason": f"the article's date ({published_on})" if published_on else "",
            "summary": excerpt[:400],
            "quote": "",
            "topics": [],
            "duplicates": [],
            "answers": [],
        }
    )
    return {
        **base,
        "excerpt": excerpt,
        "locator": f"Paragraph {paragraph}" if paragraph else "",
        "added": True,
    }


def _move_dates(candidates, values, full_text, published_on, request):
    """Re-read the article with `published_on`; each candidate whose date the editor left as
    proposed takes the new reading's date (and how it was read) for the same excerpt."""
    reread = review_article(
        full_text, published_on=published_on, is_html=False, should_stop=lambda: client_has_gone(request)
    )
    by_excerpt = {candidate["excerpt"]: candidate for candidate in reread["candidates"]}
    moved = 0
    for candidate, value in zip(candidates, values, strict=False):
        new = by_excerpt.get(candidate.get("excerpt"))
        left_as_proposed = str(value.get("stated_on") or "") == str(candidate.get("stated_on") or "")
        # A date the article states in full reads the same again; one read from the article's
        # date ("on Thursday", "yesterday", a day without a year) or inferred from it moves.
        if new is None or not left_as_proposed:
            continue
        if new["stated_on"] != candidate.get("stated_on"):
            moved += 1
        for name in ("stated_on", "date_precision", "date_inferred", "date_reason"):
            candidate[name] = new.get(name)
        value["stated_on"], value["date_precision"] = new["stated_on"], new["date_precision"]
    return moved
