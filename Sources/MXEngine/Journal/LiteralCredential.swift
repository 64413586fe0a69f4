import MXLanguage

/// One rule for a credential written in the script (a literal, or computed: `"a" + "b"`,
/// `lower(env("X"))`): every command that journals or plans (run, -c, resume, plan,
/// the shell) refuses the `connect` line before anything is sent. The journal and plans
/// keep a connection only as where its credentials come from, so such a run could be
/// neither undone nor applied from a plan; `apply` never meets one (a plan cannot hold
/// it). `check` and the memory vendor, which journal nothing lasting, accept it.
extension Interpreter {
    func refuseLiteralCredential(_ unsavable: ConnectionOrigin.Unsavable, vendor: String, at range: SourceRange) throws {
        guard sink is JournalSink || sink is PlanSink, let declared = VendorRegistry.named(vendor), declared.outlivesProcess,
              declared.options.contains(where: { $0.name == unsavable.option && $0.isCredential }) else { return }
        let option = unsavable.option
        throw RuntimeError("\(option)= is written in the script (a literal, or computed): nothing is sent", at: range, notes: [
            .init("runs are journaled to be resumed and undone, and the journal never keeps a credential, only where it comes from"),
            .init("write \(option)=env(\"X\") or \(option)=secret(\"name\"), or use a profile: connect @name"),
        ])
    }
}
