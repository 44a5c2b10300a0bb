"""Finds the migration files beside each app's models module and builds the graph with the applied state."""
import importlib
import pkgutil
import sys

from ormlette.db.migrations.exceptions import BadMigrationError, InconsistentMigrationHistory, NodeNotFoundError
from ormlette.db.migrations.graph import MigrationGraph
from ormlette.db.migrations.recorder import MigrationRecorder


def app_of_module(module_name):
    """The package holding a models module (``shop.models`` -> ``shop``; a bare ``models`` -> itself)."""
    return module_name.rpartition(".")[0] or module_name


class MigrationLoader:
    """``disk_migrations``, ``graph`` and ``applied_migrations`` for a set of apps."""

    def __init__(self, connection, apps, migration_modules=None, load=True):
        # apps: {app_label: models module name}
        self.connection = connection
        self.apps = dict(apps)
        self.migration_modules = dict(migration_modules or {})
        self.disk_migrations = {}
        self.unmigrated_apps = set()
        self.migrated_apps = set()
        if load:
            self.build_graph()

    def migrations_module(self, app_label):
        """The dotted name of an app's migrations package."""
        if app_label in self.migration_modules:
            return self.migration_modules[app_label]
        return "%s.migrations" % app_of_module(self.apps[app_label])

    def load_disk(self):
        """Import every migration module of every app."""
        self.disk_migrations = {}
        for app_label in sorted(self.apps):
            name = self.migrations_module(app_label)
            if name is None:
                self.unmigrated_apps.add(app_label)
                continue
            try:
                module = importlib.import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name and name.startswith(exc.name):
                    self.unmigrated_apps.add(app_label)
                    continue
                raise
            if not hasattr(module, "__path__"):
                self.unmigrated_apps.add(app_label)
                continue
            importlib.invalidate_caches()
            self.migrated_apps.add(app_label)
            for info in pkgutil.iter_modules(module.__path__):
                if info.ispkg or info.name[0] in "_~":
                    continue
                full = "%s.%s" % (name, info.name)
                sys.modules.pop(full, None)
                migration_module = importlib.import_module(full)
                if not hasattr(migration_module, "Migration"):
                    raise BadMigrationError("Migration %s in app %s has no Migration class" % (info.name, app_label))
                self.disk_migrations[app_label, info.name] = migration_module.Migration(info.name, app_label)

    def build_graph(self):
        """Load the files, the applied records, and link the graph (squashed migrations resolved)."""
        self.load_disk()
        self.applied_migrations = MigrationRecorder(self.connection).applied_migrations() \
            if self.connection is not None else {}
        graph = MigrationGraph()
        for key, migration in self.disk_migrations.items():
            graph.add_node(key, migration)
        for key, migration in self.disk_migrations.items():
            for parent in migration.dependencies:
                resolved = self._resolve(key, parent)
                if resolved is not None:
                    graph.add_dependency(migration, key, resolved)
            for child in migration.run_before:
                resolved = self._resolve(key, child)
                if resolved is not None:
                    graph.add_dependency(migration, resolved, key)
        self.graph = graph
        self._apply_replacements()

    def _resolve(self, key, dependency):
        app_label, name = dependency[0], dependency[1]
        if app_label == "__setting__":
            return None
        if app_label not in self.migrated_apps:
            if app_label in self.unmigrated_apps or app_label not in self.apps:
                return None
        app_nodes = sorted(k for k in self.disk_migrations if k[0] == app_label)
        if name == "__first__":
            roots = [k for k in app_nodes if not any(d[0] == app_label for d in self.disk_migrations[k].dependencies)]
            return roots[0] if roots else None
        if name == "__latest__":
            leaves = [k for k in app_nodes if not any(
                (app_label, k[1]) in [tuple(d) for d in self.disk_migrations[o].dependencies] for o in app_nodes)]
            return leaves[-1] if leaves else None
        if (app_label, name) not in self.disk_migrations:
            raise NodeNotFoundError("Migration %s.%s dependencies reference nonexistent parent node %r"
                                    % (key[0], key[1], (app_label, name)), (app_label, name), key)
        return app_label, name

    def _apply_replacements(self):
        for key, migration in list(self.disk_migrations.items()):
            if not migration.replaces or key not in self.graph:
                continue
            replaced = [tuple(r) for r in migration.replaces]
            applied = [r in self.applied_migrations for r in replaced]
            if all(applied) or not any(applied):
                if all(applied) and replaced:
                    self.applied_migrations[key] = True
                self.graph.remap([r for r in replaced if r in self.graph], key)
            else:
                self.graph.remove_node(key)

    def check_consistent_history(self):
        """Raise when an applied migration has an unapplied dependency."""
        for key in self.applied_migrations:
            if key not in self.graph:
                continue
            for parent in self.graph.parents[key]:
                if parent not in self.applied_migrations:
                    raise InconsistentMigrationHistory(
                        "Migration %s.%s is applied before its dependency %s.%s on database '%s'."
                        % (key[0], key[1], parent[0], parent[1], self.connection.alias))

    def detect_conflicts(self):
        """{app_label: [leaf names]} for apps with more than one leaf."""
        conflicts = {}
        for app_label in sorted({k[0] for k in self.graph.nodes}):
            leaves = self.graph.leaf_nodes(app_label)
            if len(leaves) > 1:
                conflicts[app_label] = [name for _, name in leaves]
        return conflicts

    def project_state(self, nodes=None, at_end=True):
        """The ProjectState of the migration files (all leaves, or the given nodes)."""
        return self.graph.make_state(nodes=nodes, at_end=at_end)

    def get_migration_by_prefix(self, app_label, prefix):
        """The one migration of the app whose name starts with ``prefix``."""
        from ormlette.db.migrations.exceptions import AmbiguityError

        found = [k for k in self.graph.nodes if k[0] == app_label and k[1].startswith(prefix)]
        if len(found) > 1:
            raise AmbiguityError("There is more than one migration for '%s' with the prefix '%s'" % (app_label, prefix))
        if not found:
            raise KeyError("There is no migration for '%s' with the prefix '%s'" % (app_label, prefix))
        return self.graph.nodes[found[0]]
