import MXLanguage

/// One rule for a credential written in the script (a literal, or computed: `"a" + "b"`,
/// `lower(env("X"))`): it is refused wherever mxsh would have to keep the connection.
/// Every command that journals (run, -c, piped input, resume, the shell) refuses the
/// `connect` line before anything is sent: the journal keeps a connection only as where
/// its credentials come from, so such a run could not be undone. `--plan-out` refuses
/// to save such a plan (`PlanFile`), so `apply` never meets one. What keeps nothing
/// accepts it: `check`, `plan` without `--plan-out`, `--no-journal`, the memory vendor.
extension Interpreter {
    func refuseLiteralCredential(_ unsavable: ConnectionOrigin.Unsavable, vendor: String, at range: SourceRange) throws
    {
        guard let journal = sink as? JournalSink, journal.keepsJournal, let declared = VendorRegistry.named(vendor),
            declared.outlivesProcess,
            declared.options.contains(where: { $0.name == unsavable.option && $0.isCredential })
        else { return }
        let option = unsavable.option
        throw RuntimeError(
            "\(option)= is written in the script (a literal, or computed): nothing is sent", at: range,
            notes: [
                .init(
                    "the run is journaled to be resumed and undone, and the journal keeps where a credential comes from"
                ),
                .init("write \(option)=env(\"X\") or \(option)=secret(\"name\"), or use a profile: connect @name")
            ])
    }
}
