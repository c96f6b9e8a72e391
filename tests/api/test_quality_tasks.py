"""Quality tasks: evaluation and training tasks, request shapes and models, through both clients."""

from __future__ import annotations

import pytest
import respx

from scale_async import TaskType
from tests.api.support import last_body
from tests.drivers import Driver

# -- quality tasks ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "route_name", "model"),
    [
        ("create_evaluation_task", "evaluation_tasks", "EvaluationTask"),
        ("create_training_task", "training_tasks", "TrainingTask"),
    ],
)
async def test_quality_tasks(
    driver: Driver, router: respx.Router, name: str, route_name: str, model: str
) -> None:
    answer = {"id": "q1", "expected_response": {"a": 1}, "initial_response": {"a": 0}}
    route = router.post(f"/{route_name}/textcollection").respond(json=answer)
    task = await driver.call(name, TaskType.TextCollection, expected_response={"a": 1}, x=2)
    assert isinstance(task, getattr(driver.models, model))
    assert task.initial_response == {"a": 0}  # the SDK loses this field
    assert last_body(route) == {"expected_response": {"a": 1}, "x": 2}
    with pytest.raises(ValueError, match="expected_response"):
        await driver.call(name, TaskType.TextCollection, x=2)
    assert route.call_count == 1
