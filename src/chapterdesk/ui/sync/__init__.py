"""The Sync page, the status-bar sync indicator and the scheduler that runs sync rounds off the
GUI thread (docs/sync.md, "When")."""
