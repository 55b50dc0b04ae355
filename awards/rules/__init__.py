"""The awards domain's permission rules (accounts.api.rule), one module per sub-domain; importing this package
registers them all (AwardsConfig.ready)."""

from awards.rules import internships, mentoring, offers, projects  # noqa: F401
