"""The 接龙 parser against the fixture corpus: the exact-match rate, and single rules."""
import pytest

from tests.intake.cases import actual, cases, names
from webapp.intake import jielong
from webapp.intake.textrules import chinese_number, with_province

CASES = cases()


def _matches(text, expected) -> bool:
    got = {e.number: actual(e) for e in jielong.parse(text, names()).entries}
    return got == expected


def test_the_corpus_is_big_enough():
    assert len(CASES) >= 30


def test_exact_match_rate(capsys):
    hits = [case_id for case_id, text, expected in CASES if _matches(text, expected)]
    rate = len(hits) / len(CASES)
    with capsys.disabled():
        print(f"\n接龙 parser exact-match rate: {len(hits)}/{len(CASES)} = {rate:.1%}")
    assert rate >= 0.95, sorted({c for c, _t, _e in CASES} - set(hits))


@pytest.mark.parametrize("case_id,text,expected", CASES, ids=[c[0] for c in CASES])
def test_case(case_id, text, expected):
    got = {e.number: actual(e) for e in jielong.parse(text, names()).entries}
    assert got == expected


def test_numbers_and_provinces():
    assert [chinese_number(t) for t in ("3", "三", "两", "十", "十二", "二十", "二十五", "百")] == [
        3, 3, 2, 10, 12, 20, 25, None]
    assert with_province("杭州市西湖区") == "浙江省杭州市西湖区"
    assert with_province("上海浦东新区") == "上海市浦东新区"
    assert with_province("浙江省杭州市") == "浙江省杭州市"


def test_external_ids_are_stable_and_follow_content():
    text = "#接龙 桔\n1. 小王 桔2箱 13800138080 浙江省湖州市吴兴区红旗路3号\n"
    first = jielong.parse(text, names()).entries[0].external_id
    assert jielong.parse(text + "\n", names()).entries[0].external_id == first
    assert jielong.parse(text.replace("2箱", "3箱"), names()).entries[0].external_id != first


def test_empty_and_unrecognisable_text():
    assert jielong.parse("", names()).entries == []
    assert jielong.parse("大家好，明天发货\n谢谢", names()).entries == []
