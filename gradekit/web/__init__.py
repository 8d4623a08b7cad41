"""`gradekit web`: the BRUTE-style course service (pages for students and instructors, a JSON API).

The service receives uploads (archive, log, policy: upload.receive) and answers at once;
grading happens on the workers of the course's queue (dispatch.queue_for), never in this
process, and the pages follow each attempt's status in the course database.
"""
