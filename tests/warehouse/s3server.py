"""A local S3 service for tests: moto's server on 127.0.0.1 (a random port), and buckets in it."""
import uuid
from contextlib import contextmanager

CREDENTIALS = {"S3_ACCESS_KEY_ID": "testing", "S3_SECRET_ACCESS_KEY": "testing", "S3_REGION": "us-east-1"}


@contextmanager
def s3_server():
    """Run moto's S3 server for the block; yield its endpoint URL."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    try:
        yield f"http://{host}:{port}"
    finally:
        server.stop()


def settings(endpoint: str, bucket: str) -> dict:
    """Return the app settings that store photos in `bucket` at `endpoint`."""
    return {"S3_BUCKET": bucket, "S3_ENDPOINT": endpoint, **CREDENTIALS}


def new_bucket(endpoint: str) -> str:
    """Create a bucket with a unique name (servers in one process share moto's state); return its name."""
    from webapp.core.storage import s3_client

    name = f"orderhub-{uuid.uuid4().hex[:12]}"
    s3_client(settings(endpoint, name)).create_bucket(Bucket=name)
    return name


def keys(endpoint: str, bucket: str) -> list[str]:
    """Return every key in the bucket, sorted."""
    from webapp.core.storage import s3_client

    pages = s3_client(settings(endpoint, bucket)).get_paginator("list_objects_v2").paginate(Bucket=bucket)
    return sorted(item["Key"] for page in pages for item in page.get("Contents", []))
