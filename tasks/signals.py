"""Signals of the report workflow, for the apps above tasks (the reminders app notifies people).

`report_event` is sent by `tasks.services` inside the transaction of the change, with
`report` (a ProgressReport), `event` ("submitted", "approved" or "returned") and `actor` (the
user who did it, or None for the system).

`tasks_imported` is sent by the plan and responsibility-table imports inside their transaction,
once the tasks, units, targets and periods are written in bulk (``bulk_create`` sends no
``post_save``): `pairing`, `tasks` (the new Task instances) and `user` (None for the system).
Whatever keeps figures derived from tasks or periods listens to it; a dry run rolls the
transaction back, so a listener that acts outside the database waits for `transaction.on_commit`.
"""

from django.dispatch import Signal

report_event = Signal()
tasks_imported = Signal()
