"""ConvLab's UI-free computation package. Never imports streamlit; heavy frameworks load lazily."""
