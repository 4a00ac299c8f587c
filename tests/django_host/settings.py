"""A minimal host site for policypad.contrib.django: a Policy model edited by two forms
(TinyMCE, and a plain textarea). The Django tests use it in-process; the browser test runs
it with `python -m django runserver` (manage.py's runserver), and these environment
variables say where things are: POLICYPAD_TEST_SERVER, POLICYPAD_TEST_SECRET,
POLICYPAD_TEST_API_KEY (the PolicyPad server), POLICYPAD_TEST_DJANGO_DB (a SQLite file),
POLICYPAD_TEST_DJANGO_DEBUG=1 (serve static files)."""

from __future__ import annotations

import os

SECRET_KEY = "policypad-tests-only-django-secret-key"
DEBUG = os.environ.get("POLICYPAD_TEST_DJANGO_DEBUG") == "1"
ALLOWED_HOSTS = ["127.0.0.1", "localhost", "testserver"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.staticfiles",
    "tinymce",
    "policypad.contrib.django",
    "tests.django_host.policies",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]
ROOT_URLCONF = "tests.django_host.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
            ]
        },
    }
]
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": os.environ.get("POLICYPAD_TEST_DJANGO_DB", ":memory:"),
    }
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
STATIC_URL = "/static/"
LOGIN_URL = "/login/"
# fast logins: the tests log users in many times
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

POLICYPAD = {
    "SERVER": os.environ.get("POLICYPAD_TEST_SERVER", "http://127.0.0.1:9001"),
    "SECRET": os.environ.get("POLICYPAD_TEST_SECRET", "django-tests-secret-long-enough-to-sign"),
    "API_KEY": os.environ.get("POLICYPAD_TEST_API_KEY", "django-tests-api-key-long-enough-to-use"),
}
# django-tinymce 5 ships TinyMCE 7, which is GPL: without the key it opens read-only
TINYMCE_DEFAULT_CONFIG = {
    "license_key": "gpl",
    "menubar": False,
    "plugins": "lists link table",
    "toolbar": "undo redo | blocks | bold italic | bullist numlist | link table",
    "toolbar_mode": "wrap",
    "height": 320,
}
