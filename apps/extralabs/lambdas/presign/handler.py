"""GET /upload?filename=data.csv: a presigned URL that uploads one file with PUT.

The answer:

    {"url": "https://...", "method": "PUT", "key": "uploads/<id>/data.csv", "expires_in": 900}

The client then sends `PUT <url>` with the file as the body. Each URL writes one new key
under `uploads/`, so it cannot overwrite another upload.
"""

import json
import os
import re
import uuid

import boto3
from botocore.config import Config

# SigV4 URLs in the virtual-hosted style that S3 recommends.
S3 = boto3.client(
    "s3",
    config=Config(signature_version="s3v4", s3={"addressing_style": "virtual"}),
)
SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


def _response(status, body):
    return {
        "statusCode": status,
        "headers": {
            "Content-Type": "application/json",
            "Access-Control-Allow-Origin": os.environ.get("ALLOWED_ORIGIN", "*"),
            "Cache-Control": "no-store",
        },
        "body": json.dumps(body),
    }


def handler(event, context):
    """Lambda entry point (API Gateway proxy integration)."""
    params = (event or {}).get("queryStringParameters") or {}
    filename = SAFE_NAME.sub("_", params.get("filename") or "").strip("._")[:200]
    if not filename:
        return _response(400, {"error": "pass the file's name: GET /upload?filename=data.csv"})
    expires_in = int(os.environ.get("URL_EXPIRY_SECONDS", "900"))
    key = f"uploads/{uuid.uuid4().hex}/{filename}"
    url = S3.generate_presigned_url(
        "put_object",
        Params={"Bucket": os.environ["UPLOAD_BUCKET"], "Key": key},
        ExpiresIn=expires_in,
        HttpMethod="PUT",
    )
    return _response(200, {"url": url, "method": "PUT", "key": key, "expires_in": expires_in})
