"""``{% load policypad %}{% policypad_bundle "tinymce" %}``: the scripts a page with
PolicyPadWidgets needs."""

from __future__ import annotations

from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString

from policypad.contrib.django.conf import config
from policypad.contrib.django.forms import EDITORS

register = template.Library()


@register.simple_tag
def policypad_bundle(editor: str = "textarea") -> SafeString:
    """Script tags for the PolicyPad server's bundle for `editor` (``textarea`` or
    ``tinymce``) and for the script that attaches the page's PolicyPadWidgets.

    Both are deferred: they run once the page is parsed, after the editor's own scripts
    (``{{ form.media }}``), wherever the tag stands. Load one bundle per page.
    """
    if editor not in EDITORS:
        raise template.TemplateSyntaxError(
            f"policypad_bundle takes one of {', '.join(EDITORS)}, not {editor!r}"
        )
    return format_html(
        '<script src="{}/static/bundles/policypad-{}.js" defer></script>\n'
        '<script src="{}" defer></script>',
        config().server, editor, static("policypad/django.js"),
    )  # fmt: skip
