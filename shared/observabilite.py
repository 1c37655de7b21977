"""Powertools Logger and Metrics shared by every function (Tracer off unless configured)."""

from __future__ import annotations

from aws_lambda_powertools import Logger, Metrics

logger = Logger(service="segurnum")
metrics = Metrics(namespace="segurnum", service="segurnum")
