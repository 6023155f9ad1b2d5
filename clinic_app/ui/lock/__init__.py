"""The idle lock and sign-out: the lock screen and what locking does to every window."""
