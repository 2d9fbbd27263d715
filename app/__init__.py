"""The Streamlit app and the command line: the only code that talks to people."""
