import CollectorTestSupport
import XCTest
// Only the table type: TOMLKit also declares a `TOMLParseError`, which would clash with ours.
import class TOMLKit.TOMLTable

@testable import CollectorCore

/// TOMLParser against TOMLKit (toml++) as an oracle, plus exact values and errors.
final class TOMLParserTests: XCTestCase {

    // MARK: - Cross-check with TOMLKit

    /// The example configuration from the system description (`config.rs`).
    static let specConfig = """
        [database]
        host = "127.0.0.1"       # env: DB_HOST
        port = 5432               # env: DB_PORT
        name = "pqcrypta"         # env: DB_NAME
        user = "pqcrypta_user"    # env: DB_USER
        password = ""             # env: DB_PASS

        [intervals]
        system_secs = 10          # env: SYSTEM_INTERVAL_SECS
        app_secs = 10             # env: APP_INTERVAL_SECS
        heartbeat_secs = 5        # env: HEARTBEAT_INTERVAL_SECS

        [scrape]
        api_metrics_url = "http://127.0.0.1:3003/metrics"
        proxy_metrics_url = "http://127.0.0.1:8082/metrics/json"

        [retention]
        raw_days = 14
        hourly_days = 90
        daily_days = 365

        [collector]
        batch_size = 50
        processes = ["pqcrypta-api", "pqcrypta-proxy", "pqcrypta-collector", "postgres", "apache2", "php-fpm"]

        [logs]
        enabled = true                # env: LOG_ENABLED
        tick_secs = 15                # env: LOG_TICK_SECS
        batch_size = 100              # max rows per INSERT
        max_lines_per_tick = 500      # cap per tick across all sources
        chunk_size = 65536            # bytes to read per file source

        """

    static let keysDocument = #"""
        bare = 1
        bare_with-dash_123 = 2
        1234 = "numeric bare key"
        "quoted key" = 3
        'literal "key"' = 4
        "" = "empty quoted key"
        "ʎǝʞ" = "unicode key"
        "escaped\tkey\u00E9" = 5
        site."google.com" = true
        fruit . color = "spaced dots"
        fruit.  shape = "round"
        3.14159 = "pi"
        a.'b'."c" = "mixed"
        """#

    static let tablesDocument = #"""
        top = "root"

        [table-1]
        key1 = "some string"
        key2 = 123

        [dog."tater.man"]
        type.name = "pug"

        [ j . "ʞ" . 'l' ]
        x = 1

        [a.b."c"]
        d = "quoted last part"

        # Super-tables need not be defined first.
        [x.y.z.w]
        deep = true
        [x]
        defined_later = 1

        # Sub-tables of a table defined by dotted keys.
        [fruit]
        apple.color = "red"
        apple.taste.sweet = true
        [fruit.apple.texture]
        smooth = true

        # Dotted keys may pass through a table a header only created implicitly.
        [p.q.r]
        [p]
        q.s = 2

        [empty]
        """#

    static let arraysOfTablesDocument = #"""
        [[products]]
        name = "Hammer"
        sku = 738594937

        [[products]]  # empty table within the array

        [[products]]
        name = "Nail"
        color = "gray"

        [[fruits]]
        name = "apple"

        [fruits.physical]  # sub-table of the latest element
        color = "red"
        shape = "round"

        [[fruits.varieties]]
        name = "red delicious"

        [[fruits.varieties]]
        name = "granny smith"

        [[fruits]]
        name = "banana"

        [[fruits.varieties]]
        name = "plantain"

        [[a.b.c]]
        v = 1
        [[a.b.c]]
        v = 2
        [a]
        w = 3
        """#

    static let inlineTablesDocument = #"""
        name = { first = "Tom", last = "Preston-Werner" }
        point = {x=1,y=2}
        animal = { type.name = "pug", type.age = 3 }
        empty = {}
        spaced = {   }
        nested = { a = { b = { c = [1, { d = "e" }] } } }
        points = [ { x = 1, y = 2, z = 3 },
                   { x = 7, y = 8, z = 9 },
                   { x = 2, y = 4, z = 8 } ]
        multi = { list = [
            1,
            2,
        ], s = """
        two
        lines""" }
        """#

    static let arraysDocument = #"""
        integers = [ 1, 2, 3 ]
        colors = [ "red", "yellow", "green" ]
        nested_arrays_of_ints = [ [ 1, 2 ], [3, 4, 5] ]
        nested_mixed_array = [ [ 1, 2 ], ["a", "b", "c"] ]
        string_array = [ "all", 'strings', """are the same""", '''type''' ]
        numbers = [ 0.1, 0.2, 0.5, 1, 2, 5 ]
        contributors = [
          "Foo Bar <foo@example.com>",
          { name = "Baz Qux", email = "bazqux@example.com", url = "https://example.com/bazqux" }
        ]
        integers2 = [
          1, 2, 3
        ]
        integers3 = [
          1,
          2, # this is ok
        ]
        commented = [ # open
          # a whole comment line

          "x", # after x
          # before the close
        ] # after the close
        empty = []
        empty_lines = [

        ]
        deep = [[[[[]]]]]
        booleans = [true, false]
        """#

    static let stringsDocument = #"""
        plain = "I'm a string."
        escapes = "\b\t\n\f\r\"\\ end"
        unicode = "\u00E9 \u03B1 \U0001F600"
        tab = "a	b"
        hash = "not # a comment" # a comment
        path = 'C:\Users\nodejs\templates'
        quoted = 'Tom "Dubs" Preston-Werner'
        regex = '<\i\c*\s*>'
        utf8 = "Grüße, 日本"

        str1 = """
        Roses are red
        Violets are blue"""

        str2 = """The quick brown \


          fox jumps over \
            the lazy dog."""

        str3 = """\
               The quick brown \
               fox jumps over \
               the lazy dog.\
               """

