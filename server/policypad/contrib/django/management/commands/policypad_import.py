"""``manage.py policypad_import app.Model field [--pad-id-template T] [--format html]``:
creates a pad per row from that field, so that every document is there before anyone opens
it. Pads that exist are left as they are (they may hold edits newer than the field), so
running it again only adds the rows that are new."""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.core.management.base import BaseCommand, CommandError, CommandParser

from policypad.contrib.django.api import FORMATS, PadApi, PadServerError
from policypad.contrib.django.pads import pad_id

PROGRESS_EVERY_ROWS = 100
"""Without a terminal, a progress line per this many rows (and one at the end)."""


class Command(BaseCommand):
    help = "Create a pad for each row of a model from one of its fields (existing pads are kept)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("model", help="the model, as app_label.ModelName")
        parser.add_argument("field", help="the field that holds each row's document")
        parser.add_argument(
            "--pad-id-template", default=None,
            help="pad ids, from {app_label} {model_name} {pk} {field} "
                 "(default: settings.POLICYPAD['PAD_ID'], as the forms use it)",
        )  # fmt: skip
        parser.add_argument("--format", choices=FORMATS, default="html",
                            help="what the field holds (default: html)")  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            model = apps.get_model(options["model"])
        except (LookupError, ValueError) as error:
            raise CommandError(f"no model {options['model']!r}: {error}") from None
        name = options["field"]
        try:
            model._meta.get_field(name)
        except FieldDoesNotExist:
            raise CommandError(f"{model._meta.label} has no field {name!r}") from None
        api = PadApi.from_settings()
        rows = model._default_manager.order_by("pk").values_list("pk", name)
        total = rows.count()
        created = existing = 0
        for done, (pk, value) in enumerate(rows.iterator(), start=1):
            try:
                pad = pad_id(model, pk, name, options["pad_id_template"])
            except (KeyError, IndexError, ValueError) as error:
                raise CommandError(f"--pad-id-template: {error!r}") from None
            try:
                if api.create(pad, value or "", options["format"]):
                    created += 1
                else:
                    existing += 1
            except PadServerError as error:
                self._progress(done - 1, total, created, existing, final=True)
                raise CommandError(f"row {pk}: {error} (run again to go on)") from None
            self._progress(done, total, created, existing, final=done == total)
        if total == 0:
            self.stdout.write(f"{model._meta.label}: no rows")

    def _progress(self, done: int, total: int, created: int, existing: int, final: bool) -> None:
        line = f"{done}/{total} rows: {created} pads created, {existing} already there"
        if self.stdout.isatty():
            # one line, rewritten in place
            self.stdout.write(f"\r{line}", ending="\n" if final else "")
            self.stdout.flush()
        elif final or done % PROGRESS_EVERY_ROWS == 0:
            self.stdout.write(line)
