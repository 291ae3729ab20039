import PluginKit

/// Where scrape messages go: the host's log in production, a list in tests.
typealias ScrapeLog = (PluginLogLevel, String) -> Void
