from django.contrib.auth.views import LoginView
from django.urls import include, path

from tests.django_host.policies import views

urlpatterns = [
    path("login/", LoginView.as_view(), name="login"),
    path("policies/<int:pk>/", views.PolicyDetail.as_view(), name="policy"),
    path("policies/<int:pk>/edit/", views.PolicyEdit.as_view(), name="policy-edit"),
    path("policies/<int:pk>/edit-plain/", views.PlainPolicyEdit.as_view(), name="edit-plain"),
    path("policypad/", include("policypad.contrib.django.urls")),
]
