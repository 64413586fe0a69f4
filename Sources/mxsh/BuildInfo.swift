/// What `mxsh --version` says. scripts/install.sh writes the commit it builds from into
/// `buildCommit` for the release build and puts this file back afterwards.
let mxshVersion = "0.1.0"
let buildCommit = "dev"

var versionLine: String { "mxsh \(mxshVersion) (\(buildCommit))" }
