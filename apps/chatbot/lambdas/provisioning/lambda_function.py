"""Provisioning: tells the web client which WebSocket URL to chat over.

Called through a non-proxy REST integration; the result is the response body:
    {"statusCode": 200, "info": "{\"wss_url\": \"wss://...\"}"}
"""

import json
import os

WSS_URL = os.environ["wss_url"]


def lambda_handler(event, context):
    return {
        "statusCode": 200,
        "info": json.dumps({"wss_url": WSS_URL}),
    }
