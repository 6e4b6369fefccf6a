"""The staff member's private calendar addresses (ICS): the list (GET), then one view per
action — an address for one's own agent agenda, one for a place's agenda, revoking one."""

from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from maillage.organisations import permissions
from maillage.places.models import Place

from ..calendar_feeds import calendar_feed_create, calendar_feed_revoke
from ..models import Agent, CalendarFeed
from .common import parse_id, staff_required


def _my_agents(user):
    return Agent.objects.filter(user=user, is_active=True)


def _my_places(user):
    return Place.objects.filter(permissions.feed_places_q(user)).order_by("name")


@require_safe
@staff_required
def feeds(request):
    user = request.user
    my_feeds = CalendarFeed.objects.filter(created_by=user, revoked_at__isnull=True).select_related(
        "agent", "place"
    )
    return render(
        request,
        "appointments/feeds.html",
        {
            "feeds": [
                {
                    "feed": f,
                    "url": request.build_absolute_uri(reverse("appointments:feed", args=[f.token])),
                }
                for f in my_feeds
            ],
            "my_agents": _my_agents(user),
            "my_places": _my_places(user),
        },
    )


@require_POST
@staff_required
def feed_create_agent(request):
    agent = get_object_or_404(_my_agents(request.user), pk=parse_id(request.POST.get("agent")) or 0)
    calendar_feed_create(agent=agent, by=request.user)
    return redirect("appointments:feeds")


@require_POST
@staff_required
def feed_create_place(request):
    place = get_object_or_404(_my_places(request.user), pk=parse_id(request.POST.get("place")) or 0)
    calendar_feed_create(place=place, by=request.user)
    return redirect("appointments:feeds")


@require_POST
@staff_required
def feed_revoke(request, pk: int):
    """Only the feed's creator revokes it (404 for anyone else: not revealed)."""
    feed = get_object_or_404(CalendarFeed, pk=pk, created_by=request.user)
    calendar_feed_revoke(feed=feed)
    return redirect("appointments:feeds")
