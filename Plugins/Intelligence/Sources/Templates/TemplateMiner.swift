/// One template: its tokens (constants and `<*>` slots) and stable id.
public struct LogTemplate: Sendable, Equatable {
    public let id: Int64
    public internal(set) var tokens: [String]
    /// Lines matched since it was created or loaded.
    public internal(set) var matched: Int64 = 0

    public var text: String { tokens.joined(separator: " ") }
}

/// Groups log messages into templates with variable slots, online, in the
/// manner of Drain (He et al., ICWS 2017): messages are routed by token count
/// and their first `depth - 2` tokens through a fixed-depth tree to a short
/// list of templates; the most similar one takes the message when enough of
/// their tokens are equal (`similarity`), and its differing tokens become
/// `<*>`; otherwise the message starts a template of its own.
///
/// Beyond Drain: tokens are masked first (`TemplateTokens`: numbers, IPs, host
/// names, dates), and a template only takes a message whose differing tokens
/// are compatible (the same shape), so `session opened for user root by
/// LOGIN(uid=0)` does not swallow `... by (uid=0)`.
///
/// Memory is bounded: at most `maxTemplates` templates (the least recently
/// matched are dropped beyond that; their ids are not reused) and at most
/// `maxChildren` branches per tree node (the rest share a `<*>` branch).
public struct TemplateMiner: Sendable {
    public var depth = 4
    public var similarity = 0.5
    public var maxChildren = 100
    public var maxTemplates = 5_000

    private struct Node: Sendable {
        var children: [String: Int] = [:]
        var templates: [Int] = []  // indices into `slots`
    }

    private var nodes: [Node] = [Node()]
    /// Per token count, the node below the root.
    private var byLength: [Int: Int] = [:]
    private var slots: [LogTemplate?] = []
    private var lastUse: [Int64] = []
    private var indexOfID: [Int64: Int] = [:]
    private var clock: Int64 = 0
    private(set) public var nextID: Int64 = 1
    private(set) public var count = 0

    public init(depth: Int = 4, similarity: Double = 0.5, maxChildren: Int = 100, maxTemplates: Int = 5_000) {
        self.depth = max(depth, 3)
        self.similarity = similarity
        self.maxChildren = max(maxChildren, 2)
        self.maxTemplates = max(maxTemplates, 1)
    }

    /// What `add` did with a message.
    public struct Match: Sendable, Equatable {
        public var id: Int64
        /// The template is new, or its text changed (a token became `<*>`).
        public var changed: Bool
    }

    /// Files a message; returns its template.
    @discardableResult
    public mutating func add(_ message: String) -> Match {
        add(tokens: TemplateTokens.tokens(message))
    }

    public mutating func add(tokens: [String]) -> Match {
        clock += 1
        let leaf = leafNode(for: tokens, creating: true)
        if let best = bestTemplate(in: leaf, for: tokens), var t = slots[best] {
            var changed = false
            for i in 0..<t.tokens.count where t.tokens[i] != tokens[i] && t.tokens[i] != TemplateTokens.wildcard {
                t.tokens[i] = TemplateTokens.wildcard
                changed = true
            }
            t.matched += 1
            slots[best] = t
            lastUse[best] = clock
            return Match(id: t.id, changed: changed)
        }
        let id = nextID
        insert(LogTemplate(id: id, tokens: tokens, matched: 1), at: leaf)
        return Match(id: id, changed: true)
    }

    /// Restores a persisted template (at start), keeping its id.
    public mutating func restore(id: Int64, text: String) {
        let tokens = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        guard !tokens.isEmpty, indexOfID[id] == nil else { return }
        clock += 1
        insert(LogTemplate(id: id, tokens: tokens), at: leafNode(for: tokens, creating: true))
    }

    public func template(_ id: Int64) -> LogTemplate? { indexOfID[id].flatMap { slots[$0] } }

    public var templates: [LogTemplate] { slots.compactMap { $0 } }

    // MARK: internals

    private mutating func insert(_ t: LogTemplate, at leaf: Int) {
        if count >= maxTemplates { evictLeastRecent() }
        let index = slots.count
        slots.append(t)
        lastUse.append(clock)
        indexOfID[t.id] = index
        nodes[leaf].templates.append(index)
        count += 1
        nextID = max(nextID, t.id + 1)
    }

    private mutating func evictLeastRecent() {
        var oldest = -1
        for (i, slot) in slots.enumerated() where slot != nil && (oldest < 0 || lastUse[i] < lastUse[oldest]) { oldest = i }
        guard oldest >= 0, let t = slots[oldest] else { return }
        slots[oldest] = nil
        indexOfID[t.id] = nil
        count -= 1
        for n in nodes.indices { nodes[n].templates.removeAll { $0 == oldest } }
    }

    /// Routing key of a token: itself, or `<*>` when it holds a variable or any
    /// digit (Drain's rule: `orders_1` and `orders_2` must meet in one leaf).
    private static func key(_ token: String) -> String {
        // `<*>` holds no digit but its `*` is in no word: either byte marks a variable.
        token.utf8.contains { ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2A } ? TemplateTokens.wildcard : token
    }

    private mutating func leafNode(for tokens: [String], creating: Bool) -> Int {
        var node: Int
        if let n = byLength[tokens.count] {
            node = n
        } else {
            node = nodes.count
            nodes.append(Node())
            byLength[tokens.count] = node
        }
        for level in 0..<min(depth - 2, tokens.count) {
            let k = Self.key(tokens[level])
            if let next = nodes[node].children[k] {
                node = next
            } else if nodes[node].children.count >= maxChildren - 1, k != TemplateTokens.wildcard {
                // Full: everything new shares the wildcard branch.
                if let wild = nodes[node].children[TemplateTokens.wildcard] {
                    node = wild
                } else {
                    let wild = nodes.count
                    nodes.append(Node())
                    nodes[node].children[TemplateTokens.wildcard] = wild
                    node = wild
                }
            } else {
                let next = nodes.count
                nodes.append(Node())
                nodes[node].children[k] = next
                node = next
            }
        }
        return node
    }

    /// The template of the leaf most similar to the tokens, if similar enough and
    /// compatible; ties go to the template with more constants.
    private func bestTemplate(in leaf: Int, for tokens: [String]) -> Int? {
        var best: Int?
        var bestScore = -1.0
        var bestConstants = -1
        for index in nodes[leaf].templates {
            guard let t = slots[index], t.tokens.count == tokens.count else { continue }
            var equal = 0, constants = 0
            var compatible = true
            for i in 0..<tokens.count {
                let a = t.tokens[i], b = tokens[i]
                if a != TemplateTokens.wildcard { constants += 1 }
                if a == b {
                    equal += 1
                } else if !TemplateTokens.compatible(a, b) {
                    compatible = false
                    break
                }
            }
            guard compatible else { continue }
            let score = tokens.isEmpty ? 1 : Double(equal) / Double(tokens.count)
            if score > bestScore || (score == bestScore && constants > bestConstants) {
                best = index
                bestScore = score
                bestConstants = constants
            }
        }
        guard let best, bestScore >= similarity else { return nil }
        return best
    }
}
