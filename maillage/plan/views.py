from django.shortcuts import render


def plan_list(request):
    return render(request, "plan/plan_list.html", {"plans": []})
