"""The route map: scripts carry no URL of their own, every URL the map names resolves, one language level."""
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from werkzeug.exceptions import MethodNotAllowed, NotFound

from webapp.offline import routes

ROOT = Path(__file__).resolve().parents[2]
SCRIPT_DIRS = (ROOT / "static" / "js", ROOT / "service_worker")
ACORN = ROOT / "node_modules" / "acorn"
# A string literal that starts a path ("/orders/", `/sw.js`) or a regex literal with escaped path slashes (\/o\/).
PATH_LITERAL = re.compile(r"""["'`]/[A-Za-z_]|\\/[A-Za-z_-]+\\/""")


def scripts() -> list[Path]:
    return sorted(p for d in SCRIPT_DIRS for p in d.glob("*.js"))


def code_of(path: Path) -> str:
    """Return the file without its comments (they may name paths in prose)."""
    text = re.sub(r"/\*.*?\*/", "", path.read_text(), flags=re.S)
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))


def test_no_script_carries_a_url_path_literal():
    found = [f"{p.name}: {m.group(0)}" for p in scripts() for m in PATH_LITERAL.finditer(code_of(p))]
    assert found == []


def test_the_path_literal_check_catches_what_it_is_for():
    for literal in ('fetch("/orders/" + no)', "register('/sw.js')", r"/^\/pack\/[^/]+$/"):
        assert PATH_LITERAL.search(literal), literal
    for fine in ('url("pack", {no: no})', "text.replace(/\\D/g, '')", 'replace(/_/g, "/")'):
        assert not PATH_LITERAL.search(fine), fine


def test_every_script_file_is_loaded_by_some_page_and_every_listed_one_exists():
    listed = {name for names in routes.SCRIPTS.values() for name in names}
    on_disk = {p.name for p in (ROOT / "static" / "js").glob("*.js")}
    assert listed == on_disk


def test_every_url_the_scripts_ask_for_is_in_the_route_map(app):
    with app.test_request_context():
        body = routes.worker_map([])
    asked = set()
    for path in scripts():
        code = code_of(path)
        asked |= set(re.findall(r"\burl\(\"(\w+)\"", code)) | set(re.findall(r"\bpattern\(\"(\w+)\"", code))
        for names in re.findall(r"\bparam\(\[([^\]]*)\]", code):
            asked |= set(re.findall(r"\"(\w+)\"", names))
    asked |= {name for pair in body["worker"]["offline_pages"] for name in pair}
    assert asked and asked <= set(body["urls"]), asked - set(body["urls"])


def test_every_url_in_the_route_map_resolves(app, client, login_as):
    login_as("warehouse")
    with app.test_request_context():
        body = routes.worker_map([])
    adapter = app.url_map.bind(app.config["SERVER_NAME"])
    for name, template in body["urls"].items():
        path = template.format(no="SO20260101-0001", sig="x").split("?")[0]
        for method in ("GET", "POST"):
            try:
                adapter.match(path, method=method)
                break
            except (NotFound, MethodNotAllowed):
                continue
        else:
            pytest.fail(f"{name}: {template} matches no route")
    for url in body["worker"]["scripts"] + [body["worker"]["push"], body["urls"]["sw"], body["urls"]["state"]]:
        assert client.get(url).status_code == 200, url
    for prefix in body["worker"]["never_cached"]:
        assert any(rule.rule.startswith(prefix) for rule in app.url_map.iter_rules()), prefix


def test_offline_actions_and_vocabulary_come_with_the_map(app):
    from webapp import vocab
    with app.test_request_context():
        body = routes.page_map()
    assert body["vocab"] == json.loads(json.dumps(vocab.public()))
    assert body["actions"]["outbound"]["states"] == list(vocab.TASK_STATES)
    assert "worker" not in body  # pages do not need the precache list


def test_every_page_carries_the_route_map(app, client, login_as):
    login_as("sales")
    page = client.get("/").get_data(as_text=True)
    data = json.loads(page.split('<script type="application/json" id="orderhub-routes">')[1].split("</script>")[0])
    assert data["urls"]["pack"] == "/pack/{no}"
    with app.test_request_context():
        wanted = routes.script_urls("offline")
    for src in wanted:
        assert f'src="{src}"' in page


@pytest.mark.skipif(shutil.which("node") is None, reason="node not installed")
def test_every_script_is_es2017_without_modules():
    if not ACORN.exists():
        pytest.fail("node_modules/acorn is missing: run `make setup` (npm ci)")
    check = ("const acorn = require(process.argv[1]); const fs = require('fs'); const bad = [];"
             "for (const f of process.argv.slice(2)) { try { acorn.parse(fs.readFileSync(f, 'utf8'),"
             " {ecmaVersion: 2017, sourceType: 'script'}); } catch (e) { bad.push(f + ': ' + e.message); } }"
             "console.log(JSON.stringify(bad));")
    out = subprocess.run(["node", "-e", check, str(ACORN), *map(str, scripts())], capture_output=True, text=True,
                         check=True)
    assert json.loads(out.stdout) == []
    assert not [p.name for p in scripts() if re.search(r"^\s*var\s", p.read_text(), flags=re.M)]
