"""Use the user-facing fixtures exactly as a user's conftest would."""

pytest_plugins = ["scale_async.testing.pytest_plugin"]
