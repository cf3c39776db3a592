"""The admin's "Import an article": paste or upload an article, review the claims it attributes to
someone (prefilled, editable, each with what it may repeat or answer), accept them as drafts."""

import json

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect, AutocompleteSelectMultiple
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse

from claims.choices import ClaimKind, DatePrecision
from claims.models import Actor, Claim, Topic

from .article_drafts import write_accepted
from .article_import import review_article
from .article_upload import article_text
from .models import Source


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
    published_on = forms.DateField(required=False, help_text="Else read from the dateline or the page.")
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
            self.add_error(field, error)
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
    published_on = forms.DateField(required=False)
    language = forms.CharField(max_length=10, required=False)
    url = forms.URLField(label="URL", required=False, assume_scheme="https")
    full_text = forms.CharField(widget=forms.HiddenInput, required=False, strip=False)


def _answers_field_value(answers):
    return ",".join(str(answer) for answer in answers)


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
    new_speaker = forms.CharField(
        max_length=200, required=False, label="Or a new actor", help_text="When no known actor said it."
    )
    as_written = forms.CharField(widget=forms.HiddenInput, required=False)
    speaker_role = forms.CharField(max_length=200, required=False, label="Role")
    target = forms.ModelChoiceField(
        Actor.objects.all(),
        required=False,
        widget=AutocompleteSelect(Claim._meta.get_field("target"), admin.site),
    )
    kind = forms.ChoiceField(choices=ClaimKind.choices)
    stated_on = forms.DateField(label="Said on")
    date_precision = forms.ChoiceField(choices=DatePrecision.choices)
    summary = forms.CharField(max_length=400, widget=forms.Textarea(attrs={"rows": 2, "cols": 90}))
    quote = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2, "cols": 90}))
    excerpt = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3, "cols": 90}))
    locator = forms.CharField(max_length=100, required=False)
    topics = forms.ModelMultipleChoiceField(
        Topic.objects.all(),
        required=False,
        widget=AutocompleteSelectMultiple(Claim._meta.get_field("topics"), admin.site),
    )
    answers = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, proposal=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.proposal = proposal or {}
        duplicates = Claim.objects.filter(pk__in=self.proposal.get("duplicates", [])).in_bulk()
        self.fields["cite_on"].choices = [("", "A new draft claim")] + [
            (pk, f"Another appearance of “{claim.summary}”") for pk, claim in duplicates.items()
        ]

    def clean(self):
        cleaned = super().clean()
        makes_a_claim = cleaned.get("accepted") and not cleaned.get("cite_on")
        if makes_a_claim and not cleaned.get("speaker") and not cleaned.get("new_speaker", "").strip():
            self.add_error("speaker", "Choose who said it, or name a new actor.")
        return cleaned

    def as_candidate(self):
        """The candidate in the importer's JSON shape, as the editor left it."""
        values = self.cleaned_data
        speaker = values.get("speaker")
        target = values.get("target")
        return {
            "accepted": values.get("accepted", False),
            "cite_on": values.get("cite_on"),
            "speaker": {
                "actor_id": speaker.pk if speaker else None,
                "name": speaker.name if speaker else values.get("new_speaker", "").strip(),
                "as_written": values.get("as_written") or values.get("new_speaker", ""),
            },
            "speaker_role": values.get("speaker_role", ""),
            "target": {"actor_id": target.pk, "name": target.name} if target else None,
            "kind": values.get("kind"),
            "stated_on": values.get("stated_on"),
            "date_precision": values.get("date_precision"),
            "summary": values.get("summary", ""),
            "quote": values.get("quote", ""),
            "excerpt": values.get("excerpt", ""),
            "locator": values.get("locator", ""),
            "topics": [{"topic_id": topic.pk, "name": topic.name} for topic in values.get("topics", [])],
            "answers": [
                answer if answer.startswith("candidate:") else int(answer)
                for answer in values.get("answers", "").split(",")
                if answer.strip() and (answer.startswith("candidate:") or answer.isdecimal())
            ],
        }


class ProposalFormSet(forms.BaseFormSet):
    """One form a candidate, each given its candidate as the importer proposed it."""

    def __init__(self, *args, proposals=(), **kwargs):
        self.proposals = list(proposals)
        super().__init__(*args, **kwargs)

    def get_form_kwargs(self, index):
        kwargs = super().get_form_kwargs(index)
        in_range = index is not None and index < len(self.proposals)
        return {**kwargs, "proposal": self.proposals[index] if in_range else {}}


CandidateFormSet = forms.formset_factory(CandidateForm, formset=ProposalFormSet, extra=0)


def candidate_initial(candidate):
    speaker = candidate.get("speaker") or {}
    target = candidate.get("target") or {}
    return {
        "accepted": True,
        "speaker": speaker.get("actor_id"),
        "new_speaker": "" if speaker.get("actor_id") else speaker.get("name", ""),
        "as_written": speaker.get("as_written", ""),
        "speaker_role": candidate.get("speaker_role", ""),
        "target": target.get("actor_id"),
        "kind": candidate.get("kind"),
        "stated_on": candidate.get("stated_on"),
        "date_precision": candidate.get("date_precision"),
        "summary": candidate.get("summary", ""),
        "quote": candidate.get("quote", ""),
        "excerpt": candidate.get("excerpt", ""),
        "locator": candidate.get("locator", ""),
        "topics": [topic["topic_id"] for topic in candidate.get("topics", []) if topic.get("topic_id")],
        "answers": _answers_field_value(candidate.get("answers", [])),
    }


def import_article_view(model_admin, request):
    """Step 1, the article; step 2, the review (`step=review`); step 3, accepting (`step=accept`)."""
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
        )
        return _review(request, context, proposal)
    return TemplateResponse(request, "admin/sources/source/import_article.html", {**context, "form": form})


def _review(request, context, proposal, source_form=None, formset=None):
    candidates = proposal["candidates"]
    source = proposal["source"]
    source_form = source_form or SourceReviewForm(
        initial={**source, "existing_source": source.get("existing_source_id")}
    )
    formset = formset or CandidateFormSet(
        initial=[candidate_initial(candidate) for candidate in candidates],
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
            "rows": list(zip(formset.forms, candidates, strict=False)),
            "proposal_json": json.dumps(proposal, default=str),
            "media": source_form.media + formset.media,
        },
    )


def _accept(model_admin, request, context):
    try:
        proposal = json.loads(request.POST.get("proposal") or "{}")
    except ValueError:  # the page's own hidden field, unless someone edited it
        proposal = {}
    candidates = proposal.get("candidates", []) if isinstance(proposal, dict) else []
    proposal = {"source": {}, "candidates": candidates}
    source_form = SourceReviewForm(request.POST)
    formset = CandidateFormSet(request.POST, proposals=candidates, prefix="candidate")
    if not (source_form.is_valid() and formset.is_valid()):
        return _review(request, context, proposal, source_form, formset)
    source = source_form.cleaned_data
    review = {
        "source": {
            **{name: value for name, value in source.items() if name != "existing_source"},
            "existing_source_id": source["existing_source"].pk if source["existing_source"] else None,
        },
        "candidates": [form.as_candidate() for form in formset.forms],
    }
    try:
        written = write_accepted(review, by=request.user)
    except ValidationError as error:
        model_admin.message_user(request, f"Nothing was written: {' '.join(error.messages)}", messages.ERROR)
        return _review(request, context, proposal, source_form, formset)
    model_admin.message_user(request, f"Imported: {written.summary()}. Review the drafts, then publish.")
    return redirect(reverse("admin:sources_source_change", args=[written.source.pk]))
