"""Mixins shared by fields and reverse relations (``FieldCacheMixin``)."""

NOT_PROVIDED = object()


class FieldCacheMixin:
    """Cache a related object on the instance (``instance._state.fields_cache``)."""

    @property
    def cache_name(self):
        return self.get_cache_name()

    def get_cache_name(self):
        """The key in the fields cache."""
        raise NotImplementedError

    def get_cached_value(self, instance, default=NOT_PROVIDED):
        """The cached related object (KeyError without a default)."""
        try:
            return instance._state.fields_cache[self.get_cache_name()]
        except KeyError:
            if default is NOT_PROVIDED:
                raise
            return default

    def is_cached(self, instance):
        """Whether a related object is cached."""
        return self.get_cache_name() in instance._state.fields_cache

    def set_cached_value(self, instance, value):
        """Cache ``value`` on ``instance``."""
        instance._state.fields_cache[self.get_cache_name()] = value

    def delete_cached_value(self, instance):
        """Forget the cached related object."""
        del instance._state.fields_cache[self.get_cache_name()]


__all__ = ["FieldCacheMixin"]
