"""Command-line interface (the ``ormlette`` console script)."""
import sys

USAGE = """usage: ormlette <command> [options]

Commands:
  test [labels]    run unittest-style tests on fresh test databases (as manage.py test)
"""


def main(argv=None):
    """Run the command named by ``argv[0]``; print the usage text without one."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] == "test":
        from ormlette.test.runner import main as test_main

        return test_main(argv[1:])
    if argv and argv[0] not in ("-h", "--help", "help"):
        sys.stderr.write("Unknown command: %r\n%s" % (argv[0], USAGE))
        return 2
    sys.stdout.write(USAGE)
    return 0
