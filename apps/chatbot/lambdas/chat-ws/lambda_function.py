"""Chat over WebSocket: answers a client's message with a Bedrock model, streaming the
answer back over the connection, and writes the exchange to the call log.

Routes (one integration serves all three):
  $connect, $disconnect   accepted
  $default                {"user_id": "...", "request_id": "...", "type": "text" | "document",
                           "body": "<the question, or the S3 key of an uploaded document>"}

Messages sent back: {"request_id": "...", "status": "istyping" | "proceeding" | "completed"
| "error", "msg": "..."}.
"""

import datetime
import json
import os
import random

import boto3
from botocore.exceptions import ClientError

S3_BUCKET = os.environ["s3_bucket"]
CALL_LOG_TABLE = os.environ["callLogTableName"]
CONNECTION_URL = os.environ["connection_url"]
PROJECT_NAME = os.environ["projectName"]
DEBUG = os.environ.get("debugMessageMode", "false") == "true"
LLM_FOR_CHAT = json.loads(os.environ["LLM_for_chat"])
MAX_DOCUMENT_CHARS = 20_000

SYSTEM_PROMPT = (
    "You are a helpful, concise assistant. Answer in the language of the question. "
    "If you do not know the answer, say so."
)

s3 = boto3.client("s3")
dynamodb = boto3.client("dynamodb")
secrets = boto3.client("secretsmanager")
connections = boto3.client("apigatewaymanagementapi", endpoint_url=CONNECTION_URL)
_bedrock_clients = {}


def load_secret(name):
    """The JSON object of a secret of this project, or {} when it cannot be read."""
    try:
        return json.loads(secrets.get_secret_value(SecretId=name)["SecretString"])
    except (ClientError, ValueError, KeyError):
        return {}


# LangSmith tracing, when the operator has put a key in the project's secret.
_langsmith = load_secret(f"langsmithapikey-{PROJECT_NAME}")
if _langsmith.get("langsmith_api_key"):
    os.environ["LANGCHAIN_PROJECT"] = _langsmith.get("langchain_project", PROJECT_NAME)
    os.environ["LANGCHAIN_API_KEY"] = _langsmith["langsmith_api_key"]


def bedrock(region):
    if region not in _bedrock_clients:
        _bedrock_clients[region] = boto3.client("bedrock-runtime", region_name=region)
    return _bedrock_clients[region]


def send(connection_id, message):
    try:
        connections.post_to_connection(
            ConnectionId=connection_id, Data=json.dumps(message).encode("utf-8")
        )
    except connections.exceptions.GoneException:
        print(f"connection {connection_id} is gone")


def read_document(key):
    """The text of an uploaded document (UTF-8 text formats only), truncated."""
    obj = s3.get_object(Bucket=S3_BUCKET, Key=key)
    text = obj["Body"].read().decode("utf-8", errors="replace")
    return text[:MAX_DOCUMENT_CHARS]


def converse(connection_id, request_id, prompt):
    """Streams the model's answer to the client and returns it whole. Profiles are tried
    in random order, so one region's throttling falls over to the next."""
    profiles = random.sample(LLM_FOR_CHAT, k=len(LLM_FOR_CHAT))
    last_error = None
    for profile in profiles:
        try:
            response = bedrock(profile["bedrock_region"]).converse_stream(
                modelId=profile["model_id"],
                system=[{"text": SYSTEM_PROMPT}],
                messages=[{"role": "user", "content": [{"text": prompt}]}],
                inferenceConfig={"maxTokens": 4096, "temperature": 0.1},
            )
        except ClientError as error:
            last_error = error
            if DEBUG:
                send(connection_id, {"request_id": request_id, "status": "debug", "msg": str(error)})
            continue
        answer = ""
        for event in response["stream"]:
            delta = event.get("contentBlockDelta", {}).get("delta", {}).get("text")
            if delta:
                answer += delta
                send(connection_id, {"request_id": request_id, "status": "proceeding", "msg": answer})
        return answer
    raise RuntimeError(f"every model profile failed: {last_error}")


def log_call(user_id, request_id, request_type, body, answer):
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")
    dynamodb.put_item(
        TableName=CALL_LOG_TABLE,
        Item={
            "user_id": {"S": user_id},
            "request_time": {"S": now},
            "request_id": {"S": request_id},
            "type": {"S": request_type},
            "body": {"S": body},
            "msg": {"S": answer},
        },
    )


def handle_message(connection_id, raw_body):
    try:
        message = json.loads(raw_body or "{}")
    except ValueError:
        send(connection_id, {"status": "error", "msg": "the message is not JSON"})
        return
    if message.get("type") == "initiate":
        send(connection_id, {"status": "initiated", "msg": "ready"})
        return
    user_id = str(message.get("user_id") or "")
    request_id = str(message.get("request_id") or "")
    request_type = str(message.get("type") or "text")
    body = str(message.get("body") or "")
    if not user_id or not request_id or not body:
        send(connection_id, {"request_id": request_id, "status": "error",
                             "msg": "user_id, request_id and body are required"})
        return
    send(connection_id, {"request_id": request_id, "status": "istyping", "msg": ""})
    try:
        if request_type == "document":
            prompt = "Summarize this document:\n\n" + read_document(body)
        else:
            prompt = body
        answer = converse(connection_id, request_id, prompt)
    except (ClientError, RuntimeError) as error:
        print(f"request {request_id} failed: {error}")
        send(connection_id, {"request_id": request_id, "status": "error", "msg": "the model did not answer"})
        return
    send(connection_id, {"request_id": request_id, "status": "completed", "msg": answer})
    log_call(user_id, request_id, request_type, body, answer)


def lambda_handler(event, context):
    request = event.get("requestContext", {})
    route = request.get("routeKey")
    connection_id = request.get("connectionId")
    if route in ("$connect", "$disconnect"):
        print(f"{route}: {connection_id}")
        return {"statusCode": 200}
    handle_message(connection_id, event.get("body"))
    return {"statusCode": 200}
