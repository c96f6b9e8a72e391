"""Seed 003's ontology helper and a project audit, on the SDK's raw ``client.api``.

The SDK has no ``set_project_ontology``, so its users call the endpoint themselves and wrap
the answer with ``Project(json, client)``. Only the import lines name ``scale_sync``.
"""

# mypy: ignore-errors
# (Untyped legacy code on purpose: mypy sees only keyword construction of models, so the
# SDK's Task(json, client) is an error to it; the point here is how such code behaves.)
import scale_sync as scaleapi
from scale_sync.exceptions import ScaleInvalidRequest, ScaleResourceNotFound
from scale_sync.projects import Project
from scale_sync.tasks import TaskType


def update_project_ontology(client, project_name, ontology, ontology_name):  # type: ignore[no-untyped-def]
    endpoint = f"projects/{project_name}/setOntology"
    payload = {"name": ontology_name, "ontology": ontology}
    return client.api.post_request(endpoint, body=payload)


def main(base_url, live_key):  # type: ignore[no-untyped-def]
    client = scaleapi.ScaleClient("test_ontology_key", api_instance_url=base_url)
    for name in ("animals", "vehicles"):
        client.create_project(name, TaskType.ImageAnnotation, params={"instruction": name})

    response = update_project_ontology(client, "animals", ["cow", "horse"], "v1")
    project = Project(response, client)
    print("project:", project, project.type, project.version)
    print("ontology:", [o["name"] for o in response["ontologyHistory"]])
    response = update_project_ontology(
        client, "animals", ["cow", {"choice": "bird", "subchoices": ["duck"]}], "v2"
    )
    print("versions:", [(o["name"], o["version"]) for o in response["ontologyHistory"]])
    try:
        update_project_ontology(client, "animals", ["cow", "cow"], "dup")
    except ScaleInvalidRequest as err:
        print("refused:", err.code, err.message)
    try:
        update_project_ontology(client, "nowhere", ["x"], "v1")
    except ScaleResourceNotFound as err:
        print("no project:", err.code)

    every = [Project(p, client) for p in client.api.get_request("projects")]
    print("projects:", sorted(str(p) for p in every))
    print("types:", sorted(f"{p.name}={p.type}" for p in every))
    archived = client.api.get_request("projects", params={"archived": "true"})
    print("archived:", len(archived))
    for project in client.projects():
        has_params = project.params is not None
        print(f"{project.name}: v{project.version} {project.instruction!r}", has_params)
    updated = client.api.post_request(
        "projects/vehicles/setParams", body={"patch": True, "instruction": "cars"}
    )
    print("setParams:", Project(updated, client).instruction, Project(updated, client).version)
