"""The lines `gradekit doctor` prints, and whether any of them means grading will not work."""


class Findings:
    """The lines printed so far and whether any of them means grading will not work."""

    def __init__(self):
        self.broken = False

    def ok(self, what, text):
        print(f"  ok    {what}: {text}")

    def warn(self, what, text):
        print(f"  warn  {what}: {text}")

    def fail(self, what, text):
        self.broken = True
        print(f"  FAIL  {what}: {text}")
