"""One module per sub-domain: offers, projects, mentoring, internships."""
