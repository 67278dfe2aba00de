"""The user-facing error of the commands, raised by the CLI and by what it runs below it (the
benchmarks, the server process helper): printed as one line, exit code 1, never a traceback."""


class CommandError(Exception):
    """A user-facing error: printed as one line, exit code 1."""
