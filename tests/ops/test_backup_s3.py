"""Photos in an S3-compatible store go into the backup (streamed), come back on restore, and verify checks them."""
import io
from types import SimpleNamespace

import sqlalchemy as sa
from PIL import Image

from tests.factories import make_order
from tests.warehouse.s3server import keys, new_bucket, settings
from webapp.core import storage
from webapp.extensions import db
from webapp.ops import archive
from webapp.warehouse import photos
from webapp.warehouse.models import Photo


def _jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 120, 40)).save(out, "JPEG")
    return out.getvalue()


def _photo(app) -> SimpleNamespace:
    """Record one photo of a new order through the warehouse service (into the store); return its keys."""
    with app.app_context():
        order = make_order()
        photo = photos.store(order, _jpeg(), actor=None, via="system", limit_bytes=10_000_000)
        db.session.commit()
        return SimpleNamespace(path=photo.path, thumb_path=photo.thumb_path)


def _read(app, key) -> bytes:
    with app.app_context(), storage.store().open(key) as stream:
        return stream.read()


def test_s3_photos_are_in_the_backup_and_restore_puts_them_back(app, runner, s3_app, s3_endpoint, tmp_path):
    photo = _photo(app)
    original = _read(app, photo.path)
    result = runner.invoke(args=["backup", "create", str(tmp_path / "b.tar.gz")])
    assert result.exit_code == 0, result.output
    assert "2 photos" in result.output
    manifest = archive.check(tmp_path / "b.tar.gz", archive.signing_key(app.config["SECRET_KEY"]))
    assert manifest["photo_store"] == f"s3://{s3_app}"
    assert {f"uploads/{photo.path}", f"uploads/{photo.thumb_path}"} <= set(manifest["members"])

    with app.app_context():  # the bucket loses the photo
        storage.store().delete(photo.path)
        storage.store().delete(photo.thumb_path)
    assert keys(s3_endpoint, s3_app) == []
    restored = runner.invoke(args=["backup", "restore", str(tmp_path / "b.tar.gz"), "--yes"])
    assert restored.exit_code == 0, restored.output
    assert _read(app, photo.path) == original
    assert sorted(keys(s3_endpoint, s3_app)) == sorted([photo.path, photo.thumb_path])

    verified = runner.invoke(args=["backup", "verify", str(tmp_path / "b.tar.gz")])
    assert verified.exit_code == 0, verified.output
    assert f"ok    photos: 2 files from the s3://{s3_app} store, 2 referenced by the database" in verified.output


def test_verify_fails_when_a_photo_the_database_names_is_not_in_the_backup(app, runner, s3_app, tmp_path):
    photo = _photo(app)
    with app.app_context():
        storage.store().delete(photo.thumb_path)  # lost from the bucket before the backup
    assert runner.invoke(args=["backup", "create", str(tmp_path / "b.tar")]).exit_code == 0
    result = runner.invoke(args=["backup", "verify", str(tmp_path / "b.tar")])
    assert result.exit_code == 1
    assert "FAIL  photos" in result.output and f"missing: {photo.thumb_path}" in result.output


def test_a_local_backup_restores_into_the_bucket(app, runner, s3_endpoint, tmp_path):
    photo = _photo(app)  # the embedded default: the upload directory
    assert runner.invoke(args=["backup", "create", str(tmp_path / "b.tar")]).exit_code == 0
    bucket = new_bucket(s3_endpoint)
    app.config.update(settings(s3_endpoint, bucket))
    assert runner.invoke(args=["backup", "restore", str(tmp_path / "b.tar"), "--yes"]).exit_code == 0
    assert sorted(keys(s3_endpoint, bucket)) == sorted([photo.path, photo.thumb_path])
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Photo.id))) == 1
