"""Public import paths: every name ormlette exported before the package layout still imports.

``PUBLIC_NAMES`` was computed from the flat layout (commit c5df21a): for each ormlette module whose
path mirrors a Django module, the names it defines, lists in ``__all__``, or shares with Django's
module; ``ormlette.db.models.query`` also gets Django's ``Prefetch``, ``RawQuerySet`` and
``prefetch_related_objects``. ``MOVED_PATHS`` are the flat modules' old paths: each still imports,
as the module now at its new path.
"""
import importlib

import pytest

PUBLIC_NAMES = {
    'ormlette.conf': (
        'DEFAULTS', 'ImproperlyConfigured', 'Settings', 'default_databases', 'settings',
    ),
    'ormlette.core.exceptions': (
        'AppRegistryNotReady', 'BadRequest', 'DisallowedHost', 'DisallowedRedirect', 'EmptyResultSet',
        'FieldDoesNotExist', 'FieldError', 'FullResultSet', 'ImproperlyConfigured', 'MiddlewareNotUsed',
        'MultipleObjectsReturned', 'NON_FIELD_ERRORS', 'ObjectDoesNotExist', 'ObjectNotUpdated',
        'PermissionDenied', 'RequestAborted', 'RequestDataTooBig', 'SuspiciousFileOperation',
        'SuspiciousMultipartForm', 'SuspiciousOperation', 'SynchronousOnlyOperation',
        'TooManyFieldsSent', 'TooManyFilesSent', 'ValidationError', 'ViewDoesNotExist', 'make_hashable',
    ),
    'ormlette.core.validators': (
        'BaseValidator', 'DecimalValidator', 'DomainNameValidator', 'EMPTY_VALUES', 'EmailValidator',
        'FileExtensionValidator', 'MAX_IPV6_ADDRESS_LENGTH', 'MAX_URL_LENGTH', 'MaxLengthValidator',
        'MaxValueValidator', 'MinLengthValidator', 'MinValueValidator',
        'ProhibitNullCharactersValidator', 'RegexValidator', 'StepValueValidator', 'URLValidator',
        'ValidationError', 'get_available_image_extensions', 'int_list_validator', 'integer_validator',
        'ip_address_validator_map', 'ip_address_validators', 'is_valid_ipv6_address',
        'validate_comma_separated_integer_list', 'validate_domain_name', 'validate_email',
        'validate_image_file_extension', 'validate_integer', 'validate_ipv46_address',
        'validate_ipv4_address', 'validate_ipv6_address', 'validate_slug', 'validate_unicode_slug',
    ),
    'ormlette.db': (
        'ConnectionHandler', 'ConnectionProxy', 'ConnectionRouter', 'DEFAULT_DB_ALIAS', 'DataError',
        'DatabaseError', 'Error', 'IntegrityError', 'InterfaceError', 'InternalError',
        'NotSupportedError', 'OperationalError', 'ProgrammingError', 'close_old_connections',
        'connection', 'connections', 'reset_queries', 'router',
    ),
    'ormlette.db.backends.base.base': (
        'BaseDatabaseWrapper', 'QUERIES_LOG_SIZE', 'TransactionManagementError',
    ),
    'ormlette.db.backends.base.features': (
        'BaseDatabaseFeatures',
    ),
    'ormlette.db.backends.base.schema': (
        'BaseDatabaseSchemaEditor',  # LiteralCompileContext moved with the MetaData builder (issue 17)
    ),
    'ormlette.db.models.schema': (
        'LiteralCompileContext', 'table_for',
    ),
    'ormlette.db.backends.mysql.base': (
        'BaseDatabaseWrapper', 'DatabaseFeatures', 'DatabaseOperations', 'DatabaseSchemaEditor',
        'DatabaseWrapper',
    ),
    'ormlette.db.backends.postgresql.base': (
        'BaseDatabaseWrapper', 'DatabaseFeatures', 'DatabaseOperations', 'DatabaseSchemaEditor',
        'DatabaseWrapper',
    ),
    'ormlette.db.backends.sqlite3.base': (
        'BaseDatabaseWrapper', 'DatabaseFeatures', 'DatabaseOperations', 'DatabaseSchemaEditor',
        'DatabaseWrapper',
    ),
    'ormlette.db.backends.utils': (
        'CursorWrapper',
    ),
    'ormlette.db.models': (
        'Aggregate', 'AutoField', 'AutoFieldMixin', 'Avg', 'BLANK_CHOICE_DASH', 'BaseConstraint',
        'BaseManager', 'BigAutoField', 'BigIntegerField', 'BinaryField', 'BooleanField', 'CASCADE',
        'Case', 'CharField', 'CheckConstraint', 'Choices', 'Col', 'CombinedExpression',
        'CommaSeparatedIntegerField', 'Count', 'DEFERRED', 'DO_NOTHING', 'DatabaseDefault', 'DateField',
        'DateTimeField', 'DecimalField', 'Deferrable', 'DurationField', 'EmailField', 'EmptyQuerySet',
        'Exists', 'Expression', 'ExpressionList', 'ExpressionWrapper', 'F', 'Field', 'FilteredRelation',
        'FloatField', 'ForeignKey', 'ForeignObject', 'Func', 'GeneratedField', 'GenericIPAddressField',
        'Index', 'IntegerChoices', 'IntegerField', 'JSONField', 'Lookup', 'Manager', 'ManyToManyField',
        'ManyToManyRel', 'ManyToOneRel', 'Max', 'Min', 'Model', 'NOT_PROVIDED', 'ObjectDoesNotExist',
        'OneToOneField', 'OneToOneRel', 'OrderBy', 'OuterRef', 'PROTECT', 'PositiveBigIntegerField',
        'PositiveIntegerField', 'PositiveIntegerRelDbTypeMixin', 'PositiveSmallIntegerField',
        'Prefetch', 'ProtectedError', 'Q', 'QuerySet', 'RESTRICT', 'RawSQL', 'Ref', 'RestrictedError',
        'RowRange', 'SET', 'SET_DEFAULT', 'SET_NULL', 'SlugField', 'SmallAutoField',
        'SmallIntegerField', 'StdDev', 'Subquery', 'Sum', 'TextChoices', 'TextField', 'TimeField',
        'Transform', 'URLField', 'UUIDField', 'UniqueConstraint', 'Value', 'ValueRange', 'Variance',
        'When', 'Window', 'WindowFrame', 'fields_all', 'prefetch_related_objects',
    ),
    'ormlette.db.models.aggregates': (
        'Aggregate', 'Avg', 'Case', 'Count', 'FieldError', 'Func', 'IntegerField', 'Max', 'Min',
        'NumericOutputMixin', 'Star', 'StdDev', 'Sum', 'Value', 'Variance', 'When',
    ),
    'ormlette.db.models.base': (
        'DEFERRED', 'Deferred', 'FieldDoesNotExist', 'LazyModelState', 'MAX_GET_RESULTS', 'Model',
        'ModelBase', 'ModelState', 'ModelStateCacheDescriptor', 'NOT_PROVIDED', 'SAVED_ON_KEY',
        'ValidationError', 'router',
    ),
    'ormlette.db.models.constraints': (
        'BaseConstraint', 'CheckConstraint', 'Deferrable', 'F', 'Q', 'UniqueConstraint',
        'ValidationError',
    ),
    'ormlette.db.models.deletion': (
        'CASCADE', 'Collector', 'DO_NOTHING', 'IntegrityError', 'PROTECT', 'ProtectedError', 'RESTRICT',
        'RestrictedError', 'SET', 'SET_DEFAULT', 'SET_NULL', 'connections',
        'get_candidate_relations_to_delete',
    ),
    'ormlette.db.models.enums': (
        'Choices', 'ChoicesType', 'IntegerChoices', 'Promise', 'TextChoices',
    ),
    'ormlette.db.models.expressions': (
        'BaseExpression', 'Case', 'Col', 'Combinable', 'CombinedExpression', 'DatabaseDefault',
        'Exists', 'Expression', 'ExpressionList', 'ExpressionWrapper', 'F', 'FieldError', 'Func',
        'NESTED_SAVE', 'NegatedExpression', 'NotSupportedError', 'OrderBy', 'OrderByList', 'OuterRef',
        'Q', 'RawSQL', 'Ref', 'ResolvedOuterRef', 'RowRange', 'Sliced', 'Star', 'Subquery', 'Value',
        'ValueRange', 'When', 'Window', 'WindowFrame', 'cached_property', 'nested_save',
    ),
    'ormlette.db.models.fields': (
        'AutoField', 'AutoFieldMixin', 'BLANK_CHOICE_DASH', 'BigAutoField', 'BigIntegerField',
        'BinaryField', 'BooleanField', 'CharField', 'CommaSeparatedIntegerField', 'DateField',
        'DateTimeField', 'DecimalField', 'DurationField', 'EmailField', 'Field', 'FloatField',
        'GeneratedField', 'GenericIPAddressField', 'IntegerField', 'JSONField', 'NOT_PROVIDED',
        'PositiveBigIntegerField', 'PositiveIntegerField', 'PositiveIntegerRelDbTypeMixin',
        'PositiveSmallIntegerField', 'SlugField', 'SmallAutoField', 'SmallIntegerField', 'TextField',
        'TimeField', 'URLField', 'UUIDField',
    ),
    'ormlette.db.models.fields.generated': (
        'Field', 'GeneratedField', 'NOT_PROVIDED',
    ),
    'ormlette.db.models.fields.json': (
        'CaseInsensitiveMixin', 'ContainedBy', 'DataContains', 'FieldGetDbPrepValueMixin', 'HasAnyKeys',
        'HasKey', 'HasKeyLookup', 'HasKeys', 'JSONExact', 'JSONField', 'JSONIContains',
        'JSONLookupMixin', 'KT', 'KeyTextTransform', 'KeyTransform', 'KeyTransformEndsWith',
        'KeyTransformExact', 'KeyTransformFactory', 'KeyTransformGt', 'KeyTransformGte',
        'KeyTransformIContains', 'KeyTransformIEndsWith', 'KeyTransformIExact', 'KeyTransformIRegex',
        'KeyTransformIStartsWith', 'KeyTransformIn', 'KeyTransformIsNull', 'KeyTransformLt',
        'KeyTransformLte', 'KeyTransformNumericLookupMixin', 'KeyTransformRegex',
        'KeyTransformStartsWith', 'KeyTransformTextLookupMixin', 'LOOKUP_SEP', 'NotSupportedError',
        'TextField', 'Transform', 'split_key_transforms',
    ),
    'ormlette.db.models.fields.related': (
        'Field', 'FieldCacheMixin', 'ForeignKey', 'ForeignKeyDeferredAttribute', 'ForeignObject',
        'ForeignObjectRel', 'ForwardManyToOneDescriptor', 'ForwardOneToOneDescriptor',
        'ManyToManyField', 'ManyToManyRel', 'ManyToOneRel', 'OneToOneField', 'OneToOneRel', 'PathInfo',
        'Q', 'RECURSIVE_RELATIONSHIP_CONSTANT', 'RelatedField', 'ReverseManyToOneDescriptor',
        'ReverseOneToOneDescriptor', 'cached_property', 'create_many_to_many_intermediary_model',
        'lazy_related_operation', 'resolve_relation',
    ),
    'ormlette.db.models.fields.related_descriptors': (
        'DeferredAttribute', 'ForeignKeyDeferredAttribute', 'ForwardManyToOneDescriptor',
        'ForwardOneToOneDescriptor', 'ManyToManyDescriptor', 'ReverseManyToOneDescriptor',
        'ReverseOneToOneDescriptor', 'cached_property', 'create_forward_many_to_many_manager',
        'create_reverse_many_to_one_manager', 'router',
    ),
    'ormlette.db.models.fields.related_lookups': (
        'Exact', 'GreaterThan', 'GreaterThanOrEqual', 'In', 'IsNull', 'LessThan', 'LessThanOrEqual',
        'MultiColSource', 'RelatedExact', 'RelatedGreaterThan', 'RelatedGreaterThanOrEqual',
        'RelatedIn', 'RelatedIsNull', 'RelatedLessThan', 'RelatedLessThanOrEqual', 'RelatedLookupMixin',
        'check_related_value', 'get_normalized_value', 'register_related_lookups',
    ),
    'ormlette.db.models.fields.reverse_related': (
        'FieldCacheMixin', 'ForeignObjectRel', 'ManyToManyRel', 'ManyToOneRel', 'NOT_PROVIDED',
        'OneToOneRel', 'cached_property',
    ),
    'ormlette.db.models.functions': (
        'ACos', 'ASin', 'ATan', 'ATan2', 'Abs', 'Cast', 'Ceil', 'Chr', 'Coalesce', 'Collate', 'Concat',
        'ConcatPair', 'Cos', 'Cot', 'CumeDist', 'Degrees', 'DenseRank', 'Exp', 'Extract', 'ExtractDay',
        'ExtractHour', 'ExtractIsoWeekDay', 'ExtractIsoYear', 'ExtractMinute', 'ExtractMonth',
        'ExtractQuarter', 'ExtractSecond', 'ExtractWeek', 'ExtractWeekDay', 'ExtractYear', 'FirstValue',
        'Floor', 'Greatest', 'JSONObject', 'LPad', 'LTrim', 'Lag', 'LastValue', 'Lead', 'Least', 'Left',
        'Length', 'Ln', 'Log', 'Lower', 'MD5', 'Mod', 'Now', 'NthValue', 'Ntile', 'NullIf', 'Ord',
        'PercentRank', 'Pi', 'Power', 'RPad', 'RTrim', 'Radians', 'Random', 'Rank', 'Repeat', 'Replace',
        'Reverse', 'Right', 'Round', 'RowNumber', 'SHA1', 'SHA224', 'SHA256', 'SHA384', 'SHA512',
        'Sign', 'Sin', 'Sqrt', 'StrIndex', 'Substr', 'Tan', 'Trim', 'Trunc', 'TruncDate', 'TruncDay',
        'TruncHour', 'TruncMinute', 'TruncMonth', 'TruncQuarter', 'TruncSecond', 'TruncTime',
        'TruncWeek', 'TruncYear', 'Upper',
    ),
    'ormlette.db.models.functions.comparison': (
        'Cast', 'Coalesce', 'Collate', 'Func', 'Greatest', 'JSONObject', 'Least', 'NullIf', 'Value',
    ),
    'ormlette.db.models.functions.datetime': (
        'DateField', 'DateTimeField', 'DurationField', 'EXTRACT_KINDS', 'Extract', 'ExtractDay',
        'ExtractHour', 'ExtractIsoWeekDay', 'ExtractIsoYear', 'ExtractMinute', 'ExtractMonth',
        'ExtractQuarter', 'ExtractSecond', 'ExtractWeek', 'ExtractWeekDay', 'ExtractYear', 'Func',
        'IntegerField', 'Now', 'TRUNC_KINDS', 'TimeField', 'TimezoneMixin', 'Transform', 'Trunc',
        'TruncBase', 'TruncDate', 'TruncDay', 'TruncHour', 'TruncMinute', 'TruncMonth', 'TruncQuarter',
        'TruncSecond', 'TruncTime', 'TruncWeek', 'TruncYear', 'YearExact', 'YearGt', 'YearGte',
        'YearLt', 'YearLte', 'settings', 'year_bounds',
    ),
    'ormlette.db.models.functions.math': (
        'ACos', 'ASin', 'ATan', 'ATan2', 'Abs', 'Ceil', 'Cos', 'Cot', 'Degrees', 'Exp', 'FloatField',
        'Floor', 'Func', 'Ln', 'Log', 'Mod', 'NumericOutputFieldMixin', 'Pi', 'Power', 'Radians',
        'Random', 'Round', 'Sign', 'Sin', 'Sqrt', 'Tan', 'Transform', 'Value',
    ),
    'ormlette.db.models.functions.mixins': (
        'DecimalField', 'FloatField', 'IntegerField', 'NumericOutputFieldMixin',
    ),
    'ormlette.db.models.functions.text': (
        'CharField', 'Chr', 'Concat', 'ConcatPair', 'Func', 'IntegerField', 'LPad', 'LTrim', 'Left',
        'Length', 'Lower', 'MD5', 'Ord', 'RPad', 'RTrim', 'Repeat', 'Replace', 'Reverse', 'Right',
        'SHA1', 'SHA224', 'SHA256', 'SHA384', 'SHA512', 'StrIndex', 'Substr', 'Transform', 'Trim',
        'Upper', 'Value',
    ),
    'ormlette.db.models.functions.window': (
        'CumeDist', 'DenseRank', 'FirstValue', 'FloatField', 'Func', 'IntegerField', 'Lag',
        'LagLeadFunction', 'LastValue', 'Lead', 'NthValue', 'Ntile', 'PercentRank', 'Rank', 'RowNumber',
    ),
    'ormlette.db.models.indexes': (
        'F', 'Index', 'Q',
    ),
    'ormlette.db.models.lookups': (
        'BooleanField', 'BuiltinLookup', 'CharField', 'Contains', 'DateTimeField', 'EmptyResultSet',
        'EndsWith', 'Exact', 'Expression', 'Field', 'FieldGetDbPrepValueMixin', 'FloatField',
        'FullResultSet', 'Func', 'GreaterThan', 'GreaterThanOrEqual', 'IContains', 'IEndsWith',
        'IExact', 'IN_LIST_BUCKETS', 'IRegex', 'IStartsWith', 'In', 'IntegerField',
        'IntegerFieldFloatRounding', 'IntegerFieldOverflow', 'IntegerGreaterThan',
        'IntegerGreaterThanOrEqual', 'IntegerLessThan', 'IntegerLessThanOrEqual', 'IsNull', 'LessThan',
        'LessThanOrEqual', 'Lookup', 'PatternLookup', 'Range', 'Regex', 'RegisterLookupMixin',
        'StartsWith', 'Transform', 'Value', 'YearExact', 'YearGt', 'YearGte', 'YearLookup', 'YearLt',
        'YearLte', 'cached_property', 'in_list_bucket',
    ),
    'ormlette.db.models.manager': (
        'BaseManager', 'EmptyManager', 'Manager', 'ManagerDescriptor', 'QuerySet', 'router',
    ),
    'ormlette.db.models.options': (
        'DEFAULT_NAMES', 'FieldDoesNotExist', 'ImproperlyConfigured', 'Options', 'cached_property',
        'camel_case_to_spaces', 'normalize_together',
    ),
    'ormlette.db.models.query': (
        'EmptyQuerySet', 'FlatValuesListIterable', 'InstanceCheckMeta', 'MAX_GET_RESULTS',
        'ModelIterable', 'NamedValuesListIterable', 'NotSupportedError', 'PROHIBITED_FILTER_KWARGS',
        'Prefetch', 'Q', 'QuerySet', 'REPR_OUTPUT_SIZE', 'RawQuerySet', 'ValuesIterable',
        'ValuesListIterable', 'connections', 'prefetch_related_objects', 'router', 'settings',
    ),
    'ormlette.db.models.query_utils': (
        'DeferredAttribute', 'FieldError', 'FilteredRelation', 'LOOKUP_SEP', 'Q', 'RegisterLookupMixin',
        'check_rel_lookup_compatibility', 'refs_expression',
    ),
    'ormlette.db.models.signals': (
        'ModelSignal', 'NONE_ID', 'Signal', 'class_prepared', 'm2m_changed', 'post_delete', 'post_init',
        'post_migrate', 'post_save', 'pre_delete', 'pre_init', 'pre_migrate', 'pre_save', 'receiver',
    ),
    'ormlette.db.models.sql.compiler': (
        'CURSOR', 'EmptyResultSet', 'FullResultSet', 'MULTI', 'NO_RESULTS', 'NotSupportedError',
        'SINGLE', 'SQLCompiler', 'build_select', 'compile_query', 'compile_with_key_params',
        'display_sql', 'execute_compiled', 'fetch_rows', 'query_key',
    ),
    'ormlette.db.models.sql.datastructures': (
        'BaseTable', 'INNER', 'Join', 'LOUTER', 'MultiJoin', 'PathInfo',
    ),
    'ormlette.db.models.sql.query': (
        'AND', 'BaseExpression', 'Col', 'DEFAULT_DB_ALIAS', 'FieldError', 'LOOKUP_SEP', 'NothingNode',
        'ORDER_DIR', 'Query', 'Ref', 'Value', 'WhereNode', 'check_alias', 'connections',
        'get_order_dir',
    ),
    'ormlette.db.models.sql.subqueries': (
        'build_split_exclude',
    ),
    'ormlette.db.models.sql.where': (
        'AND', 'EmptyResultSet', 'FullResultSet', 'NothingNode', 'OR', 'WhereNode', 'XOR',
    ),
    'ormlette.db.transaction': (
        'Atomic', 'DEFAULT_DB_ALIAS', 'DatabaseError', 'Error', 'ProgrammingError',
        'TransactionManagementError', 'atomic', 'clean_savepoints', 'commit', 'connections',
        'get_autocommit', 'get_connection', 'get_rollback', 'mark_for_rollback_on_error',
        'mark_rollback_after_error', 'non_atomic_requests', 'on_commit', 'rollback', 'savepoint',
        'savepoint_commit', 'savepoint_rollback', 'set_autocommit', 'set_rollback',
    ),
    'ormlette.db.utils': (
        'ConnectionHandler', 'DEFAULT_DB_ALIAS', 'DataError', 'DatabaseError', 'Error',
        'ImproperlyConfigured', 'IntegrityError', 'InterfaceError', 'InternalError',
        'NotSupportedError', 'OperationalError', 'ProgrammingError', 'load_backend',
    ),
    'ormlette.utils.dateparse': (
        'get_fixed_timezone', 'parse_date', 'parse_datetime', 'parse_duration', 'parse_time',
    ),
    'ormlette.utils.duration': (
        'duration_iso_string', 'duration_microseconds', 'duration_string',
    ),
    'ormlette.utils.functional': (
        'Promise', 'cached_property', 'classproperty', 'lazy',
    ),
    'ormlette.utils.hashable': (
        'make_hashable',
    ),
    'ormlette.utils.timezone': (
        'activate', 'deactivate', 'get_current_timezone', 'get_current_timezone_name',
        'get_default_timezone', 'get_default_timezone_name', 'get_fixed_timezone', 'is_aware',
        'is_naive', 'localdate', 'localtime', 'make_aware', 'make_naive', 'now', 'override',
    ),
    'ormlette.utils.translation': (
        'PluralString', 'gettext', 'gettext_lazy', 'gettext_noop', 'ngettext', 'ngettext_lazy',
        'npgettext', 'npgettext_lazy', 'pgettext', 'pgettext_lazy',
    ),
}

