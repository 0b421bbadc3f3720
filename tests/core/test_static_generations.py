"""The static build folder keeps the hashed copies of this build and the previous one (and of any build seen
within the last hour); older ones are deleted at build time."""
import time

import pytest

from webapp.core import assets


@pytest.fixture
def no_grace(monkeypatch):
    """Builds made one after another count as long ago (the hour's grace is tested on its own)."""
    monkeypatch.setattr(assets, "GRACE_SECONDS", -1)


def _build(static, out, text):
    (static / "js").mkdir(parents=True, exist_ok=True)
    (static / "js" / "app.js").write_text(text)
    (static / "logo.png").write_bytes(b"\x89PNG same every time")
    return assets.build(static, out)


def _hashed_files(out):
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*")
                  if p.is_file() and assets.HASHED.search(p.name))


def test_build_keeps_the_current_and_previous_generation_only(tmp_path, no_grace):
    static, out = tmp_path / "static", tmp_path / "build"
    first = _build(static, out, "console.log(1);" * 40)["js/app.js"]
    second = _build(static, out, "console.log(22);" * 40)["js/app.js"]
    files = _hashed_files(out)
    assert {first, first + ".br", first + ".gz", second, second + ".br", second + ".gz"} <= set(files)
    third = _build(static, out, "console.log(333);" * 40)["js/app.js"]
    files = _hashed_files(out)
    assert not any(f.startswith(first) for f in files)  # two builds old: gone, with its .br and .gz
    assert {second, third, second + ".gz", third + ".br"} <= set(files)
    assert (out / "js" / "app.js").read_text() == "console.log(333);" * 40  # the plain name is the current one
    assert len([f for f in files if f.startswith("logo.")]) == 1  # unchanged files keep their one copy


def test_copies_from_before_the_record_existed_are_cleaned_too(tmp_path, no_grace):
    static, out = tmp_path / "static", tmp_path / "build"
    stale = out / "js" / "app.0123456789.js"
    stale.parent.mkdir(parents=True)
    stale.write_text("old")
    (out / "js" / "app.0123456789.js.br").write_bytes(b"old")
    (out / "js" / ".app.js.4242.tmp").write_text("another worker is writing this")
    current = _build(static, out, "console.log('now');")["js/app.js"]
    logo = assets.build(static, out)["logo.png"]
    assert _hashed_files(out) == sorted([current, current + ".br", current + ".gz", logo])
    assert (out / "js" / ".app.js.4242.tmp").exists()


def test_rebuilding_the_same_files_keeps_the_previous_generation(tmp_path, no_grace):
    static, out = tmp_path / "static", tmp_path / "build"
    first = _build(static, out, "a();" * 50)["js/app.js"]
    second = _build(static, out, "bb();" * 50)["js/app.js"]
    assets._manifests.clear()  # a restart of the same code: same manifest, nothing new to record
    assert _build(static, out, "bb();" * 50)["js/app.js"] == second
    assert (out / first).exists() and (out / second).exists()


def test_a_build_seen_within_the_hour_is_kept_then_cleaned(tmp_path):
    static, out = tmp_path / "static", tmp_path / "build"
    first = _build(static, out, "one();" * 30)["js/app.js"]
    _build(static, out, "two();" * 30)
    third = _build(static, out, "three();" * 30)
    assert (out / first).exists()  # three builds in a minute: a server of the first may still be running
    later = time.time() + assets.GRACE_SECONDS + 60
    assert first in assets.prune(out, third, now=later)
    assert not (out / first).exists() and (out / third["js/app.js"]).exists()
