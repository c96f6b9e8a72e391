"""Typos mypy must catch (test_typing expects an error on each line marked ``error``)."""

from __future__ import annotations

import scale_sync
from scale_sync import TaskStatus


def wrong(client: scale_sync.ScaleClient) -> None:
    client.get_tasks(project_name="p", status="complete")  # error: not a status
    client.get_batches("p", batch_status="done")  # error: not a batch status
    s: str = client.get_task("t").status
    n: TaskStatus = s  # error: a plain str is not a TaskStatus
    client.get_task("t").refresh_now()  # error: no such helper
    print(n)
