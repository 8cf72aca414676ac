"""The command `minutes review`."""
