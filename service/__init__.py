"""The service floor: the use cases both front ends ask for — read once, score once; no Streamlit, no argparse,
no SQL (docs/architecture.md)."""
