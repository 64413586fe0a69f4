import Testing

@testable import MXEngine

/// The plan seal's primitives against published vectors (FIPS 180-4, RFC 4231), and
/// the UTF-8 and CSV-cell rules of issue 11.
struct SealTests {
    func hex(_ b: [UInt8]) -> String {
        b.map { String($0, radix: 16).count == 1 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined()
    }

    @Test func sha256MatchesTheStandardsVectors() {
        #expect(hex(sha256(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(hex(sha256([])) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(
            hex(sha256(Array(String(repeating: "a", count: 1000)).map { UInt8($0.asciiValue!) }))
                == "41edece42d63e8d9bf515a9ba6932e1c20cbc9f5a5d134645adb5db1b9737ea3")
    }

    @Test func hmacMatchesRFC4231() {
        #expect(
            hex(hmacSHA256(key: Array("Jefe".utf8), message: Array("what do ya want for nothing?".utf8)))
                == "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843")
    }

    @Test(
        arguments: [
            ([0x61, 0xFF], 1), ([0xC3, 0xA9, 0x61], nil), ([0xE2, 0x82], 0), ([0xED, 0xA0, 0x80], 0),
            ([0xF4, 0x90, 0x80, 0x80], 0)
        ] as [([UInt8], Int?)])
    func firstInvalidUTF8ByteIsFound(_ bytes: [UInt8], _ at: Int?) {
        #expect(firstInvalidUTF8(bytes) == at)
    }

    @Test(arguments: [
        ("=1+2", "'=1+2"), ("+cmd", "'+cmd"), ("-5", "-5"), ("-1.5", "-1.5"), ("-x", "'-x"), ("@A", "'@A"),
        ("ok", "ok"), ("", "")
    ])
    func formulaCellsAreNeutralised(_ cell: String, _ written: String) {
        #expect(neutralisedCell(cell) == written)
    }
}
