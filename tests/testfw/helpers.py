"""Run unittest suites inside a pytest test and report what happened."""
import unittest


def run_suite(*cases):
    """Run the TestCase classes ``cases`` (all their tests); return the unittest result."""
    loader = unittest.TestLoader()
    suite = unittest.TestSuite(loader.loadTestsFromTestCase(case) for case in cases)
    result = unittest.TestResult()
    suite.run(result)
    return result


def problems(result):
    """Errors and failures as text (empty when everything passed)."""
    return "\n".join(text for _, text in result.errors + result.failures)
