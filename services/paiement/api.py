"""Paiement (P1–P3): versements follow the instruction's decisions (not built yet)."""

from __future__ import annotations

from chalice.app import Blueprint

bp = Blueprint(__name__)
