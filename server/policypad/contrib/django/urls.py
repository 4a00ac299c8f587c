"""``path("policypad/", include("policypad.contrib.django.urls"))``: the token view."""

from django.urls import path

from policypad.contrib.django.views import token

app_name = "policypad"
urlpatterns = [path("token/", token, name="token")]
