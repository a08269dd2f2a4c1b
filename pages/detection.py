import streamlit as st

st.title("detection")
st.info("This lesson is being built.")
