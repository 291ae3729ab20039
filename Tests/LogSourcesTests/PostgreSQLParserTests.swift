import LogSourcesCore
import Testing

@Suite("postgresql parser")
struct PostgreSQLParserTests {
    // MARK: - Real pgbadger fixtures

    @Test("queryid.log: ERROR with STATEMENT and tab continuation lines", .enabled(if: SampleLogs.available, SampleLogs.skipReason))
    func queryidLog() throws {
        let lines = try SampleLogs.lines("pgbadger/queryid.log")
        var parser = LogFormat.postgresql.parser()
        let records = parseAll(&parser, lines)

        let first = records[0]
        #expect(first.kind == .record)
        #expect(first.level == .info)
        #expect(first.timestampMicros == utc(2022, 2, 17, 14, 45, 10, 440_000))
        #expect(first.message == "duration: 0.140 ms  statement: set log_min_duration_statement to 0;")
        #expect(first.fields["pid"] == "691")
        #expect(first.fields["user"] == "postgres")
        #expect(first.fields["database"] == "stackoverflow")
        #expect(first.fields["query_id"] == "1081270519976314062")

        // Line 2 starts a multi-line statement; lines 3-14 are tab-indented.
        #expect(records[1].kind == .record)
        #expect(records[1].message.hasSuffix("SELECT n.nspname as \"Schema\","))
        for index in 2...13 {
            #expect(records[index].kind == .continuation, "line \(index + 1)")
        }
        #expect(records[2].message == "  c.relname as \"Name\",")  // the leading tab removed
        #expect(records[13].message == "ORDER BY 1,2;")

        // ERROR then STATEMENT (attached) then its tab-indented SQL.
        #expect(records[14].level == .error)
        #expect(records[14].message == "canceling statement due to user request")
        #expect(records[15].kind == .continuation)
        #expect(records[15].message == "STATEMENT:  explain (analyze,buffers) SELECT")
        #expect(records[16].kind == .continuation)

        // ERROR, HINT, STATEMENT of one entry.
        let errorIndex = try #require(lines.firstIndex { String(decoding: $0, as: UTF8.self).contains("ERROR:  invalid value for parameter") })
        #expect(records[errorIndex].kind == .record)
        #expect(records[errorIndex].level == .error)
        #expect(records[errorIndex + 1].kind == .continuation)
        #expect(records[errorIndex + 1].message.hasPrefix("HINT:  Valid units for this parameter"))
        #expect(records[errorIndex + 2].kind == .continuation)
        #expect(records[errorIndex + 2].message == "STATEMENT:  set work_mem to '64KB';")

        // Whole file: nothing unparsed, the two blank lines skipped, no empty messages.
        #expect(records.allSatisfy { $0.kind != .unparsed })
        #expect(records.filter { $0.kind == .skip }.count == 2)
        #expect(records.filter { $0.kind == .record }.allSatisfy { !$0.message.isEmpty && $0.timestampMicros > 0 })
        // Every prefixed line is a record or an attachment; every indented line a continuation.
        for (line, record) in zip(lines, records) where line.first == 0x20 || line.first == 0x09 {
            #expect(record.kind == .continuation)
        }
        // The queryid may be negative.
        #expect(records.contains { $0.fields["query_id"] == "-8112313845396740087" })
    }

    @Test("stmt_type.log: %m [%p] LOG with a zone abbreviation (MSK)", .enabled(if: SampleLogs.available, SampleLogs.skipReason))
    func stmtTypeLog() throws {
        let lines = try SampleLogs.lines("pgbadger/stmt_type.log")
        var parser = LogFormat.postgresql.parser()
        let records = parseAll(&parser, lines)
        #expect(records.count == 12)
        #expect(records.allSatisfy { $0.kind == .record && $0.level == .info })
        // 12:03:31.311 MSK is 09:03:31.311 UTC.
        #expect(records[0].timestampMicros == utc(2019, 10, 21, 9, 3, 31, 311_000))
        #expect(records[0].fields["pid"] == "5133")
        #expect(records[0].fields["user"] == nil)
        #expect(records[4].message == "duration: 1.452 ms  statement: UPDATE test SET col1='forêt & océan' WHERE col2 = 1;")
    }

