from django.db import models
from django.urls import reverse


class Policy(models.Model):
    title = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    """HTML, edited together on a pad."""

    def get_absolute_url(self) -> str:
        return reverse("policy", args=[self.pk])
