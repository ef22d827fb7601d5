"""Releases of the data package that people can cite, download byte for byte years later, and compare.

One module per step: `version` (numbers and the files that carry them), `gitrepo`
(the commits and worktrees), `rebuild` (builds with a given checkout's own code),
`diff` (one package against the previous release), `archives` (deterministic zips),
`index` (releases/index.json), `changelog`, `make` (the `ogi release` flow) and
`verify` (a release rebuilt from its recorded commit).
"""


class ReleaseError(Exception):
    """A release refused or failed, or a check that found a problem; the message says why (every error of this package is one)."""
