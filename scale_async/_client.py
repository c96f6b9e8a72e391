"""``AsyncScaleClient``: every group of endpoints on one flat surface, as the SDK has it."""

from __future__ import annotations

from ._api.batches import BatchesAPI
from ._api.bulk import BulkAPI
from ._api.files import FilesAPI
from ._api.legacy import LegacyAPI
from ._api.projects import ProjectsAPI
from ._api.studio import StudioAPI
from ._api.tasks import TasksAPI
from ._api.teams import TeamsAPI
from .v2._attach import V2Attachment

__all__ = ["AsyncScaleClient"]


class AsyncScaleClient(
    BulkAPI,
    TasksAPI,
    BatchesAPI,
    ProjectsAPI,
    FilesAPI,
    TeamsAPI,
    StudioAPI,
    LegacyAPI,
    V2Attachment,
):
    """A client for the Scale AI v1 API, with the methods of the official SDK's ``ScaleClient``.

    ``api_key`` defaults to ``$SCALE_API_KEY``; ``api_instance_url`` (which includes ``/v1``)
    to ``$SCALE_API_BASE_URL``, then ``https://api.scale.com/v1``. ``source`` is appended to
    the User-Agent. ``verify``, ``proxies`` and ``cert`` take the values ``requests`` takes
    and apply to every request. ``timeout`` is seconds for every request phase, a ``Timeout``
    or an ``httpx.Timeout``; no request waits forever. ``retry`` is the ``RetryPolicy``;
    ``max_retries`` overrides its count (as in openai's client). ``max_connections`` bounds
    both the pool and the requests in flight. ``transport`` replaces the HTTP transport
    (for instance ``httpx.ASGITransport`` around the fake Scale API). ``on_request`` is called
    with a ``RequestEvent`` (method, path, status, attempt, elapsed, request id) after every
    attempt, for metrics. Retries are logged at INFO on the ``scale_async`` logger
    (``SCALE_LOG=info`` or ``debug`` prints that log to stderr).

    ``client.api`` makes raw requests (``await client.api.post_request(endpoint, body=...)``)
    on the same retries and errors, for endpoints without a method. ``client.v2`` is Scale's
    v2 API (``scale_async.v2``) with the same key and settings; its host is
    ``api_instance_url`` without the ``/v1``.

    ``with_options(timeout=..., max_retries=...)`` gives a copy with other limits on the same
    pool. Use it as ``async with AsyncScaleClient() as client:`` or call ``aclose()``.
    """
