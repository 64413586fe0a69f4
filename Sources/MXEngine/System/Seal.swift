#if canImport(Glibc)
    import Glibc
#endif

/// A seal on data this user's mxsh wrote (a plan's connections): HMAC-SHA-256 under a
/// private key kept in `$XDG_STATE_HOME/mxsh/plan.key` (0600, made on first use). A
/// plan written or edited by anyone else cannot send this user's env() or secret()
/// credentials to a URL of their choosing: its seal does not match.
public struct SealKey: Sendable {
    let key: [UInt8]

    public struct Failure: Error {
        public let message: String
    }

    init(bytes: [UInt8]) { key = bytes }

    /// The user's key, made (32 bytes from /dev/urandom) when there is none.
    public static func user(directory: String? = nil) throws(Failure) -> SealKey {
        let dir = directory ?? xdgDirectory("XDG_STATE_HOME", default: ".local/state") + "/mxsh"
        makeDirectories(dir)
        let path = dir + "/plan.key"
        var fd = open(path, O_RDONLY | O_NOFOLLOW)
        if fd < 0, errno == ENOENT {
            var bytes = [UInt8](repeating: 0, count: 32)
            let r = open("/dev/urandom", O_RDONLY)
            guard r >= 0, read(r, &bytes, 32) == 32 else { throw Failure(message: "cannot read /dev/urandom") }
            close(r)
            if (try? writePrivateFile(path, bytes, replace: false)) == nil, fileMode(path) == nil {
                throw Failure(message: "cannot create \(path)")
            }
            fd = open(path, O_RDONLY | O_NOFOLLOW)
        }
        guard fd >= 0 else { throw Failure(message: "cannot read \(path) (a link is not followed)") }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0, st.st_uid == geteuid(), st.st_mode & 0o077 == 0 else {
            throw Failure(message: "\(path) must be this user's own private file (chmod 600)")
        }
        var bytes = [UInt8](repeating: 0, count: 64)
        let n = read(fd, &bytes, 64)
        guard n >= 16 else { throw Failure(message: "\(path) is too short to be a key") }
        return SealKey(bytes: Array(bytes[0..<n]))
    }

    /// The seal of `text`, in hex.
    public func seal(_ text: String) -> String {
        hmacSHA256(key: key, message: Array(text.utf8)).map { b in
            let h = Array("0123456789abcdef".utf8)
            return String(decoding: [h[Int(b >> 4)], h[Int(b & 15)]], as: UTF8.self)
        }.joined()
    }
}

func hmacSHA256(key: [UInt8], message: [UInt8]) -> [UInt8] {
    var k = key.count > 64 ? sha256(key) : key
    k += [UInt8](repeating: 0, count: 64 - k.count)
    let inner = sha256(k.map { $0 ^ 0x36 } + message)
    return sha256(k.map { $0 ^ 0x5c } + inner)
}

/// SHA-256 (FIPS 180-4), for the seal; no dependency needed for 40 lines.
func sha256(_ message: [UInt8]) -> [UInt8] {
    let k: [UInt32] = [
        0x428a_2f98, 0x7137_4491, 0xb5c0_fbcf, 0xe9b5_dba5, 0x3956_c25b, 0x59f1_11f1, 0x923f_82a4, 0xab1c_5ed5,
        0xd807_aa98, 0x1283_5b01, 0x2431_85be, 0x550c_7dc3, 0x72be_5d74, 0x80de_b1fe, 0x9bdc_06a7, 0xc19b_f174,
        0xe49b_69c1, 0xefbe_4786, 0x0fc1_9dc6, 0x240c_a1cc, 0x2de9_2c6f, 0x4a74_84aa, 0x5cb0_a9dc, 0x76f9_88da,
        0x983e_5152, 0xa831_c66d, 0xb003_27c8, 0xbf59_7fc7, 0xc6e0_0bf3, 0xd5a7_9147, 0x06ca_6351, 0x1429_2967,
        0x27b7_0a85, 0x2e1b_2138, 0x4d2c_6dfc, 0x5338_0d13, 0x650a_7354, 0x766a_0abb, 0x81c2_c92e, 0x9272_2c85,
        0xa2bf_e8a1, 0xa81a_664b, 0xc24b_8b70, 0xc76c_51a3, 0xd192_e819, 0xd699_0624, 0xf40e_3585, 0x106a_a070,
        0x19a4_c116, 0x1e37_6c08, 0x2748_774c, 0x34b0_bcb5, 0x391c_0cb3, 0x4ed8_aa4a, 0x5b9c_ca4f, 0x682e_6ff3,
        0x748f_82ee, 0x78a5_636f, 0x84c8_7814, 0x8cc7_0208, 0x90be_fffa, 0xa450_6ceb, 0xbef9_a3f7, 0xc671_78f2
    ]
    var h: [UInt32] = [
        0x6a09_e667, 0xbb67_ae85, 0x3c6e_f372, 0xa54f_f53a, 0x510e_527f, 0x9b05_688c, 0x1f83_d9ab, 0x5be0_cd19
    ]
    var m = message
    let bits = UInt64(message.count) * 8
    m.append(0x80)
    while m.count % 64 != 56 { m.append(0) }
    for i in (0..<8).reversed() { m.append(UInt8(truncatingIfNeeded: bits >> (UInt64(i) * 8))) }
    func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x >> n) | (x << (32 - n)) }
    var w = [UInt32](repeating: 0, count: 64)
    for chunk in stride(from: 0, to: m.count, by: 64) {
        for i in 0..<16 {
            w[i] = m[chunk + 4 * i..<chunk + 4 * i + 4].reduce(0) { $0 << 8 | UInt32($1) }
        }
        for i in 16..<64 {
            let s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3)
            let s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10)
            w[i] = w[i - 16] &+ s0 &+ w[i - 7] &+ s1
        }
        var (a, b, c, d, e, f, g, hh) = (h[0], h[1], h[2], h[3], h[4], h[5], h[6], h[7])
        for i in 0..<64 {
            let t1 = hh &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ ((e & f) ^ (~e & g)) &+ k[i] &+ w[i]
            let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) ^ (a & c) ^ (b & c))
            (hh, g, f, e, d, c, b, a) = (g, f, e, d &+ t1, c, b, a, t1 &+ t2)
        }
        for (i, v) in [a, b, c, d, e, f, g, hh].enumerated() { h[i] = h[i] &+ v }
    }
    return h.flatMap { v in (0..<4).reversed().map { UInt8(truncatingIfNeeded: v >> (UInt32($0) * 8)) } }
}
