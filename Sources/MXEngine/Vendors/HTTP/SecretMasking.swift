import MXModel

/// An adapter that speaks to its vendor through one `VendorAPI`.
protocol HTTPAdapter: Adapter {
    var api: VendorAPI { get }
}

extension ProofpointAdapter: HTTPAdapter {}
extension CleanmailAdapter: HTTPAdapter {}
extension OpenSRSAdapter: HTTPAdapter {}
extension AD360Adapter: HTTPAdapter {}

extension ResolvingAdapter {
    /// Every secret a change carries (a password it sets, a secret in a raw call's body)
    /// is masked in whatever the vendor answers from now on, before the change is sent,
    /// once for every adapter: a vendor's error that echoes the request cannot print,
    /// journal or trace it (issue 11: a Cleanmail mailbox's password was echoed in clear,
    /// its adapter sending it without telling the connection).
    func maskingSecrets(of change: Change) {
        (self as? any HTTPAdapter)?.api.mask(secretsIn: change.fields)
    }
}
