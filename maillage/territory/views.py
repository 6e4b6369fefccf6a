from django.shortcuts import render


def commune_search(request):
    return render(request, "territory/commune_search.html")
