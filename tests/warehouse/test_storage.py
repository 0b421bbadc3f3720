"""Photo storage: the upload directory or an S3-compatible bucket behind one interface, served only
through the app's permission check, health-checked, and swept of files whose upload never committed."""
import io
from datetime import timedelta
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import select

from tests.warehouse.conftest import plain_jpeg, upload
from tests.warehouse.s3server import keys, new_bucket, settings
from webapp.core import storage
from webapp.extensions import db
from webapp.warehouse import photos
from webapp.warehouse.models import Photo


@pytest.fixture(params=["local", "s3"])
def any_store(request, tmp_path):
    """A store of each kind, empty."""
    if request.param == "local":
        return storage.LocalStore(str(tmp_path / "files"))
    endpoint = request.getfixturevalue("s3_endpoint")
    return storage.build(settings(endpoint, new_bucket(endpoint)))


def _post(client, no, data):
    return client.post(f"/orders/{no}/photos", data={"photo": upload(data)}, headers={"Accept": "application/json"})


def _photo(in_db) -> Photo:
    return in_db(lambda: db.session.scalars(select(Photo)).one())


def test_both_stores_keep_list_stream_and_delete_files(any_store):
    any_store.put("photos/7/a.jpg", b"one", "image/jpeg")
    any_store.put("photos/7/b.jpg", b"two", "image/jpeg")
    any_store.put("other/x.bin", b"three")
    assert sorted(e.key for e in any_store.list("photos/")) == ["photos/7/a.jpg", "photos/7/b.jpg"]
    with any_store.open("photos/7/b.jpg") as stream:
        assert stream.read() == b"two"
    any_store.delete("photos/7/a.jpg")
    any_store.delete("photos/7/a.jpg")  # gone already: no error
    with pytest.raises(FileNotFoundError):
        any_store.open("photos/7/a.jpg")
    any_store.check()


@pytest.mark.parametrize("key", ["../etc/passwd", "/abs/path", "photos/../../x", "a\\b", ""])
def test_keys_cannot_leave_the_store(tmp_path, key):
    with pytest.raises(ValueError):
        storage.LocalStore(str(tmp_path)).put(key, b"x")


def test_s3_is_used_when_a_bucket_is_configured(app, s3_app, client, login_as, new_order, in_db):
    login_as("warehouse")
    no = new_order()
    assert _post(client, no, plain_jpeg((2000, 1500))).status_code == 201
    photo = _photo(in_db)
    assert keys(app.config["S3_ENDPOINT"], s3_app) == sorted([photo.path, photo.thumb_path])
    assert not Path(app.config["UPLOAD_DIR"]).exists() or not any(Path(app.config["UPLOAD_DIR"]).rglob("*.jpg"))
    served = client.get(f"/orders/{no}/photos/{photo.id}")
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert served.headers["Cache-Control"].startswith("private")
    with Image.open(io.BytesIO(served.data)) as img:
        assert max(img.size) == 1600


def test_s3_photos_are_served_only_through_the_permission_check(app, s3_app, client, login_as, new_order, in_db):
    login_as("warehouse")
    no = new_order()
    assert _post(client, no, plain_jpeg()).status_code == 201
    photo = _photo(in_db)
    pack = client.get(f"/pack/{no}").get_data(as_text=True)
    assert app.config["S3_ENDPOINT"] not in pack and s3_app not in pack  # no direct bucket links
    login_as("warehouse", regions=["north"])  # another region: may not see this order
    assert client.get(f"/orders/{no}/photos/{photo.id}").status_code == 403
    client.post("/logout")
    anonymous = client.get(f"/orders/{no}/photos/{photo.id}")
    assert anonymous.status_code in (302, 401) and anonymous.mimetype != "image/jpeg"


def test_a_photo_missing_from_the_store_is_404_not_500(app, s3_app, client, login_as, new_order, in_db):
    login_as("warehouse")
    no = new_order()
    assert _post(client, no, plain_jpeg()).status_code == 201
    photo = _photo(in_db)
    with app.app_context():
        storage.store().delete(photo.path)
    assert client.get(f"/orders/{no}/photos/{photo.id}").status_code == 404


def test_files_of_an_upload_that_never_committed_are_swept(app, login_as, new_order, in_db):
    from webapp import jobs
    from webapp.warehouse.tasks import sweep_photo_orphans

    user = login_as("warehouse")
    no = new_order()
    with app.app_context():
        from webapp.orders import services as orders
        actor = db.session.merge(user)
        order = orders.load(no, actor)
        prepared = photos.prepare(plain_jpeg(), limit_bytes=10 ** 7)
        kept = photos.record(order, prepared, actor=actor, via="web")
        db.session.commit()
        kept_keys = {kept.path, kept.thumb_path}
        photos.record(orders.load(no, actor), prepared, actor=actor, via="web")
        db.session.rollback()  # the worker died before its commit: the row never existed
        files = {e.key for e in storage.store().list("photos/")}
        assert len(files) == 4 and kept_keys < files
        assert photos.sweep_orphans(timedelta(minutes=30)) == 0  # a fresh file may still be committing
    app.config["ORPHAN_MINUTES"] = 0
    jobs.bind(app)
    assert sweep_photo_orphans.call_local() == 2
    with app.app_context():
        assert {e.key for e in storage.store().list("photos/")} == kept_keys


def test_healthz_fails_when_the_upload_directory_cannot_be_written(app, client, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the upload directory should be")
    app.config["UPLOAD_DIR"] = str(blocker / "uploads")
    resp = client.get("/healthz")
    assert resp.status_code == 503
    assert resp.get_json() == {"status": "error", "db": "ok", "uploads": "error"}


def test_healthz_checks_the_bucket_when_photos_go_to_s3(app, s3_app, client):
    assert client.get("/healthz").get_json() == {"status": "ok", "db": "ok"}
    app.config["S3_BUCKET"] = "no-such-bucket-here"
    resp = client.get("/healthz")
    assert resp.status_code == 503 and resp.get_json()["uploads"] == "error"


def test_healthz_leaves_no_probe_files_behind(app, client):
    assert client.get("/healthz").status_code == 200
    assert list(Path(app.config["UPLOAD_DIR"]).iterdir()) == []
