"""Each robot adapter builds its vendor's documented request and reads its documented answer."""
import base64
import hashlib
import hmac
from urllib.parse import parse_qs, unquote_plus, urlsplit

import pytest

from webapp.carriers.robots.adapters import ADAPTERS, adapter


def test_wecom_sends_markdown_to_the_url_as_given():
    url, body = adapter("wecom").request("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=K", None, "T", "**x**")
    assert url.endswith("?key=K")
    assert body == {"msgtype": "markdown", "markdown": {"content": "**x**"}}


def test_dingtalk_signs_timestamp_newline_secret_in_the_query():
    url, body = adapter("dingtalk").request("https://oapi.dingtalk.com/robot/send?access_token=A", "SECabc", "T", "x",
                                            now=1700000000.123)
    query = {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}
    assert query["timestamp"] == "1700000000123"
    expected = base64.b64encode(hmac.new(b"SECabc", b"1700000000123\nSECabc", hashlib.sha256).digest()).decode()
    assert query["sign"] == expected and unquote_plus(url.split("sign=")[1]) == expected
    assert body == {"msgtype": "markdown", "markdown": {"title": "T", "text": "x"}}


def test_feishu_signs_in_the_body_with_key_timestamp_newline_secret():
    _url, body = adapter("feishu").request("https://open.feishu.cn/open-apis/bot/v2/hook/abc", "s3", "T", "x",
                                           now=1700000000.9)
    assert body["timestamp"] == "1700000000"
    assert body["sign"] == base64.b64encode(hmac.new(b"1700000000\ns3", b"", hashlib.sha256).digest()).decode()
    assert body["msg_type"] == "interactive" and body["card"]["elements"][0] == {"tag": "markdown", "content": "x"}


def test_unsigned_robots_carry_no_signature():
    assert "sign" not in adapter("dingtalk").request("https://h/robot/send?access_token=A", None, "T", "x")[0]
    assert "sign" not in adapter("feishu").request("https://h/hook/a", None, "T", "x")[1]


@pytest.mark.parametrize("kind, answer, ok, rate", [
    ("wecom", '{"errcode":0,"errmsg":"ok"}', True, False),
    ("wecom", '{"errcode":45009,"errmsg":"api freq out of limit"}', False, True),
    ("wecom", '{"errcode":93000,"errmsg":"invalid webhook url"}', False, False),
    ("dingtalk", '{"errcode":130101,"errmsg":"send too fast"}', False, True),
    ("dingtalk", '{"errcode":310000,"errmsg":"sign not match"}', False, False),
    ("feishu", '{"code":0,"msg":"success","data":{}}', True, False),
    ("feishu", '{"code":9499,"msg":"too many request"}', False, True),
    ("feishu", '{"code":19021,"msg":"sign match fail', False, False),
    ("wecom", "<html>bad gateway</html>", False, False),
])
def test_answers_are_read_by_their_code(kind, answer, ok, rate):
    outcome = adapter(kind).outcome(200, answer)
    assert (outcome.ok, outcome.rate_limited) == (ok, rate)


def test_http_429_is_a_rate_limit_and_no_answer_is_a_failure():
    assert adapter("wecom").outcome(429, "").rate_limited
    assert not adapter("feishu").outcome(None, "connection refused").ok
    assert set(ADAPTERS) == {"wecom", "dingtalk", "feishu"}
