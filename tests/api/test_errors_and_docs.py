"""Bad input gets a precise problem document and changes nothing; the reference pages need no CDN."""
import pytest

from tests.api.conftest import NEW_ORDER
from tests.factories import make_order

PROBLEM_KEYS = {"type", "title", "status", "detail", "error", "message", "fields"}


@pytest.mark.parametrize("body, field", [
    ({**NEW_ORDER, "colour": "red"}, "colour"),
    ({**NEW_ORDER, "customer_name": 42}, "customer_name"),
    ({**NEW_ORDER, "items": [{"sku": "CUP-500", "quantity": "2"}]}, "items.0.quantity"),
    ({**NEW_ORDER, "customer_phone": "12"}, "customer_phone"),
    ({**NEW_ORDER, "items": [{"sku": "NOPE", "quantity": 1}]}, "items.0.sku"),
    ({k: v for k, v in NEW_ORDER.items() if k != "address"}, "address"),
])
def test_bad_fields_are_422_naming_the_field(api_as, catalogue, body, field):
    _user, api = api_as("sales")
    resp = api.post("/api/v1/orders", json=body)
    assert resp.status_code == 422 and resp.mimetype == "application/problem+json"
    problem = resp.get_json()
    assert PROBLEM_KEYS <= set(problem) and problem["status"] == 422 and field in problem["fields"]
    assert api.get("/api/v1/orders").get_json()["data"] == []


def test_malformed_json_is_400(api_as):
    _user, api = api_as("sales")
    resp = api.call("POST", "/api/v1/orders", data="{not json", headers={"Content-Type": "application/json"})
    assert resp.status_code == 400 and resp.get_json()["fields"] == ["json"]


def test_oversized_body_is_413_naming_the_body(api_as):
    _user, api = api_as("sales")
    resp = api.post("/api/v1/orders", json=NEW_ORDER | {"notes": "x" * 300_000})
    assert resp.status_code == 413 and resp.get_json()["fields"] == ["body"]


def test_a_computed_field_is_403_naming_it(app, api_as):
    _user, api = api_as("manager")
    with app.app_context():
        order_no = make_order().order_no
    resp = api.patch(f"/api/v1/orders/{order_no}", json={"total_amount": "1.00"})
    assert resp.status_code == 403 and resp.get_json()["fields"] == ["total_amount"]


def test_a_step_without_its_evidence_names_what_is_missing(app, api_as):
    _user, api = api_as("manager")
    with app.app_context():
        order_no = make_order(status="outbound").order_no
    resp = api.post(f"/api/v1/orders/{order_no}/transitions", json={"to": "in_transit"})
    assert resp.status_code == 422 and set(resp.get_json()["fields"]) == {"carrier", "tracking_no"}
    done = api.post(f"/api/v1/orders/{order_no}/transitions",
                    json={"to": "in_transit", "carrier": "顺丰", "tracking_no": "SF100"})
    assert done.status_code == 200 and done.get_json()["tracking_no"] == "SF100"


def test_products_hide_cost_from_sales(api_as, catalogue):
    _user, sales = api_as("sales")
    _user, finance = api_as("finance")
    assert "unit_cost" not in sales.get("/api/v1/products").get_json()["data"][0]
    assert finance.get("/api/v1/products").get_json()["data"][0]["unit_cost"] == "52.30"


def test_customers_by_phone_in_any_format_within_scope(app, api_as):
    user, api = api_as("sales")
    with app.app_context():
        make_order(salesperson=user, phone="+8613912345678")
    found = api.get("/api/v1/customers?phone=139 1234 5678").get_json()["data"]
    assert [c["phone"] for c in found] == ["+8613912345678"]
    assert api.get("/api/v1/customers?phone=abc").status_code == 422


def test_openapi_document_is_3_1_and_served_without_a_token(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    assert doc["openapi"].startswith("3.1")
    assert {"/api/v1/orders", "/api/v1/orders/{order_no}", "/api/v1/orders/{order_no}/transitions",
            "/api/v1/orders/{order_no}/history", "/api/v1/products", "/api/v1/customers"} <= set(doc["paths"])
    assert doc["components"]["schemas"]["OrderCreate"]["additionalProperties"] is False


def test_docs_page_is_rendered_from_the_document_with_no_outside_scripts(client):
    page = client.get("/api/v1/docs").get_data(as_text=True)
    assert "PATCH /api/v1/orders/{order_no}" in page and "OrderCreate" in page
    assert "cdn" not in page.lower() and "https://" not in page.replace("https://orderhub.invalid", "")
