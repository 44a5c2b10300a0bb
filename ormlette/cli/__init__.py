"""Command-line interface: ``ormlette COMMAND`` / ``python -m ormlette COMMAND`` with Django's command names."""
import argparse
import sys

from ormlette.cli import makemigrations, migrate_commands

COMMANDS = {
    "makemigrations": makemigrations.makemigrations,
    "migrate": migrate_commands.migrate,
    "showmigrations": migrate_commands.showmigrations,
    "sqlmigrate": migrate_commands.sqlmigrate,
}


class CommandError(Exception):
    """A command failed with a message for the user (exit status 1, as manage.py)."""


def _parser():
    parser = argparse.ArgumentParser(prog="ormlette", description="Django's ORM commands for an ormlette project.")
    parser.add_argument("--models", action="append", default=None, help="a models module (repeatable)")
    parser.add_argument("--database", default=None, help="a DATABASES alias, or a database URL")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    migrate = sub.add_parser("migrate", help="apply or unapply migrations")
    migrate.add_argument("app_label", nargs="?")
    migrate.add_argument("migration_name", nargs="?")
    for flag in ("--fake", "--fake-initial", "--plan", "--check"):
        migrate.add_argument(flag, action="store_true")
    migrate.add_argument("--noinput", "--no-input", action="store_true")
    show = sub.add_parser("showmigrations", help="list migrations and whether they are applied")
    show.add_argument("app_label", nargs="*")
    sql = sub.add_parser("sqlmigrate", help="print the SQL of a migration")
    sql.add_argument("app_label")
    sql.add_argument("migration_name")
    sql.add_argument("--backwards", action="store_true")
    make = sub.add_parser("makemigrations", help="write new migrations for model changes")
    make.add_argument("app_label", nargs="*")
    make.add_argument("--name", "-n", default=None)
    for flag in ("--empty", "--check", "--dry-run", "--merge"):
        make.add_argument(flag, action="store_true")
    make.add_argument("--noinput", "--no-input", action="store_true")
    for each in (migrate, show, sql, make):
        each.add_argument("--database", dest="sub_database", default=None)
        each.add_argument("--models", dest="sub_models", action="append", default=None)
    return parser


def main(argv=None):
    """Run one command; return its exit status."""
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv and argv[0] == "test":
        from ormlette.test.runner import main as test_main

        return test_main(argv[1:])
    parser = _parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 0
    from ormlette.conf.project import Project, _database, load_project

    project = load_project() or Project("defaults")
    models = args.sub_models or args.models
    if models:
        project.models = models
    database = args.sub_database or args.database
    if database and "://" in database:
        project.settings["DATABASES"] = {**project.settings.get("DATABASES", {}), "default": _database(database)}
    project.configure()
    args.alias = database if database and "://" not in database else "default"
    try:
        return COMMANDS[args.command](project, args) or 0
    except CommandError as exc:
        sys.stderr.write("CommandError: %s\n" % exc)
        return 1
