from django.shortcuts import render


def home(request):
    return render(request, "web/home.html")


def accessibility(request):
    return render(request, "web/accessibility.html")


def legal(request):
    return render(request, "web/legal.html")
