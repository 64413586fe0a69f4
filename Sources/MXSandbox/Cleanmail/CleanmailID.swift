import MXJSON

/// Cleanmail's ids as its API shows them (`"Eygdk"`): five characters from a shuffled
/// alphabet, a fixed bijection of the integer id (ASSUMED: the real ids are hashids of
/// the database ids; the sandbox's are of the same look, not the same values).
public enum CleanmailID {
    static let alphabet: [Character] = Array("mUk5Z1EqatyliD92vOwWsFCRV7QMrbNH6YohKXSJTp3ABfcnG4LxgI0edPzj8u")
    static let space = 916_132_832  // 62^5
    static let factor = 387_420_489  // 3^18: prime to 62^5 = 2^5 * 31^5
    static let shift = 104_729
    static let inverse: Int = {
        var (t, newT, r, newR) = (0, 1, space, factor)
        while newR != 0 {
            let q = r / newR
            (t, newT) = (newT, t - q * newT)
            (r, newR) = (newR, r - q * newR)
        }
        return t < 0 ? t + space : t
    }()
    static let index: [Character: Int] = Dictionary(uniqueKeysWithValues: alphabet.enumerated().map { ($1, $0) })

    public static func encode(_ n: Int) -> String {
        var x = (n % space * factor + shift) % space
        var out = [Character](repeating: "a", count: 5)
        for i in stride(from: 4, through: 0, by: -1) {
            out[i] = alphabet[x % 62]
            x /= 62
        }
        return String(out)
    }

    /// The integer behind an id; nil when the text is not one.
    public static func decode(_ s: String) -> Int? {
        guard s.count == 5 else { return nil }
        var x = 0
        for c in s {
            guard let v = index[c] else { return nil }
            x = x * 62 + v
        }
        let n = ((x - shift) % space + space) % space * inverse % space
        return n > 0 ? n : nil
    }
}
