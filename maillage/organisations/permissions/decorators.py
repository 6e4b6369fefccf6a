"""The view decorators: login, then visibility (404), then the action (403)."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from .rule_book import (
    can_anywhere,
    require,
    roles_granting,
    visible_organisations,
)

# --- Views ---------------------------------------------------------------------------------


def organisation_permission_required(action: str, slug_kwarg: str = "slug") -> Callable:
    """Guard a view about one organisation, named by its slug in the URL.

    Anonymous → login page; organisation the person may not see → 404 (its existence is
    not revealed); visible but `action` not allowed → 403. The view receives the
    organisation as `organisation` instead of the slug.
    """
    roles_granting(action)  # fail at import time on a typo

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            slug = kwargs.pop(slug_kwarg)
            organisation = visible_organisations(user).filter(slug=slug).first()
            if organisation is None:
                raise Http404
            require(user, action, organisation)
            return view(request, *args, organisation=organisation, **kwargs)

        return wrapper

    return decorator


def permission_required_anywhere(*actions: str) -> Callable:
    """Guard a page needing one of `actions` in some organisation: anonymous → login page;
    logged in without it → 403 (platform administrators always pass)."""
    for action in actions:
        roles_granting(action)
    if not actions:
        raise ValueError("permission_required_anywhere needs at least one action")

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not can_anywhere(request.user, *actions):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator
