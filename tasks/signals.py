"""Signals of the report workflow, for the apps above tasks (the reminders app notifies people).

`report_event` is sent by `tasks.services` inside the transaction of the change, with
`report` (a ProgressReport), `event` ("submitted", "approved" or "returned") and `actor` (the
user who did it, or None for the system).
"""

from django.dispatch import Signal

report_event = Signal()
