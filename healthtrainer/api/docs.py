"""The API's documentation as a page of our own: the OpenAPI document rendered on the
server in the NHS.UK design system, with nothing fetched from a CDN."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from healthtrainer.api.api import api


def _operations(schema: dict[str, Any]) -> list[dict[str, Any]]:
    operations = []
    for path, methods in schema.get("paths", {}).items():
        for method, operation in methods.items():
            responses = operation.get("responses", {})
            operations.append(
                {
                    "method": method.upper(),
                    "path": path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        {
                            "name": parameter["name"],
                            "in": parameter["in"],
                            "required": parameter.get("required", False),
                            "type": parameter.get("schema", {}).get("type")
                            or parameter.get("schema", {}).get("format")
                            or "value",
                        }
                        for parameter in operation.get("parameters", [])
                    ],
                    "responses": sorted(str(code) for code in responses),
                    "secured": bool(operation.get("security")),
                }
            )
    return operations


def api_docs(request: HttpRequest) -> HttpResponse:
    schema = api.get_openapi_schema(path_prefix="/api/")
    return render(
        request,
        "api/docs.jinja",
        {"schema": schema, "operations": _operations(schema)},
    )
