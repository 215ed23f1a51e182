"""The JSON API for other systems. It starts with a status check for load balancers."""

from __future__ import annotations

from django.db import connection
from django.http import HttpRequest
from ninja import NinjaAPI, Schema, Status

api = NinjaAPI(
    title="Health Trainer for chronic pain",
    version="1",
    urls_namespace="api",
    # The interactive docs page loads its script from a CDN; the schema alone is served.
    docs_url=None,
)


class ServiceStatus(Schema):
    status: str
    database: str


@api.get("/status", response={200: ServiceStatus, 503: ServiceStatus}, url_name="status", auth=None)
def status(request: HttpRequest) -> Status[ServiceStatus]:
    """Whether this app server can reach its database. Reveals nothing else."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return Status(503, ServiceStatus(status="unavailable", database="unreachable"))
    return Status(200, ServiceStatus(status="ok", database="ok"))
