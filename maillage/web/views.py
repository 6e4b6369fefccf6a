from django.shortcuts import render


def home(request):
    return render(request, "web/home.html")


def accessibility(request):
    return render(request, "web/accessibility.html")


def legal(request):
    return render(request, "web/legal.html")


def health(request):
    """For the reverse proxy and the monitoring: the app answers and reaches its database.
    Exempt from the HTTPS redirect (`SECURE_REDIRECT_EXEMPT`): it is called on plain HTTP."""
    from django.db import connection
    from django.http import JsonResponse

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"statut": "ok"})
