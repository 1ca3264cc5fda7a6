"""Every newsroom action in one place. The API, the CLI, the demo (and later the editor and
the scheduler) call only these: each checks the actor's role, validates, and writes the
change with its event in one transaction, then wakes the live readers."""
