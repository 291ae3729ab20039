import LogSourcesCore
import Testing

/// Kernel netfilter LOG lines (docs/log-fields.md): real ones from iptables, ip6tables
/// and nft rules on this machine's kernel (Tests/Fixtures/logs/netfilter-6.18-kern.log).
@Suite("firewall fields")
struct FirewallFieldsTests {
    private static func security(_ record: ParsedRecord) -> [String: String] {
        record.fields.filter { $0.key != "host" && $0.key != "pid" }
    }

    @Test("iptables, ip6tables and nft LOG rules on Linux 6.18: UFW prefixes and custom ones")
    func realKernelLines() {
        let records = parseAll(.syslog, GeneratedLogs.netfilterKernLog.split(separator: "\n").map(String.init))
        let expected: [[String: String]] = [
            ["action": "block", "log_prefix": "[UFW BLOCK]", "in_iface": "lo", "src_ip": "127.0.0.1", "dst_ip": "127.0.0.1",
             "proto": "TCP", "src_port": "51378", "dst_port": "2999"],
            ["action": "block", "log_prefix": "fw-drop:", "in_iface": "lo", "src_ip": "127.0.0.1", "dst_ip": "127.0.0.1",
             "proto": "UDP", "src_port": "56598", "dst_port": "2998"],
            ["action": "allow", "log_prefix": "[UFW ALLOW]", "in_iface": "lo", "src_ip": "127.0.0.1", "dst_ip": "127.0.0.1",
             "proto": "TCP", "src_port": "54958", "dst_port": "2997"],
            ["action": "log", "log_prefix": "nft-out", "out_iface": "lo", "src_ip": "127.0.0.1", "dst_ip": "127.0.0.1",
             "proto": "UDP", "src_port": "58281", "dst_port": "2996"],
            // ICMP port unreachable: the quoted UDP packet's ports in [...] are not this packet's.
            ["action": "audit", "log_prefix": "[UFW AUDIT]", "in_iface": "lo", "src_ip": "127.0.0.1", "dst_ip": "127.0.0.1",
             "proto": "ICMP"],
            ["action": "block", "log_prefix": "[UFW BLOCK]", "in_iface": "lo",
             "src_ip": "0000:0000:0000:0000:0000:0000:0000:0001", "dst_ip": "0000:0000:0000:0000:0000:0000:0000:0001",
             "proto": "TCP", "src_port": "37218", "dst_port": "2995"],
            ["action": "block", "log_prefix": "nft-drop:", "in_iface": "lo", "src_ip": "127.0.0.1", "dst_ip": "127.0.0.1",
             "proto": "TCP", "src_port": "51932", "dst_port": "2994"],
        ]
        #expect(records.count == expected.count)
        for (record, fields) in zip(records, expected) {
            #expect(record.component == "kernel")
            #expect(Self.security(record) == fields, "\(record.message)")
        }
    }

    /// Found by scripts/fuzz.sh (parser-syslog): a tab between the keys hung the
    /// log tick in an endless loop. Anyone who can write to syslog (`logger`) could.
    @Test("a tab between the keys separates them, as a space does")
    func tabBetweenKeys() {
        let records = parseAll(.syslog, [
            "Feb 14 06:25:01 web kernel: [UFW BLOCK] IN=eth0 OUT= \tSRC=203.0.113.9\tDST=10.0.0.2 PROTO=TCP SPT=1 DPT=22",
            // The fuzzer's line, which never returned.
            "Nov 29 00:27:25 host nl: [13467.600408] [UFW BLOCK] IN=lo OUT= 29\t",
        ])
        #expect(records.count == 2)
        #expect(records[0].fields["src_ip"] == "203.0.113.9")
        #expect(records[0].fields["dst_ip"] == "10.0.0.2")
        #expect(records[0].fields["dst_port"] == "22")
    }

    @Test("rsyslog without the uptime stamp, the journal's kernel transport, and UFW's documented lines")
    func otherForms() {
        let records = parseAll(.syslog, [
            // ufw's manual / Ubuntu's kern.log (no uptime stamp with current rsyslog).
            "Feb 14 06:25:01 web kernel: [UFW BLOCK] IN=eth0 OUT= MAC=52:54:00:12:34:56:52:54:00:65:43:21:08:00 SRC=203.0.113.9 DST=10.0.0.2 LEN=40 TOS=0x00 PREC=0x00 TTL=245 ID=54321 PROTO=TCP SPT=43886 DPT=23 WINDOW=1024 RES=0x00 SYN URGP=0",
            "Feb 14 06:25:02 web kernel: [UFW LIMIT BLOCK] IN=eth0 OUT= SRC=203.0.113.9 DST=10.0.0.2 PROTO=TCP SPT=43887 DPT=22",
            "Feb 14 06:25:03 web kernel: IN=eth0 OUT= SRC=203.0.113.9 DST=10.0.0.2 PROTO=TCP SPT=1 DPT=2",
            "Feb 14 06:25:04 web kernel: [  812.123456] e1000e: eth0 NIC Link is Up 1000 Mbps Full Duplex",
            "Feb 14 06:25:05 web kernel: DROPPED IN= OUT=eth0 SRC=10.0.0.2 DST=198.51.100.1 PROTO=UDP SPT=53 DPT=99999",
        ])
        #expect(records[0].fields["action"] == "block")
        #expect(records[0].fields["src_ip"] == "203.0.113.9")
        #expect(records[0].fields["dst_port"] == "23")
        #expect(records[0].fields["in_iface"] == "eth0")
        #expect(records[1].fields["action"] == "block")
        #expect(records[2].fields["action"] == "log")
        #expect(records[2].fields["log_prefix"] == nil)
        #expect(records[3].fields["action"] == nil && records[3].fields["src_ip"] == nil)
        #expect(records[4].fields["action"] == "block")
        #expect(records[4].fields["dst_port"] == nil)  // 99999 is no port
        #expect(records[4].fields["out_iface"] == "eth0")

        var journal = LogFormat.journalctl.parser()
        let fromJournal = journal.parseCopy(
            "{\"PRIORITY\":\"4\",\"SYSLOG_IDENTIFIER\":\"kernel\",\"_TRANSPORT\":\"kernel\",\"MESSAGE\":\"[UFW BLOCK] IN=eth0 OUT= SRC=2001:db8::9 DST=2001:db8::2 PROTO=TCP SPT=5 DPT=22\"}")
        #expect(fromJournal.level == .warn)
        #expect(fromJournal.fields["src_ip"] == "2001:db8::9")
        #expect(fromJournal.fields["dst_port"] == "22")
    }
}
