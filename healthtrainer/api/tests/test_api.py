from django.urls import reverse


def test_the_status_check_reports_the_database(client, db):
    response = client.get(reverse("api:status"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_the_api_schema_is_served_without_a_docs_page_from_a_cdn(client, db):
    schema = client.get(reverse("api:openapi-json")).json()
    assert "/api/v1/status" in schema["paths"]
    assert client.get("/api/v1/docs").status_code == 404
