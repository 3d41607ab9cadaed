"""Text API: answers a prompt with the Bedrock text model, or embeds text with the
embedding model.

POST /        {"prompt": "...", "max_tokens": 512, "temperature": 0.5}
              -> {"completion": "...", "model_id": "..."}
POST /embed   {"text": "..."} -> {"embedding": [...], "model_id": "..."}

The model IDs come from the environment (TEXT_MODEL_ID, EMBEDDING_MODEL_ID), which the
stack sets from its context.
"""

import base64
import json
import os

import boto3
from botocore.exceptions import BotoCoreError, ClientError

TEXT_MODEL_ID = os.environ["TEXT_MODEL_ID"]
EMBEDDING_MODEL_ID = os.environ["EMBEDDING_MODEL_ID"]

PROMPT_TEMPLATE = (
    "You are a helpful assistant. Answer the request below clearly and concisely.\n\n"
    "Request: {prompt}"
)

bedrock = boto3.client("bedrock-runtime")


def lambda_handler(event, context):
    try:
        body = _body(event)
    except ValueError as error:
        return _response(400, {"error": str(error)})
    try:
        if event.get("path", "/").rstrip("/").endswith("/embed"):
            return _embed(body)
        return _complete(body)
    except (ClientError, BotoCoreError) as error:
        print(f"Bedrock call failed: {error}")
        return _response(502, {"error": "the model could not answer; see the function's logs"})


def _complete(body):
    prompt = body.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        return _response(400, {"error": "`prompt` must be a non-empty string"})
    try:
        config = {
            "maxTokens": int(body.get("max_tokens", 512)),
            "temperature": float(body.get("temperature", 0.5)),
        }
    except (TypeError, ValueError):
        return _response(400, {"error": "`max_tokens` and `temperature` must be numbers"})
    result = bedrock.converse(
        modelId=TEXT_MODEL_ID,
        messages=[{"role": "user", "content": [{"text": PROMPT_TEMPLATE.format(prompt=prompt)}]}],
        inferenceConfig=config,
    )
    parts = result["output"]["message"]["content"]
    completion = "".join(part.get("text", "") for part in parts)
    return _response(200, {"completion": completion, "model_id": TEXT_MODEL_ID})


def _embed(body):
    text = body.get("text")
    if not isinstance(text, str) or not text.strip():
        return _response(400, {"error": "`text` must be a non-empty string"})
    result = bedrock.invoke_model(
        modelId=EMBEDDING_MODEL_ID,
        contentType="application/json",
        accept="application/json",
        body=json.dumps({"inputText": text}),
    )
    embedding = json.loads(result["body"].read())["embedding"]
    return _response(200, {"embedding": embedding, "model_id": EMBEDDING_MODEL_ID})


def _body(event):
    raw = event.get("body") or "{}"
    if event.get("isBase64Encoded"):
        raw = base64.b64decode(raw).decode("utf-8")
    try:
        body = json.loads(raw)
    except json.JSONDecodeError as error:
        raise ValueError(f"the body is not JSON: {error}") from error
    if not isinstance(body, dict):
        raise ValueError("the body must be a JSON object")
    return body


def _response(status, payload):
    return {
        "statusCode": status,
        "headers": {"Content-Type": "application/json"},
        "body": json.dumps(payload),
    }
