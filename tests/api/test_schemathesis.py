"""Schemathesis against the live OpenAPI document: no 5xx, every response matches the schema.

Generated requests (valid and invalid) go to the app in-process (WSGI) with a manager's token;
the catalogue and a few orders exist so that some requests hit real rows.
"""
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance, response_headers_conformance, response_schema_conformance, status_code_conformance)

from tests.factories import make_order

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]
EXAMPLES = 12


@pytest.fixture
def seeded(app, catalogue):
    """A few orders, so lists, gets and customer look-ups return data."""
    with app.app_context():
        for status in ("pending_payment", "confirmed", "outbound"):
            make_order(status=status)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_conforms_to_its_openapi_document(app, api_as, seeded, mode):
    app.config["API_RATE_LIMIT"] = 0
    _user, api = api_as("manager")
    # The WSGI transport hands back raw bytes; compression is pinned apart (tests/core/test_assets.py).
    auth = {"Authorization": f"Bearer {api.token}", "Accept-Encoding": "identity"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=EXAMPLES, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate(headers=auth, checks=CHECKS)

        try:
            check()
        except Exception as exc:  # collect every operation's failure, then report them together
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
