"""Writes a Migration as a Django-format file: operations serialised with their imports."""
import datetime
import decimal
import enum
import functools
import types
import uuid

from ormlette.db.models.fields import Field


class Serializer:
    """Python source for values found in operations, collecting the imports they need."""

    def __init__(self):
        self.imports = set()

    def __call__(self, value):
        return self.serialize(value)

    def _path(self, path):
        if path.startswith("ormlette.db.models.") and path.count(".") == 3:
            self.imports.add("from ormlette.db import migrations, models")
            return "models." + path.rsplit(".", 1)[1]
        module, _, name = path.rpartition(".")
        self.imports.add("import %s" % module)
        return path

    def _call(self, path, args, kwargs):
        parts = [self(a) for a in args] + ["%s=%s" % (k, self(v)) for k, v in kwargs.items()]
        return "%s(%s)" % (self._path(path), ", ".join(parts))

    def serialize(self, value):
        """Source text for ``value``."""
        if isinstance(value, Field):
            _, path, args, kwargs = value.deconstruct()
            return self._call(path, args, kwargs)
        if isinstance(value, enum.Enum):
            self.imports.add("import %s" % type(value).__module__)
            return "%s.%s[%r]" % (type(value).__module__, type(value).__qualname__, value.name)
        if value is None or isinstance(value, (bool, int, float, str, bytes)):
            return repr(value)
        if isinstance(value, decimal.Decimal):
            self.imports.add("import decimal")
            return "decimal.Decimal(%r)" % str(value)
        if isinstance(value, (datetime.datetime, datetime.date, datetime.time, datetime.timedelta)):
            self.imports.add("import datetime")
            text = repr(value).replace("datetime.timezone.utc", "datetime.timezone.utc")
            return text
        if isinstance(value, uuid.UUID):
            self.imports.add("import uuid")
            return "uuid.%r" % value
        if isinstance(value, list):
            return "[%s]" % ", ".join(self(v) for v in value)
        if isinstance(value, tuple):
            return "(%s)" % (", ".join(self(v) for v in value) + ("," if len(value) == 1 else ""))
        if isinstance(value, (set, frozenset)):
            return "{%s}" % ", ".join(sorted(self(v) for v in value)) if value else "set()"
        if isinstance(value, dict):
            return "{%s}" % ", ".join("%s: %s" % (self(k), self(v)) for k, v in value.items())
        if isinstance(value, functools.partial):
            self.imports.add("import functools")
            return "functools.partial(%s)" % ", ".join([self(value.func)] + [self(a) for a in value.args] +
                                                       ["%s=%s" % (k, self(v)) for k, v in value.keywords.items()])
        if isinstance(value, type) or isinstance(value, (types.FunctionType, types.BuiltinFunctionType)):
            deconstruct = getattr(value, "deconstruct", None)
            if deconstruct is not None and not isinstance(value, type):
                return self._call(*deconstruct())
            if value.__module__ == "ormlette.db.models.query.deletion":
                self.imports.add("import ormlette.db.models.deletion")
                return "ormlette.db.models.deletion.%s" % value.__name__
            if "<" in value.__qualname__:
                raise ValueError("Cannot serialize %r: a lambda or a nested function has no import path." % value)
            self.imports.add("import %s" % value.__module__)
            return "%s.%s" % (value.__module__, value.__qualname__)
        deconstruct = getattr(value, "deconstruct", None)
        if deconstruct is not None:
            path, args, kwargs = deconstruct()
            return self._call(path, args, kwargs)
        raise ValueError("Cannot serialize %r (%s): give its class a deconstruct() method." % (value, type(value)))


def operation_source(operation, serializer, indent="        "):
    """``migrations.Name(keyword=value, ...)`` for one operation."""
    name, args, kwargs = operation.deconstruct()
    inner = indent + "    "
    parts = [inner + serializer(a) + "," for a in args]
    for key, value in kwargs.items():
        if key == "fields":
            rows = ["%s    (%r, %s)," % (inner, n, serializer(f)) for n, f in value]
            parts.append("%s%s=[\n%s\n%s]," % (inner, key, "\n".join(rows), inner))
        else:
            parts.append("%s%s=%s," % (inner, key, serializer(value)))
    return "%smigrations.%s(\n%s\n%s)," % (indent, name, "\n".join(parts), indent)


def migration_source(migration):
    """The whole migration file."""
    serializer = Serializer()
    serializer.imports.add("from ormlette.db import migrations, models")
    operations = "\n".join(operation_source(op, serializer) for op in migration.operations)
    imports = sorted(serializer.imports, key=lambda line: (line.startswith("from "), line.split()[1]))
    if "from ormlette.db import migrations, models" in imports and "models." not in operations:
        imports[imports.index("from ormlette.db import migrations, models")] = "from ormlette.db import migrations"
    header = "# Generated by ormlette\n\n" + "\n".join(imports) + "\n\n\n"
    body = "class Migration(migrations.Migration):\n\n"
    if migration.initial:
        body += "    initial = True\n\n"
    body += "    dependencies = [\n%s    ]\n\n" % "".join("        %r,\n" % (tuple(d),) for d in migration.dependencies)
    body += "    operations = [\n%s\n    ]\n" % operations
    return header + body
