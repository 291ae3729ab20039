#if canImport(Glibc)
import Glibc
#endif

/// A per-thread object slot. Host API calls arrive on tick threads and need to
/// know which lane (database connection) and analyzer run they belong to.
package final class ThreadLocal<Value: AnyObject>: @unchecked Sendable {
    private var key = pthread_key_t()

    package init() {
        pthread_key_create(&key) { raw in
            if let raw { Unmanaged<AnyObject>.fromOpaque(raw).release() }
        }
    }

    package var value: Value? {
        get {
            guard let raw = pthread_getspecific(key) else { return nil }
            return Unmanaged<AnyObject>.fromOpaque(raw).takeUnretainedValue() as? Value
        }
        set {
            if let old = pthread_getspecific(key) { Unmanaged<AnyObject>.fromOpaque(old).release() }
            let raw = newValue.map { Unmanaged<AnyObject>.passRetained($0 as AnyObject).toOpaque() }
            pthread_setspecific(key, raw)
        }
    }
}
