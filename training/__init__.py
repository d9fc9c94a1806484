"""Training, evaluation and export of the summarizer (see README.md)."""
