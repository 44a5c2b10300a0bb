"""Fetch Django 5.2's source distribution once and keep its ``tests/`` folder in a cache directory."""
import glob
import os
import subprocess
import sys
import tarfile

REQUIREMENT = "django==5.2.*"


def cache_dir():
    """Where the sdist and its unpacked tests live (ORMLETTE_DJANGO_SUITE_CACHE or ~/.cache)."""
    explicit = os.environ.get("ORMLETTE_DJANGO_SUITE_CACHE")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "ormlette", "django-suite")


def installed_version():
    """The version of the Django installed next to ormlette (the control must run the same one)."""
    import django

    return django.get_version()


def _download(directory, version):
    requirement = "django==%s" % version if version else REQUIREMENT
    command = [sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "--quiet",
               "--no-binary", ":all:", "--no-deps", "-d", directory, requirement]
    subprocess.run(command, check=True)


def _tests_of(archive, directory):
    """Unpack only ``django-X/tests/`` from the archive; return that folder."""
    with tarfile.open(archive) as tar:
        top = tar.getmembers()[0].name.split("/")[0]
        members = [m for m in tar.getmembers() if m.name.startswith(top + "/tests/")]
        tar.extractall(directory, members=members, filter="data")
    return os.path.join(directory, top, "tests")


def suite_dir():
    """Django's ``tests/`` folder for the installed Django version, downloaded on first use."""
    version = installed_version()
    directory = cache_dir()
    os.makedirs(directory, exist_ok=True)
    unpacked = os.path.join(directory, "django-%s" % version, "tests")
    if os.path.isdir(unpacked) and os.path.exists(os.path.join(unpacked, "runtests.py")):
        return unpacked
    archives = glob.glob(os.path.join(directory, "[Dd]jango-%s.tar.gz" % version))
    if not archives:
        _download(directory, version)
        archives = glob.glob(os.path.join(directory, "[Dd]jango-%s.tar.gz" % version))
    if not archives:
        raise RuntimeError("pip download left no Django %s sdist in %s" % (version, directory))
    return _tests_of(archives[0], directory)
