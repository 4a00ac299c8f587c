"""PolicyPad in a Django site (``pip install policypad[django]``, Django 5.2 LTS).

Add ``"policypad.contrib.django"`` to ``INSTALLED_APPS``, set ``POLICYPAD`` (see
:mod:`policypad.contrib.django.conf`), include ``policypad.contrib.django.urls`` and then:

- :class:`~policypad.contrib.django.forms.PolicyPadWidget` wraps the editor widget a form
  already uses (a ``Textarea``, or django-tinymce's ``TinyMCE``) and binds it to the pad of
  that model field;
- :class:`~policypad.contrib.django.forms.PolicyPadFormMixin` (for a ``ModelForm``) saves
  the pad's content at the revision the saving user had seen, never the posted copy, and
  tells (``form.changed_since``) when others changed the pad since;
- the ``token`` view mints a token for ``request.user`` after the host's permission check;
- ``{% load policypad %}{% policypad_bundle "tinymce" %}`` loads the client;
- ``manage.py policypad_import app.Model field`` creates a pad per row.
"""
