"""Capability flags: code outside the backends asks these instead of checking vendor names."""


class BaseDatabaseFeatures:
    """What a backend can do; every flag has Django's meaning where Django has one."""

    uses_savepoints = True
    supports_transactions = True
    can_return_columns_from_insert = False
    can_return_rows_from_bulk_insert = False
    has_bulk_insert = True
    has_native_uuid_field = False
    has_native_json_field = False
    has_native_duration_field = False
    has_native_decimal = True
    supports_timezones = False
    has_zoneinfo_database = True
    has_select_for_update = False
    has_select_for_update_nowait = False
    has_select_for_update_skip_locked = False
    has_select_for_update_of = False
    has_select_for_no_key_update = False
    supports_select_for_update_with_limit = True
    supports_distinct_on_fields = False
    supports_over_clause = True
    supports_negative_round_precision = True
    has_json_object_function = True
    supports_frame_range_fixed_distance = False
    supports_frame_exclusion = False
    supports_order_by_nulls_modifier = True
    nulls_order_largest = False
    supports_regex_backreferencing = True
    has_case_insensitive_like = False
    supports_update_conflicts = True
    supports_update_conflicts_with_target = True
    supports_ignore_conflicts = True
    supports_slicing_ordering_in_compound = True
    supports_select_intersection = True
    supports_select_difference = True
    supports_partial_indexes = True
    supports_expression_indexes = True
    supports_covering_indexes = False
    supports_deferrable_unique_constraints = False
    # Foreign keys are checked at statement/transaction end, not row by row.
    can_defer_constraint_checks = False
    supports_nulls_distinct_unique_constraints = False
    supports_table_check_constraints = True
    # DDL inside a transaction is rolled back with it (each migration is then atomic).
    can_rollback_ddl = True
    # ALTER TABLE ... ADD CONSTRAINT exists (SQLite: foreign keys go in CREATE TABLE, and uniques added
    # after it are unique indexes, as Django's).
    can_alter_table_add_constraint = True
    # The server indexes a foreign key column itself (InnoDB): no separate db_index for it, as Django.
    creates_foreign_key_indexes = False
    # Column changes rebuild the table from the project state (SQLite; Django's _remake_table).
    alters_by_table_rebuild = False
    supports_comments = False
    can_rename_index = True
    supports_stored_generated_columns = True
    supports_virtual_generated_columns = True
    supports_json_field_contains = True
    supports_explaining_query_execution = True
    supported_explain_formats = frozenset()
    supported_explain_options = frozenset()
    allows_group_by_selected_pks = False
    interprets_empty_strings_as_nulls = False
    supports_boolean_expr_in_select_clause = True
    requires_casted_case_in_updates = False
    max_query_params = None
    supports_comparing_boolean_expr = True
    supports_aggregate_filter_clause = False
    # executemany() sends many parameter sets without one server round trip each (in process, or pipelined).
    has_fast_executemany = False
    # INSERT ... SELECT * FROM UNNEST(typed arrays) for multi-row inserts (one parameter per column).
    supports_unnest_insert = False
    # COPY ... FROM STDIN for large bulk inserts (ops.copy_rows / ops.copy_rows_with_pks).
    supports_copy_from = False
    # Long IN lists of plain values bind as one array parameter: ``col = ANY(%s)`` (one statement shape for
    # every length; the driver does not re-parse thousands of placeholders).
    supports_in_list_array = False
    # A plain multi-row INSERT into a table ops.has_consecutive_pks() accepts assigns its auto primary keys
    # consecutively, ending at cursor.lastrowid (no RETURNING needed).
    has_consecutive_bulk_insert_pks = False
    # bulk_update of plain values as one UPDATE joined to the new rows (ops.bulk_update_from_rows_sql)
    # instead of one CASE WHEN per field, whose per-row cost grows with the batch.
    supports_bulk_update_from_rows = False
    supports_logical_xor = False
    # An UPDATE/DELETE may select from the table it changes in a subquery (MariaDB: only once materialized).
    update_can_self_select = True

    def __init__(self, connection):
        self.connection = connection
