"""Schemathesis against the live OpenAPI document: no 5xx, every response matches the schema.

Generated requests (valid and invalid) go to the app in-process (WSGI) with a manager's token, and,
fewer, with every other role's token (no 5xx); the catalogue and a few orders exist so that some
requests hit real rows.
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


def _run(app, token: str, mode, checks, examples: int) -> list[str]:
    """Send generated requests to every operation; return the failures, one line per operation."""
    # The WSGI transport hands back raw bytes; compression is pinned apart (tests/core/test_assets.py).
    auth = {"Authorization": f"Bearer {token}", "Accept-Encoding": "identity"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=examples, deadline=None, database=None, derandomize=True,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            case.call_and_validate(headers=auth, checks=checks)

        try:
            check()
        except Exception as exc:  # collect every operation's failure, then report them together
            failures.append(f"{operation.label}: {exc}")
    return failures


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_conforms_to_its_openapi_document(app, api_as, seeded, mode):
    app.config["API_RATE_LIMIT"] = 0
    _user, api = api_as("manager")
    failures = _run(app, api.token, mode, CHECKS, EXAMPLES)
    assert not failures, "\n\n".join(failures)


@pytest.mark.parametrize("role", ["admin", "sales", "warehouse", "finance", "support"])
def test_api_answers_every_role_without_5xx(app, api_as, seeded, role):
    """Every other role's token, valid and invalid requests: whatever is refused is refused with a 4xx."""
    app.config["API_RATE_LIMIT"] = 0
    _user, api = api_as(role, regions=["east"])
    failures = []
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        failures += _run(app, api.token, mode, [not_a_server_error], 4)
    assert not failures, "\n\n".join(failures)
