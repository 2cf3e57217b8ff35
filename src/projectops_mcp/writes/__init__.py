"""Writes an operator can trust: previews (`dry_run`), the write journal, the duplicate guard and confirmation of
destructive tools. `gate.WriteGate` ties them together around each write tool call; see each module's docstring."""