    @Test("multiline_param.log: user=,db= prefix and DETAIL with a tab continuation", .enabled(if: SampleLogs.available, SampleLogs.skipReason))
    func multilineParamLog() throws {
        let lines = try SampleLogs.lines("pgbadger/multiline_param.log")
        var parser = LogFormat.postgresql.parser()
        let records = parseAll(&parser, lines)
        #expect(records[0].fields["user"] == "user1")
        #expect(records[0].fields["database"] == "mydb")
        #expect(records[0].fields["pid"] == "4913")
        #expect(records[5].kind == .continuation)
        #expect(records[5].message == "DETAIL:  parameters: $1 = '1234', $2 = 'njchar")
        #expect(records[6].kind == .continuation)
        #expect(records[6].message == "hello', $3 = 'aaaa'")
        #expect(records.filter { $0.kind == .record }.count == 8)
        #expect(records.allSatisfy { $0.kind == .record || $0.kind == .continuation })
    }

    // MARK: - Lines from a real PostgreSQL 15 on this machine

    /// `log_line_prefix = '%m [%p] %q%u@%d '`, log_timezone UTC (the spec's prefix).
    static let specPrefixLog = """
        2026-11-25 11:25:20.264 UTC [15696] LOG:  starting PostgreSQL 15.18 (Debian 15.18-0+deb12u1) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14+deb12u1) 12.2.0, 64-bit
        2026-11-25 11:25:22.374 UTC [16016] [unknown]@[unknown] LOG:  connection received: host=[local]
        2026-11-25 11:25:22.374 UTC [16016] postgres@postgres LOG:  connection authorized: user=postgres database=postgres application_name=psql
        2026-11-25 11:25:22.379 UTC [16016] postgres@postgres ERROR:  relation "nonexistent_table" does not exist at character 15
        2026-11-25 11:25:22.379 UTC [16016] postgres@postgres STATEMENT:  select * from nonexistent_table
        2026-11-25 11:25:22.417 UTC [16019] postgres@postgres ERROR:  duplicate key value violates unique constraint "t_pkey"
        2026-11-25 11:25:22.417 UTC [16019] postgres@postgres DETAIL:  Key (id)=(1) already exists.
        2026-11-25 11:25:22.417 UTC [16019] postgres@postgres STATEMENT:  insert into t values (1);
        2026-11-25 11:25:22.418 UTC [16019] postgres@postgres LOG:  duration: 0.417 ms  statement: select
        \t  id,
        \t  id * 2
        \tfrom t
        \twhere id = 1;
        2026-11-25 11:25:22.419 UTC [16019] postgres@postgres WARNING:  custom warning 42
        2026-11-25 11:25:22.419 UTC [16019] postgres@postgres CONTEXT:  PL/pgSQL function inline_code_block line 1 at RAISE
        2026-11-25 11:25:22.457 UTC [16022] nobody@postgres FATAL:  role "nobody" does not exist
        """

