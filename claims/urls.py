from django.urls import path

from . import views

app_name = "claims"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("claims/<slug:slug>/", views.ClaimDetailView.as_view(), name="claim-detail"),
    path("actors/<slug:slug>/", views.ActorDetailView.as_view(), name="actor-detail"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic-detail"),
]
