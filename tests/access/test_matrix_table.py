"""Each built-in role's effective policy is exactly the hand-written table (tests/access/matrix_table.py)."""
import pytest

from tests.access.matrix_table import ACTIONS, EXPECTED, KEYS, SCOPES
from webapp.access.policy import policy_for
from webapp.vocab import ORDER_FIELDS, ROLES


def test_the_table_covers_every_builtin_role_field_and_order_action():
    assert tuple(EXPECTED) == ROLES == tuple(SCOPES)
    assert KEYS == ORDER_FIELDS + ("unit_price", "unit_cost", "photos") + ACTIONS
    assert all(tuple(row) == KEYS for row in EXPECTED.values())
    assert {level for row in EXPECTED.values() for level in row.values()} == {"hidden", "read", "write"}


@pytest.mark.parametrize("role", ROLES)
def test_a_new_users_policy_is_the_written_table(app, make_user, role):
    user = make_user(role)
    with app.test_request_context():
        policy = policy_for(user)
        got = {key: policy.level(key) for key in KEYS}
        allowed = {action for action in ACTIONS if policy.can(action)}
    wrong = {key: (got[key], level) for key, level in EXPECTED[role].items() if got[key] != level}
    assert not wrong, f"{role}: key → (effective, written) {wrong}"
    assert allowed == {action for action in ACTIONS if EXPECTED[role][action] == "write"}
    assert policy.scope == SCOPES[role]