    @Test("the spec's prefix %m [%p] %q%u@%d from a real server")
    func specPrefix() {
        let records = parseAll(.postgresql, Self.specPrefixLog.split(separator: "\n").map(String.init))
        #expect(records.map(\.kind) == [
            .record, .record, .record, .record, .continuation, .record, .continuation, .continuation, .record,
            .continuation, .continuation, .continuation, .continuation, .record, .continuation, .record,
        ])
        #expect(records.map(\.level) == [
            .info, .info, .info, .error, .unknown, .error, .unknown, .unknown, .info, .unknown, .unknown, .unknown,
            .unknown, .warn, .unknown, .fatal,
        ])
        #expect(records[0].fields == ["pid": "15696"])  // %q: no user@db for the postmaster
        #expect(records[1].fields == ["pid": "16016"])  // [unknown]@[unknown] is not a user
        #expect(records[2].fields == ["pid": "16016", "user": "postgres", "database": "postgres"])
        #expect(records[3].timestampMicros == utc(2026, 11, 25, 11, 25, 22, 379_000))
        #expect(records[6].message == "DETAIL:  Key (id)=(1) already exists.")
        #expect(records[9].message == "  id,")
        #expect(records[15].fields["user"] == "nobody")
        #expect(records[15].message == "role \"nobody\" does not exist")
    }

    @Test("%t [%p]: [%l-1] user=%u,db=%d with log_timezone Europe/Moscow, from a real server")
    func moscowPrefix() {
        let records = parseAll(.postgresql, [
            "2026-11-25 14:25:28 MSK [16065]: [1-1] user=,db= LOG:  starting PostgreSQL 15.18 (Debian 15.18-0+deb12u1) on x86_64-pc-linux-gnu, compiled by gcc (Debian 12.2.0-14+deb12u1) 12.2.0, 64-bit",
            "2026-11-25 14:25:29 MSK [16091]: [2-1] user=postgres,db=postgres ERROR:  relation \"missing\" does not exist at character 15",
            "2026-11-25 14:25:29 MSK [16091]: [3-1] user=postgres,db=postgres STATEMENT:  select * from missing",
        ])
        #expect(records[0].fields == ["pid": "16065"])
        #expect(records[0].timestampMicros == utc(2026, 11, 25, 11, 25, 28))
        #expect(records[1].level == .error)
        #expect(records[1].fields == ["pid": "16091", "user": "postgres", "database": "postgres"])
        #expect(records[2].kind == .continuation)
        #expect(records[2].message == "STATEMENT:  select * from missing")
    }

    @Test("%t [%p-%l] with a numeric zone (Asia/Dubai prints +04), from a real server")
    func numericZonePrefix() {
        let records = parseAll(.postgresql, [
            "2026-11-25 15:25:32 +04 [16109-1] LOG:  duration: 0.205 ms  statement: select 42",
            "2026-11-25 15:25:32 +04 [16109-2] ERROR:  relation \"missing\" does not exist at character 15",
            "2026-11-25 15:25:32 +04 [16109-3] STATEMENT:  select * from missing",
        ])
        #expect(records[0].timestampMicros == utc(2026, 11, 25, 11, 25, 32))
        #expect(records[0].fields == ["pid": "16109"])
        #expect(records[1].level == .error)
        #expect(records[2].kind == .continuation)
    }

    @Test("%m [%p] user=%u,db=%d,app=%a,client=%h with America/New_York (EST), from a real server")
    func keyValuePrefix() {
        let records = parseAll(.postgresql, [
            "2026-11-25 06:25:32.658 EST [16118] user=,db=,app=,client= LOG:  listening on IPv4 address \"127.0.0.1\", port 55439",
            "2026-11-25 06:25:34.286 EST [16145] user=postgres,db=postgres,app=psql,client=127.0.0.1 ERROR:  relation \"missing\" does not exist at character 15",
        ])
        #expect(records[0].fields == ["pid": "16118"])
        #expect(records[0].timestampMicros == utc(2026, 11, 25, 11, 25, 32, 658_000))
        #expect(records[1].fields == [
            "pid": "16145", "user": "postgres", "database": "postgres", "application": "psql", "client_ip": "127.0.0.1",
        ])
    }

    // MARK: - Rules

    @Test("severity words map to the fixed levels")
    func levels() {
        let words: [(String, LogLevel)] = [
            ("LOG", .info), ("INFO", .info), ("NOTICE", .notice), ("WARNING", .warn), ("ERROR", .error),
            ("FATAL", .fatal), ("PANIC", .fatal), ("DEBUG1", .debug), ("DEBUG5", .debug),
        ]
        for (word, level) in words {
            let record = parseAll(.postgresql, ["2026-01-01 00:00:00.000 UTC [1] \(word):  x"])[0]
            #expect(record.level == level, "\(word)")
            #expect(record.kind == .record)
        }
    }

    @Test("an attachment with nothing after the keyword is skipped, not an empty message")
    func emptyAttachmentSkipped() {
        let records = parseAll(.postgresql, [
            "2026-01-01 00:00:00.000 UTC [7] ERROR:  boom",
            "2026-01-01 00:00:00.000 UTC [7] HINT:  ",
            "2026-01-01 00:00:00.000 UTC [7] DETAIL:",
        ])
        #expect(records.map(\.kind) == [.record, .skip, .skip])
    }

    @Test("an attachment of another backend's pid, or before any record, is a record of its own")
    func orphanAttachment() {
        let records = parseAll(.postgresql, [
            "2026-01-01 00:00:00.000 UTC [7] STATEMENT:  select 1",
            "2026-01-01 00:00:00.000 UTC [7] ERROR:  boom",
            "2026-01-01 00:00:00.000 UTC [8] DETAIL:  from another backend",
            "\tindented, continues pid 8's record",
        ])
        #expect(records.map(\.kind) == [.record, .record, .record, .continuation])
        #expect(records[0].message == "STATEMENT:  select 1")
        #expect(records[2].message == "DETAIL:  from another backend")
    }

    @Test("a line without prefix timestamp still finds its severity; unknown zones use local time")
    func looseForms() {
        let records = parseAll(.postgresql, [
            "[123] LOG:  no timestamp in this prefix",
            "2026-01-01 00:00:00 XYZT [1] LOG:  odd zone",
            "not a postgres line at all",
        ], offsetSeconds: 3600)
        #expect(records[0].kind == .record)
        #expect(records[0].timestampMicros == 0)
        #expect(records[0].fields["pid"] == "123")
        #expect(records[1].timestampMicros == utc(2025, 12, 31, 23, 0, 0))
        #expect(records[2].kind == .unparsed)
        #expect(records[2].message == "not a postgres line at all")
    }
}
