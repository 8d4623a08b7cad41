"""One module per `gradekit X` command, each a keyword-only main() that cli.py calls."""
