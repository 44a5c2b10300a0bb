"""A small boolean tree used by Q and the WHERE clause."""
import copy


class Node:
    """A node with a connector, a negation flag and children; squashes like connectors."""

    default = "DEFAULT"

    def __init__(self, children=None, connector=None, negated=False):
        self.children = children[:] if children else []
        self.connector = connector or self.default
        self.negated = negated

    @classmethod
    def create(cls, children=None, connector=None, negated=False):
        """Build a node of this class without running subclass ``__init__`` argument handling."""
        obj = Node(children, connector or cls.default, negated)
        obj.__class__ = cls
        return obj

    def __str__(self):
        template = "(NOT (%s: %s))" if self.negated else "(%s: %s)"
        return template % (self.connector, ", ".join(str(c) for c in self.children))

    def __repr__(self):
        return "<%s: %s>" % (self.__class__.__name__, self)

    def copy(self):
        """A shallow copy with its own children list."""
        obj = self.create(connector=self.connector, negated=self.negated)
        obj.children = self.children[:]
        return obj

    __copy__ = copy

    def __deepcopy__(self, memo):
        obj = self.create(connector=self.connector, negated=self.negated)
        obj.children = copy.deepcopy(self.children, memo)
        return obj

    def __len__(self):
        return len(self.children)

    def __bool__(self):
        return bool(self.children)

    def __contains__(self, other):
        return other in self.children

    def add(self, data, conn_type):
        """Combine ``data`` into this node with ``conn_type``, squashing where possible."""
        if self.connector != conn_type:
            obj = self.copy()
            self.connector = conn_type
            self.children = [obj, data]
            return data
        if (isinstance(data, Node) and not data.negated
                and (data.connector == conn_type or len(data) == 1)):
            self.children.extend(data.children)
            return self
        self.children.append(data)
        return data

    def negate(self):
        """Flip the negation flag."""
        self.negated = not self.negated
