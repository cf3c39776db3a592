from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html

from claims.merge_admin import MergeActionMixin
from tracker.admin import EditorAdmin

from .merging import merge_sources
from .models import Citation, Source


class ClaimCitationFormSet(forms.BaseInlineFormSet):
    """The citations of a claim; a claim that is (being) published must keep at least one."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        remaining = [
            form for form in self.forms if form.cleaned_data and not form.cleaned_data.get("DELETE", False)
        ]
        self.instance.check_keeps_a_citation(len(remaining))


class CitationInline(admin.StackedInline):
    """A claim's citations, edited on the claim's page."""

    model = Citation
    formset = ClaimCitationFormSet
    fields = [("source", "stance", "locator"), "excerpt"]
    autocomplete_fields = ["source"]
    formfield_overrides = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 2, "cols": 100})}}

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source", "claim")

    def get_extra(self, request, obj=None, **kwargs):
        # A new claim starts with one empty citation row: most claims are entered from a source.
        return 1 if obj is None else 0

    def initial_rows(self, request):
        """The new claim's citation row with the source chosen already, when the editor came from a
        source's "Add a claim cited from this source" (`?citation_source=<id>`)."""
        source_id = request.GET.get("citation_source", "")
        return [{"source": int(source_id)}] if source_id.isdecimal() else []


class SourceCitationInline(admin.TabularInline):
    """The claims cited from a source, listed on the source's page; edited on the claim's page,
    where the rule that a published claim keeps a citation is checked."""

    model = Citation
    fields = ["claim", "stance", "locator", "excerpt"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source", "claim")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class SourceAdminForm(forms.ModelForm):
    # No Meta: the admin makes it from SourceAdmin's fieldsets and formfield_overrides.

    def clean_url(self):
        # Said here, with a link, rather than by the constraint: "Constraint “source_unique_url” is
        # violated" does not tell the editor which source to cite instead.
        url = self.cleaned_data["url"]
        existing = Source.objects.filter(url=url).exclude(pk=self.instance.pk).first() if url else None
        if existing is not None:
            raise ValidationError(
                format_html(
                    'A source with this URL already exists: <a href="{}">{}</a>',
                    reverse("admin:sources_source_change", args=[existing.pk]),
                    existing.title,
                ),
                code="duplicate_url",
            )
        return url


@admin.register(Source)
class SourceAdmin(MergeActionMixin, EditorAdmin):
    form = SourceAdminForm
    merge = staticmethod(merge_sources)
    list_display = ["title", "outlet", "published_on", "kind", "language", "citation_count"]
    list_filter = ["kind", "language", "outlet"]
    search_fields = ["title", "outlet", "author", "url", "slug"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [SourceCitationInline]
    formfield_overrides = {**EditorAdmin.formfield_overrides, models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["title", "slug", "kind", ("outlet", "author"), ("published_on", "language")]}),
        ("Where to find it", {"fields": ["url", "archive_url", "retrieved_on"]}),
        ("Text and notes", {"classes": ["collapse"], "fields": ["full_text", "notes"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(citation_count=Count("citations"))

    @admin.display(description="Citations", ordering="citation_count")
    def citation_count(self, source):
        return source.citation_count


@admin.register(Citation)
class CitationAdmin(EditorAdmin):
    list_display = ["claim", "source", "stance", "locator"]
    list_filter = ["stance", "source__kind"]
    list_select_related = ["claim", "source"]
    search_fields = ["claim__summary", "source__title", "source__outlet", "excerpt"]
    autocomplete_fields = ["claim", "source"]
    actions = None

    def has_delete_permission(self, request, citation=None):
        if citation is not None:
            try:
                citation.check_can_be_removed()
            except ValidationError:
                return False
        return super().has_delete_permission(request, citation)
