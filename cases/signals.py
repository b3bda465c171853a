"""Extension points of the core, for the apps built on it (sent inside the service's transaction).

The core never imports those apps; they listen here instead. Receivers must not fail silently:
an exception rolls the whole use case back.
"""

from django.dispatch import Signal

# Sent after remisser have been created for a case: sender=Case, case=, remisser=, by=.
remisser_sent = Signal()
# Sent after a remiss answer has landed in the origin case: sender=Remiss, remiss=.
remiss_answer_landed = Signal()
