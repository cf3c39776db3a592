from django.views.generic import DetailView, ListView

from .models import Actor, Claim, Topic


class HomeView(ListView):
    template_name = "claims/home.html"
    queryset = Claim.objects.published().with_related()[:20]
    context_object_name = "claims"


class ClaimDetailView(DetailView):
    queryset = Claim.objects.published().with_related()
    context_object_name = "claim"


class ActorDetailView(DetailView):
    model = Actor

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            claims=Claim.objects.published().for_speaker(self.object).with_related(), **kwargs
        )


class TopicDetailView(DetailView):
    model = Topic

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            claims=Claim.objects.published().about(self.object).with_related(), **kwargs
        )
