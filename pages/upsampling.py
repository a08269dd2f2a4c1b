import streamlit as st

st.title("upsampling")
st.info("This lesson is being built.")
