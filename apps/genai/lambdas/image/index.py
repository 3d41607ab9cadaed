"""Image API: draws an image for a prompt with the Bedrock image model.

POST /   {"prompt": "...", "negative_prompt": "...", "seed": 0, "width": 1024, "height": 1024}
         -> {"image": "<base64 PNG>", "model_id": "..."}

The model ID comes from the environment (IMAGE_MODEL_ID), which the stack sets from its
context. Stability's SDXL and Amazon's Titan Image Generator / Nova Canvas request shapes
are both understood.
"""

import base64
import json
import os

import boto3
from botocore.exceptions import BotoCoreError, ClientError

IMAGE_MODEL_ID = os.environ["IMAGE_MODEL_ID"]

PROMPT_TEMPLATE = "{prompt}, highly detailed, sharp focus"

bedrock = boto3.client("bedrock-runtime")


def lambda_handler(event, context):
    try:
        body = _body(event)
        request = _request(body)
    except ValueError as error:
        return _response(400, {"error": str(error)})
    try:
        result = bedrock.invoke_model(
            modelId=IMAGE_MODEL_ID,
            contentType="application/json",
            accept="application/json",
            body=json.dumps(request),
        )
    except (ClientError, BotoCoreError) as error:
        print(f"Bedrock call failed: {error}")
        return _response(502, {"error": "the model could not draw; see the function's logs"})
    answer = json.loads(result["body"].read())
    if "artifacts" in answer:
        image = answer["artifacts"][0]["base64"]
    else:
        image = answer["images"][0]
    return _response(200, {"image": image, "model_id": IMAGE_MODEL_ID})


def _request(body):
    prompt = body.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        raise ValueError("`prompt` must be a non-empty string")
    negative = body.get("negative_prompt") or ""
    try:
        seed = int(body.get("seed", 0))
        width = int(body.get("width", 1024))
        height = int(body.get("height", 1024))
    except (TypeError, ValueError) as error:
        raise ValueError("`seed`, `width` and `height` must be integers") from error
    text = PROMPT_TEMPLATE.format(prompt=prompt)
    if IMAGE_MODEL_ID.startswith("stability."):
        prompts = [{"text": text, "weight": 1.0}]
        if negative:
            prompts.append({"text": negative, "weight": -1.0})
        return {
            "text_prompts": prompts,
            "cfg_scale": 7,
            "steps": 30,
            "seed": seed,
            "width": width,
            "height": height,
        }
    params = {"text": text}
    if negative:
        params["negativeText"] = negative
    return {
        "taskType": "TEXT_IMAGE",
        "textToImageParams": params,
        "imageGenerationConfig": {
            "numberOfImages": 1,
            "seed": seed,
            "width": width,
            "height": height,
        },
    }


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
