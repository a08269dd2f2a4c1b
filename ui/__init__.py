"""Streamlit-side helpers shared by the pages: URL state, image picker, figures."""
