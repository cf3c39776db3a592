from django.urls import path

from . import feeds, views

app_name = "claims"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("claims/", views.ClaimListView.as_view(), name="claim-list"),
    path("claims/<slug:slug>/", views.ClaimDetailView.as_view(), name="claim-detail"),
    path("actors/", views.ActorListView.as_view(), name="actor-list"),
    path("about/", views.AboutView.as_view(), name="about"),
    path("corrections/", views.CorrectionsView.as_view(), name="corrections"),
    path("actors/<slug:slug>/", views.ActorDetailView.as_view(), name="actor-detail"),
    path("topics/", views.TopicListView.as_view(), name="topic-list"),
    path("topics/<slug:slug>/", views.TopicDetailView.as_view(), name="topic-detail"),
    path("topics/<slug:slug>/card.png", views.topic_card, name="topic-card"),
    path("feeds/claims/", feeds.LatestClaimsFeed(), name="feed"),
    path("feeds/topics/<slug:slug>/", feeds.TopicClaimsFeed(), name="topic-feed"),
]
