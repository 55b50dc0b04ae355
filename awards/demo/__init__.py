"""Demo content: an offer, a grant project with a mentor and two milestones (one reported), an internship placement
with a host and a mid-term evaluation. The demo logins of mentor@ and host@ (made by accounts) show them."""

from awards.demo import internships, mentoring, offers, projects


def seed(stdout) -> list:
    """Seeds each sub-domain in order (offers first: the project starts from the accepted offer). No new logins."""
    for part in (offers, projects, mentoring, internships):
        part.seed(stdout)
    return []
