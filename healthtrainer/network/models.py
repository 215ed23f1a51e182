"""A network of programmes (a region, or the whole country) that programmes join by their
manager's consent, for the aspects they choose to share, and the network analysts who see
its aggregate figures: never a client, never a programme's exact figures."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from healthtrainer.core.scoping import ProgrammeScopedQuerySet


class Aspect(models.TextChoices):
    REFERRAL = "referral", "GP referral"
    OUTCOMES = "outcomes", "Client outcomes"
    COMPLETENESS = "completeness", "Data completeness"
    EQUITY = "equity", "Equity across deprivation"


class Network(models.Model):
    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=60, unique=True)
    description = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class NetworkMembershipQuerySet(ProgrammeScopedQuerySet["NetworkMembership"]):
    def current(self) -> NetworkMembershipQuerySet:
        """Memberships whose consent stands: withdrawn ones count nowhere."""
        return self.filter(withdrawn_at__isnull=True)


class NetworkMembership(models.Model):
    """A programme's consent to share some aspects of its figures with a network, given by
    its manager on a date; withdrawn, it is kept with the date, and counts nowhere."""

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="memberships")
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, related_name="network_memberships"
    )
    aspects = models.JSONField(default=list)
    consented_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    consented_at = models.DateTimeField()
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)

    objects = NetworkMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["network", "programme"]
        constraints = [
            models.UniqueConstraint(
                fields=["network", "programme"],
                condition=Q(withdrawn_at__isnull=True),
                name="one_current_membership_per_network",
            )
        ]

    def __str__(self) -> str:
        return f"{self.programme} in {self.network}"

    def shares(self, aspect: str) -> bool:
        return aspect in self.aspects


class NetworkAnalyst(models.Model):
    """Someone who sees a network's aggregate figures, and nothing of any programme."""

    network = models.ForeignKey(Network, on_delete=models.PROTECT, related_name="analysts")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="network_roles"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    added_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "user"], name="one_analyst_role_each")
        ]

    def __str__(self) -> str:
        return f"{self.user} analyses {self.network}"


class DeclaredChange(models.Model):
    """A change in how the network works (a new referral pathway, say), declared from the
    month it starts: the SPC charts work their limits out afresh from there, and nowhere
    else."""

    network = models.ForeignKey(Network, on_delete=models.CASCADE, related_name="changes")
    month = models.DateField(help_text="The first of the month the change starts.")
    what = models.CharField(max_length=200)
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField()

    class Meta:
        ordering = ["month"]
        constraints = [
            models.UniqueConstraint(fields=["network", "month"], name="one_change_a_month")
        ]

    def __str__(self) -> str:
        return f"{self.what} from {self.month:%B %Y}"


class PublishedFigures(models.Model):
    """The counts of a programme's published evaluation report (every period to date), as
    its reader sees them: a number, or "*" where the report hides it. The network's
    outcome funnels read these, so they show nothing the report does not; its other
    figures read the inputs kept beside them, so a page never counts the programmes' rows."""

    programme = models.OneToOneField(
        "programmes.Programme", on_delete=models.CASCADE, related_name="published_figures"
    )
    made_at = models.DateTimeField()
    counts = models.JSONField()
    # The exact counts the network's other figures are made from (snapshots.INPUTS), by
    # figure: never shown as they are, each is published by the figure that uses it.
    inputs = models.JSONField(default=dict)

    def __str__(self) -> str:
        return f"{self.programme}'s published figures at {self.made_at:%d %B %Y %H:%M}"
