"""An attempt's life: received, its row and status in the course database, graded and recorded,
its files kept durably, its grade in the gradebook; the users and flagged pairs stored beside it."""
