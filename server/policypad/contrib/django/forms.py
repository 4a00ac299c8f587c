"""The form side: a widget that binds the form's own editor to a pad, and a ModelForm mixin
that saves what the user saw on the pad.

    class PolicyForm(PolicyPadFormMixin, forms.ModelForm):
        class Meta:
            model = Policy
            fields = ["title", "body"]
            widgets = {"body": PolicyPadWidget(TinyMCE())}   # or PolicyPadWidget(forms.Textarea())

A saved row's field is bound to its pad (created from the field when it has none). A new
row's field is the plain editor until the row exists.
"""

from __future__ import annotations

import copy
import json
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.urls import reverse
from django.utils.translation import gettext as _

from policypad.contrib.django.api import FORMATS, PadApi, PadServerError
from policypad.contrib.django.pads import pad_id, reference
from policypad.contrib.django.saving import REV_SUFFIX, ChangedSince, saved_version, seen_rev

logger = logging.getLogger(__name__)
EDITORS = ("textarea", "tinymce")
"""The editors a PolicyPadWidget binds, each with its bundle (``{% policypad_bundle %}``)."""


def editor_of(widget: forms.Widget) -> str:
    """Which editor a widget makes: django-tinymce's TinyMCE, or a plain textarea."""
    for cls in type(widget).__mro__:
        if cls.__module__ == "tinymce.widgets" and cls.__name__ == "TinyMCE":
            return "tinymce"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    raise TypeError(f"PolicyPadWidget binds a Textarea or a TinyMCE widget, not {widget!r}")


@dataclass
class BoundPad:
    """The pad a widget of one form shows: set by PolicyPadFormMixin for a saved row."""

    pad_id: str
    reference: str
    """Signed (model, pk, field), for the token view."""
    seed: str
    """The field's stored value, to create the pad from if it has none yet."""
    changed_since: ChangedSince | None = None


class PolicyPadWidget(forms.Widget):
    """The form's editor widget, bound to the pad of its model field.

    Renders `editor` as it would render alone, a hidden input for the revision the user
    saw, a status line, and (after a save that others' edits overtook) the warning. The
    page needs ``{% policypad_bundle "<editor>" %}`` and, for TinyMCE, ``{{ form.media }}``.
    """

    template_name = "policypad/widget.html"

    def __init__(
        self, editor: forms.Widget | None = None, *, format: str = "html",
        attrs: dict[str, Any] | None = None,
    ) -> None:  # fmt: skip
        super().__init__(attrs)
        self.editor = editor if editor is not None else forms.Textarea()
        self.editor_kind = editor_of(self.editor)
        if format not in FORMATS:
            raise ValueError(f"format must be one of {', '.join(FORMATS)}, not {format!r}")
        self.format = format
        self.pad: BoundPad | None = None

    def __deepcopy__(self, memo: dict[int, Any]) -> PolicyPadWidget:
        # each form gets its own copy (Django copies fields per form): the pad is per form
        copied = super().__deepcopy__(memo)
        copied.editor = copy.deepcopy(self.editor, memo)
        copied.pad = None
        return copied

    @property
    def media(self) -> forms.Media:  # type: ignore[override]
        return self.editor.media

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        return self.editor.value_from_datadict(data, files, name)

    def value_omitted_from_data(self, data: Any, files: Any, name: str) -> bool:
        return self.editor.value_omitted_from_data(data, files, name)

    def id_for_label(self, id_: str) -> str:
        return self.editor.id_for_label(id_)

    def use_required_attribute(self, initial: Any) -> bool:
        return self.editor.use_required_attribute(initial)

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> str:
        context = self.get_context(name, value, attrs)
        # attrs given to this widget are the editor's (rows, class...)
        editor_attrs = {**self.attrs, **(attrs or {})}
        context["widget"]["editor"] = self.editor.render(name, value, editor_attrs, renderer)
        context["widget"]["policypad"] = self._pad_context(name, context["widget"]["attrs"])
        return self._render(self.template_name, context, renderer)

    def _pad_context(self, name: str, attrs: dict[str, Any]) -> dict[str, Any] | None:
        if self.pad is None:
            return None
        input_id = attrs.get("id") or name
        shown: dict[str, Any] = {"changed_since": self.pad.changed_since, "unavailable": None}
        try:
            # an existing pad is left as it is: it holds everyone's edits
            PadApi.from_settings().create(self.pad.pad_id, self.pad.seed or "", self.format)
        except PadServerError as error:
            # the details (the server's address) are for the log, not for the page
            logger.error("pad %s: could not create it: %s", self.pad.pad_id, error)
            shown["unavailable"] = _("Live editing is unavailable: PolicyPad could not be "
                                     "reached. Your changes cannot be saved now.")  # fmt: skip
            return shown
        token_url = f"{reverse('policypad:token')}?{urlencode({'pad': self.pad.reference})}"
        settings = {
            "tokenUrl": token_url, "editor": self.editor_kind, "input": input_id,
            "rev": input_id + REV_SUFFIX,
        }  # fmt: skip
        shown.update(
            rev_name=name + REV_SUFFIX, rev_id=input_id + REV_SUFFIX, config=json.dumps(settings)
        )
        return shown


class PolicyPadFormMixin:
    """For a ModelForm whose fields use PolicyPadWidget: saves each from its pad.

    On `clean()` such a field's value becomes the pad's content at the revision the user
    had seen, validated by the field as if posted. `changed_since` then maps each field
    whose pad others changed after that revision to a ChangedSince: the form saves what
    the user saw, and the page should show the form again (the widget shows the warning
    and offers to save the newer version) rather than move on; ChangedSinceWarningMixin
    does that for class-based views.
    """

    changed_since: dict[str, ChangedSince]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.changed_since = {}
        instance = getattr(self, "instance", None)
        for name, field in self._pad_fields():
            if instance is None or instance.pk is None:
                continue  # a new row has no pad yet: its editor works alone
            field.widget.pad = BoundPad(
                pad_id=pad_id(type(instance), instance.pk, name),
                reference=reference(instance, name),
                seed=self.get_initial_for_field(field, name),
            )

    def _pad_fields(self) -> list[tuple[str, forms.Field]]:
        return [(name, field) for name, field in self.fields.items()
                if isinstance(field.widget, PolicyPadWidget)]  # fmt: skip

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean()  # type: ignore[misc]
        for name, field in self._pad_fields():
            widget: PolicyPadWidget = field.widget
            if widget.pad is None:
                continue
            # whatever the posted copy was found to be, it is not what gets saved
            self._errors.pop(name, None)
            try:
                rev = seen_rev(self.data, self.add_prefix(name))
                version = saved_version(PadApi.from_settings(), widget.pad.pad_id, rev,
                                        widget.format)  # fmt: skip
                cleaned[name] = field.clean(version.content)
            except forms.ValidationError as error:
                cleaned.pop(name, None)
                self.add_error(name, error)
                continue
            if version.changed_since is not None:
                self.changed_since[name] = version.changed_since
                widget.pad.changed_since = version.changed_since
        return cleaned
