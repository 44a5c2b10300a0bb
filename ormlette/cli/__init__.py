"""Command-line interface (the ``ormlette`` console script)."""
import sys

USAGE = """usage: ormlette <command> [options]

No commands are available yet.
"""


def main(argv=None):
    """Print the usage text and return 0."""
    sys.stdout.write(USAGE)
    return 0
