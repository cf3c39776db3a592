from functools import partial

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count
from django.urls import path, reverse
from django.utils.html import format_html

from claims.merge_admin import MergeActionMixin
from tracker.admin import EditorAdmin

from .importing.admin import import_article_view
from .merging import merge_sources
from .models import Citation, Source


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

    def get_urls(self):
        importing = self.admin_site.admin_view(partial(import_article_view, self))
        return [path("import/", importing, name="sources_source_import"), *super().get_urls()]

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
