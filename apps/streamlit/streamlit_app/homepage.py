"""The Streamlit site: text counterfactuals from a fill-mask model.

The stack passes the Lambda function's name in COUNTERFACTUAL_LAMBDA and the SageMaker
endpoint's name in SENTIMENT_UNMASKING_MODEL (the variable names come from config.json).
"""

import json
import os

import boto3
import streamlit as st

FUNCTION = os.environ.get("COUNTERFACTUAL_LAMBDA", "")
ENDPOINT = os.environ.get("SENTIMENT_UNMASKING_MODEL", "")

st.set_page_config(page_title="Text counterfactuals")
st.title("Text counterfactuals")
st.write(
    "Each word of your text is masked in turn; a fill-mask model suggests what else could "
    "stand there."
)

if not FUNCTION or not ENDPOINT:
    st.warning("COUNTERFACTUAL_LAMBDA and SENTIMENT_UNMASKING_MODEL are not set.")
    st.stop()

text = st.text_area("Text", "The movie was great and the acting was superb.")
top_k = st.slider("Suggestions per word", 1, 5, 3)
if st.button("Find counterfactuals") and text.strip():
    with st.spinner("Asking the model..."):
        answer = boto3.client("lambda").invoke(
            FunctionName=FUNCTION,
            Payload=json.dumps({"text": text, "endpoint_name": ENDPOINT, "top_k": top_k}),
        )
        result = json.loads(answer["Payload"].read())
    if "error" in result:
        st.error(result["error"])
    else:
        for item in result["counterfactuals"]:
            options = ", ".join(
                f"{r['token']} ({r['score']:.2f})" for r in item["replacements"]
            )
            st.markdown(f"**{item['original']}** → {options or '—'}")