        trailing_ws_backslash = """a \   
           b"""
        quotes1 = """Here are two quotation marks: "". Simple enough."""
        quotes2 = """Here are three quotation marks: ""\"."""
        quotes3 = """Here are fifteen quotation marks: \"\"\"\"\"\"\"\"\"\"\"\"\"\"\"."""
        quotes4 = """"This," she said, "is just a pointless statement.""""
        escaped_newline = """line\nbreak"""
        no_trim = """
        first line kept whole
        """

        regex2 = '''I [dw]on't need \d{2} apples'''
        lines = '''
        The first newline is
        trimmed in raw strings.
           All other whitespace
           is preserved.
        '''
        literal_quotes = '''Here are fifteen quotation marks: """""""""""""""'''
        apos = ''''That,' she said, 'is still pointless.''''
        single_apos = '''it's'''
        """#

    static let integersDocument = #"""
        int1 = +99
        int2 = 42
        int3 = 0
        int4 = -17
        int5 = 1_000
        int6 = 5_349_221
        int7 = 53_49_221
        int8 = 1_2_3_4_5
        plus_zero = +0
        minus_zero = -0
        max = 9223372036854775807
        min = -9223372036854775808
        hex1 = 0xDEADBEEF
        hex2 = 0xdeadbeef
        hex3 = 0xdead_beef
        hex_max = 0x7FFFFFFFFFFFFFFF
        hex_zeros = 0x00ff
        oct1 = 0o01234567
        oct2 = 0o755
        oct_max = 0o777777777777777777777
        bin1 = 0b11010110
        bin_max = 0b111111111111111111111111111111111111111111111111111111111111111
        """#

    static let floatsDocument = #"""
        flt1 = +1.0
        flt2 = 3.1415
        flt3 = -0.01
        flt4 = 5e+22
        flt5 = 1e06
        flt6 = -2E-2
        flt7 = 6.626e-34
        flt8 = 224_617.445_991_228
        zero = 0.0
        minus_zero = -0.0
        exp_zero = 0e0
        exp_underscore = 1e1_0
        big = 1.7976931348623157e308
        tiny = 5e-324
        sf1 = inf
        sf2 = +inf
        sf3 = -inf
        """#

    static let commentsAndWhitespaceDocument =
        "# leading comment\n\n\t  \n"
        + "key = \"value\"  # trailing\n"
        + "  indented = 1\t\n"
        + "[ table ]   # header comment\n"
        + "\tk = true\n"
        + "[[ arr ]] # array header comment\n"
        + "# comment with 'quotes' and \"more\" and = and [brackets] and ünïcödé\n"
        + "x = 1 #no space\n"
        + "#last line without newline"

    static let crlfDocument =
        "# CRLF line endings\r\n"
        + "[server]\r\n"
        + "host = \"h\"\r\n"
        + "ports = [\r\n  1,\r\n  2,\r\n]\r\n"
        + "text = \"\"\"\r\none\r\ntwo\"\"\"\r\n"
        + "raw = '''\r\nthree\r\nfour'''\r\n"
        + "trim = \"\"\"a \\\r\n   b\"\"\"\r\n"

    static let crossCheckDocuments: [(name: String, text: String)] = [
        ("spec config", specConfig),
        ("keys", keysDocument),
        ("tables", tablesDocument),
        ("arrays of tables", arraysOfTablesDocument),
        ("inline tables", inlineTablesDocument),
        ("arrays", arraysDocument),
        ("strings", stringsDocument),
        ("integers", integersDocument),
        ("floats", floatsDocument),
        ("comments and whitespace", commentsAndWhitespaceDocument),
        ("CRLF", crlfDocument),
    ]

    func testDocumentsMatchTOMLKit() throws {
        for (name, text) in Self.crossCheckDocuments {
            let oracle = ConfigNode(try TOMLTable(string: text))
            let parsed: ConfigNode
            do {
                parsed = try TOMLParser.parse(text)
            } catch {
                XCTFail("\(name): \(error)")
                continue
            }
            XCTAssertEqual(parsed, oracle, name)
            // Guards against a vacuous match, such as both sides dropping everything.
            XCTAssertGreaterThan(parsed.leafPaths().count, 1, name)
        }
    }

    // MARK: - Exact values

    func testSpecConfigValues() throws {
        let config = try TOMLParser.parse(Self.specConfig)
        XCTAssertEqual(config.node(at: "database.host"), .string("127.0.0.1"))
        XCTAssertEqual(config.node(at: "database.port"), .int(5432))
        XCTAssertEqual(config.node(at: "database.password"), .string(""))
        XCTAssertEqual(config.node(at: "intervals.heartbeat_secs"), .int(5))
        XCTAssertEqual(config.node(at: "scrape.proxy_metrics_url"), .string("http://127.0.0.1:8082/metrics/json"))
        XCTAssertEqual(config.node(at: "collector.processes.5"), .string("php-fpm"))
        XCTAssertEqual(config.node(at: "logs.enabled"), .bool(true))
        XCTAssertEqual(config.node(at: "logs.chunk_size"), .int(65536))
        XCTAssertEqual(config.leafPaths().count, 20)
    }

    func testKeys() throws {
        let doc = try TOMLParser.parse(Self.keysDocument)
        guard case .table(let root) = doc else { return XCTFail("not a table: \(doc)") }
        XCTAssertEqual(root["1234"], .string("numeric bare key"))
        XCTAssertEqual(root["quoted key"], .int(3))
        XCTAssertEqual(root["literal \"key\""], .int(4))
        XCTAssertEqual(root[""], .string("empty quoted key"))
        XCTAssertEqual(root["escaped\tkeyé"], .int(5))
        XCTAssertEqual(root["site"], .table(["google.com": .bool(true)]))
        XCTAssertEqual(root["fruit"], .table(["color": .string("spaced dots"), "shape": .string("round")]))
        XCTAssertEqual(root["3"], .table(["14159": .string("pi")]))
        XCTAssertEqual(doc.node(at: "a.b.c"), .string("mixed"))
    }

    func testTables() throws {
        let doc = try TOMLParser.parse(Self.tablesDocument)
        XCTAssertEqual(doc.node(at: "dog"), .table(["tater.man": .table(["type": .table(["name": .string("pug")])])]))
        XCTAssertEqual(doc.node(at: "j.ʞ.l.x"), .int(1))
        XCTAssertEqual(doc.node(at: "a"), .table(["b": .table(["c": .table(["d": .string("quoted last part")])])]))
        XCTAssertEqual(doc.node(at: "x"), .table([
            "defined_later": .int(1),
            "y": .table(["z": .table(["w": .table(["deep": .bool(true)])])]),
        ]))
        XCTAssertEqual(doc.node(at: "fruit.apple.texture.smooth"), .bool(true))
        XCTAssertEqual(doc.node(at: "fruit.apple.taste.sweet"), .bool(true))
        XCTAssertEqual(doc.node(at: "p"), .table(["q": .table(["r": .table([:]), "s": .int(2)])]))
        XCTAssertEqual(doc.node(at: "empty"), .table([:]))
    }

    func testArraysOfTables() throws {
        let doc = try TOMLParser.parse(Self.arraysOfTablesDocument)
        XCTAssertEqual(doc.node(at: "products"), .array([
            .table(["name": .string("Hammer"), "sku": .int(738_594_937)]),
            .table([:]),
            .table(["name": .string("Nail"), "color": .string("gray")]),
        ]))
        XCTAssertEqual(doc.node(at: "fruits.0.physical.color"), .string("red"))
        XCTAssertEqual(doc.node(at: "fruits.0.varieties.1.name"), .string("granny smith"))
        XCTAssertEqual(doc.node(at: "fruits.1.varieties"), .array([.table(["name": .string("plantain")])]))
        XCTAssertEqual(doc.node(at: "a.b.c"), .array([.table(["v": .int(1)]), .table(["v": .int(2)])]))
        XCTAssertEqual(doc.node(at: "a.w"), .int(3))
    }

    func testInlineTables() throws {
        let doc = try TOMLParser.parse(Self.inlineTablesDocument)
        XCTAssertEqual(doc.node(at: "name"), .table(["first": .string("Tom"), "last": .string("Preston-Werner")]))
        XCTAssertEqual(doc.node(at: "animal.type"), .table(["name": .string("pug"), "age": .int(3)]))
        XCTAssertEqual(doc.node(at: "empty"), .table([:]))
        XCTAssertEqual(doc.node(at: "nested.a.b.c.1.d"), .string("e"))
        XCTAssertEqual(doc.node(at: "points.2.z"), .int(8))
        XCTAssertEqual(doc.node(at: "multi.list"), .array([.int(1), .int(2)]))
        XCTAssertEqual(doc.node(at: "multi.s"), .string("two\nlines"))
    }

    func testArrays() throws {
        let doc = try TOMLParser.parse(Self.arraysDocument)
        XCTAssertEqual(doc.node(at: "numbers"), .array([
            .double(0.1), .double(0.2), .double(0.5), .int(1), .int(2), .int(5),
        ]))
        XCTAssertEqual(doc.node(at: "contributors.0"), .string("Foo Bar <foo@example.com>"))
        XCTAssertEqual(doc.node(at: "contributors.1.name"), .string("Baz Qux"))
        XCTAssertEqual(doc.node(at: "integers3"), .array([.int(1), .int(2)]))
        XCTAssertEqual(doc.node(at: "commented"), .array([.string("x")]))
        XCTAssertEqual(doc.node(at: "empty_lines"), .array([]))
        XCTAssertEqual(doc.node(at: "deep"), .array([.array([.array([.array([.array([])])])])]))
        XCTAssertEqual(doc.node(at: "string_array"), .array(["all", "strings", "are the same", "type"].map(ConfigNode.string)))
    }

    func testStrings() throws {
        let doc = try TOMLParser.parse(Self.stringsDocument)
        func string(_ key: String) -> ConfigNode? { doc.node(at: key) }
        XCTAssertEqual(string("escapes"), .string("\u{08}\t\n\u{0C}\r\"\\ end"))
        XCTAssertEqual(string("unicode"), .string("é α 😀"))
        XCTAssertEqual(string("tab"), .string("a\tb"))
        XCTAssertEqual(string("hash"), .string("not # a comment"))
        XCTAssertEqual(string("path"), .string(#"C:\Users\nodejs\templates"#))
        XCTAssertEqual(string("utf8"), .string("Grüße, 日本"))
        XCTAssertEqual(string("str1"), .string("Roses are red\nViolets are blue"))
        XCTAssertEqual(string("str2"), .string("The quick brown fox jumps over the lazy dog."))
        XCTAssertEqual(string("str3"), .string("The quick brown fox jumps over the lazy dog."))
        XCTAssertEqual(string("trailing_ws_backslash"), .string("a b"))
        XCTAssertEqual(string("quotes2"), .string(#"Here are three quotation marks: """."#))
        XCTAssertEqual(string("quotes4"), .string(#""This," she said, "is just a pointless statement.""#))
        XCTAssertEqual(string("no_trim"), .string("first line kept whole\n"))
        XCTAssertEqual(string("lines"), .string("The first newline is\ntrimmed in raw strings.\n   All other whitespace\n   is preserved.\n"))
        XCTAssertEqual(string("literal_quotes"), .string("Here are fifteen quotation marks: " + String(repeating: "\"", count: 15)))
        XCTAssertEqual(string("apos"), .string("'That,' she said, 'is still pointless.'"))
        XCTAssertEqual(string("single_apos"), .string("it's"))
    }

    /// Not in the cross-check: TOMLKit hands strings back as C strings, which end at NUL.
    func testNULEscape() throws {
        XCTAssertEqual(try TOMLParser.parse(#"s = "a\u0000b""#), .table(["s": .string("a\u{0}b")]))
    }

    func testQuotesNextToClosingDelimiter() throws {
        XCTAssertEqual(try TOMLParser.parse("s = \"\"\"a\"\"\"\""), .table(["s": .string("a\"")]))
        XCTAssertEqual(try TOMLParser.parse("s = \"\"\"a\"\"\"\"\""), .table(["s": .string("a\"\"")]))
        XCTAssertEqual(try TOMLParser.parse("s = \"\"\"\"\"\"\""), .table(["s": .string("\"")]))
        XCTAssertEqual(try TOMLParser.parse("s = \"\"\"\"\"\""), .table(["s": .string("")]))
        XCTAssertEqual(try TOMLParser.parse("s = '''a''''"), .table(["s": .string("a'")]))
        XCTAssertEqual(try TOMLParser.parse("s = '''a'''''"), .table(["s": .string("a''")]))
    }

    func testMultilineNewlinesAreNormalizedToLF() throws {
        let doc = try TOMLParser.parse(Self.crlfDocument)
        XCTAssertEqual(doc.node(at: "server.text"), .string("one\ntwo"))
        XCTAssertEqual(doc.node(at: "server.raw"), .string("three\nfour"))
        XCTAssertEqual(doc.node(at: "server.trim"), .string("a b"))
        XCTAssertEqual(doc.node(at: "server.ports"), .array([.int(1), .int(2)]))
    }

    func testIntegers() throws {
        let doc = try TOMLParser.parse(Self.integersDocument)
        let expected: [String: Int64] = [
            "int1": 99, "int2": 42, "int3": 0, "int4": -17, "int5": 1000, "int6": 5_349_221,
            "int7": 5_349_221, "int8": 12345, "plus_zero": 0, "minus_zero": 0,
            "max": .max, "min": .min, "hex1": 0xDEAD_BEEF, "hex2": 0xDEAD_BEEF, "hex3": 0xDEAD_BEEF,
            "hex_max": .max, "hex_zeros": 255, "oct1": 0o1234567, "oct2": 0o755, "oct_max": .max,
            "bin1": 0b1101_0110, "bin_max": .max,
        ]
        XCTAssertEqual(doc, .table(expected.mapValues(ConfigNode.int)))
    }

    func testFloats() throws {
        let doc = try TOMLParser.parse(Self.floatsDocument)
        let expected: [String: Double] = [
            "flt1": 1.0, "flt2": 3.1415, "flt3": -0.01, "flt4": 5e22, "flt5": 1e6, "flt6": -0.02,
            "flt7": 6.626e-34, "flt8": 224_617.445_991_228, "zero": 0, "minus_zero": -0.0, "exp_zero": 0,
            "exp_underscore": 1e10, "big": .greatestFiniteMagnitude, "tiny": .leastNonzeroMagnitude,
            "sf1": .infinity, "sf2": .infinity, "sf3": -.infinity,
        ]
        XCTAssertEqual(doc, .table(expected.mapValues(ConfigNode.double)))
        guard case .double(let minusZero)? = doc.node(at: "minus_zero") else { return XCTFail("no minus_zero") }
        XCTAssertEqual(minusZero.sign, .minus)
    }

    /// NaN never equals itself, so it is checked apart from the cross-check.
    func testNaN() throws {
        let doc = try TOMLParser.parse("a = nan\nb = +nan\nc = -nan\nd = [nan]")
        for key in ["a", "b", "c", "d.0"] {
            guard case .double(let value)? = doc.node(at: key) else { return XCTFail("\(key) is not a float") }
            XCTAssertTrue(value.isNaN, key)
        }
        guard case .double(let negative)? = doc.node(at: "c") else { return XCTFail("c is not a float") }
        XCTAssertEqual(negative.sign, .minus)
    }

    func testBooleans() throws {
        XCTAssertEqual(try TOMLParser.parse("t = true\nf = false"), .table(["t": .bool(true), "f": .bool(false)]))
    }

    /// Dates and times keep their original text; TOMLKit reformats them, so they are not cross-checked.
    func testDatesAndTimesKeepTheirText() throws {
        let values = [
            "1979-05-27T07:32:00Z",
            "1979-05-27T00:32:00-07:00",
            "1979-05-27T00:32:00.999999+07:00",
            "1979-05-27 07:32:00Z",
            "1979-05-27t07:32:00z",
            "1979-05-27T07:32:00",
            "1979-05-27T00:32:00.999999",
            "1979-05-27",
            "07:32:00",
            "00:32:00.999999",
            "2024-02-29",
        ]
        for value in values {
            XCTAssertEqual(try TOMLParser.parse("d = \(value) # comment"), .table(["d": .string(value)]), value)
            XCTAssertEqual(try TOMLParser.parse("d = [\(value),\(value)]"), .table(["d": .array([.string(value), .string(value)])]), value)
            XCTAssertEqual(try TOMLParser.parse("d = {v=\(value)}"), .table(["d": .table(["v": .string(value)])]), value)
            // The oracle must agree that each is a valid TOML value.
            XCTAssertNoThrow(try TOMLTable(string: "d = \(value)"), value)
        }
        // TOML's grammar allows a leap second (toml++ does not, so no oracle here).
        XCTAssertEqual(try TOMLParser.parse("d = 2016-12-31T23:59:60Z"), .table(["d": .string("2016-12-31T23:59:60Z")]))
        // A date followed by a space and something that is not a time stays a date.
        XCTAssertEqual(try TOMLParser.parse("d = 1979-05-27 # 07:32:00"), .table(["d": .string("1979-05-27")]))
    }

    func testEmptyAndCommentOnlyDocuments() throws {
        XCTAssertEqual(try TOMLParser.parse(""), .table([:]))
        XCTAssertEqual(try TOMLParser.parse("\n\n# only a comment\n   \t\n"), .table([:]))
    }

    func testByteOrderMarkIsSkipped() throws {
        XCTAssertEqual(try TOMLParser.parse("\u{FEFF}a = 1"), .table(["a": .int(1)]))
        assertRejects("\u{FEFF}a = 1 x", line: 1, column: 7,
                      "expected a newline or comment after the value, found 'x'", oracle: false)
    }

    func testErrorDescription() {
        let error = TOMLParseError(line: 3, column: 7, message: "duplicate key 'a'")
        XCTAssertEqual(error.description, "line 3, column 7: duplicate key 'a'")
        XCTAssertEqual("\(error)", "line 3, column 7: duplicate key 'a'")
    }

    // MARK: - Errors

    func testDuplicateKeys() {
        assertRejects("a = 1\na = 2", line: 2, column: 1, "duplicate key 'a'")
        assertRejects("a = 1\n\"a\" = 2", line: 2, column: 1, "duplicate key 'a'")
        assertRejects("[t]\nx.y = 1\nx.y = 2", line: 3, column: 3, "duplicate key 't.x.y'")
        assertRejects("p = { x = 1, x = 2 }", line: 1, column: 14, "duplicate key 'x'")
        assertRejects("[[a]]\nb = 1\nb = 2", line: 3, column: 1, "duplicate key 'a.b'")
        assertRejects("\"k y\" = 1\n'k y' = 2", line: 2, column: 1, "duplicate key '\"k y\"'")
    }

    func testRedefinedTables() {
        assertRejects("[a]\nb = 1\n[a]\nc = 2", line: 3, column: 2, "table 'a' is already defined")
        assertRejects("[a.b]\n[a]\n[a.b]", line: 3, column: 4, "table 'a.b' is already defined")
        assertRejects("[fruit]\napple.color = \"red\"\n[fruit.apple]", line: 3, column: 8,
                      "table 'fruit.apple' is already defined by dotted keys")
        assertRejects("[fruit]\napple.taste.sweet = true\n[fruit.apple.taste]", line: 3, column: 14,
                      "table 'fruit.apple.taste' is already defined by dotted keys")
        assertRejects("[p.q.r]\n[p]\nq.s = 1\n[p.q]", line: 4, column: 4, "table 'p.q' is already defined by dotted keys")
        assertRejects("[[a]]\n[a]", line: 2, column: 2, "table 'a' is already defined as an array of tables")
        assertRejects("[a]\n[[a]]", line: 2, column: 3, "cannot define array of tables 'a': it is already a table")
        assertRejects("[x]\n[ \"x\" ]", line: 2, column: 3, "table 'x' is already defined")
    }

    func testKeysDefinedAsValueAndTable() {
        assertRejects("a = 1\n[a]", line: 2, column: 2, "key 'a' is already defined as an integer, not a table")
        assertRejects("a = 1\na.b = 2", line: 2, column: 1, "key 'a' is already defined as an integer, not a table")
        assertRejects("a = \"s\"\n[a.b]", line: 2, column: 2, "key 'a' is already defined as a string, not a table")
        assertRejects("a = true\n[[a]]", line: 2, column: 3,
                      "key 'a' is already defined as a boolean, not an array of tables")
        assertRejects("a.b = 1\na = 2", line: 2, column: 1, "key 'a' is already defined as a table")
        assertRejects("[a.b]\n[a]\nb = 1", line: 3, column: 1, "key 'a.b' is already defined as a table")
        assertRejects("[[a.b]]\n[a]\nb = 1", line: 3, column: 1, "key 'a.b' is already defined as an array of tables")
        assertRejects("x = { a.b = 1, a = 2 }", line: 1, column: 16, "key 'a' is already defined as a table")
        assertRejects("a = [1]\n[[a]]", line: 2, column: 3, "cannot append to static array 'a'")
        assertRejects("a = []\n[a.b]", line: 2, column: 2, "key 'a' is already defined as an array, not a table")
    }

    func testDottedKeysCannotExtendHeaderTables() {
        assertRejects("[a.b.c]\nz = 9\n[a]\nb.c.t = 1", line: 4, column: 3,
                      "table 'a.b.c' is defined by a [header]; dotted keys cannot add to it")
        assertRejects("[a.b.c.d]\nz = 9\n[a]\nb.c.d.k.t = 1", line: 4, column: 5,
                      "table 'a.b.c.d' is defined by a [header]; dotted keys cannot add to it")
        assertRejects("[[a.b]]\n[a]\nb.c = 1", line: 3, column: 1,
                      "cannot add to array of tables 'a.b' with dotted keys")
    }

    func testInlineTablesCannotBeExtended() {
        assertRejects("a = { b = 1 }\na.c = 2", line: 2, column: 1, "cannot extend inline table 'a'")
        assertRejects("a = { b = 1 }\n[a.c]", line: 2, column: 2, "cannot extend inline table 'a'")
        assertRejects("a = { b = { c = 1 } }\n[a.b]", line: 2, column: 2, "cannot extend inline table 'a'")
        assertRejects("a = {}\n[a]", line: 2, column: 2, "table 'a' is already defined as an inline table")
        assertRejects("a = {}\n[[a]]", line: 2, column: 3,
                      "cannot define array of tables 'a': it is already an inline table")
        assertRejects("x = { a = { b = 1 }, a.c = 2 }", line: 1, column: 22, "cannot extend inline table 'a'")
        assertRejects("[[a]]\nb = {c = 1}\n[a.b.d]", line: 3, column: 4, "cannot extend inline table 'a.b'")
        assertRejects("a = [{ b = 1 }]\n[a.c]", line: 2, column: 2,
                      "key 'a' is already defined as an array, not a table")
    }

    func testUnterminatedStrings() {
        assertRejects("a = \"abc\nb = 1", line: 1, column: 5, "unterminated string")
        assertRejects("a = \"abc", line: 1, column: 5, "unterminated string")
        assertRejects("a = \"abc\\", line: 1, column: 5, "unterminated string")
        assertRejects("a = 'abc\nb = 1", line: 1, column: 5, "unterminated string")
        assertRejects("a = \"\"\"abc\n\nb = 1", line: 1, column: 5, "unterminated multi-line string")
        assertRejects("a = '''abc\n''", line: 1, column: 5, "unterminated multi-line string")
        assertRejects("[\"a]", line: 1, column: 2, "unterminated string")
    }

    func testInvalidEscapes() {
        assertRejects(#"a = "\x41""#, line: 1, column: 6, #"invalid escape sequence '\x'"#)
        assertRejects(#"a = "\e""#, line: 1, column: 6, #"invalid escape sequence '\e'"#)
        assertRejects(#"a = "a\ b""#, line: 1, column: 7, #"invalid escape sequence: '\' followed by ' '"#)
        assertRejects(#"a = """\ x""""#, line: 1, column: 8, #"invalid escape sequence: '\' followed by ' '"#)
        assertRejects(#"a = "\uD800""#, line: 1, column: 6, #"escape '\uD800' is not a Unicode scalar value"#)
        assertRejects(#"a = "\uDFFF""#, line: 1, column: 6, #"escape '\uDFFF' is not a Unicode scalar value"#)
        assertRejects(#"a = "\U00110000""#, line: 1, column: 6, #"escape '\U00110000' is not a Unicode scalar value"#)
        assertRejects(#"a = "\u12""#, line: 1, column: 6, #"a \u escape needs 4 hexadecimal digits"#)
        assertRejects(#"a = "\U0001F60""#, line: 1, column: 6, #"a \U escape needs 8 hexadecimal digits"#)
        assertRejects(#"a = "\u00G1""#, line: 1, column: 6, #"a \u escape needs 4 hexadecimal digits"#)
    }

    func testControlCharacters() {
        assertRejects("a = \"x\u{7}y\"", line: 1, column: 7, "control character U+0007 must be escaped in a string")
        assertRejects("a = 'x\u{1B}y'", line: 1, column: 7, "control character U+001B must be escaped in a string")
        assertRejects("a = \"x\u{7F}\"", line: 1, column: 7, "control character U+007F must be escaped in a string")
        assertRejects("a = \"\"\"\nx\u{1F}\"\"\"", line: 2, column: 2, "control character U+001F must be escaped in a string")
        assertRejects("a = '''x\ry'''", line: 1, column: 9, "control character U+000D must be escaped in a string")
        assertRejects("# bad \u{1} comment\na = 1", line: 1, column: 7, "control character U+0001 is not allowed in a comment")
        assertRejects("a = 1 # \u{7F}", line: 1, column: 9, "control character U+007F is not allowed in a comment")
        assertRejects("a = 1\rb = 2", line: 1, column: 6, "a carriage return must be followed by a line feed")
        assertRejects("a = [\r1]", line: 1, column: 6, "a carriage return must be followed by a line feed")
        // NUL is not sent to TOMLKit, which reads the input as a C string.
        assertRejects("a = \"x\u{0}\"", line: 1, column: 7, "control character U+0000 must be escaped in a string", oracle: false)
    }

    func testBadValues() {
        assertRejects("a = hello", line: 1, column: 5, "invalid value 'hello'; strings must be in quotes")
        assertRejects("a = True", line: 1, column: 5, "invalid value 'True'; strings must be in quotes")
        assertRejects("a = Inf", line: 1, column: 5, "invalid value 'Inf'; strings must be in quotes")
        assertRejects("a =", line: 1, column: 4, "expected a value, found end of file")
        assertRejects("a = \n", line: 1, column: 5, "expected a value, found end of line")
        assertRejects("a = # comment", line: 1, column: 5, "expected a value, found '#'")
        assertRejects("a = @", line: 1, column: 5, "expected a value, found '@'")
        assertRejects("a = é", line: 1, column: 5, "expected a value, found 'é'")
    }

    func testBadNumbers() {
        assertRejects("a = 01", line: 1, column: 5, "leading zeros are not allowed: '01'")
        assertRejects("a = -007", line: 1, column: 5, "leading zeros are not allowed: '-007'")
        assertRejects("a = 0_0", line: 1, column: 5, "leading zeros are not allowed: '0_0'")
        assertRejects("a = 01.5", line: 1, column: 5, "leading zeros are not allowed: '01.5'")
        assertRejects("a = 9223372036854775808", line: 1, column: 5, "integer '9223372036854775808' does not fit in 64 bits")
        assertRejects("a = -9223372036854775809", line: 1, column: 5, "integer '-9223372036854775809' does not fit in 64 bits")
        assertRejects("a = 0x8000000000000000", line: 1, column: 5, "integer '0x8000000000000000' does not fit in 64 bits")
        assertRejects("a = 99999999999999999999999", line: 1, column: 5,
                      "integer '99999999999999999999999' does not fit in 64 bits")
        assertRejects("a = +0x10", line: 1, column: 5, "a hexadecimal, octal or binary integer cannot have a sign: '+0x10'")
        assertRejects("a = 1__0", line: 1, column: 5, "invalid number '1__0'")
        assertRejects("a = 1_", line: 1, column: 5, "invalid number '1_'")
        assertRejects("a = _1", line: 1, column: 5, "invalid number '_1'")
        assertRejects("a = 0x_1", line: 1, column: 5, "invalid number '0x_1'")
        assertRejects("a = 0xG", line: 1, column: 5, "invalid number '0xG'")
        assertRejects("a = 0o8", line: 1, column: 5, "invalid number '0o8'")
        assertRejects("a = 0b2", line: 1, column: 5, "invalid number '0b2'")
        assertRejects("a = 0X10", line: 1, column: 5, "invalid number '0X10'")
        assertRejects("a = 1.", line: 1, column: 5, "invalid number '1.'")
        assertRejects("a = .5", line: 1, column: 5, "invalid number '.5'")
        assertRejects("a = 1.e5", line: 1, column: 5, "invalid number '1.e5'")
        assertRejects("a = 1e", line: 1, column: 5, "invalid number '1e'")
        assertRejects("a = 1e_5", line: 1, column: 5, "invalid number '1e_5'")
        assertRejects("a = 1.5.5", line: 1, column: 5, "invalid number '1.5.5'")
        assertRejects("a = 1._5", line: 1, column: 5, "invalid number '1._5'")
        assertRejects("a = +", line: 1, column: 5, "invalid number '+'")
        assertRejects("a = ++1", line: 1, column: 5, "invalid number '++1'")
        assertRejects("a = 1e400", line: 1, column: 5, "float '1e400' is out of range")
    }

    func testBadDatesAndTimes() {
        assertRejects("a = 2024-13-01", line: 1, column: 10, "invalid date-time: month 13 is out of range")
        assertRejects("a = 2023-02-29", line: 1, column: 13, "invalid date-time: day 29 is out of range")
        assertRejects("a = 2024-04-31", line: 1, column: 13, "invalid date-time: day 31 is out of range")
        assertRejects("a = 1979-5-27", line: 1, column: 10, "invalid date-time: the month needs 2 digits")
        assertRejects("a = 1979-05-27T25:00:00Z", line: 1, column: 16, "invalid date-time: hour 25 is out of range")
        assertRejects("a = 07:32", line: 1, column: 10, "invalid date-time: expected ':', found end of file")
        assertRejects("a = 1979-05-27T07:32:00.", line: 1, column: 25, "invalid date-time: expected digits after '.'")
        assertRejects("a = 1979-05-27T07:32:00+7:00", line: 1, column: 25, "invalid date-time: the offset hour needs 2 digits")
        assertRejects("a = 07:32:00Z", line: 1, column: 13, "expected a newline or comment after the value, found 'Z'")
    }

    func testMissingEquals() {
        assertRejects("a 1", line: 1, column: 3, "expected '=' after key 'a', found '1'")
        assertRejects("a\nb = 1", line: 1, column: 2, "expected '=' after key 'a', found end of line")
        assertRejects("a.b", line: 1, column: 4, "expected '=' after key 'a.b', found end of file")
        assertRejects("[t]\n\"k y\" \"v\"", line: 2, column: 7, "expected '=' after key '\"k y\"', found '\"'")
        assertRejects("x = { a 1 }", line: 1, column: 9, "expected '=' after key 'a', found '1'")
        assertRejects("a b = 1", line: 1, column: 3, "expected '=' after key 'a', found 'b'")
    }

    func testBadKeys() {
        assertRejects("= 1", line: 1, column: 1, "expected a key, found '='")
        assertRejects("a. = 1", line: 1, column: 4, "expected a key, found '='")
        assertRejects("a..b = 1", line: 1, column: 3, "expected a key, found '.'")
        assertRejects("\"\"\"a\"\"\" = 1", line: 1, column: 1, "a multi-line string cannot be a key")
        assertRejects("'''a''' = 1", line: 1, column: 1, "a multi-line string cannot be a key")
        assertRejects("ключ = 1", line: 1, column: 1, "expected a key, found 'к'")
    }

    func testBadHeaders() {
        assertRejects("[a", line: 1, column: 3, "expected ']' to close the table header, found end of file")
        assertRejects("[a b]", line: 1, column: 4, "expected ']' to close the table header, found 'b'")
        assertRejects("[[a]", line: 1, column: 5, "expected ']]' to close the array of tables header, found end of file")
        assertRejects("[[a] ]", line: 1, column: 5, "expected ']]' to close the array of tables header, found ' '")
        assertRejects("[]", line: 1, column: 2, "expected a key, found ']'")
        assertRejects("[a.]", line: 1, column: 4, "expected a key, found ']'")
        assertRejects("[a] b = 1", line: 1, column: 5, "expected a newline or comment after the table header, found 'b'")
    }

    func testTrailingGarbageAfterValues() {
        assertRejects("a = 1 2", line: 1, column: 7, "expected a newline or comment after the value, found '2'")
        assertRejects("a = \"x\" y", line: 1, column: 9, "expected a newline or comment after the value, found 'y'")
        assertRejects("a = true false", line: 1, column: 10, "expected a newline or comment after the value, found 'f'")
        assertRejects("a = [1] ]", line: 1, column: 9, "expected a newline or comment after the value, found ']'")
        assertRejects("a = 1, b = 2", line: 1, column: 6, "expected a newline or comment after the value, found ','")
        assertRejects("a = {} x", line: 1, column: 8, "expected a newline or comment after the value, found 'x'")
        assertRejects("a = 'x''", line: 1, column: 8, "expected a newline or comment after the value, found '''")
        assertRejects("a = \"\"\"x\"\"\"\"\"\"", line: 1, column: 14,
                      "expected a newline or comment after the value, found '\"'")
        assertRejects("a = truex", line: 1, column: 5, "invalid value 'truex'; strings must be in quotes")
        assertRejects("a = 1:2", line: 1, column: 6, "expected a newline or comment after the value, found ':'")
    }

    func testBadArrays() {
        assertRejects("a = [1, 2", line: 1, column: 5, "unterminated array")
        assertRejects("a = [1,\n2,\n", line: 1, column: 5, "unterminated array")
        assertRejects("a = [1 2]", line: 1, column: 8, "expected ',' or ']' after an array element, found '2'")
        assertRejects("a = [,]", line: 1, column: 6, "expected a value, found ','")
        assertRejects("a = [1,,2]", line: 1, column: 8, "expected a value, found ','")
    }

    func testBadInlineTables() {
        assertRejects("a = { b = 1, }", line: 1, column: 14, "trailing comma in an inline table")
        assertRejects("a = { b = 1\n}", line: 1, column: 12, "an inline table must be on one line; expected ',' or '}'")
        assertRejects("a = {\nb = 1 }", line: 1, column: 6, "expected a key, found end of line")
        assertRejects("a = { b = 1", line: 1, column: 5, "unterminated inline table")
        assertRejects("a = { b = 1 c = 2 }", line: 1, column: 13, "expected ',' or '}' in an inline table, found 'c'")
        assertRejects("a = { b = 1 # comment\n}", line: 1, column: 13, "expected ',' or '}' in an inline table, found '#'")
    }

    func testDeepNestingIsRejected() {
        let depth = 200
        let doc = "a = " + String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
        assertRejects(doc, line: 1, column: 5 + 128, "arrays and inline tables are nested more than 128 deep", oracle: false)
        XCTAssertNoThrow(try TOMLParser.parse("a = " + String(repeating: "[", count: 100) + String(repeating: "]", count: 100)))
    }

    /// Issue 15: a key of 30,000 dotted parts (60 KB) crashed the process with a
    /// stack overflow, 10,000 took 0.7 s. Keys are now refused past 128 tables
    /// deep, at the part that goes too deep, in time that does not grow with the key.
    func testDeepKeysAreRefusedQuickly() throws {
        for parts in [10_000, 20_000, 30_000, 1_000_000] {
            let key = Array(repeating: "a", count: parts).joined(separator: ".")
            for doc in ["\(key) = 1", "[\(key)]", "[[\(key)]]", "t = { \(key) = 1 }"] {
                let started = ContinuousClock.now
                assertRejects(doc, line: 1, column: doc.hasPrefix("t") ? 7 + 2 * 127 : (doc.hasPrefix("[[") ? 3 : doc.hasPrefix("[") ? 2 : 1) + 2 * 128,
                              "key nested more than 128 tables deep (counting its [table] header and enclosing inline tables)",
                              oracle: false)
                XCTAssertLessThan(ContinuousClock.now - started, .milliseconds(200), "\(parts) parts: \(doc.prefix(8))")
            }
        }
        // 128 parts is the most, with the header's parts and inline tables' keys counted.
        let deepest = Array(repeating: "k", count: 128).joined(separator: ".")
        XCTAssertNotNil(try TOMLParser.parse("\(deepest) = 1").node(at: deepest))
        XCTAssertNotNil(try TOMLParser.parse("[\(deepest)]\n").node(at: deepest))
        let half = Array(repeating: "k", count: 64).joined(separator: ".")
        XCTAssertNotNil(try TOMLParser.parse("[\(half)]\n\(half) = 1").node(at: deepest))
        assertRejects("[\(half)]\n\(half).x = 1", line: 2, column: 1 + 2 * 64,
                      "key nested more than 128 tables deep (counting its [table] header and enclosing inline tables)", oracle: false)
        assertRejects("\(half) = { \(half) = { x = 1 } }", line: 1, column: 2 * 64 + 4 + 2 * 64 + 5,
                      "key nested more than 128 tables deep (counting its [table] header and enclosing inline tables)", oracle: false)
        // Arrays of inline tables: keys inside count from the array's key.
        XCTAssertNoThrow(try TOMLParser.parse("a = [{ b = [{ c = 1 }] }]"))
    }

    /// A key that is long but legal still costs time linear in its parts.
    func testKeyParsingIsLinearInDepth() throws {
        let key = Array(repeating: "part", count: 127).joined(separator: ".")
        let doc = (0..<1_000).map { "[t\($0)]\n\(key) = 1\n" }.joined()
        let started = ContinuousClock.now
        let tree = try TOMLParser.parse(doc)
        XCTAssertNotNil(tree.node(at: "t999." + key))
        XCTAssertLessThan(ContinuousClock.now - started, .seconds(3), "1,000 keys of 128 parts")
    }

    /// TOML 1.0 requires UTF-8: a file with invalid bytes is refused at them
    /// (issue 15: they were replaced with U+FFFD), in values, keys and comments.
    func testInvalidUTF8IsRefusedAtItsPosition() {
        func rejects(_ bytes: [UInt8], line: Int, column: Int, _ message: String, file: StaticString = #filePath, testLine: UInt = #line) {
            do throws(TOMLParseError) {
                _ = try TOMLParser.parse(bytes: bytes)
                XCTFail("parsed \(bytes)", file: file, line: testLine)
            } catch {
                XCTAssertEqual(error, TOMLParseError(line: line, column: column, message: message), file: file, line: testLine)
            }
        }
        let suffix = "; TOML files must be UTF-8"
        rejects(Array("a = \"x".utf8) + [0xFF] + Array("\"".utf8), line: 1, column: 7, "invalid UTF-8 (byte 0xFF)" + suffix)
        rejects(Array("# é\n# ".utf8) + [0xC3], line: 2, column: 3, "invalid UTF-8 (byte 0xC3)" + suffix)
        rejects(Array("\"k".utf8) + [0xED, 0xA0, 0x80] + Array("\" = 1".utf8), line: 1, column: 3, "invalid UTF-8 (byte 0xED)" + suffix)
        rejects([0x80], line: 1, column: 1, "invalid UTF-8 (byte 0x80)" + suffix)
        XCTAssertEqual(try TOMLParser.parse(bytes: Array("a = \"é日本😀\"".utf8)), .table(["a": .string("é日本😀")]))
    }

    func testPositionsCountLinesAndScalars() {
        // Columns count Unicode scalars, not UTF-8 bytes.
        assertRejects("\"ключ\" = 1 x", line: 1, column: 12, "expected a newline or comment after the value, found 'x'")
        assertRejects("a = \"日本\" 😀", line: 1, column: 10, "expected a newline or comment after the value, found '😀'")
        // CRLF counts as one line break.
        assertRejects("a = 1\r\nb = 2\r\na = 3", line: 3, column: 1, "duplicate key 'a'")
        // Lines inside multi-line strings and arrays count.
        assertRejects("s = \"\"\"\none\ntwo\"\"\"\nt = [\n1,\n]\nu = 1 x", line: 7, column: 7,
                      "expected a newline or comment after the value, found 'x'")
    }

    // MARK: - Helpers

    /// Asserts that parsing fails with exactly this error, and (unless told otherwise)
    /// that TOMLKit rejects the document too, so the expectation itself is checked.
    private func assertRejects(
        _ text: String, line: Int, column: Int, _ message: String, oracle: Bool = true,
        file: StaticString = #filePath, line testLine: UInt = #line
    ) {
        do throws(TOMLParseError) {
            let parsed = try TOMLParser.parse(text)
            XCTFail("parsed \(parsed) from \(text.debugDescription)", file: file, line: testLine)
        } catch {
            XCTAssertEqual(error, TOMLParseError(line: line, column: column, message: message),
                           text.debugDescription, file: file, line: testLine)
        }
        if oracle {
            XCTAssertThrowsError(try TOMLTable(string: text), "TOMLKit accepts \(text.debugDescription)",
                                 file: file, line: testLine)
        }
    }
}
