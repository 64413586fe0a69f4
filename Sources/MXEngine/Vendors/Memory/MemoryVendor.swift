import MXModel

extension Vendor {
    /// Neutral objects in the process only: the engine's own test double and a scratch
    /// space. Its objects end with the process, so its runs are not journaled.
    public static let memory = Vendor(
        name: "memory", product: "in-process neutral store",
        options: [ConnectOption("seed", "\"demo\" or a number of generated domains")],
        defaultJobs: 1, sandbox: nil,
        resources: ResourceTable([
            ResourceKind(
                "domain", kind: .domain, placement: [.domains],
                fields: Domain.fields.map { f in
                    neutral(
                        f.name, wire: f.name, f.name == "name" ? .domainName : f.valueType,
                        f.set == nil ? .readOnly : .readWrite)
                },
                operations: [.createDomain, .updateDomain, .deleteDomain, .addAlias, .removeAlias]),
            ResourceKind(
                "user", kind: .user, placement: [.users, .usersOfDomain],
                fields: User.fields.map { f in
                    neutral(f.name, wire: f.name, f.valueType, f.set == nil ? .readOnly : .readWrite)
                },
                operations: [.createUser, .updateUser, .deleteUser])
        ]),
        outlivesProcess: false, acceptsRawCalls: false,
        makeAdapter: MemoryAdapter.connect)
}
