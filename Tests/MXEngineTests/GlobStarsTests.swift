import Testing

@testable import MXEngine

/// A glob as a vendor's `*`-only filter: a superset, never fewer.
struct GlobStarsTests {
    @Test(arguments: [
        ("ed01?.example.org", "ed01*.example.org"), ("*.?et", "*.*et"), ("ed01[0-4].net", "ed01*.net"),
        ("*.n[!o]t", "*.n*t"), ("a[]]b", "a*b"), ("a[[]b", "a*b"), ("x[y", "x[y"), ("??*?", "*"), ("got.com", "got.com")
    ])
    func patterns(_ given: String, _ sent: String) {
        #expect(globAsStars(given) == sent)
    }

    /// Whatever the pattern matches, its star form matches too.
    @Test func theStarFormMatchesAllThePatternDoes() {
        let names = ["got.com", "ed010.example.org", "a]b", "a[b", "x.net", "x.nut", "x.not"]
        for pattern in ["*.?et", "ed01[0-4].example.org", "*.n[!o]t", "a[]]b", "a[[]b", "?.n?t", "*[a-c]*"] {
            for name in names where globMatch(name, pattern) {
                #expect(globMatch(name, globAsStars(pattern)), "\(name) ~ \(pattern)")
            }
        }
    }
}
