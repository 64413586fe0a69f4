import MXEngine
import Testing

/// Bugs found and not fixed yet, kept as tests that run: when one is fixed, its
/// `withKnownIssue` fails, and the test moves to where it belongs.
struct KnownIssueTests {
}
