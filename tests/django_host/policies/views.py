from django.contrib.auth.mixins import PermissionRequiredMixin
from django.views.generic import DetailView, UpdateView

from policypad.contrib.django.views import ChangedSinceWarningMixin
from tests.django_host.policies.forms import PlainPolicyForm, PolicyForm
from tests.django_host.policies.models import Policy


class PolicyDetail(DetailView):
    model = Policy
    template_name = "policies/detail.html"


class PolicyEdit(PermissionRequiredMixin, ChangedSinceWarningMixin, UpdateView):
    model = Policy
    form_class = PolicyForm
    permission_required = "policies.change_policy"
    template_name = "policies/edit.html"
    extra_context = {"editor": "tinymce"}


class PlainPolicyEdit(PolicyEdit):
    form_class = PlainPolicyForm
    extra_context = {"editor": "textarea"}
