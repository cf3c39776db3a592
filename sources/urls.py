from django.urls import path
from django.views.generic import DetailView

from .models import Source

app_name = "sources"

urlpatterns = [
    path("sources/<slug:slug>/", DetailView.as_view(model=Source), name="source-detail"),
]