MOVED_PATHS = [
    ('ormlette.db.models.query_reads', 'ormlette.db.models.query.reads'),
    ('ormlette.db.models.query_shape', 'ormlette.db.models.query.shape'),
    ('ormlette.db.models.query_writes', 'ormlette.db.models.query.writes'),
    ('ormlette.db.models.iterables', 'ormlette.db.models.query.iterables'),
    ('ormlette.db.models.prefetch', 'ormlette.db.models.query.prefetch'),
    ('ormlette.db.models.prefetch_forward', 'ormlette.db.models.query.prefetch_forward'),
    ('ormlette.db.models.raw', 'ormlette.db.models.query.raw'),
    ('ormlette.db.models.bulk', 'ormlette.db.models.query.bulk'),
    ('ormlette.db.models.deletion', 'ormlette.db.models.query.deletion'),
    ('ormlette.db.models.expressions_leaves', 'ormlette.db.models.expressions.leaves'),
    ('ormlette.db.models.expressions_compound', 'ormlette.db.models.expressions.compound'),
    ('ormlette.db.models.func', 'ormlette.db.models.expressions.func'),
    ('ormlette.db.models.conditions', 'ormlette.db.models.expressions.conditions'),
    ('ormlette.db.models.subquery', 'ormlette.db.models.expressions.subquery'),
    ('ormlette.db.models.windows', 'ormlette.db.models.expressions.windows'),
    ('ormlette.db.models.aggregates', 'ormlette.db.models.expressions.aggregates'),
    ('ormlette.db.models.lookups_in', 'ormlette.db.models.lookups.in_range'),
    ('ormlette.db.models.lookups_integer', 'ormlette.db.models.lookups.integer'),
    ('ormlette.db.models.lookups_text', 'ormlette.db.models.lookups.text'),
    ('ormlette.db.models.lookups_year', 'ormlette.db.models.lookups.year'),
    ('ormlette.db.models.fields.related_lookups', 'ormlette.db.models.lookups.related'),
    ('ormlette.db.models.recipes', 'ormlette.db.models.fast.recipes'),
    ('ormlette.db.models.recipe_aggregates', 'ormlette.db.models.fast.recipe_aggregates'),
    ('ormlette.db.models.recipe_signatures', 'ormlette.db.models.fast.recipe_signatures'),
    ('ormlette.db.models.lookup_twins', 'ormlette.db.models.fast.lookup_twins'),
    ('ormlette.db.models.fastpath', 'ormlette.db.models.fast.get_shortcut'),
    ('ormlette.db.models.row_builders', 'ormlette.db.models.fast.row_builders'),
    ('ormlette.db.models.init_fields', 'ormlette.db.models.fast.init_fields'),
    ('ormlette.db.models.bulk_values', 'ormlette.db.models.fast.bulk_values'),
    ('ormlette.db.models.fields.unchanged', 'ormlette.db.models.fast.unchanged'),
    ('ormlette.utils.gc_pause', 'ormlette.db.models.fast.gc_pause'),
    ('ormlette.db.models.asyncio', 'ormlette.db.async_bridge'),
]


@pytest.mark.parametrize("path", sorted(PUBLIC_NAMES))
def test_public_names_import(path):
    module = importlib.import_module(path)
    missing = [name for name in PUBLIC_NAMES[path] if not hasattr(module, name)]
    assert not missing, "%s lost %s" % (path, missing)
    namespace = {}
    exec("from %s import %s" % (path, ", ".join(PUBLIC_NAMES[path])), namespace)
    assert all(name in namespace for name in PUBLIC_NAMES[path])


@pytest.mark.parametrize("old, new", MOVED_PATHS)
def test_moved_path_is_the_new_module(old, new):
    assert importlib.import_module(old) is importlib.import_module(new)


def test_moved_module_keeps_its_own_identity():
    module = importlib.import_module("ormlette.db.models.query_reads")
    assert module.__name__ == module.__spec__.name == "ormlette.db.models.query.reads"


def test_query_path_exports_djangos_extra_names():
    from ormlette.db.models.query import Prefetch, RawQuerySet, prefetch_related_objects
    from ormlette.db.models.query.prefetch import Prefetch as prefetch_class
    from ormlette.db.models.query.raw import RawQuerySet as raw_class

    assert Prefetch is prefetch_class and RawQuerySet is raw_class and callable(prefetch_related_objects)
