"""PhotoSky backend: an API Gateway (REST, proxy integration) handler.

Routes:
  GET  /photos              list photos, each with a short-lived download URL
  POST /photos              {"filename": "...", "content_type": "image/jpeg"}
                            -> {"key": "...", "upload_url": "..."} (presigned PUT)
  GET  /photos/{name}       -> {"key": "...", "download_url": "..."} (presigned GET)

The bucket comes from the BUCKET_NAME environment variable. Browsers upload and download
directly against S3 with the presigned URLs, so no image bytes pass through Lambda.
"""

import base64
import json
import os
import re
import uuid
from urllib.parse import unquote

import boto3
from botocore.config import Config

BUCKET = os.environ["BUCKET_NAME"]
PREFIX = "photos/"
URL_TTL_SECONDS = 900
ALLOWED_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp", "image/heic"}

s3 = boto3.client(
    "s3",
    region_name=os.environ.get("AWS_REGION"),
    config=Config(signature_version="s3v4", s3={"addressing_style": "virtual"}),
)


def handler(event, context):
    method = event.get("httpMethod", "GET")
    path = (event.get("path") or "/").rstrip("/") or "/"
    try:
        if path in ("/", "/photos") and method == "GET":
            return respond(200, {"photos": list_photos()})
        if path == "/photos" and method == "POST":
            return respond(200, upload_url(parse_body(event)))
        if path.startswith("/photos/") and method == "GET":
            return respond(200, download_url(unquote(path[len("/photos/"):])))
        return respond(404, {"error": f"no route for {method} {path}"})
    except ValueError as error:
        return respond(400, {"error": str(error)})


def list_photos():
    photos = []
    pages = s3.get_paginator("list_objects_v2").paginate(Bucket=BUCKET, Prefix=PREFIX)
    for page in pages:
        for item in page.get("Contents", []):
            photos.append({
                "key": item["Key"],
                "name": item["Key"][len(PREFIX):],
                "size": item["Size"],
                "last_modified": item["LastModified"].isoformat(),
                "url": presign("get_object", item["Key"]),
            })
    photos.sort(key=lambda p: p["last_modified"], reverse=True)
    return photos


def upload_url(body):
    filename = str(body.get("filename") or "photo")
    content_type = str(body.get("content_type") or "image/jpeg")
    if content_type not in ALLOWED_TYPES:
        raise ValueError(f"content_type must be one of {sorted(ALLOWED_TYPES)}")
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", os.path.basename(filename))[:100] or "photo"
    key = f"{PREFIX}{uuid.uuid4().hex[:12]}-{safe}"
    url = presign("put_object", key, ContentType=content_type)
    return {"key": key, "upload_url": url, "content_type": content_type}


def download_url(name):
    if not name or "/" in name or name in (".", ".."):
        raise ValueError("expected /photos/<name>")
    key = PREFIX + name
    return {"key": key, "download_url": presign("get_object", key)}


def presign(operation, key, **extra):
    return s3.generate_presigned_url(
        operation,
        Params={"Bucket": BUCKET, "Key": key, **extra},
        ExpiresIn=URL_TTL_SECONDS,
    )


def parse_body(event):
    body = event.get("body") or "{}"
    if event.get("isBase64Encoded"):
        body = base64.b64decode(body).decode("utf-8")
    try:
        parsed = json.loads(body)
    except json.JSONDecodeError as error:
        raise ValueError(f"body is not JSON: {error}") from error
    if not isinstance(parsed, dict):
        raise ValueError("body must be a JSON object")
    return parsed


def respond(status, payload):
    return {
        "statusCode": status,
        "headers": {
            "Content-Type": "application/json",
            # The API's CORS preflight allows any origin; actual responses must say so too.
            "Access-Control-Allow-Origin": "*",
        },
        "body": json.dumps(payload),
    }
