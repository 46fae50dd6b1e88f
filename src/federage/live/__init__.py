"""Real time: server-sent pokes "changed up to cursor N" and the pull of changes since a cursor."""
