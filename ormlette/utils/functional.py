"""Small functional helpers: cached and class properties, lazy values."""


class cached_property:
    """Method turned into an attribute computed once per instance."""

    name = None

    @staticmethod
    def func(instance):
        """Placeholder until __set_name__ binds the real function."""
        raise TypeError(
            "Cannot use cached_property instance without calling __set_name__() on it."
        )

    def __init__(self, func):
        self.real_func = func
        self.__doc__ = getattr(func, "__doc__")

    def __set_name__(self, owner, name):
        if self.name is None:
            self.name = name
            self.func = self.real_func
        elif name != self.name:
            raise TypeError(
                "Cannot assign the same cached_property to two different names "
                "(%r and %r)." % (self.name, name)
            )

    def __get__(self, instance, cls=None):
        if instance is None:
            return self
        # Storing in the instance dict shadows this non-data descriptor next time.
        value = instance.__dict__[self.name] = self.func(instance)
        return value


class classproperty:
    """Method turned into a read-only property available on the class."""

    def __init__(self, method=None):
        self.fget = method

    def __get__(self, instance, cls=None):
        return self.fget(cls)

    def getter(self, method):
        """Replace the getter function."""
        self.fget = method
        return self


class Promise:
    """Base class of the proxies returned by lazy(); used to recognise them."""


class _LazyProxy(Promise):
    """A deferred call whose result is computed each time it is needed."""

    _func = None

    def __init__(self, args, kwargs):
        self._args = args
        self._kwargs = kwargs

    def _force(self):
        return type(self)._func(*self._args, **self._kwargs)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return getattr(self._force(), name)

    def __reduce__(self):
        return (_unpickle_lazy, (type(self)._func, self._args, self._kwargs))

    def __deepcopy__(self, memo):
        # A proxy is immutable; copying the arguments would only waste time.
        memo[id(self)] = self
        return self

    def __copy__(self):
        return self

    def __str__(self):
        return str(self._force())

    def __repr__(self):
        return repr(self._force())

    def __hash__(self):
        return hash(self._force())

    def __eq__(self, other):
        return self._force() == _resolve(other)

    def __ne__(self, other):
        return self._force() != _resolve(other)

    def __lt__(self, other):
        return self._force() < _resolve(other)

    def __le__(self, other):
        return self._force() <= _resolve(other)

    def __gt__(self, other):
        return self._force() > _resolve(other)

    def __ge__(self, other):
        return self._force() >= _resolve(other)

    def __mod__(self, other):
        return self._force() % other

    def __add__(self, other):
        return self._force() + _resolve(other)

    def __radd__(self, other):
        return _resolve(other) + self._force()

    def __mul__(self, other):
        return self._force() * other

    def __len__(self):
        return len(self._force())

    def __iter__(self):
        return iter(self._force())

    def __contains__(self, item):
        return item in self._force()

    def __getitem__(self, key):
        return self._force()[key]

    def __format__(self, spec):
        return format(self._force(), spec)


def _resolve(value):
    """Force a lazy proxy, leave anything else unchanged."""
    return value._force() if isinstance(value, _LazyProxy) else value


def _unpickle_lazy(func, args, kwargs):
    """Rebuild a pickled lazy proxy."""
    return lazy(func)(*args, **kwargs)


def lazy(func, *resultclasses):
    """Return a callable whose calls produce proxies evaluating func on use."""
    # resultclasses only matters to Django's method copying; we delegate instead.
    proxy_class = type("__proxy__", (_LazyProxy,), {"_func": staticmethod(func)})

    def wrapper(*args, **kwargs):
        """Defer func(*args, **kwargs) until the result is used."""
        return proxy_class(args, kwargs)

    wrapper.__wrapped__ = func
    return wrapper

