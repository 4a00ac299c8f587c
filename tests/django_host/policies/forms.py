from django import forms
from tinymce.widgets import TinyMCE

from policypad.contrib.django.forms import PolicyPadFormMixin, PolicyPadWidget
from tests.django_host.policies.models import Policy


class PolicyForm(PolicyPadFormMixin, forms.ModelForm):
    """The site's form, as it was with TinyMCE, now bound to a pad."""

    class Meta:
        model = Policy
        fields = ["title", "body"]
        widgets = {"body": PolicyPadWidget(TinyMCE())}


class PlainPolicyForm(PolicyPadFormMixin, forms.ModelForm):
    """The same field in a plain textarea."""

    class Meta:
        model = Policy
        fields = ["title", "body"]
        widgets = {"body": PolicyPadWidget(forms.Textarea())}
