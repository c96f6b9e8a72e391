"""Benchmarks: the official ``scaleapi`` SDK against ``scale_async``/``scale_sync``.

Run ``nox -s bench`` or ``python -m benchmarks.run --n 1000 --latency 0.02 --repeat 3``.
Everything talks to the fake Scale API, served by a separate process on 127.0.0.1.
"""
