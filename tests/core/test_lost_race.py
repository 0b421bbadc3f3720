"""A deadlock or serialisation failure is a lost race, not an outage: 409 "try again", nothing saved, no 503."""
import pytest
from sqlalchemy.exc import OperationalError

from webapp.core.errors import lost_race


class _Refusal(Exception):
    def __init__(self, sqlstate):
        super().__init__(sqlstate)
        self.sqlstate = sqlstate


@pytest.mark.parametrize("sqlstate, race", [("40P01", True), ("40001", True), ("57P01", False), (None, False)])
def test_only_deadlocks_and_serialisation_failures_are_lost_races(sqlstate, race):
    assert lost_race(OperationalError("UPDATE orders …", {}, _Refusal(sqlstate))) is race


@pytest.mark.parametrize("sqlstate, status", [("40P01", 409), ("40001", 409), ("57P01", 503)])
def test_a_lost_race_answers_409_in_the_users_language_and_an_outage_503(app, sqlstate, status):
    def write():
        raise OperationalError("UPDATE orders …", {}, _Refusal(sqlstate))

    app.add_url_rule("/_race", "race", write, methods=["POST"])
    client = app.test_client()
    page = client.post("/_race")
    api = client.post("/_race", headers={"Accept": "application/json"})
    assert page.status_code == status and api.status_code == status
    if status == 409:
        assert "没有保存任何内容" in page.get_data(as_text=True)
        assert api.get_json()["error"] == "retry"
    else:
        assert page.headers["Retry-After"] == "5"
