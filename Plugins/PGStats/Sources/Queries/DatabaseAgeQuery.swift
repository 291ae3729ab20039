/// Per database of the cluster: transaction ID and multixact age (wraparound
/// distance), size and backends. Sizes only for databases the role may
/// connect to (pg_database_size fails otherwise) and that are not invalid
/// (datconnlimit -2: an interrupted DROP DATABASE, PostgreSQL 16+).
struct DatabaseAgeQuery: TierQuery {
    var tier: StatsTier { .databases }

    func sql(for facts: ServerFacts) -> TierSQL {
        .statement("""
            SELECT d.datname AS database_name,
                   age(d.datfrozenxid) AS xid_age,
                   mxid_age(d.datminmxid) AS mxid_age,
                   (age(d.datfrozenxid) / 2147483648.0 * 100)::float8 AS xid_wraparound_pct,
                   CASE WHEN d.datconnlimit <> -2 AND has_database_privilege(d.oid, 'CONNECT')
                        THEN pg_database_size(d.oid) END AS database_size_bytes,
                   s.numbackends,
                   d.datallowconn
              FROM pg_database d
              LEFT JOIN pg_stat_database s ON s.datid = d.oid
             ORDER BY d.datname
            """)
    }
}
