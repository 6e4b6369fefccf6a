from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def my_space(request):
    return render(request, "organisations/my_space.html")
