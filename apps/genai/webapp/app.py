"""The GenAI demo web app: a text generation tab and an image generation tab, each
calling its API (TEXT_API, IMAGE_API). A RAG tab appears once RAG_API is set."""

import base64
import os

import requests
import streamlit as st

TEXT_API = os.environ.get("TEXT_API", "")
IMAGE_API = os.environ.get("IMAGE_API", "")
RAG_API = os.environ.get("RAG_API", "")
TIMEOUT_SECONDS = 120


def call(url, payload):
    """POSTs `payload` to `url` and returns the JSON answer, or shows the error."""
    try:
        answer = requests.post(url, json=payload, timeout=TIMEOUT_SECONDS)
    except requests.RequestException as error:
        st.error(f"The API could not be reached: {error}")
        return None
    if not answer.ok:
        st.error(f"The API answered {answer.status_code}: {answer.text}")
        return None
    return answer.json()


st.set_page_config(page_title="Generative AI demo")
st.title("Generative AI demo")

names = ["Text generation", "Image generation"] + (["RAG"] if RAG_API else [])
tabs = st.tabs(names)

with tabs[0]:
    prompt = st.text_area("Prompt", key="text_prompt")
    temperature = st.slider("Temperature", 0.0, 1.0, 0.5)
    max_tokens = st.slider("Maximum tokens", 64, 2048, 512, step=64)
    if st.button("Generate text", disabled=not TEXT_API) and prompt.strip():
        with st.spinner("Generating..."):
            answer = call(
                TEXT_API,
                {"prompt": prompt, "temperature": temperature, "max_tokens": max_tokens},
            )
        if answer:
            st.markdown(answer["completion"])

with tabs[1]:
    prompt = st.text_input("Describe the image", key="image_prompt")
    negative = st.text_input("What to leave out (optional)")
    seed = st.number_input("Seed", min_value=0, max_value=2**31 - 1, value=0)
    if st.button("Generate image", disabled=not IMAGE_API) and prompt.strip():
        with st.spinner("Drawing..."):
            answer = call(
                IMAGE_API,
                {"prompt": prompt, "negative_prompt": negative, "seed": int(seed)},
            )
        if answer:
            st.image(base64.b64decode(answer["image"]), caption=prompt)

if RAG_API:
    with tabs[2]:
        question = st.text_input("Ask a question about your documents")
        if st.button("Ask") and question.strip():
            answer = call(RAG_API, {"question": question})
            if answer:
                st.markdown(answer.get("answer", ""))
