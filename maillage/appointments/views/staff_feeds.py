"""The staff member's private calendar addresses (ICS): the list (GET), then one view per
action — an address for one's own agent agenda, one for a place's agenda, revoking one."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from maillage.organisations import permissions
from maillage.places.models import Place

from .. import labels
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


def _created(request, feed_owner) -> HttpResponseRedirect:
    """Create the address for the agent or place chosen among the person's own (a missing or
    foreign choice gets the same message: the form only lists the person's own)."""
    if feed_owner is None:
        messages.error(request, labels.ERR_FEED_CHOICE)
    else:
        key = "agent" if isinstance(feed_owner, Agent) else "place"
        calendar_feed_create(by=request.user, **{key: feed_owner})
        messages.success(request, labels.MSG_FEED_CREATED)
    return redirect("appointments:feeds")


@require_POST
@staff_required
def feed_create_agent(request):
    """An address for one's own agent agenda."""
    agent_id = parse_id(request.POST.get("agent"))
    return _created(request, _my_agents(request.user).filter(pk=agent_id).first())


@require_POST
@staff_required
def feed_create_place(request):
    """An address for the agenda of a place one books for."""
    place_id = parse_id(request.POST.get("place"))
    return _created(request, _my_places(request.user).filter(pk=place_id).first())


@require_POST
@staff_required
def feed_revoke(request, pk: int):
    """Only the feed's creator revokes it (404 for anyone else: not revealed)."""
    feed = get_object_or_404(CalendarFeed, pk=pk, created_by=request.user)
    calendar_feed_revoke(feed=feed)
    messages.success(request, labels.MSG_FEED_REVOKED)
    return redirect("appointments:feeds")
