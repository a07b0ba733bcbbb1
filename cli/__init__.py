"""The `digitize` command: the only place that prints for people and turns the error tree into exit codes."""
