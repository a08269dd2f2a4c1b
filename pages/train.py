import streamlit as st

st.title("train")
st.info("This lesson is being built.")
