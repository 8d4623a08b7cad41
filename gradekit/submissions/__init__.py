"""An upload turned into code units, never run: loading, caps on size, the notebook reader, parsing."""
