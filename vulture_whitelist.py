# vulture whitelist: names Django or a library calls with arguments we do not use (see pyproject [tool.vulture]).
extra_context  # unused variable (accounts/admin_site.py:21)
reject_waitlisted  # calls.api: the public counterpart of accept_waitlisted (tests and future callers)
