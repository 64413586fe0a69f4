import MXJSON

/// The AD360 tenant of `--seed`: Active Directory domains (read-only in AD360, only
/// their credentials change), with the document's sample domain first.
extension AD360Simulation: SeedableSimulation {
    public func seed(_ seed: SandboxSeed) {
        switch seed {
        case .demo:
            addDomain(
                domain(
                    "ad360.local", flat: "AD360", controllers: ["win2k12master.ad360.local", "EST-ADC.ad360.local"],
                    isDefault: true))
            for (name, flat) in [
                ("corp.example.com", "CORP"), ("emea.example.com", "EMEA"), ("apac.example.com", "APAC"),
                ("labs.example.com", "LABS"), ("legacy.local", "LEGACY")
            ] {
                addDomain(domain(name, flat: flat, controllers: ["dc1.\(name)", "dc2.\(name)"], isDefault: false))
            }
        case .generated(let n):
            for i in 0..<n {
                let name = "ad-domain-\(pad(i + 1)).local"
                addDomain(domain(name, flat: "AD\(pad(i + 1))", controllers: ["dc1.\(name)"], isDefault: i == 0))
            }
        }
    }

    private func domain(_ name: String, flat: String, controllers: [String], isDefault: Bool) -> JSONObject {
        let context = name.split(separator: ".").map { "DC=\($0)" }.joined(separator: ",")
        return JSONObject([
            ("DEFAULT_NAMING_CONTEXT", .string(context)), ("IS_DEFAULT_DOMAIN", .string(isDefault ? "true" : "false")),
            ("DC_LIST", .array(controllers.map(JSON.string))), ("DOMAIN_FLAT_NAME", .string(flat)),
            ("DOMAIN_NAME", .string(name)), ("DOMAIN_DNS_NAME", .string(name)),
            ("DOMAIN_FUNCTIONAL_LEVEL", "Windows Server 2008")
        ])
    }
}
