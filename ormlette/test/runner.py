"""``ormlette test [labels]``: unittest suites with test databases, as Django's ``manage.py test``."""
import argparse
import os
import sys
import unittest

from ormlette.conf.project import load_project


class DiscoverRunner:
    """Find tests by label, set up the test databases, run the suite, tear the databases down."""

    def __init__(self, pattern="test*.py", top_level=None, verbosity=1, keepdb=False, failfast=False,
                 test_name_patterns=None, migrate=True):
        self.pattern = pattern
        self.top_level = top_level
        self.verbosity = verbosity
        self.keepdb = keepdb
        self.failfast = failfast
        self.test_name_patterns = test_name_patterns
        self.migrate = migrate

    def build_suite(self, labels):
        """Tests for each label: a dotted module/class/method, or a directory to discover in."""
        loader = unittest.TestLoader()
        if self.test_name_patterns:
            loader.testNamePatterns = ["*%s*" % p if "*" not in p else p for p in self.test_name_patterns]
        suite = unittest.TestSuite()
        for label in labels or ["."]:
            if os.path.isdir(label):
                suite.addTests(loader.discover(label, pattern=self.pattern, top_level_dir=self.top_level))
            elif os.path.isfile(label) and label.endswith(".py"):
                suite.addTests(loader.discover(os.path.dirname(label) or ".", pattern=os.path.basename(label),
                                               top_level_dir=self.top_level))
            else:
                suite.addTests(loader.loadTestsFromName(label))
        return suite

    def run_tests(self, labels):
        """Run the tests named by ``labels``; return the number of failures and errors."""
        from ormlette.test.databases import setup_databases, teardown_databases

        suite = self.build_suite(labels)
        old_config = setup_databases(keepdb=self.keepdb, verbosity=self.verbosity, migrate=self.migrate)
        try:
            result = unittest.TextTestRunner(verbosity=self.verbosity, failfast=self.failfast).run(suite)
        finally:
            teardown_databases(old_config, verbosity=self.verbosity)
        return len(result.failures) + len(result.errors) + len(getattr(result, "unexpectedSuccesses", ()))


def main(argv):
    """The ``ormlette test`` command; returns the exit status."""
    parser = argparse.ArgumentParser(prog="ormlette test", description="Run unittest-style tests on test databases.")
    parser.add_argument("labels", nargs="*", help="modules, classes, methods (dotted) or directories")
    parser.add_argument("-v", "--verbosity", type=int, default=1, choices=[0, 1, 2, 3])
    parser.add_argument("--keepdb", action="store_true", help="keep the test databases (and reuse them)")
    parser.add_argument("--failfast", action="store_true", help="stop at the first failure")
    parser.add_argument("-k", dest="test_name_patterns", action="append", help="only tests matching the pattern")
    parser.add_argument("-p", "--pattern", default="test*.py", help="file pattern for discovery")
    parser.add_argument("-t", "--top-level-directory", dest="top_level")
    parser.add_argument("--nomigrations", action="store_true", help="tables from the models, without migrations")
    options = parser.parse_args(argv)
    project = load_project()
    if project is not None:
        project.configure()
    if os.getcwd() not in sys.path:
        sys.path.insert(0, os.getcwd())
    runner = DiscoverRunner(pattern=options.pattern, top_level=options.top_level, verbosity=options.verbosity,
                            keepdb=options.keepdb, failfast=options.failfast,
                            test_name_patterns=options.test_name_patterns, migrate=not options.nomigrations)
    return 1 if runner.run_tests(options.labels) else 0
