"""Chinese by default, English on request, every user-facing string translated."""
from tests.i18n_tools import missing


def test_every_string_has_a_chinese_translation():
    gaps = missing()
    assert not gaps, "untranslated:\n" + "\n".join(f"{w}  {m}" for m, w in gaps.items())


def test_default_language_is_chinese(client):
    assert "登录" in client.get("/login").get_data(as_text=True)


def test_lang_query_switches_to_english_and_sticks(client):
    assert "Log in" in client.get("/login?lang=en").get_data(as_text=True)
    assert "Log in" in client.get("/login").get_data(as_text=True)


def test_browser_language_english(client):
    page = client.get("/login", headers={"Accept-Language": "en-US,en;q=0.9"}).get_data(as_text=True)
    assert "Username" in page


def test_user_setting_wins_over_browser(client, login_as):
    login_as("sales")
    client.post("/lang", data={"lang": "en"})
    page = client.get("/", headers={"Accept-Language": "zh-CN"}).get_data(as_text=True)
    assert "My orders" in page
