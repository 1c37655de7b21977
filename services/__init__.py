"""The platform's services. Every Lambda but the API's has its entry module here
(`services.<x>.api.<function>`): its cold start begins with this package."""

from shared.demarrage import suspendre

suspendre()  # before the entry module's imports (shared/demarrage.py)
