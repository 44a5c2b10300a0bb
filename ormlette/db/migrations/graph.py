"""The migration graph: nodes (app_label, name), their dependencies, plans and the state at a node."""
from ormlette.db.migrations.exceptions import CircularDependencyError, NodeNotFoundError


class MigrationGraph:
    """Migrations and dependency edges, with forwards/backwards plans in a stable order."""

    def __init__(self):
        self.nodes = {}
        self.parents = {}
        self.children = {}

    def add_node(self, key, migration):
        """Add a migration under (app_label, name)."""
        self.nodes[key] = migration
        self.parents.setdefault(key, set())
        self.children.setdefault(key, set())

    def add_dependency(self, migration, child, parent):
        """``child`` depends on ``parent`` (both must be nodes)."""
        for key in (child, parent):
            if key not in self.nodes:
                raise NodeNotFoundError("Migration %s dependencies reference nonexistent %s node %r"
                                        % (migration, "child" if key == child else "parent", key), key, migration)
        self.parents[child].add(parent)
        self.children[parent].add(child)

    def remove_node(self, key):
        """Drop a node and its edges."""
        for parent in self.parents.pop(key, ()):
            self.children[parent].discard(key)
        for child in self.children.pop(key, ()):
            self.parents[child].discard(key)
        self.nodes.pop(key, None)

    def remap(self, replaced, replacement):
        """Point the edges of the ``replaced`` nodes at ``replacement`` (a squashed migration) and drop them."""
        replaced = set(replaced)
        for key in replaced:
            for child in list(self.children.get(key, ())):
                if child not in replaced and child != replacement:
                    self.parents[child].discard(key)
                    self.parents[child].add(replacement)
                    self.children[replacement].add(child)
            for parent in list(self.parents.get(key, ())):
                if parent not in replaced and parent != replacement:
                    self.children[parent].discard(key)
                    self.children[parent].add(replacement)
                    self.parents[replacement].add(parent)
        for key in replaced:
            self.remove_node(key)

    def _walk(self, target, edges):
        if target not in self.nodes:
            raise NodeNotFoundError("Node %r not a valid node" % (target,), target)
        order, seen, visiting = [], set(), set()

        def visit(node):
            if node in seen:
                return
            if node in visiting:
                raise CircularDependencyError(", ".join("%s.%s" % n for n in sorted(visiting)))
            visiting.add(node)
            for other in sorted(edges[node]):
                visit(other)
            visiting.discard(node)
            seen.add(node)
            order.append(node)

        visit(target)
        return order

    def forwards_plan(self, target):
        """``target`` and everything it depends on, dependencies first."""
        return self._walk(target, self.parents)

    def backwards_plan(self, target):
        """``target`` and everything depending on it, dependents first."""
        return self._walk(target, self.children)

    def leaf_nodes(self, app=None):
        """Nodes no other node of the same app depends on, sorted."""
        return sorted(key for key in self.nodes if (app is None or key[0] == app)
                      and not any(child[0] == key[0] for child in self.children[key]))

    def root_nodes(self, app=None):
        """Nodes depending on no node of the same app, sorted."""
        return sorted(key for key in self.nodes if (app is None or key[0] == app)
                      and not any(parent[0] == key[0] for parent in self.parents[key]))

    def make_state(self, nodes=None, at_end=True, real_apps=None):
        """The ProjectState after (``at_end``) or before the given nodes and all their dependencies."""
        from ormlette.db.migrations.state import ProjectState

        if nodes is None:
            nodes = list(self.leaf_nodes())
        elif isinstance(nodes, tuple):
            nodes = [nodes]
        plan = []
        for node in nodes:
            for key in self.forwards_plan(node):
                if key not in plan and (at_end or key not in nodes):
                    plan.append(key)
        state = ProjectState(real_apps=real_apps)
        for key in plan:
            state = self.nodes[key].mutate_state(state, preserve=False)
        return state

    def __contains__(self, key):
        return key in self.nodes
