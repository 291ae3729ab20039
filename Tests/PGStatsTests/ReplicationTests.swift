import Foundation
import CollectorTestSupport
import XCTest
@testable import CollectorCore

/// The replication tier against a real WAL receiver (pg_receivewal streaming
/// from a slot): one pg_stat_replication row, and the slot shown active.
final class ReplicationTests: XCTestCase {
    var db: TestDatabase!
    var slot = ""
    var receiver: Process?
    var directory = ""

    override func setUpWithError() throws {
        db = try TestDatabase.create(migrated: true, statStatements: TestDatabase.statStatementsAvailable)
        slot = "\(db.name)_recv"
        directory = NSTemporaryDirectory() + "pgstats-wal-\(db.name)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    override func tearDown() {
        if let receiver, receiver.isRunning {
            receiver.terminate()
            receiver.waitUntilExit()
        }
        try? TestDatabase.admin("""
            SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = '\(slot)' AND NOT active
            """)
        try? FileManager.default.removeItem(atPath: directory)
        db?.drop()
    }

    func testStreamingReceiverAndItsSlotAreReported() throws {
        try TestDatabase.admin("SELECT pg_create_physical_replication_slot('\(slot)', true)")
        receiver = try ClusterTools.startReceiver(db, slot: slot, directory: directory)
        try db.waitUntil("""
            SELECT EXISTS (SELECT 1 FROM pg_stat_replication r JOIN pg_replication_slots s ON s.active_pid = r.pid
                            WHERE s.slot_name = '\(slot)' AND r.state = 'streaming')
            """, "pg_receivewal to stream from the slot")
        let pid = try XCTUnwrap(try db.scalar("SELECT active_pid FROM pg_replication_slots WHERE slot_name = '\(slot)'"))
        try db.execute("CREATE TABLE wal_maker AS SELECT g FROM generate_series(1, 10000) g")

        let harness = try PluginHarness(db)
        XCTAssertEqual(try harness.run("extended"), .ok)
        harness.flush()

        let row = try XCTUnwrap(try db.namedRows("""
            SELECT pid, usename, application_name, state, sync_state, sent_lsn, flush_lsn, backend_start, host
              FROM collector.replication_metrics_raw WHERE pid = $1
            """, [pid]).first, "a replication row for the receiver's WAL sender")
        XCTAssertEqual(row["state"], "streaming")
        XCTAssertEqual(row["application_name"], "pg_receivewal")
        XCTAssertEqual(row["usename"], db.config.user)
        XCTAssertEqual(row["sync_state"], "async")
        XCTAssertNotNil(row["sent_lsn"])
        XCTAssertNotNil(row["backend_start"])
        XCTAssertEqual(row["host"], PluginHarness.hostname)

        let slotRow = try XCTUnwrap(try db.namedRows("""
            SELECT active, active_pid, slot_type FROM collector.replication_slot_metrics_raw WHERE slot_name = $1
            """, [slot]).first)
        XCTAssertEqual(slotRow["active"], "t")
        XCTAssertEqual(slotRow["active_pid"], pid)
    }
}
