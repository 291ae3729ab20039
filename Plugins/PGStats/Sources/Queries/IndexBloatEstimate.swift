/// A catalog-only estimate of B-tree index bloat, in the style of the widely
/// used ioguix "btree_bloat" query: from the planner statistics (pg_stats:
/// null fraction and average width of each indexed column) and reltuples it
/// computes how many leaf pages the index would need if freshly built with its
/// fillfactor, and calls the pages beyond that bloat.
///
///     tuple     = 4 (line pointer) + MAXALIGN(8 + 4 if any column has NULLs)
///                 + MAXALIGN(sum over columns of (1 - null_frac) * avg_width)
///     per page  = floor((block_size - 24 page header - 16 btree special) * fillfactor / 100 / tuple)
///     expected  = 1 (metapage) + ceil(reltuples / per page)
///     bloat     = max(relpages - expected, 0) pages
///
/// It is NULL when it cannot be trusted: not a B-tree, never analyzed
/// (reltuples < 0), or a column without statistics. It ignores internal pages
/// and B-tree deduplication (13+), so deduplicated indexes read as less
/// bloated than they are (clamped at 0); treat it as a trend, not a measurement
/// (pgstattuple's pgstatindex() measures, at the cost of reading the index).
enum IndexBloatEstimate {
    /// A CTE chain ending in `index_bloat(indexrelid, bloat_bytes, bloat_pct)`.
    static let cte = """
        bloat_columns AS (
          SELECT i.indexrelid, n.nspname,
                 CASE WHEN i.indkey[k.pos - 1] = 0 THEN ci.relname ELSE ct.relname END AS stats_table,
                 CASE WHEN i.indkey[k.pos - 1] = 0 THEN ia.attname ELSE ta.attname END AS stats_column
            FROM pg_index i
            JOIN pg_class ci ON ci.oid = i.indexrelid
            JOIN pg_am am ON am.oid = ci.relam AND am.amname = 'btree'
            JOIN pg_class ct ON ct.oid = i.indrelid
            JOIN pg_namespace n ON n.oid = ct.relnamespace
           CROSS JOIN LATERAL generate_series(1, i.indnatts) AS k(pos)
            LEFT JOIN pg_attribute ta ON ta.attrelid = i.indrelid AND ta.attnum = i.indkey[k.pos - 1]
            LEFT JOIN pg_attribute ia ON ia.attrelid = i.indexrelid AND ia.attnum = k.pos
           WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
        ),
        bloat_widths AS (
          SELECT b.indexrelid,
                 count(*) = count(st.avg_width) AS complete,
                 max(coalesce(st.null_frac, 0)) > 0 AS has_nulls,
                 sum((1 - coalesce(st.null_frac, 0)) * coalesce(st.avg_width, 0))::numeric AS data_width
            FROM bloat_columns b
            LEFT JOIN pg_stats st ON st.schemaname = b.nspname AND st.tablename = b.stats_table
                                 AND st.attname = b.stats_column AND NOT st.inherited
           GROUP BY b.indexrelid
        ),
        bloat_expected AS (
          SELECT w.indexrelid, c.relpages::numeric AS relpages,
                 current_setting('block_size')::numeric AS block_size,
                 CASE WHEN w.complete AND c.reltuples >= 0 AND c.relpages > 0 THEN
                   1 + ceil(c.reltuples::numeric / nullif(floor(
                     (current_setting('block_size')::numeric - 24 - 16)
                     * coalesce((regexp_match(array_to_string(c.reloptions, ','), 'fillfactor=([0-9]+)'))[1]::numeric, 90) / 100
                     / (4 + ceil((8 + CASE WHEN w.has_nulls THEN 4 ELSE 0 END) / 8.0) * 8 + ceil(w.data_width / 8.0) * 8)
                   ), 0))
                 END AS expected_pages
            FROM bloat_widths w
            JOIN pg_class c ON c.oid = w.indexrelid
        ),
        index_bloat AS (
          SELECT indexrelid,
                 (greatest(relpages - expected_pages, 0) * block_size)::int8 AS bloat_bytes,
                 (100 * greatest(relpages - expected_pages, 0) / relpages)::float8 AS bloat_pct
            FROM bloat_expected
           WHERE expected_pages IS NOT NULL
        )
        """
}
