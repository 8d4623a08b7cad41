"""An attempt's status: the one vocabulary of the course database, the JSON reports and the
web pages (standard library only, so that every layer may import it).

    queued -> grading -> graded              (or back to queued for a retry)
    received as rejected | refused           (never graded)
    grading -> error                         (our failure, after the last retry)

The values are stored in databases and shown in JSON: they never change.  A StrEnum member
is a str, so it compares, formats and serialises as its value.
"""
import enum


class Status(enum.StrEnum):
    QUEUED = "queued"        # received, waiting for a worker
    GRADING = "grading"      # a worker has it
    GRADED = "graded"        # graded and counted (a grading result: graded)
    REJECTED = "rejected"    # the upload is not a usable submission (a grading result: rejected)
    REFUSED = "refused"      # the course policy refused the upload
    ERROR = "error"          # our infrastructure failed it for the last time; never charged


PENDING = (Status.QUEUED, Status.GRADING)
FINAL = (Status.GRADED, Status.REJECTED, Status.REFUSED, Status.ERROR)
