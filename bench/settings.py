"""The app's own settings with the benchmark's floor views added: what gunicorn runs when
the benchmark measures a floor over HTTP. Never used by the product."""

from healthtrainer.config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
