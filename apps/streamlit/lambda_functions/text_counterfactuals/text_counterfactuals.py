"""Text counterfactuals: masks each word of a text in turn and asks a fill-mask model on a
SageMaker endpoint what else could stand there.

Event: {"text": "the movie was great", "endpoint_name": "sentiment-unmasking", "top_k": 3}
Result: {"counterfactuals": [{"position": 3, "original": "great",
          "replacements": [{"token": "awful", "score": 0.12}, ...]}, ...]}
"""

import json

import boto3

sagemaker = boto3.client("sagemaker-runtime")
MASK = "[MASK]"
MAX_WORDS = 64


def handler(event, context):
    text = event.get("text")
    endpoint = event.get("endpoint_name")
    if not isinstance(text, str) or not text.strip():
        return {"error": "`text` must be a non-empty string"}
    if not isinstance(endpoint, str) or not endpoint:
        return {"error": "`endpoint_name` must name the fill-mask endpoint"}
    top_k = int(event.get("top_k", 3))
    words = text.split()[:MAX_WORDS]
    counterfactuals = []
    for position, original in enumerate(words):
        masked = " ".join(words[:position] + [MASK] + words[position + 1 :])
        answer = sagemaker.invoke_endpoint(
            EndpointName=endpoint,
            ContentType="application/json",
            Body=json.dumps({"inputs": masked}),
        )
        predictions = json.loads(answer["Body"].read())
        replacements = [
            {"token": p["token_str"].strip(), "score": round(p["score"], 4)}
            for p in predictions
            if p["token_str"].strip().lower() != original.lower()
        ][:top_k]
        counterfactuals.append(
            {"position": position, "original": original, "replacements": replacements}
        )
    return {"counterfactuals": counterfactuals}
